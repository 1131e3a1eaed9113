"""Wiring: from command-line choices to an open database and a service context."""

from __future__ import annotations

import getpass
import os

from csto_editor.paths import default_database
from csto_editor.services.context import ServiceContext, connection_login
from csto_editor.store.database import open_database


def default_login() -> str:
    """$CSTO_EDITOR_USER, else the operating system's login name."""
    configured = os.environ.get("CSTO_EDITOR_USER")
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "user"


def open_context(
    database: str | None = None,
    login: str | None = None,
    *,
    create: bool = False,
    allow_read_only: bool = False,
    verify: bool = False,
) -> ServiceContext:
    """Open the chosen database (or the default one) on behalf of a login.

    ``allow_read_only`` opens a database that cannot be written for reading instead of
    refusing it; ``verify`` refuses a damaged one (SQLite's quick_check). On PostgreSQL
    the login defaults to the connection's own (after $CSTO_EDITOR_USER), and in team
    mode any other login is refused here, before anything is shown or done.
    """
    location = database or default_database()
    opened = open_database(location, create=create, allow_read_only=allow_read_only, verify=verify)
    try:
        if login is None and not os.environ.get("CSTO_EDITOR_USER"):
            login = connection_login(opened)
        context = ServiceContext(opened, login or default_login())
        if opened.dialect == "postgresql" and (not create or opened.schema_revision()):
            context.check_identity()
    except BaseException:
        opened.dispose()
        raise
    return context
