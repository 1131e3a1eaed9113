"""Starting the window: the `gui` command, from arguments to a running application."""

from __future__ import annotations

import argparse
import gc
import signal
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from csto_editor import render_helper
from csto_editor.app import default_login, open_context
from csto_editor.core.errors import EditorError
from csto_editor.paths import default_database, resources_dir
from csto_editor.services import backup
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.startup_clock import mark
from csto_editor.store.database import resolve_target
from csto_editor.store.failures import DatabaseDamaged, newest_backup
from csto_editor.ui.daily_backup import DailyBackup, start_daily_work
from csto_editor.ui.heap import forget_source_lines, limit_malloc_arenas, release_heap_after
from csto_editor.ui.icons import (
    app_icon,
    defer_icon_fonts,
    icon_fonts_loaded,
    load_icon_fonts,
)
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.preview.pane import prepare_web_engine
from csto_editor.ui.settings import Settings
from csto_editor.ui.stall_watch import install_stall_watch
from csto_editor.ui.translations import install_translations

READY_TIMEOUT_MS = 60_000
"""How long --exit-when-ready waits for the window, the list and the preview."""

APPLICATION_NAME = "CSTO Editor"
ORGANIZATION_NAME = "CSTO"


def create_application() -> QApplication:
    """The QApplication with its names and icon (reused if one exists, as in tests).

    Called once the window's modules are imported: the source lines their import left
    behind go first (``forget_source_lines``).
    """
    forget_source_lines()
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        application = existing
    else:
        # QtWebEngine (the preview) shares OpenGL contexts; it must be asked before start.
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        prepare_web_engine()
        limit_malloc_arenas()
        application = QApplication([sys.argv[0] if sys.argv else "csto-editor"])
    application.setApplicationName("csto-editor")
    application.setApplicationDisplayName(APPLICATION_NAME)
    application.setOrganizationName(ORGANIZATION_NAME)
    application.setWindowIcon(app_icon())
    install_stall_watch(application)
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
        self._waiting_for: DailyBackup | None = None
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

    def recheck(self) -> None:
        """Something it waits for may be done now."""
        QTimer.singleShot(0, self._check)

    def _preview_done(self, *_args: object) -> None:
        if not self._preview_painted:
            mark("preview painted")
        self._preview_painted = True
        QTimer.singleShot(0, self._check)

    def wait_for(self, daily: DailyBackup) -> None:
        """Not ready before the day's check of the database has finished."""
        self._waiting_for = daily
        daily.finished.connect(lambda: QTimer.singleShot(0, self._check))

    def fail(self, message: str, code: int) -> None:
        """Stop waiting: print the one-line error and quit with ``code``."""
        if not self._finished:
            sys.stderr.write(f"error: {message}\n")
            self._finish(code)

    def _check(self) -> None:
        if self._finished or not self._list_painted:
            return
        if self._waiting_for is not None and not self._waiting_for.is_done():
            return
        if self._window.items.model.rowCount() == 0 and self._window.items.model.error:
            return
        if self._window.panel.current_item_id() is not None and not self._preview_painted:
            return
        if not icon_fonts_loaded():
            return  # the window is not complete without its icons
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


def freeze_long_lived_objects() -> None:
    """Exclude what start-up made (modules, widgets, the opened item) from the garbage
    collector's full passes.

    Those objects live as long as the window; with them a full collection took some
    70 ms on the GUI thread, now and then while typing. New objects are still collected.
    Turns the collector back on if the start paused it (``csto_editor.entry``).
    """
    gc.freeze()
    gc.enable()


def _freeze_after_start(window: MainWindow) -> None:
    """Freeze once the opened item's preview painted, or a second after the start."""
    frozen = False

    def freeze(*_args: object) -> None:
        nonlocal frozen
        if not frozen:
            frozen = True
            freeze_long_lived_objects()

    painted = getattr(getattr(window.panel, "preview", None), "painted", None)
    if painted is not None:
        painted.connect(freeze)
    QTimer.singleShot(1000, window, freeze)


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


def open_checked(
    args: argparse.Namespace, *, interactive: bool, check_now: bool = True
) -> ServiceContext:
    """Open the database for the window: read-only when it cannot be written, refused
    when SQLite's quick_check finds it damaged. A damaged database with an automatic
    backup offers (when ``interactive``) to restore the newest one, keeping the damaged
    file as a safety copy.

    The check runs on the first start of a day only (with the day's backup, which must
    not copy damage): it reads the whole file, seconds for a big one. With ``check_now``
    false it is left out here: the window runs it in the background (``DailyBackup``).
    """
    location = getattr(args, "db", None)
    login = getattr(args, "user", None)
    database_path = resolve_target(location or default_database()).path
    verify = check_now and (database_path is None or backup.daily_backup_due(database_path))
    try:
        return open_context(location, login, allow_read_only=True, verify=verify)
    except DatabaseDamaged as error:
        path = resolve_target(location or default_database()).path
        newest = newest_backup(path) if path is not None else None
        if not interactive or newest is None:
            raise
        if not _ask_to_restore(str(error), newest):
            raise _Declined(str(error)) from None
        from csto_editor.services import restore

        result = restore.restore(path or "", newest, login or default_login())
        QMessageBox.information(
            None,
            APPLICATION_NAME,
            QCoreApplication.translate(
                "Startup", "The database was restored from %1.\nThe damaged file was kept as %2."
            )
            .replace("%1", str(newest))
            .replace("%2", str(result.safety_copy)),
        )
        return open_context(location, login, allow_read_only=True, verify=True)


class _Declined(DatabaseDamaged):
    """The user saw the damage and chose not to restore: nothing more to show."""


def _ask_to_restore(message: str, newest: Path) -> bool:
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APPLICATION_NAME)
    box.setText(message)
    box.setInformativeText(
        QCoreApplication.translate(
            "Startup",
            "Restore the newest automatic backup (%1) now? Changes made after it was taken "
            "are lost; the damaged file is kept as a safety copy.",
        ).replace("%1", newest.name)
    )
    restore_button = box.addButton(
        QCoreApplication.translate("Startup", "Restore the backup"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(restore_button)
    box.exec()
    return box.clickedButton() is restore_button


def show_read_only(window: MainWindow, ctx: ServiceContext) -> QLabel:
    """Say in the title and the status bar that nothing typed here can be saved."""
    reason = ctx.database.read_only_reason or ""
    window.setWindowTitle(
        QCoreApplication.translate("MainWindow", "%1 — read-only").replace(
            "%1", window.windowTitle()
        )
    )
    label = QLabel(
        QCoreApplication.translate("MainWindow", "Read-only: %1; changes cannot be saved").replace(
            "%1", reason
        )
    )
    label.setObjectName("readOnlyLabel")
    label.setStyleSheet("color: #9a3412; font-weight: 600;")
    label.setToolTip(
        QCoreApplication.translate(
            "MainWindow", "Copy the database somewhere writable, or fix its permissions, to edit."
        )
    )
    window.statusBar().insertPermanentWidget(0, label)
    return label


_PLATFORM_NOISE = ("This plugin does not support",)
"""Warnings of Qt's headless (offscreen) platform about window features it lacks."""


def _quiet_platform_noise(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages to stderr, less the offscreen platform's notes on missing features
    (errors are one line on stderr; these would come first when the window shows)."""
    if kind == QtMsgType.QtWarningMsg and message.startswith(_PLATFORM_NOISE):
        return
    sys.stderr.write(message + "\n")


def run_gui(args: argparse.Namespace) -> int:
    """Open the main window on ``args.db`` as ``args.user``; the exit code when it closes."""
    mark("imports done")
    qInstallMessageHandler(_quiet_platform_noise)
    application = create_application()
    install_translations(application, Settings().interface_language)
    defer_icon_fonts()
    mark("application created")
    exit_when_ready = bool(getattr(args, "exit_when_ready", False))
    ctx: ServiceContext | None = None
    try:
        ctx = open_checked(args, interactive=not exit_when_ready, check_now=False)
        mark("database opened")
        previewer = PagePreviewer(ctx, resources_dir())
        if getattr(args, "open", None) is not None:
            previewer.render_ahead(args.open)  # while Qt builds the window
        window = MainWindow(ctx, Settings(), previewer)
        mark("window built")
        render_helper.discard()  # started for an --open that read nothing
    except EditorError as error:
        sys.stderr.write(f"error: {error}\n")
        if not exit_when_ready and not isinstance(error, _Declined):
            QMessageBox.critical(None, APPLICATION_NAME, str(error))
        if ctx is not None:
            ctx.database.dispose()
        return error.exit_code
    if ctx.database.read_only:
        show_read_only(window, ctx)
    daily = start_daily_work(ctx, window)
    watch = ReadinessWatch(window, application, READY_TIMEOUT_MS) if exit_when_ready else None
    found: list[str] = []
    if daily is not None:
        if watch is not None:
            watch.wait_for(daily)
            daily.damaged.connect(partial(watch.fail, code=DatabaseDamaged.exit_code))
        else:
            daily.damaged.connect(lambda message: _damage_found(window, message, found))
    heartbeat = _close_on_termination(window)
    _freeze_after_start(window)
    try:
        window.open_initial(getattr(args, "open", None))
        mark("item opened")
    except EditorError as error:
        sys.stderr.write(f"error: {error}\n")
        if exit_when_ready:
            window.close()
            if daily is not None:
                daily.wait()
            ctx.database.dispose()
            return error.exit_code
        window.show()
        QMessageBox.warning(window, APPLICATION_NAME, str(error))
    _load_icons_while_chromium_works(window, watch)
    painted = getattr(getattr(window.panel, "preview", None), "painted", None)
    if painted is not None:
        release_heap_after(painted)
    window.show()
    mark("window shown")
    code = application.exec()
    mark("event loop left")
    del watch, heartbeat
    if daily is not None:
        daily.wait()
    ctx.database.dispose()
    if found:
        return _restore_after_damage(args, found[0])
    return int(code)


class _FirstPaint(QObject):
    """Calls ``then`` once, on the next turn of the event loop after ``widget`` painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            mark("window painted")
            QTimer.singleShot(0, self._then)
        return False


def _after_first_paint(window: MainWindow, then: Callable[[], None]) -> None:
    """Work that need not hold up the first paint runs right after it."""
    _FirstPaint(window.items.table.viewport(), then)


ICONS_AT_THE_LATEST_MS = 1500
"""After the first paint, the icons' fonts load by then even if no preview page came."""


def _load_icons_while_chromium_works(window: MainWindow, watch: ReadinessWatch | None) -> None:
    """Load the icons' fonts (0.3–0.5 s of Python) once the opened item's page has gone to
    QtWebEngine, which then loads it in its own process while this thread is free; with
    no item open, right after the first paint. The window paints first without them."""
    done = False

    def load() -> None:
        nonlocal done
        if done:
            return
        done = True
        load_icon_fonts()
        mark("icons loaded")
        if watch is not None:
            watch.recheck()

    page_sent = getattr(getattr(window.panel, "preview", None), "page_sent", None)
    if window.panel.current_item_id() is not None and page_sent is not None:
        page_sent.connect(load)
        _after_first_paint(window, lambda: QTimer.singleShot(ICONS_AT_THE_LATEST_MS, load))
    else:
        _after_first_paint(window, load)


def _damage_found(window: MainWindow, message: str, found: list[str]) -> None:
    """The background check found damage: close the window (saving nothing more into
    the damaged file than the user already typed) and offer the way out."""
    found.append(message)
    window.close()
    QCoreApplication.exit(DatabaseDamaged.exit_code)


def _restore_after_damage(args: argparse.Namespace, message: str) -> int:
    """Offer to restore the newest backup; open the window again on the restored file."""
    location = getattr(args, "db", None)
    path = resolve_target(location or default_database()).path
    newest = newest_backup(path) if path is not None else None
    if newest is None or path is None:
        sys.stderr.write(f"error: {message}\n")
        QMessageBox.critical(None, APPLICATION_NAME, message)
        return DatabaseDamaged.exit_code
    if not _ask_to_restore(message, newest):
        sys.stderr.write(f"error: {message}\n")
        return DatabaseDamaged.exit_code
    login = getattr(args, "user", None)
    from csto_editor.services import restore

    result = restore.restore(str(path), newest, login or default_login())
    QMessageBox.information(
        None,
        APPLICATION_NAME,
        QCoreApplication.translate(
            "Startup", "The database was restored from %1.\nThe damaged file was kept as %2."
        )
        .replace("%1", str(newest))
        .replace("%2", str(result.safety_copy)),
    )
    return run_gui(args)
