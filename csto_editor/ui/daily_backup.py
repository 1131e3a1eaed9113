"""The day's database check and backup, in the background of a starting window."""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow

from csto_editor.core.errors import EditorError
from csto_editor.services import backup
from csto_editor.services.context import ServiceContext
from csto_editor.startup_clock import mark
from csto_editor.store.failures import DatabaseDamaged


class DailyBackup(QObject):
    """The first start of each day checks the database (SQLite's quick_check) and copies
    it into ``backups/`` beside it, keeping the last seven: off the GUI thread, so the
    window paints at once. A sound file is backed up and reported in the status bar; a
    damaged one is not copied, and ``damaged`` says why."""

    finished = Signal()
    """The check and the backup are over (whatever the outcome)."""
    damaged = Signal(str)
    """The check found damage: the one-line message naming the newest backup."""
    _worker_done = Signal()
    """From the worker's thread: its work is over (handled on the GUI thread)."""

    def __init__(self, ctx: ServiceContext, window: QMainWindow, *, check: bool = False) -> None:
        super().__init__(window)
        self._window = window
        self._reported = False
        # Said at once rather than polled for: a window started with --exit-when-ready
        # waits for it, and a poll's interval was the last thing it waited for.
        self._worker_done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="daily-backup")
        self._future: Future[Path | None] = self._pool.submit(_check_and_back_up, ctx, check)
        self._future.add_done_callback(self._announce)

    def is_done(self) -> bool:
        return self._future.done() and self._reported

    def _announce(self, _future: Future[Path | None]) -> None:
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody waits
            self._worker_done.emit()

    def _done(self) -> None:
        if self._reported:
            return
        self._reported = True
        mark("day's check and backup done")
        self._report()
        self.finished.emit()

    def _report(self) -> None:
        try:
            written = self._future.result()
        except DatabaseDamaged as error:
            self.damaged.emit(str(error))
            return
        except EditorError as error:
            message = self.tr("Automatic backup failed: %1").replace("%1", str(error))
            self._window.statusBar().showMessage(message, 30_000)
            return
        if written is not None:
            message = self.tr("Backed up to %1").replace("%1", str(written))
            self._window.statusBar().showMessage(message, 10_000)

    def wait(self) -> None:
        """Let a backup in progress finish (the app is closing)."""
        self._pool.shutdown(wait=True)


def _check_and_back_up(ctx: ServiceContext, check: bool) -> Path | None:
    """The day's check (when asked), then the day's backup; DatabaseDamaged if damaged."""
    if check:
        ctx.database.verify()
    return backup.automatic_backup(ctx)


def start_daily_work(ctx: ServiceContext, window: QMainWindow) -> DailyBackup | None:
    """The first start of a day checks and backs up the database in the background."""
    if ctx.database.read_only:
        return None
    path = ctx.database.target.path
    due = path is not None and backup.daily_backup_due(path)  # SQLite files only
    return DailyBackup(ctx, window, check=due)
