"""Team mode on PostgreSQL: what each role's logins may do, enforced by the server too.

The app checks roles before every step; these GRANTs make the server refuse the same
steps when someone bypasses the app with their database login (psql, a script).
Each app role is a NOLOGIN group role; a person's login is a LOGIN role that is a
member of the groups matching their roles in ``users.roles``. The audit log is
insert-only for everyone (and its trigger refuses UPDATE and DELETE even to owners).
Row-level security makes every login write audit events, reviews and export runs in its
own name only: nobody approves or exports as someone else, or forges their audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable

ROLE_PREFIX = "csto_"

_ALL_TABLES = (
    "users",
    "sections",
    "items",
    "revisions",
    "reviews",
    "assets",
    "asset_contents",
    "export_runs",
    "audit_events",
    "settings",
    "alembic_version",
)

_WORKFLOW_COLUMNS = "state, version, updated_at, updated_by_id"
"""Item columns every workflow step touches; none of them is the item's text."""

_AUTHOR_ITEM_COLUMNS = (
    "section_id, type, lang, translation_group, title, lead, body, event_date, place, speaker,"
    " occasion, outlet, interviewee, slug, current_revision_id, deleted_at, " + _WORKFLOW_COLUMNS
)
"""Everything an author edits; never which revision is approved or published."""

_ROLE_GRANTS: dict[str, tuple[str, ...]] = {
    "author": (
        "GRANT INSERT ON items TO {group}",
        f"GRANT UPDATE ({_AUTHOR_ITEM_COLUMNS}) ON items TO {{group}}",
        "GRANT INSERT ON revisions TO {group}",
        "GRANT INSERT ON assets, asset_contents TO {group}",
        "GRANT UPDATE (alt_text, caption, credit) ON assets TO {group}",
    ),
    "reviewer": (
        # Reviewers decide; they never change an item's text.
        f"GRANT UPDATE ({_WORKFLOW_COLUMNS}, approved_revision_id) ON items TO {{group}}",
        "GRANT INSERT ON reviews TO {group}",
        # Approving renders the revision's HTML for the export (services.export_cache).
        "GRANT UPDATE (rendered_html, rendered_links) ON revisions TO {group}",
    ),
    "exporter": (
        f"GRANT UPDATE ({_WORKFLOW_COLUMNS}, published_revision_id) ON items TO {{group}}",
        "GRANT INSERT, UPDATE ON export_runs TO {group}",
        # An export renders each approved revision's HTML once, the first time it is published.
        "GRANT UPDATE (rendered_html, rendered_links) ON revisions TO {group}",
    ),
    "admin": (
        # An admin edits, submits, publishes and withdraws like the roles above (never
        # approves: no reviews), and keeps users, sections and settings.
        "GRANT INSERT ON items, revisions, assets, asset_contents TO {group}",
        f"GRANT UPDATE ({_AUTHOR_ITEM_COLUMNS}, approved_revision_id, published_revision_id)"
        " ON items TO {group}",
        "GRANT UPDATE (alt_text, caption, credit) ON assets TO {group}",
        "GRANT UPDATE (rendered_html, rendered_links) ON revisions TO {group}",
        "GRANT INSERT, UPDATE ON export_runs TO {group}",
        "GRANT INSERT, UPDATE ON users, settings TO {group}",
        "GRANT INSERT, UPDATE, DELETE ON sections TO {group}",
    ),
}

APP_ROLES = tuple(_ROLE_GRANTS)


def group_role(role: str, prefix: str = ROLE_PREFIX) -> str:
    """The PostgreSQL group role that carries an app role's rights."""
    return f"{prefix}{role}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_statements(database: str, prefix: str = ROLE_PREFIX) -> dict[str, list[str]]:
    """SQL, per app role, creating its group role and granting exactly what it may do.

    Run by the database owner after ``init``; idempotent except for CREATE ROLE, which is
    guarded so it may run again.
    """
    statements: dict[str, list[str]] = {}
    for role, grants in _ROLE_GRANTS.items():
        group = _quoted(group_role(role, prefix))
        statements[role] = [
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
            f"'{group_role(role, prefix)}') THEN CREATE ROLE {group} NOLOGIN; END IF; END $$",
            f"GRANT CONNECT ON DATABASE {_quoted(database)} TO {group}",
            f"GRANT USAGE ON SCHEMA public TO {group}",
            f"GRANT SELECT ON {', '.join(_ALL_TABLES)} TO {group}",
            f"GRANT INSERT ON audit_events TO {group}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {group}",
            *(grant.format(group=group) for grant in grants),
        ]
    return statements


_OWN_ID = "(SELECT id FROM users WHERE login = current_user)"

_ROW_POLICIES: dict[str, tuple[tuple[str, str], ...]] = {
    "audit_events": (("insert_own", "FOR INSERT WITH CHECK (user_login = current_user)"),),
    "reviews": (("insert_own", f"FOR INSERT WITH CHECK (reviewer_id = {_OWN_ID})"),),
    "export_runs": (
        ("insert_own", f"FOR INSERT WITH CHECK (user_id = {_OWN_ID})"),
        ("update_own", f"FOR UPDATE USING (user_id = {_OWN_ID})"),
    ),
}
"""Per table, the policies beside "everyone reads every row". Table owners (the account
that ran ``init``) are exempt, as PostgreSQL exempts owners unless FORCEd."""


def row_security_statements() -> list[str]:
    """SQL turning on row-level security: each login writes rows in its own name only.

    Idempotent: every policy is dropped first if it exists.
    """
    statements: list[str] = []
    for table, policies in _ROW_POLICIES.items():
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, rule in (("read_all", "FOR SELECT USING (true)"), *policies):
            policy = f"csto_{table}_{name}"
            statements.append(f"DROP POLICY IF EXISTS {policy} ON {table}")
            statements.append(f"CREATE POLICY {policy} ON {table} {rule}")
    return statements


def team_statements(database: str, prefix: str = ROLE_PREFIX) -> list[str]:
    """All the SQL that turns a migrated database into a team database: group roles,
    their grants, and row-level security."""
    grants = grant_statements(database, prefix)
    return [statement for role in APP_ROLES for statement in grants[role]] + (
        row_security_statements()
    )


def login_statements(
    login: str,
    roles: Iterable[str],
    password: str | None = None,
    prefix: str = ROLE_PREFIX,
    *,
    create: bool = True,
) -> list[str]:
    """SQL making a person's database login a member of their roles' groups, creating the
    login first when ``create`` (without a password when none is given: the DBA sets it)."""
    groups = ", ".join(_quoted(group_role(role, prefix)) for role in roles)
    statements = [f"GRANT {groups} TO {_quoted(login)}"]
    if create:
        secret = ""
        if password is not None:
            secret = " PASSWORD '" + password.replace("'", "''") + "'"
        statements.insert(0, f"CREATE ROLE {_quoted(login)} LOGIN{secret}")
    return statements


def quoted_identifier(name: str) -> str:
    """``name`` as a PostgreSQL identifier, quoted."""
    return _quoted(name)
