"""File ▸ Import… and files dropped on the item list, in a real window on a real database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from csto_editor.paths import resources_dir
from csto_editor.services import queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.ui.import_action import IMPORT_SHORTCUT
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.settings import Settings
from tests.import_samples import NEWS_PAGE, TITLE, word_press_release

Contexts = Callable[[str], ServiceContext]


@pytest.fixture
def window(context_for: Contexts, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    ctx = context_for("ivanova")
    main = MainWindow(ctx, Settings(tmp_path / "ui.ini"), PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.sections.select_section("news")
    yield main
    main.importer.wait()


def wait_for_import(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not window.importer.is_running(), timeout=30_000)


def test_the_action_sits_in_the_file_menu(window: MainWindow) -> None:
    file_menu = window.menuBar().actions()[0].menu()
    assert window.importer.action in file_menu.actions()
    assert window.importer.action.shortcut().toString() == IMPORT_SHORTCUT
    italic = window.actions_by_name["italic"].shortcut()
    assert window.importer.action.shortcut() != italic


def test_import_runs_off_the_gui_thread_and_opens_the_first_item(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, context_for: Contexts
) -> None:
    word = word_press_release(tmp_path / "заявление.docx")
    page = tmp_path / "page.html"
    page.write_text(NEWS_PAGE.replace(TITLE, "Итоги заседания"), encoding="utf-8")
    with qtbot.waitSignal(window.importer.imported, timeout=30_000) as imported:
        window.importer.start([word, page])
        assert window.importer.is_running()
    first, second = imported.args[0]
    wait_for_import(window, qtbot)
    assert window.panel.current_item_id() == first
    assert window.items.current_item_id() == first
    summaries = queries.item_summaries(context_for("ivanova"), [first, second])
    assert summaries[first].title == TITLE and summaries[first].section == "news"
    assert summaries[second].title == "Итоги заседания"


def test_a_refused_import_names_the_file_in_one_dialog(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, context_for: Contexts
) -> None:
    ctx = context_for("ivanova")
    before = len(queries.item_ids(ctx))
    broken = tmp_path / "broken.docx"
    broken.write_text("not a Word file", encoding="utf-8")
    good = word_press_release(tmp_path / "good.docx")
    window.importer.start([good, broken])
    wait_for_import(window, qtbot)
    boxes = [w for w in QApplication.topLevelWidgets() if w.objectName() == "importErrorBox"]
    assert len(boxes) == 1 and isinstance(boxes[0], QMessageBox)
    details = boxes[0].informativeText()
    assert f"{broken}: not a Word .docx file" in details and str(good) not in details
    boxes[0].close()
    assert len(queries.item_ids(ctx)) == before


def test_files_dropped_on_the_item_list_are_imported(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    page = tmp_path / "page.htm"
    page.write_text(NEWS_PAGE, encoding="utf-8")
    ignored = tmp_path / "photo.png"
    ignored.write_bytes(b"\x89PNG")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(page)), QUrl.fromLocalFile(str(ignored))])
    viewport = window.items.table.viewport()
    where = QPointF(viewport.rect().center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), Qt.DropAction.CopyAction, data, buttons, keys)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.importer.imported, timeout=30_000) as imported:
        drop = QDropEvent(where, Qt.DropAction.CopyAction, data, buttons, keys)
        QApplication.sendEvent(viewport, drop)
    wait_for_import(window, qtbot)
    [item_id] = imported.args[0]
    assert window.panel.current_item_id() == item_id


def test_a_reviewer_cannot_import(context_for: Contexts, qtbot: QtBot, tmp_path: Path) -> None:
    ctx = context_for("petrov")
    main = MainWindow(ctx, Settings(tmp_path / "ui.ini"), PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(main)
    assert not main.importer.action.isEnabled()
