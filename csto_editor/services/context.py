"""What every use case needs: the database, who is acting, and the audit log."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from csto_editor.core.errors import NotFound, PermissionDenied
from csto_editor.core.validation import check_id, clean_login
from csto_editor.core.workflow import Role, parse_roles, require_role
from csto_editor.store.database import Database
from csto_editor.store.models import AuditEvent, Item, Setting, User

IDENTITY_SETTING = "identity"
"""A database setting: ``database-login`` turns on team mode's identity rule."""
DATABASE_LOGIN = "database-login"
"""In team mode (PostgreSQL) a person acts only as their own database login."""


def in_team_mode(session: Session) -> bool:
    """True on a PostgreSQL database whose people act as their own database logins."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    identity = session.get(Setting, IDENTITY_SETTING)
    return identity is not None and identity.value == DATABASE_LOGIN


def connection_login(database: Database) -> str | None:
    """The server's name for the connection's login (PostgreSQL), None on SQLite."""
    if database.dialect != "postgresql":
        return None
    with database.session() as session:
        login = session.scalar(text("SELECT current_user"))
    return str(login) if login is not None else None


def user_roles(user: User) -> frozenset[Role]:
    return parse_roles(user.roles.split())


@dataclass(frozen=True)
class ServiceContext:
    """The open database and the login on whose behalf the services act."""

    database: Database
    login: str

    def actor(self, session: Session) -> User:
        """The acting user; refused when the login has no account here.

        In team mode the login must be the server's ``current_user``: nobody acts as
        someone else by naming them. A login no account can have (a NUL, bytes that were
        not UTF-8) is refused as bad input before it reaches the database.
        """
        clean_login(self.login)
        if self.database.dialect == "postgresql":
            self._require_database_login(session)
        user = session.scalar(select(User).where(User.login == self.login))
        if user is None:
            raise PermissionDenied(
                f"user {self.login!r} has no account in this database; an admin adds it "
                "with `csto-editor user add`"
            )
        return user

    def check_identity(self) -> None:
        """Refuse, before anything is shown or done, a login that is not the connection's
        own in team mode (``--user`` names someone else)."""
        if self.database.dialect != "postgresql":
            return
        with self.database.session() as session:
            self._require_database_login(session)

    def _require_database_login(self, session: Session) -> None:
        if not in_team_mode(session):
            return
        server_login = session.scalar(text("SELECT current_user"))
        if server_login != self.login:
            raise PermissionDenied(
                f"this database identifies people by their database login: you are connected "
                f"as {server_login!r} and cannot act as {self.login!r}"
            )

    def require(self, session: Session, allowed: Collection[Role], doing: str) -> User:
        """The acting user, when one of their roles is among ``allowed``."""
        user = self.actor(session)
        require_role(user_roles(user), allowed, doing)
        return user

    def audit(
        self,
        session: Session,
        action: str,
        *,
        item_id: int | None = None,
        revision_id: int | None = None,
        **detail: object,
    ) -> None:
        session.add(
            AuditEvent(
                user_login=self.login,
                action=action,
                item_id=item_id,
                revision_id=revision_id,
                detail=detail,
            )
        )


def load_item(session: Session, item_id: int) -> Item:
    """A live (not deleted) item, or NotFound."""
    item = session.get(Item, check_id(item_id))
    if item is None or item.deleted_at is not None:
        raise NotFound(f"no item {item_id}")
    return item
