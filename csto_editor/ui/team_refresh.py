"""Team mode: the window follows other editors' changes by itself.

On a PostgreSQL server a small thread LISTENs for the change notices the database sends
when items or sections change (store.change_notices) and asks the GUI thread, through a
queued signal, to refresh the tree and the list. Bursts (an import of fifty files) are
coalesced into one refresh. On SQLite there are no notices: the Refresh action rereads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from csto_editor.store.database import Database

REFRESH_DELAY_MS = 300
"""Changes arriving within this time after the first are refreshed together."""
RECONNECT_DELAY_S = 5.0
WAIT_STEP_S = 0.5
"""How long the thread waits for a notice before checking whether it must stop."""


class TeamRefresh(QObject):
    """Refreshes a window when another editor changes items or sections on the server."""

    changes_announced = Signal()
    """Emitted from the listening thread; its queued connection runs on the GUI thread."""

    def __init__(self, database: Database, refresh: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._database = database
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(refresh)
        self.changes_announced.connect(self._schedule)
        self._stopping = threading.Event()
        # A window deleted without being closed must not leave the thread signalling it.
        parent.destroyed.connect(lambda *_args, stopping=self._stopping: stopping.set())
        self.listening = threading.Event()
        """Set once the thread listens (tests wait for it before changing anything)."""
        self._thread = threading.Thread(target=self._listen, name="team-refresh", daemon=True)
        self._thread.start()

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _listen(self) -> None:
        from csto_editor.store.change_notices import ChangeNotices, ChangeNoticesLost

        reconnecting = False
        while not self._stopping.is_set():
            try:
                notices = ChangeNotices(self._database)
            except ChangeNoticesLost:
                self._stopping.wait(RECONNECT_DELAY_S)
                continue
            self.listening.set()
            if reconnecting:
                self.changes_announced.emit()  # whatever changed while the server was away
            try:
                while not self._stopping.is_set():
                    if notices.wait(WAIT_STEP_S) and not self._stopping.is_set():
                        self.changes_announced.emit()
            except ChangeNoticesLost:
                self.listening.clear()
                reconnecting = True
                self._stopping.wait(RECONNECT_DELAY_S)
            finally:
                notices.close()

    def stop(self) -> None:
        """End the listening thread (the window is closing)."""
        self._stopping.set()
        self._timer.stop()
        self._thread.join(timeout=2 * WAIT_STEP_S + 1)


def follow_other_editors(
    database: Database, refresh: Callable[[], None], parent: QObject
) -> TeamRefresh | None:
    """Start following other editors' changes on a PostgreSQL server; None on SQLite."""
    if database.dialect != "postgresql":
        return None
    return TeamRefresh(database, refresh, parent)
