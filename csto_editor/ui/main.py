"""Starting the window: the `gui` command, from arguments to a running application."""

from __future__ import annotations

import argparse
import signal
import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from csto_editor.app import open_context
from csto_editor.core.errors import EditorError
from csto_editor.paths import resources_dir
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.ui.icons import app_icon
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.preview.pane import prepare_web_engine
from csto_editor.ui.settings import Settings

READY_TIMEOUT_MS = 60_000
"""How long --exit-when-ready waits for the window, the list and the preview."""

APPLICATION_NAME = "CSTO Editor"
ORGANIZATION_NAME = "CSTO"


def create_application() -> QApplication:
    """The QApplication with its names and icon (reused if one exists, as in tests)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        application = existing
    else:
        # QtWebEngine (the preview) shares OpenGL contexts; it must be asked before start.
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        prepare_web_engine()
        application = QApplication([sys.argv[0] if sys.argv else "csto-editor"])
    application.setApplicationName("csto-editor")
    application.setApplicationDisplayName(APPLICATION_NAME)
    application.setOrganizationName(ORGANIZATION_NAME)
    application.setWindowIcon(app_icon())
    return application


class ReadinessWatch(QObject):
    """Quits the application once the window, its list and the open item's preview painted."""

    def __init__(self, window: MainWindow, application: QApplication, timeout_ms: int) -> None:
        super().__init__(window)
        self._window = window
        self._application = application
        self._list_painted = False
        self._preview_painted = False
        self._finished = False
        window.items.table.viewport().installEventFilter(self)
        preview = getattr(window.panel, "preview", None)
        painted = getattr(preview, "painted", None)
        if painted is not None:
            painted.connect(self._preview_done)
        else:
            self._preview_painted = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._timed_out)
        self._timer.start(timeout_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._list_painted:
            self._list_painted = True
            QTimer.singleShot(0, self._check)
        return False

    def _preview_done(self, *_args: object) -> None:
        self._preview_painted = True
        QTimer.singleShot(0, self._check)

    def _check(self) -> None:
        if self._finished or not self._list_painted:
            return
        if self._window.items.model.rowCount() == 0 and self._window.items.model.error:
            return
        if self._window.panel.current_item_id() is not None and not self._preview_painted:
            return
        self._finish(0)

    def _timed_out(self) -> None:
        missing = []
        if not self._list_painted:
            missing.append("the item list")
        if self._window.panel.current_item_id() is not None and not self._preview_painted:
            missing.append("the item's preview")
        what = " and ".join(missing) or "the window"
        sys.stderr.write(f"error: {what} did not paint within {READY_TIMEOUT_MS // 1000} s\n")
        self._finish(1)

    def _finish(self, code: int) -> None:
        self._finished = True
        self._timer.stop()
        self._window.close()
        self._application.exit(code)


def _close_on_termination(window: MainWindow) -> QTimer:
    """Ctrl+C or SIGTERM closes the window as its close button does (saving the item).

    Python runs signal handlers only between bytecodes; the timer wakes it regularly
    while Qt's event loop waits.
    """

    def close(_signal: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for name in ("SIGINT", "SIGTERM"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, close)
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(250)
    return heartbeat


def run_gui(args: argparse.Namespace) -> int:
    """Open the main window on ``args.db`` as ``args.user``; the exit code when it closes."""
    application = create_application()
    exit_when_ready = bool(getattr(args, "exit_when_ready", False))
    ctx: ServiceContext | None = None
    try:
        ctx = open_context(getattr(args, "db", None), getattr(args, "user", None))
        window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    except EditorError as error:
        sys.stderr.write(f"error: {error}\n")
        if not exit_when_ready:
            QMessageBox.critical(None, APPLICATION_NAME, str(error))
        if ctx is not None:
            ctx.database.dispose()
        return error.exit_code
    watch = ReadinessWatch(window, application, READY_TIMEOUT_MS) if exit_when_ready else None
    heartbeat = _close_on_termination(window)
    try:
        window.open_initial(getattr(args, "open", None))
    except EditorError as error:
        sys.stderr.write(f"error: {error}\n")
        if exit_when_ready:
            window.close()
            ctx.database.dispose()
            return error.exit_code
        window.show()
        QMessageBox.warning(window, APPLICATION_NAME, str(error))
    window.show()
    code = application.exec()
    del watch, heartbeat
    ctx.database.dispose()
    return int(code)
