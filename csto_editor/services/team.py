"""Team mode on a shared PostgreSQL server: group roles, people's logins, identity by login.

``init --team`` applies the group roles, grants and row-level security of
``store.team_roles`` and turns on the identity rule (the acting user is the database
login); ``init --print-grants`` prints the same SQL for a DBA and changes nothing.
In team mode ``user add`` also makes the person's database login a member of their
roles' groups, creating the login when the admin's own login may create roles, and
otherwise returns the SQL the DBA must run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from csto_editor.core.errors import InvalidInput
from csto_editor.core.workflow import Role
from csto_editor.services.context import (
    DATABASE_LOGIN,
    IDENTITY_SETTING,
    ServiceContext,
    in_team_mode,
)
from csto_editor.store.models import Setting
from csto_editor.store.team_roles import ROLE_PREFIX, login_statements, team_statements

PREFIX_SETTING = "team_role_prefix"
"""A database setting: the prefix of the group roles (``csto_`` makes ``csto_author``...)."""
_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,20}")


@dataclass(frozen=True)
class TeamSetup:
    """What ``init --team`` did (or, printed, what a DBA must run)."""

    database: str
    prefix: str
    statements: tuple[str, ...]
    applied: bool

    def to_json(self) -> dict[str, object]:
        return {
            "database": self.database,
            "role_prefix": self.prefix,
            "applied": self.applied,
            "statements": list(self.statements),
        }


@dataclass(frozen=True)
class LoginSetup:
    """A person's database login in team mode: made here, or the SQL a DBA must run."""

    login: str
    created: bool
    granted: bool
    statements_for_dba: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "login": self.login,
            "created": self.created,
            "granted": self.granted,
            "statements_for_dba": list(self.statements_for_dba),
        }


def clean_prefix(prefix: str) -> str:
    if not _PREFIX.fullmatch(prefix):
        raise InvalidInput(
            f"invalid role prefix {prefix!r}: use a lower-case letter, then up to 20 "
            "lower-case letters, digits or '_'"
        )
    return prefix


def _database_name(url: URL) -> str:
    if url.get_backend_name() != "postgresql" or not url.database:
        raise InvalidInput(
            "team mode needs a PostgreSQL database: give --db postgresql+psycopg://HOST/DATABASE"
        )
    return url.database


def team_sql(url: URL, prefix: str = ROLE_PREFIX) -> TeamSetup:
    """The SQL a DBA runs (after ``init``) to make the database at ``url`` a team database."""
    database = _database_name(url)
    clean = clean_prefix(prefix)
    settings = (
        "INSERT INTO settings (key, value) VALUES "
        f"('{IDENTITY_SETTING}', '{DATABASE_LOGIN}'), ('{PREFIX_SETTING}', '{clean}') "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    )
    return TeamSetup(database, clean, (*team_statements(database, clean), settings), False)


def enable_team_mode(ctx: ServiceContext, prefix: str = ROLE_PREFIX) -> TeamSetup:
    """Create the group roles, grant them their rights, turn on row-level security and
    the identity rule, all in one transaction; only an admin may (and the login needs the
    right to create roles: the database's owner with CREATEROLE, or a superuser)."""
    setup = team_sql(ctx.database.engine.url, prefix)
    with ctx.database.session() as session:
        ctx.require(session, (Role.ADMIN,), "turn on team mode")
        _require_role_creation(session, "turn on team mode")
        for statement in setup.statements:
            session.execute(text(statement))
        ctx.audit(session, "team_mode", role_prefix=setup.prefix)
    return TeamSetup(setup.database, setup.prefix, setup.statements, True)


def check_team_mode_possible(ctx: ServiceContext, prefix: str = ROLE_PREFIX) -> None:
    """Refuse ``init --team`` before ``init`` changes anything: a SQLite database, a bad
    prefix, or a login that may not create roles."""
    team_sql(ctx.database.engine.url, prefix)
    with ctx.database.session() as session:
        _require_role_creation(session, "turn on team mode")


def _may_create_roles(session: Session) -> bool:
    return bool(
        session.scalar(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        )
    )


def _require_role_creation(session: Session, doing: str) -> None:
    if not _may_create_roles(session):
        login = session.scalar(text("SELECT current_user"))
        raise InvalidInput(
            f"cannot {doing}: the database login {login!r} may not create roles; "
            "run `csto-editor init --print-grants` and have a DBA run its SQL"
        )


def provide_login(session: Session, login: str, roles: Iterable[str]) -> LoginSetup | None:
    """In team mode, make ``login`` a database login in its roles' groups (None outside
    team mode). Runs in the caller's transaction: an account and its login come together."""
    if not in_team_mode(session):
        return None
    setting = session.get(Setting, PREFIX_SETTING)
    prefix = setting.value if setting is not None else ROLE_PREFIX
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :login"), {"login": login})
    statements = login_statements(login, roles, None, prefix, create=exists is None)
    if not _may_create_roles(session):
        return LoginSetup(login, False, False, tuple(statements))
    for statement in statements:
        session.execute(text(statement))
    return LoginSetup(login, exists is None, True, ())
