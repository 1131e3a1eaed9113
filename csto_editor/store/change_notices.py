"""Change notices from a PostgreSQL server: a dedicated connection LISTENing on the channel
that the ``items``/``sections`` triggers NOTIFY (see dialect_sql.CHANGE_CHANNEL).

Each notice carries the ``application_name`` of the session that made the change; an app
instance's own engine has a name of its own (``Database.session_tag``), so its windows
ignore what they changed themselves and refresh only for other editors' changes.
"""

from __future__ import annotations

import psycopg
from psycopg.conninfo import make_conninfo

from csto_editor.core.errors import EditorError
from csto_editor.store.database import Database
from csto_editor.store.dialect_sql import CHANGE_CHANNEL


class ChangeNoticesLost(EditorError):
    """The listening connection failed (the server went away); reconnect later."""


class ChangeNotices:
    """Waits for other sessions' changes to items or sections. PostgreSQL only."""

    def __init__(self, database: Database) -> None:
        url = database.engine.url
        self._own_tag = database.session_tag
        arguments = url.translate_connect_args(username="user", database="dbname")
        conninfo = make_conninfo(
            **{key: str(value) for key, value in arguments.items()},
            **{key: str(value) for key, value in url.query.items()},
            application_name="csto-editor listener",
            connect_timeout="10",
        )
        try:
            self._connection = psycopg.connect(conninfo, autocommit=True)
            self._connection.execute(f"LISTEN {CHANGE_CHANNEL}")
        except psycopg.Error as error:
            raise ChangeNoticesLost(f"cannot listen for changes: {error}") from None

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; True when someone else changed items or sections
        meanwhile (every notice already queued is consumed)."""
        changed = False
        try:
            for notice in self._connection.notifies(timeout=timeout, stop_after=1):
                changed |= not notice.payload.endswith(f" {self._own_tag}")
            for notice in self._connection.notifies(timeout=0):
                changed |= not notice.payload.endswith(f" {self._own_tag}")
        except psycopg.Error as error:
            raise ChangeNoticesLost(f"listening for changes stopped: {error}") from None
        return changed

    def close(self) -> None:
        self._connection.close()
