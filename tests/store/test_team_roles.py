"""Team mode: the server itself refuses what a role may not do (needs CSTO_TEST_PG_URL)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

from csto_editor.core.errors import PermissionDenied
from csto_editor.services import accounts, setup, team
from csto_editor.services.context import DATABASE_LOGIN, IDENTITY_SETTING, ServiceContext
from csto_editor.store.database import Database, open_database
from csto_editor.store.models import Setting
from csto_editor.store.team_roles import grant_statements, login_statements
from tests.postgres_support import PostgresServer


@pytest.fixture
def granted(
    postgres_database: str, postgres_server: PostgresServer
) -> Iterator[tuple[Database, str]]:
    """A database with the grants applied, under a prefix of its own (roles are cluster-wide)."""
    prefix = f"t{secrets.token_hex(4)}_"
    database = open_database(postgres_database, create=True)
    ctx = ServiceContext(database, "admin")
    setup.initialize(ctx)
    accounts.add_user(ctx, "anna", "Anna Author", ["author"])
    name = str(make_url(postgres_database).database)
    logins = [f"{prefix}anna"]
    try:
        with database.engine.begin() as connection:
            for statements in grant_statements(name, prefix).values():
                for statement in statements:
                    connection.execute(text(statement))
            for statement in login_statements(logins[0], ["author"], "pw-anna", prefix):
                connection.execute(text(statement))
        yield database, prefix
    finally:
        with database.engine.begin() as connection:
            roles = list(
                connection.execute(
                    text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :prefix)"),
                    {"prefix": prefix},
                ).scalars()
            )
            for role in roles:
                connection.execute(text(f'DROP OWNED BY "{role}"'))
        database.dispose()
        postgres_server.drop(name)
        with create_engine(
            postgres_server.url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        ).connect() as connection:
            for role in roles:
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))


def test_an_authors_login_cannot_insert_an_approval(granted: tuple[Database, str]) -> None:
    database, prefix = granted
    url = database.engine.url.set(username=f"{prefix}anna", password="pw-anna")
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            assert connection.execute(text("SELECT count(*) FROM items")).scalar() == 0
            connection.execute(
                text(
                    "INSERT INTO audit_events (at, user_login, action, detail)"
                    " VALUES (now(), 'anna', 'x', '{}')"
                )
            )
        with pytest.raises(ProgrammingError, match="permission denied"), engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO reviews (item_id, revision_id, reviewer_id, decision, comment,"
                    " content_sha256, created_at) VALUES (1, 1, 1, 'approve', '', 'x', now())"
                )
            )
        for refused in (
            "UPDATE audit_events SET action = 'y'",
            "UPDATE items SET approved_revision_id = 1",
            "INSERT INTO export_runs (user_id, started_at, scope, output, revision_ids)"
            " VALUES (1, now(), '{}', 'x', '[]')",
        ):
            with pytest.raises(ProgrammingError, match="permission denied"), engine.begin() as c:
                c.execute(text(refused))
    finally:
        engine.dispose()


def test_in_team_mode_nobody_acts_as_someone_else(granted: tuple[Database, str]) -> None:
    database, prefix = granted
    server_login = str(database.engine.url.username)
    ctx = ServiceContext(database, "admin")
    accounts.add_user(ctx, server_login, "Server Login", ["admin"])
    with database.session() as session:
        session.add(Setting(key=IDENTITY_SETTING, value=DATABASE_LOGIN))
        session.add(Setting(key=team.PREFIX_SETTING, value=prefix))
    with pytest.raises(PermissionDenied, match="database login"):
        accounts.add_user(ctx, f"{prefix}boris", "Boris", ["author"])
    as_server_login = ServiceContext(database, server_login)
    with pytest.raises(PermissionDenied, match="database login"):
        ctx.check_identity()
    as_server_login.check_identity()
    accounts.add_user(as_server_login, f"{prefix}boris", "Boris", ["author"])
    with database.engine.connect() as connection:
        member_of = connection.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :login"
            ),
            {"login": f"{prefix}boris"},
        ).scalars()
        assert list(member_of) == [f"{prefix}author"]
