"""The SQL that only one database dialect understands: full-text search and audit guards.

Everything else in the store is dialect-neutral SQLAlchemy. SQLite gets an FTS5 table kept
in step by triggers; PostgreSQL a generated ``tsvector`` column over title, lead and body in
the Russian and English configurations, with a GIN index. On both, the audit log refuses
UPDATE and DELETE. The functions below choose by the connection's dialect name.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Integer, column, text
from sqlalchemy.sql.selectable import TextualSelect


def _folded(column: str) -> str:
    # unicode61 folds case but keeps ё apart from е; Russian readers treat them as one.
    return f"replace(replace({column}, 'ё', 'е'), 'Ё', 'Е')"


_NEW_VALUES = ", ".join(_folded(f"new.{c}") for c in ("title", "lead", "body"))
_OLD_VALUES = ", ".join(_folded(f"old.{c}") for c in ("title", "lead", "body"))

SQLITE_SEARCH_DDL = (
    """
    CREATE VIRTUAL TABLE item_search USING fts5(
        title, lead, body,
        content='',
        tokenize="unicode61 remove_diacritics 2"
    )
    """,
    f"""
    CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO item_search(rowid, title, lead, body) VALUES (new.id, {_NEW_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
        INSERT INTO item_search(item_search, rowid, title, lead, body)
        VALUES ('delete', old.id, {_OLD_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER items_search_update AFTER UPDATE OF title, lead, body ON items BEGIN
        INSERT INTO item_search(item_search, rowid, title, lead, body)
        VALUES ('delete', old.id, {_OLD_VALUES});
        INSERT INTO item_search(rowid, title, lead, body) VALUES (new.id, {_NEW_VALUES});
    END
    """,
)

SQLITE_FILL_SEARCH = f"""
    INSERT INTO item_search(rowid, title, lead, body)
    SELECT id, {_folded("title")}, {_folded("lead")}, {_folded("body")} FROM items
"""

SQLITE_AUDIT_GUARD_DDL = (
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END
    """,
)

SEARCH_CONFIGS = ("russian", "english")
"""PostgreSQL text-search configurations: every text is indexed, and queried, in both."""


def _pg_document(config: str) -> str:
    fields = " || ' ' || ".join(_folded(f"coalesce({c}, '')") for c in ("title", "lead", "body"))
    return f"to_tsvector('{config}', {fields})"


POSTGRESQL_SEARCH_DDL = (
    # A stored generated column keeps the index in step with every write, like the triggers
    # on SQLite; the expressions are immutable because each names its configuration.
    f"""
    ALTER TABLE items ADD COLUMN search tsvector GENERATED ALWAYS AS (
        {" || ".join(_pg_document(config) for config in SEARCH_CONFIGS)}
    ) STORED
    """,
    "CREATE INDEX ix_items_search ON items USING gin (search)",
)

POSTGRESQL_AUDIT_GUARD_DDL = (
    """
    CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()
    """,
)

POSTGRESQL_REMOVE_DDL = (
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_no_update_or_delete ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_append_only()",
    "DROP INDEX IF EXISTS ix_items_search",
    "ALTER TABLE items DROP COLUMN IF EXISTS search",
)

CHANGE_CHANNEL = "csto_items"
"""PostgreSQL channel on which every committed change to items or sections is announced."""

POSTGRESQL_CHANGE_NOTICE_DDL = (
    f"""
    CREATE FUNCTION csto_announce_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- Delivered at commit, once per transaction and payload: open windows refresh.
        -- The payload names the session's application, so an app ignores its own changes.
        PERFORM pg_notify(
            '{CHANGE_CHANNEL}', TG_TABLE_NAME || ' ' || current_setting('application_name')
        );
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER items_announce_change AFTER INSERT OR UPDATE OR DELETE ON items
    FOR EACH STATEMENT EXECUTE FUNCTION csto_announce_change()
    """,
    """
    CREATE TRIGGER sections_announce_change AFTER INSERT OR UPDATE OR DELETE ON sections
    FOR EACH STATEMENT EXECUTE FUNCTION csto_announce_change()
    """,
)

POSTGRESQL_REMOVE_CHANGE_NOTICE_DDL = (
    "DROP TRIGGER IF EXISTS sections_announce_change ON sections",
    "DROP TRIGGER IF EXISTS items_announce_change ON items",
    "DROP FUNCTION IF EXISTS csto_announce_change()",
)


def install_change_notices(connection: Connection) -> None:
    """On PostgreSQL, NOTIFY CHANGE_CHANNEL whenever items or sections change (SQLite has
    no notices: its windows refresh on demand)."""
    if connection.dialect.name == "postgresql":
        for statement in POSTGRESQL_CHANGE_NOTICE_DDL:
            connection.execute(text(statement))


def remove_change_notices(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for statement in POSTGRESQL_REMOVE_CHANGE_NOTICE_DDL:
            connection.execute(text(statement))


_TERM = re.compile(r"\w+", re.UNICODE)


def _unsupported(dialect: str) -> NotImplementedError:
    return NotImplementedError(f"no full-text search for {dialect}; use SQLite or PostgreSQL")


def install_search(connection: Connection) -> None:
    """Create the full-text index and the guards that keep the audit log append-only."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_SEARCH_DDL + SQLITE_AUDIT_GUARD_DDL:
            connection.execute(text(statement))
        connection.execute(text(SQLITE_FILL_SEARCH))
    elif dialect == "postgresql":
        for statement in POSTGRESQL_SEARCH_DDL + POSTGRESQL_AUDIT_GUARD_DDL:
            connection.execute(text(statement))
    else:
        raise _unsupported(dialect)


def remove_search(connection: Connection) -> None:
    """Undo install_search (for downgrades)."""
    if connection.dialect.name == "postgresql":
        for statement in POSTGRESQL_REMOVE_DDL:
            connection.execute(text(statement))
        return
    for name in (
        "items_search_insert",
        "items_search_delete",
        "items_search_update",
        "audit_events_no_update",
        "audit_events_no_delete",
    ):
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    connection.execute(text("DROP TABLE IF EXISTS item_search"))


def _terms(user_text: str) -> list[str]:
    return list(_TERM.findall(user_text.replace("ё", "е").replace("Ё", "Е")))


def fts_query(user_text: str) -> str | None:
    """A safe FTS5 query: every word of the user's text, each as a quoted prefix."""
    terms = _terms(user_text)
    if not terms:
        return None
    return " AND ".join(f'"{term}"*' for term in terms)


def _postgresql_matches(terms: list[str]) -> TextualSelect:
    # Each word is a prefix query in both configurations (either may match); all words
    # must match. Words are bound parameters made of \w characters only, so the user's
    # text never reaches the tsquery syntax.
    word_queries = [
        "("
        + " || ".join(f"to_tsquery('{config}', :term{i} || ':*')" for config in SEARCH_CONFIGS)
        + ")"
        for i in range(len(terms))
    ]
    statement = f"SELECT id FROM items WHERE search @@ ({' && '.join(word_queries)})"
    return (
        text(statement)
        .bindparams(**{f"term{i}": term for i, term in enumerate(terms)})
        .columns(column("id", Integer))
    )


def matching_item_ids(dialect: str, user_text: str) -> TextualSelect | None:
    """A SELECT of the ids of items whose title, lead or body match every word given."""
    if dialect == "postgresql":
        terms = _terms(user_text)
        return _postgresql_matches(terms) if terms else None
    query = fts_query(user_text)
    if query is None:
        return None
    if dialect != "sqlite":
        raise _unsupported(dialect)
    return (
        text("SELECT rowid FROM item_search WHERE item_search MATCH :query")
        .bindparams(query=query)
        .columns(column("rowid", Integer))
    )
