"""Team mode on a real PostgreSQL server: `init --team`, `user add` making database logins,
identity by login, and the server itself refusing what a role may not do.

Roles are cluster-wide, so every test uses a prefix of its own for group roles and logins
and removes them afterwards.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cli_helpers import Result, Runner, front_matter_file
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

import csto_editor.cli as cli_module
from tests.postgres_support import PostgresServer

PEOPLE = (
    ("anna", "author"),
    ("roman", "reviewer"),
    ("rita", "reviewer"),
    ("erik", "exporter"),
    ("adam", "admin"),
)


@dataclass
class Team:
    """A team database: its owner's URL, and each person's login and URL."""

    owner_url: str
    prefix: str
    run: Runner

    def login(self, person: str) -> str:
        return f"{self.prefix}{person}"

    def url_of(self, person: str) -> str:
        url = make_url(self.owner_url).set(username=self.login(person), password=f"pw-{person}")
        return url.render_as_string(hide_password=False)

    def as_person(self, person: str, *args: str) -> Result:
        """The CLI connected with ``person``'s own login, naming nobody with --user."""
        return self.run_without_user(self.url_of(person), *args)

    def run_without_user(self, url: str, *args: str) -> Result:
        return self.run(url, None, *args)


@pytest.fixture
def run_as(capsys: pytest.CaptureFixture[str]) -> Runner:
    """``run_as(db, user_or_None, *args)``: main(argv) in-process; no --user when None."""

    def run(db: str, user: str | None, *args: str) -> Result:
        capsys.readouterr()
        code = cli_module.main(["--db", db, *(["--user", user] if user else []), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def team(postgres_database: str, postgres_server: PostgresServer, run_as: Runner) -> Iterator[Team]:
    prefix = f"t{secrets.token_hex(4)}_"
    owner = str(make_url(postgres_database).username)
    setup = Team(postgres_database, prefix, run_as)
    roles = [setup.login(person) for person, _ in PEOPLE] + [
        f"{prefix}{group}" for group in ("author", "reviewer", "exporter", "admin")
    ]
    try:
        result = run_as(
            postgres_database, None, "init", "--team", "--role-prefix", prefix, "--json"
        )
        data = result.assert_ok().json()
        assert data["admin"] == owner
        assert data["team"]["applied"] is True
        run_as(postgres_database, None, "section", "add", "news", "--name-en", "News",
               "--name-ru", "Новости").assert_ok()  # fmt: skip
        for person, role in PEOPLE:
            added = run_as(
                postgres_database, None, "user", "add", setup.login(person),
                "--name", person.title(), "--role", role, "--json",
            ).assert_ok().json()  # fmt: skip
            assert added["database_login"]["created"] is True
            assert added["database_login"]["granted"] is True
        with create_engine(
            postgres_database, isolation_level="AUTOCOMMIT", poolclass=NullPool
        ).connect() as connection:
            for person, _ in PEOPLE:
                connection.execute(
                    text(f"ALTER ROLE \"{setup.login(person)}\" PASSWORD 'pw-{person}'")
                )
        yield setup
    finally:
        postgres_server.drop(str(make_url(postgres_database).database))
        with create_engine(
            postgres_server.url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        ).connect() as connection:
            for role in roles:
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def _import(team: Team, tmp_path: Path, title: str, by: str = "anna") -> int:
    source = front_matter_file(
        tmp_path / f"{secrets.token_hex(3)}.md",
        {"title": title, "section": "news", "date": "2025-03-13"},
        "The seminar opened in Moscow.",
    )
    (item,) = team.as_person(by, "import", str(source), "--json").assert_ok().json()
    return int(item["id"])


def test_the_whole_workflow_runs_under_each_persons_own_login(team: Team, tmp_path: Path) -> None:
    item = _import(team, tmp_path, "CSTO Secretariat hosts a seminar")
    team.as_person("anna", "submit", str(item)).assert_ok()
    team.as_person("roman", "approve", str(item)).assert_ok()
    bundle = tmp_path / "bundle"
    exported = team.as_person("erik", "export", "--out", str(bundle), "--json").assert_ok()
    assert exported.json()["items"] == 1
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["items"][0]["approved_by"] in (team.login("roman"), "Roman")
    history = team.as_person("anna", "history", str(item), "--json").assert_ok().json()
    assert history["reviews"][0]["reviewer"] in (team.login("roman"), "Roman")


def test_nobody_acts_as_someone_else(team: Team, tmp_path: Path) -> None:
    item = _import(team, tmp_path, "An item to approve")
    team.as_person("anna", "submit", str(item)).assert_ok()
    # The reviewer's own login, naming the other reviewer: refused before anything happens.
    team.run(team.url_of("roman"), team.login("rita"), "approve", str(item)).assert_error(
        3, "database login", team.login("roman")
    )
    team.run(team.url_of("anna"), "ghost", "list").assert_error(3, "cannot act as 'ghost'")
    assert team.as_person("anna", "show", str(item), "--json").json()["status"] == "in_review"
    # Naming oneself is fine.
    team.run(team.url_of("rita"), team.login("rita"), "approve", str(item)).assert_ok()


def test_a_new_persons_login_is_in_their_roles_groups_only(team: Team) -> None:
    with create_engine(team.owner_url, poolclass=NullPool).connect() as connection:
        groups = connection.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :login"
            ),
            {"login": team.login("roman")},
        ).scalars()
        assert set(groups) == {f"{team.prefix}reviewer"}


def test_an_admin_who_may_not_create_roles_is_told_what_the_dba_must_run(
    team: Team, postgres_server: PostgresServer
) -> None:
    admin = team.login("adele")
    with create_engine(team.owner_url, isolation_level="AUTOCOMMIT", poolclass=NullPool).connect(
    ) as connection:  # fmt: skip
        connection.execute(text(f"CREATE ROLE \"{admin}\" LOGIN PASSWORD 'pw-adele'"))
    try:
        team.run_without_user(
            team.owner_url, "user", "add", admin, "--name", "Adele", "--role", "admin"
        ).assert_ok()
        url = make_url(team.owner_url).set(username=admin, password="pw-adele")
        added = team.run_without_user(
            url.render_as_string(hide_password=False),
            "user", "add", team.login("newbie"), "--name", "Newbie", "--role", "author",
        ).assert_ok()  # fmt: skip
        assert "a DBA must run" in added.out
        assert f'CREATE ROLE "{team.login("newbie")}" LOGIN;' in added.out
        assert f'GRANT "{team.prefix}author" TO "{team.login("newbie")}";' in added.out
    finally:
        with create_engine(
            postgres_server.url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        ).connect() as connection:
            connection.execute(text(f'DROP OWNED BY "{admin}"'))
            connection.execute(text(f'DROP ROLE IF EXISTS "{admin}"'))


def _refused_by_server(team: Team, person: str) -> Callable[[str], str]:
    """Run one statement directly with ``person``'s login (psql-like); the server's error."""

    def attempt(statement: str) -> str:
        engine = create_engine(team.url_of(person), poolclass=NullPool)
        try:
            with pytest.raises(DBAPIError) as refused, engine.begin() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()
        return str(refused.value.orig)

    return attempt


def test_the_server_refuses_what_the_app_would_refuse(team: Team, tmp_path: Path) -> None:
    item = _import(team, tmp_path, "Text no reviewer may change")
    team.as_person("anna", "submit", str(item)).assert_ok()
    with create_engine(team.owner_url, poolclass=NullPool).connect() as connection:
        roman_id = connection.execute(
            text("SELECT id FROM users WHERE login = :l"), {"l": team.login("roman")}
        ).scalar_one()
        revision = connection.execute(
            text("SELECT current_revision_id FROM items WHERE id = :i"), {"i": item}
        ).scalar_one()
    as_reviewer = _refused_by_server(team, "rita")
    assert "permission denied" in as_reviewer(
        f"UPDATE items SET body = 'changed' WHERE id = {item}"
    )
    assert "permission denied" in as_reviewer(
        f"UPDATE items SET title = 'changed' WHERE id = {item}"
    )
    # Row-level security: an approval in another reviewer's name.
    assert "row-level security" in as_reviewer(
        "INSERT INTO reviews (item_id, revision_id, reviewer_id, decision, comment,"
        f" content_sha256, created_at) VALUES ({item}, {revision}, {roman_id}, 'approve', '',"
        " 'x', now())"
    )
    # An audit event in someone else's name, and any change to the audit log.
    as_author = _refused_by_server(team, "anna")
    assert "row-level security" in as_author(
        "INSERT INTO audit_events (at, user_login, action, detail)"
        f" VALUES (now(), '{team.login('roman')}', 'approve', '{{}}')"
    )
    assert "permission denied" in as_author("UPDATE audit_events SET action = 'x'")
    assert "permission denied" in as_author("DELETE FROM audit_events")
    assert "permission denied" in as_author("INSERT INTO export_runs (user_id, started_at, scope,"
                                            " output, revision_ids) VALUES (1, now(), '{}', 'x',"
                                            " '[]')")  # fmt: skip
    # Nothing of that reached the item.
    shown = team.as_person("anna", "show", str(item), "--json").assert_ok().json()
    assert shown["body"] == "The seminar opened in Moscow."
    assert shown["status"] == "in_review"


def test_print_grants_changes_nothing_and_refuses_sqlite(
    postgres_database: str, run_as: Runner, tmp_path: Path
) -> None:
    printed = run_as(postgres_database, None, "init", "--print-grants").assert_ok().out
    assert 'CREATE ROLE "csto_author" NOLOGIN' in printed
    assert "ENABLE ROW LEVEL SECURITY" in printed
    assert printed.rstrip().endswith("COMMIT;")
    with create_engine(postgres_database, poolclass=NullPool).connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar_one()
    assert tables == 0
    run_as(str(tmp_path / "x.sqlite3"), "admin", "init", "--print-grants").assert_error(
        2, "PostgreSQL"
    )
    assert not (tmp_path / "x.sqlite3").exists()


def test_init_team_refuses_sqlite_and_bad_prefixes_before_changing_anything(
    postgres_database: str, run_as: Runner, tmp_path: Path
) -> None:
    database = tmp_path / "x.sqlite3"
    run_as(str(database), "admin", "init", "--team").assert_error(2, "PostgreSQL")
    assert not database.exists()
    run_as(postgres_database, None, "init", "--team", "--role-prefix", "Bad Prefix").assert_error(
        2, "role prefix"
    )
    with create_engine(postgres_database, poolclass=NullPool).connect() as connection:
        tables = connection.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        ).scalar_one()
    assert tables == 0


def test_an_admins_login_does_an_admins_work(team: Team, tmp_path: Path) -> None:
    """An admin who does not own the database: edits, submits, exports, withdraws, keeps
    sections; approving stays a reviewer's."""
    item = _import(team, tmp_path, "Written by the admin", by="adam")
    body = tmp_path / "body.md"
    body.write_text("A corrected text.", encoding="utf-8")
    team.as_person("adam", "edit", str(item), "--body-file", str(body)).assert_ok()
    team.as_person("adam", "submit", str(item)).assert_ok()
    team.as_person("adam", "approve", str(item)).assert_error(3, "reviewer")
    team.as_person("roman", "approve", str(item)).assert_ok()
    team.as_person("adam", "export", "--out", str(tmp_path / "bundle")).assert_ok()
    team.as_person("adam", "withdraw", str(item), "--comment", "Retracted").assert_ok()
    assert team.as_person("adam", "show", str(item), "--json").json()["status"] == "withdrawn"
    team.as_person(
        "adam", "section", "add", "statements", "--name-en", "Statements", "--name-ru", "Заявления"
    ).assert_ok()
