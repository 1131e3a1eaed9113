"""User accounts and their roles."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor.core import validation
from csto_editor.core.errors import InvalidInput
from csto_editor.core.workflow import Role, parse_roles
from csto_editor.services.context import ServiceContext
from csto_editor.services.team import LoginSetup, provide_login
from csto_editor.services.views import UserView
from csto_editor.store.models import User


def view_user(user: User) -> UserView:
    return UserView(user.id, user.login, user.display_name, tuple(user.roles.split()))


def add_user_in_session(session: Session, login: str, name: str, roles: Iterable[str]) -> User:
    clean = validation.clean_login(login)
    display = validation.clean_line(name, "name", required=True, limit=200)
    parsed = parse_roles(roles)
    if not parsed:
        raise InvalidInput("a user needs at least one --role")
    if session.scalar(select(User.id).where(User.login == clean)) is not None:
        raise InvalidInput(f"user {clean!r} already exists")
    ordered = " ".join(role.value for role in Role if role in parsed)
    user = User(login=clean, display_name=display, roles=ordered)
    session.add(user)
    session.flush()
    return user


def add_user(ctx: ServiceContext, login: str, name: str, roles: Iterable[str]) -> UserView:
    """Add an account; only an admin may. In team mode its database login comes too."""
    return add_user_with_login(ctx, login, name, roles)[0]


def add_user_with_login(
    ctx: ServiceContext, login: str, name: str, roles: Iterable[str]
) -> tuple[UserView, LoginSetup | None]:
    """Add an account and, in team mode, its database login in its roles' groups (or the
    SQL a DBA must run for it); both or neither."""
    with ctx.database.session() as session:
        ctx.require(session, (Role.ADMIN,), "add users")
        user = add_user_in_session(session, login, name, roles)
        database_login = provide_login(session, user.login, user.roles.split())
        ctx.audit(session, "user_add", login=user.login, roles=user.roles.split())
        return view_user(user), database_login


def list_users(ctx: ServiceContext) -> list[UserView]:
    with ctx.database.session() as session:
        return [view_user(u) for u in session.scalars(select(User).order_by(User.login))]


def current_user(ctx: ServiceContext) -> UserView | None:
    """The acting user's account, or None when the login has none here."""
    with ctx.database.session() as session:
        user = session.scalar(select(User).where(User.login == ctx.login))
        return view_user(user) if user else None
