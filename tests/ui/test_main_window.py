"""The main window on the demo database: opening, new items, roles, and settings kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from csto_editor.paths import resources_dir
from csto_editor.services import queries, sections
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.queries import ItemFilter
from csto_editor.ui.item_table_model import COLUMNS
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.section_tree_model import SectionTreeModel
from csto_editor.ui.settings import Settings, settings_path

Contexts = Callable[[str], ServiceContext]
Windows = Callable[..., MainWindow]


@pytest.fixture
def open_window(context_for: Contexts, qtbot: QtBot) -> Iterator[Windows]:
    """Build, show and (at the end) close main windows on the demo copy, by login."""

    def make(login: str = "ivanova", settings: Settings | None = None) -> MainWindow:
        ctx = context_for(login)
        window = MainWindow(ctx, settings or Settings(), PagePreviewer(ctx, resources_dir()))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(_parent: object, _title: str, text: str, *_args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    return shown


def first_with_status(ctx: ServiceContext, status: str) -> int:
    return queries.item_ids(ctx, ItemFilter(status=status))[0]


def title_cell(window: MainWindow, item_id: int) -> str:
    row = window.items.model.row_of(item_id)
    assert row is not None
    return str(window.items.model.index(row, COLUMNS.index("title")).data())


def tree_count(window: MainWindow, slug: str) -> int:
    model = window.sections.tree_model
    index = model.index_of(slug)
    text = model.index(index.row(), SectionTreeModel.COUNT_COLUMN, index.parent()).data()
    return int(str(text).replace("\u202f", ""))


def test_the_window_shows_sections_items_and_who_is_working(
    open_window: Windows, context_for: Contexts
) -> None:
    window = open_window("ivanova")
    ctx = context_for("ivanova")
    assert window.items.model.rowCount() == len(queries.item_ids(ctx))
    assert window.sections.tree_model.slugs()[:2] == ["news", "statements"]
    assert "Anna Ivanova" in window.user_label.text()
    assert "author" in window.user_label.text()
    assert window.panel.current_item_id() is None
    assert "demo.sqlite3" in window.windowTitle()


def test_standard_shortcuts_and_export_by_role(open_window: Windows) -> None:
    actions = open_window("ivanova").actions_by_name
    expected = {
        "new_item": QKeySequence(QKeySequence.StandardKey.New),
        "save": QKeySequence(QKeySequence.StandardKey.Save),
        "undo": QKeySequence(QKeySequence.StandardKey.Undo),
        "redo": QKeySequence(QKeySequence.StandardKey.Redo),
        "bold": QKeySequence("Ctrl+B"),
        "italic": QKeySequence("Ctrl+I"),
        "heading": QKeySequence("Ctrl+Alt+2"),
        "link": QKeySequence("Ctrl+K"),
        "find": QKeySequence("Ctrl+F"),
        "replace": QKeySequence("Ctrl+H"),
    }
    for name, keys in expected.items():
        assert actions[name].shortcut() == keys, name
        assert not actions[name].icon().isNull(), name
    assert not actions["export"].isEnabled()
    exporter = open_window("nurlanov")
    assert exporter.actions_by_name["export"].isEnabled()
    dialog = exporter.show_export_dialog()
    assert dialog.isVisible() and dialog.sections_model.rowCount() == 6
    dialog.close()


def test_selecting_an_item_opens_it_and_enables_actions_by_role(
    open_window: Windows, context_for: Contexts, qtbot: QtBot
) -> None:
    author = open_window("ivanova")
    actions = author.actions_by_name
    assert actions["new_item"].isEnabled()
    assert not actions["submit"].isEnabled() and not actions["bold"].isEnabled()

    draft = first_with_status(context_for("ivanova"), "draft")
    author.items.table.setCurrentIndex(
        author.items.model.index(author.items.model.row_of(draft), 0)
    )  # type: ignore[arg-type]
    assert author.panel.current_item_id() == draft
    assert actions["submit"].isEnabled() and actions["bold"].isEnabled()
    assert not actions["approve"].isEnabled()

    in_review = first_with_status(context_for("ivanova"), "in_review")
    assert author.open_item(in_review)
    assert not actions["submit"].isEnabled()
    assert not actions["approve"].isEnabled() and not actions["request_changes"].isEnabled()

    reviewer = open_window("petrov")
    actions = reviewer.actions_by_name
    assert not actions["new_item"].isEnabled()
    assert not reviewer.items.awaiting.isHidden()
    assert reviewer.open_item(in_review)
    assert actions["approve"].isEnabled() and actions["request_changes"].isEnabled()
    assert not actions["submit"].isEnabled() and not actions["bold"].isEnabled()
    assert actions["history"].isEnabled()


def test_a_new_item_appears_in_the_list_and_the_tree_counts_it(
    open_window: Windows, context_for: Contexts, qtbot: QtBot
) -> None:
    window = open_window("ivanova")
    window.sections.select_section("news")
    before = tree_count(window, "news")
    listed = window.items.model.rowCount()

    item_id = window.new_item()
    assert item_id is not None and window.panel.current_item_id() == item_id
    assert window.items.model.rowCount() == listed + 1
    assert window.items.current_item_id() == item_id
    assert tree_count(window, "news") == before + 1

    title = window.panel.form.title
    title.selectAll()
    qtbot.keyClicks(title, "Seminar in Minsk")
    qtbot.keyClicks(window.panel.editor, "The seminar opened.")
    qtbot.waitUntil(lambda: title_cell(window, item_id) == "Seminar in Minsk", timeout=5000)
    qtbot.waitUntil(lambda: "words" in window.counts_label.text(), timeout=2000)
    assert window.saved_label.text()
    stored = queries.get_item(context_for("ivanova"), item_id)
    assert stored.summary.title == "Seminar in Minsk"
    assert window.actions_by_name["submit"].isEnabled()


def test_a_refused_open_shows_the_reason(open_window: Windows, warnings: list[str]) -> None:
    window = open_window("ivanova")
    assert not window.open_item(999_999)
    assert warnings and "999999" in warnings[0]
    assert window.panel.current_item_id() is None


def test_section_names_switch_between_english_and_russian(open_window: Windows) -> None:
    window = open_window("ivanova")
    model = window.sections.tree_model
    assert model.index_of("news").data() == "News"
    window.findChild(type(window.language_group.actions()[0]), "action_language_ru").trigger()
    assert model.index_of("news").data() == "Новости"
    assert window._settings.ui_language == "ru"


def test_settings_round_trip_through_the_config_folder(
    open_window: Windows, context_for: Contexts, tmp_path: Path, qtbot: QtBot
) -> None:
    path = settings_path()
    assert tmp_path in path.parents

    window = open_window("ivanova", Settings())
    window.resize(780, 720)  # within the offscreen platform's 800×800 screen
    qtbot.wait(10)
    window.splitter.setSizes([150, 250, 380])
    window.set_ui_language("ru")
    window.sections.select_section("statements")
    item_id = window.items.model.item_id(0)
    assert window.open_item(item_id)
    assert Settings().last_item_id == item_id  # on disk before any close: survives a kill
    window.items.lang_box.setCurrentIndex(window.items.lang_box.findData("en"))
    sizes = window.splitter.sizes()
    window.close()
    assert path.exists()

    stored = Settings()
    assert stored.ui_language == "ru"
    assert stored.last_item_id == item_id
    assert stored.last_section == "statements"
    assert stored.filter_lang == "en"
    assert stored.main_splitter == sizes
    assert stored.window_geometry

    again = open_window("ivanova", stored)
    assert again.sections.current_section() == "statements"
    assert again.sections.tree_model.index_of("news").data() == "Новости"
    assert again.items.model.filters() == ItemFilter(section="statements", lang="en")
    assert again.open_initial(None)
    assert again.panel.current_item_id() == item_id
    assert again.splitter.sizes() == sizes
    assert (again.width(), again.height()) == (780, 720)


def test_the_settings_fall_back_to_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "odd.ini"
    path.write_text("[ui]\nlanguage=fr\n[session]\nlast_item=abc\n[window]\nmain_splitter=x\n")
    settings = Settings(path)
    assert settings.ui_language == "en"
    assert settings.last_item_id == 0
    assert settings.main_splitter == Settings.main_splitter.default
    assert settings.sort_descending is True


def test_an_item_asked_for_is_opened_even_outside_the_current_filters(
    open_window: Windows, context_for: Contexts, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings()
    settings.last_section = "interviews"
    window = open_window("ivanova", settings)
    outside = queries.item_ids(context_for("ivanova"), ItemFilter(section="statements"))[0]
    assert window.open_initial(outside)
    assert window.panel.current_item_id() == outside
    assert window.sections.current_section() is None
    assert window.items.current_item_id() == outside


def test_a_section_change_refreshes_the_list(open_window: Windows, context_for: Contexts) -> None:
    window = open_window("admin")
    with_items = window.items.model.rowCount()
    window.sections.select_section("interviews")
    expected = queries.item_ids(context_for("admin"), ItemFilter(section="interviews"))
    assert [window.items.model.item_id(r) for r in range(window.items.model.rowCount())] == expected
    sections.add_section(context_for("admin"), "briefings", "Briefings", "Брифинги")
    window.refresh_all()
    assert "briefings" in window.sections.tree_model.slugs()
    window.sections.select_section(None)
    assert window.items.model.rowCount() == with_items
    assert window.sections.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "All sections"


def test_type_close_and_reopen_where_it_was(
    open_window: Windows, context_for: Contexts, qtbot: QtBot, tmp_path: Path
) -> None:
    """The acceptance path: new item, type, the preview follows, autosave, close, reopen."""
    settings_file = tmp_path / "window.ini"
    window = open_window("ivanova", Settings(settings_file))
    window.sections.select_section("statements")
    item_id = window.new_item()
    assert item_id is not None
    qtbot.keyClicks(window.panel.editor, "We, the Ministers of Foreign Affairs, met in Minsk.")
    preview = window.panel.preview
    qtbot.waitUntil(lambda: preview.wait_until_idle(100), timeout=10_000)
    pages: list[str] = []
    view = preview.view
    if hasattr(view, "page"):
        view.page().toHtml(pages.append)
        qtbot.waitUntil(lambda: bool(pages), timeout=5000)
    else:
        pages.append(view.toHtml())
    assert "met in Minsk" in pages[0]
    qtbot.waitUntil(
        lambda: "met in Minsk" in queries.get_item(context_for("ivanova"), item_id).body,
        timeout=3000,
    )
    window.close()
    again = open_window("ivanova", Settings(settings_file))
    assert again.open_initial(None)
    assert again.panel.current_item_id() == item_id
    assert again.panel.editor.markdown() == "We, the Ministers of Foreign Affairs, met in Minsk."


def test_a_read_only_database_opens_for_reading_only(
    demo_db: Path, qtbot: QtBot, tmp_path: Path
) -> None:
    from csto_editor.store.database import open_database

    demo_db.chmod(0o444)
    database = open_database(demo_db, allow_read_only=True)
    try:
        assert database.read_only
        ctx = ServiceContext(database, "ivanova")
        window = MainWindow(ctx, Settings(tmp_path / "ro.ini"), PagePreviewer(ctx, resources_dir()))
        qtbot.addWidget(window)
        window.show()
        item_id = first_with_status(ctx, "draft")
        assert window.open_item(item_id)
        actions = window.actions_by_name
        for name in ("new_item", "save", "submit", "approve", "export"):
            assert not actions[name].isEnabled(), name
        assert window.panel.editor.isReadOnly()
        window.close()
    finally:
        database.dispose()
        demo_db.chmod(0o644)
