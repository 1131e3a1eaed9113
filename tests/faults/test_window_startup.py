"""The window's start-up on a read-only database, and its daily backup."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from csto_editor.paths import resources_dir
from csto_editor.services.pages import PagePreviewer
from csto_editor.ui import main as ui_main
from csto_editor.ui.daily_backup import DailyBackup, start_daily_work
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.settings import Settings
from tests.faults.conftest import As, NewItem, sha256_of
from tests.faults.test_read_only import read_only

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def text_preview(monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain-text preview: these tests are about the start-up, not the page."""
    monkeypatch.setenv("CSTO_EDITOR_NO_WEBENGINE", "1")


def test_a_read_only_database_opens_read_only_and_says_so(
    db: Path, as_user: As, new_item: NewItem, qtbot: QtBot
) -> None:
    new_item("Readable")
    as_user("anna").database.dispose()
    before = sha256_of(db)
    with read_only(db):
        ctx = ui_main.open_checked(argparse.Namespace(db=str(db), user="anna"), interactive=False)
        try:
            assert ctx.database.read_only
            window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
            qtbot.addWidget(window)
            label = ui_main.show_read_only(window, ctx)
            window.show()
            qtbot.waitExposed(window)
            assert window.windowTitle().endswith("read-only")
            assert label.isVisible() and "changes cannot be saved" in label.text()
            assert window.items.model.rowCount() == 1
            window.close()
        finally:
            ctx.database.dispose()
    assert sha256_of(db) == before
    assert not (db.parent / "backups").exists()


def test_the_first_start_of_the_day_backs_up(
    db: Path, as_user: As, new_item: NewItem, qtbot: QtBot
) -> None:
    new_item("Backed up at start")
    ctx = as_user("anna")
    window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(window)
    daily = DailyBackup(ctx, window)
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(), timeout=10_000)
    daily.wait()
    (made,) = (db.parent / "backups").iterdir()
    assert made.name.startswith("editor-") and made.suffix == ".sqlite3"
    window.close()


def test_the_days_check_and_backup_run_off_the_gui_thread_after_the_window_shows(
    db: Path, as_user: As, new_item: NewItem, qtbot: QtBot
) -> None:
    new_item("Checked in the background")
    as_user("anna").database.dispose()
    args = argparse.Namespace(db=str(db), user="anna")
    ctx = ui_main.open_checked(args, interactive=False, check_now=False)
    checks: list[int] = []

    def note_check(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if "quick_check" in statement:
            checks.append(threading.get_ident())

    event.listen(ctx.database.engine, "before_cursor_execute", note_check)
    try:
        assert checks == []  # opening the database did not read the whole file
        window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
        qtbot.addWidget(window)
        daily = start_daily_work(ctx, window)
        assert daily is not None
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(daily.is_done, timeout=10_000)
        daily.wait()
        assert checks and threading.get_ident() not in checks
        assert len(list((db.parent / "backups").iterdir())) == 1
        window.close()
    finally:
        ctx.database.dispose()


def test_the_window_hears_at_once_that_the_days_work_is_over(
    db: Path, as_user: As, qtbot: QtBot
) -> None:
    ctx = as_user("anna")
    window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(window)
    with qtbot.waitSignal(DailyBackup(ctx, window).finished, timeout=10_000):
        daily = window.findChild(DailyBackup)
    assert daily is not None and daily.is_done()
    # Told by the worker, not polled for: a poll's interval held up --exit-when-ready.
    assert daily.findChildren(QTimer) == []
    daily.wait()
    window.close()
