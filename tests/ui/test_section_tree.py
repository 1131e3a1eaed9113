"""The section tree: names by language, counts, drag-and-drop moves, and refusals shown."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from csto_editor.services import sections
from csto_editor.services.context import ServiceContext
from csto_editor.ui.section_tree import SectionDialog, SectionTreeView
from csto_editor.ui.section_tree_model import SECTION_MIME_TYPE, SectionTreeModel, SlugRole

Contexts = Callable[[str], ServiceContext]


def rows(model: SectionTreeModel, parent: QModelIndex | None = None) -> list[str | None]:
    parent = parent or QModelIndex()
    return [model.index(r, 0, parent).data(SlugRole) for r in range(model.rowCount(parent))]


def name_of(model: SectionTreeModel, slug: str) -> str:
    return str(model.index_of(slug).data(Qt.ItemDataRole.DisplayRole))


def count_of(model: SectionTreeModel, slug: str | None) -> int:
    index = model.index_of(slug)
    text = model.index(index.row(), SectionTreeModel.COUNT_COLUMN, index.parent()).data()
    return int(str(text).replace("\u202f", ""))


def test_the_tree_shows_names_by_language_and_counts(qtbot: QtBot, context_for: Contexts) -> None:
    model = SectionTreeModel(context_for("ivanova"), "en")
    assert rows(model) == [None]
    top = rows(model, model.all_sections_index())
    assert top == ["news", "statements", "statutory-bodies", "secretary-general"]
    assert rows(model, model.index_of("secretary-general")) == ["speeches", "interviews"]
    assert name_of(model, "news") == "News"
    assert model.index_of("speeches").parent() == model.index_of("secretary-general")

    views = {view.slug: view for view in sections.list_sections(context_for("ivanova"))}
    assert count_of(model, "news") == views["news"].item_count > 0
    below = views["speeches"].item_count + views["interviews"].item_count
    assert count_of(model, "secretary-general") == views["secretary-general"].item_count + below
    assert count_of(model, None) == sum(view.item_count for view in views.values())

    with qtbot.waitSignal(model.dataChanged):
        model.set_language("ru")
    assert name_of(model, "news") == "Новости"
    assert name_of(model, "speeches") == "Выступления"


def drop(model: SectionTreeModel, slug: str, parent: QModelIndex, row: int = -1) -> bool:
    data = model.mimeData([model.index_of(slug)])
    assert data.hasFormat(SECTION_MIME_TYPE)
    return model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)


def test_dragging_a_section_moves_it_through_the_service(
    qtbot: QtBot, context_for: Contexts
) -> None:
    model = SectionTreeModel(context_for("admin"), "en")
    with qtbot.waitSignal(model.section_moved, timeout=2000):
        assert drop(model, "interviews", model.index_of("news"))
    assert rows(model, model.index_of("news")) == ["interviews"]
    assert sections.list_sections(context_for("admin"))[1].slug == "interviews"

    # Between rows: to the top of the tree, before "statements".
    with qtbot.waitSignal(model.section_moved, timeout=2000):
        assert drop(model, "interviews", model.all_sections_index(), row=1)
    assert rows(model, model.all_sections_index())[:3] == ["news", "interviews", "statements"]

    # Down among its own siblings: dropped before "secretary-general" (row 4 of 5).
    with qtbot.waitSignal(model.section_moved, timeout=2000):
        assert drop(model, "news", model.all_sections_index(), row=4)
    assert rows(model, model.all_sections_index()) == [
        "interviews",
        "statements",
        "statutory-bodies",
        "news",
        "secretary-general",
    ]


def test_a_section_cannot_be_dropped_into_itself(context_for: Contexts) -> None:
    model = SectionTreeModel(context_for("admin"), "en")
    data = model.mimeData([model.index_of("secretary-general")])
    target = model.index_of("speeches")
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)


def test_a_refused_move_reports_the_reason(qtbot: QtBot, context_for: Contexts) -> None:
    model = SectionTreeModel(context_for("ivanova"), "en")
    with qtbot.waitSignal(model.move_refused) as refusal:
        assert not drop(model, "interviews", model.index_of("news"))
    assert "admin" in refusal.args[0]
    assert rows(model, model.index_of("news")) == []


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(_parent: object, _title: str, text: str, *_args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    return shown


def answer_dialog(monkeypatch: pytest.MonkeyPatch, **fields: str) -> None:
    """The next section dialog is filled with ``fields`` and accepted; any later one cancelled."""
    answers = iter([True])

    def ask(_view: SectionTreeView, dialog: SectionDialog) -> bool:
        if not next(answers, False):
            return False
        for name, value in fields.items():
            getattr(dialog, name).setText(value)
        return True

    monkeypatch.setattr(SectionTreeView, "_ask", ask)


def test_new_rename_and_delete_from_the_view(
    qtbot: QtBot, context_for: Contexts, warnings: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    view = SectionTreeView(context_for("admin"), can_edit=True)
    qtbot.addWidget(view)
    changed: list[bool] = []
    view.sections_changed.connect(lambda: changed.append(True))

    answer_dialog(monkeypatch, slug="briefings", name_en="Briefings", name_ru="Брифинги")
    with qtbot.waitSignal(view.section_selected) as selected:
        assert view.new_section("news") == "briefings"
    assert selected.args == ["briefings"]
    assert rows(view.tree_model, view.tree_model.index_of("news")) == ["briefings"]

    answer_dialog(monkeypatch, name_en="Press briefings", name_ru="Пресс-брифинги")
    assert view.rename_section("briefings")
    assert name_of(view.tree_model, "briefings") == "Press briefings"

    with qtbot.waitSignal(view.section_selected) as selected:
        assert view.delete_section("briefings")
    assert selected.args == ["news"]
    assert view.tree_model.section("briefings") is None
    assert changed == [True, True, True]
    assert warnings == []


def test_deleting_a_section_with_items_is_refused_with_the_reason(
    qtbot: QtBot, context_for: Contexts, warnings: list[str]
) -> None:
    view = SectionTreeView(context_for("admin"), can_edit=True)
    qtbot.addWidget(view)
    assert not view.delete_section("news")
    assert len(warnings) == 1 and "still holds" in warnings[0]
    assert view.tree_model.section("news") is not None


def test_choosing_a_row_announces_the_section(qtbot: QtBot, context_for: Contexts) -> None:
    view = SectionTreeView(context_for("ivanova"))
    qtbot.addWidget(view)
    assert view.current_section() is None
    with qtbot.waitSignal(view.section_selected) as selected:
        view.setCurrentIndex(view.tree_model.index_of("speeches"))
    assert selected.args == ["speeches"]
    with qtbot.waitSignal(view.section_selected) as selected:
        view.setCurrentIndex(view.tree_model.all_sections_index())
    assert selected.args == [None]
    # A refresh keeps the choice and says nothing.
    view.select_section("interviews")
    with qtbot.assertNotEmitted(view.section_selected):
        view.refresh()
    assert view.current_section() == "interviews"
    assert view.currentIndex().data(SlugRole) == "interviews"
