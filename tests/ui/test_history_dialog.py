"""The history dialog: revisions with their reviews, a diff of any two, restore."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.diff import Change
from csto_editor.services import editing, queries, review
from csto_editor.services.context import ServiceContext
from csto_editor.ui.history_dialog import REVISION_ROLE, WORKING_COPY, HistoryDialog

As = Callable[[str], ServiceContext]


@pytest.fixture
def item_id(context_for: As) -> int:
    """Two revisions: Minsk, then Bishkek (with a new place); then submitted and approved."""
    author = context_for("ivanova")
    content = ItemContent(
        ContentType.NEWS,
        Language.EN,
        "Meeting of the Council",
        body="The ministers met in Minsk.\n\nThey adopted a statement.",
        place="Minsk",
    )
    item = editing.create_item(author, editing.NewItem("news", content))
    editing.edit_item(
        author,
        item.id,
        {"body": "The ministers met in Bishkek.\n\nThey adopted a statement.", "place": "Bishkek"},
    )
    review.submit(author, [item.id])
    review.approve(context_for("petrov"), [item.id], "Checked against the source.")
    return item.id


@pytest.fixture
def dialog(qtbot: QtBot, context_for: As, item_id: int) -> HistoryDialog:
    widget = HistoryDialog(context_for("ivanova"), item_id)
    qtbot.addWidget(widget)
    return widget


def top_rows(dialog: HistoryDialog) -> list[QTreeWidgetItem]:
    tree = dialog.revisions
    return [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]


def select(dialog: HistoryDialog, *numbers: str) -> None:
    dialog.revisions.clearSelection()
    for row in top_rows(dialog):
        if row.text(0) in numbers:
            row.setSelected(True)


def test_lists_revisions_newest_first_with_their_reviews(dialog: HistoryDialog) -> None:
    rows = top_rows(dialog)
    assert [row.text(0) for row in rows] == ["2", "1"]
    newest = rows[0]
    assert newest.text(2) == "ivanova"
    assert newest.text(3) == "Edited"
    assert len(newest.text(4)) == 12
    assert "approved" in newest.text(5) and "current" in newest.text(5)
    assert newest.childCount() == 1
    approval = newest.child(0)
    assert (approval.text(2), approval.text(3)) == ("petrov", "Approved")
    assert approval.text(5) == "Checked against the source."
    assert rows[1].text(3) == "Created"


def test_two_revisions_show_the_changed_word(dialog: HistoryDialog) -> None:
    select(dialog, "1", "2")
    changed = [row for row in dialog.body_rows() if row.kind is Change.REPLACE]
    assert len(changed) == 1
    assert [s.text for s in changed[0].old if s.changed] == ["Minsk"]
    assert [s.text for s in changed[0].new if s.changed] == ["Bishkek"]
    meta = [row for row in dialog.metadata_rows() if row.kind is Change.REPLACE]
    assert [row.new_text for row in meta] == ["Place: Bishkek"]
    shown = dialog.diff_view.toPlainText()
    assert "Minsk" in shown and "Bishkek" in shown
    assert "revision 1" in shown and "revision 2" in shown


def test_one_revision_is_compared_with_the_one_before(dialog: HistoryDialog) -> None:
    select(dialog, "1")
    assert all(row.old_number is None for row in dialog.body_rows())
    select(dialog, "2")
    assert any(row.kind is Change.REPLACE for row in dialog.body_rows())


def test_a_review_row_stands_for_its_revision(dialog: HistoryDialog) -> None:
    dialog.revisions.clearSelection()
    top_rows(dialog)[0].child(0).setSelected(True)
    assert dialog.selected_ids() == [top_rows(dialog)[0].data(0, REVISION_ROLE)]
    assert dialog.restore_button.isEnabled()


def test_an_autosaved_working_copy_is_listed(qtbot: QtBot, context_for: As, item_id: int) -> None:
    author = context_for("ivanova")
    version = queries.working_copy(author, item_id)[2]
    editing.autosave(
        author, item_id, {"body": "Typed, not yet a revision."}, expected_version=version
    )
    dialog = HistoryDialog(author, item_id)
    qtbot.addWidget(dialog)
    first = top_rows(dialog)[0]
    assert first.data(0, REVISION_ROLE) == WORKING_COPY
    assert first.isSelected()
    assert not dialog.restore_button.isEnabled()
    assert any("Typed, not yet a revision." in row.new_text for row in dialog.body_rows())


def test_restore_makes_a_new_draft_revision(
    monkeypatch: pytest.MonkeyPatch, dialog: HistoryDialog, context_for: As, item_id: int
) -> None:
    questions: list[str] = []

    def yes(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        questions.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    restored: list[object] = []
    dialog.restored.connect(restored.append)
    select(dialog, "1")
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    assert questions and "revision 1" in questions[0]
    ctx = context_for("ivanova")
    history = queries.history(ctx, item_id)
    assert [(r.number, r.reason) for r in history.revisions][-1] == (3, "restore")
    detail = queries.get_item(ctx, item_id)
    assert detail.summary.status == "draft"
    assert detail.body.startswith("The ministers met in Minsk.")
    assert detail.place == "Minsk"
    assert detail.summary.approved_revision == history.revisions[1].id  # still publishable
    assert len(restored) == 1
    assert [row.text(0) for row in top_rows(dialog)] == ["3", "2", "1"]


def test_declining_the_restore_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, dialog: HistoryDialog, context_for: As, item_id: int
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Cancel)
    before = queries.history(context_for("ivanova"), item_id)
    select(dialog, "1")
    dialog.restore_selected()
    after = queries.history(context_for("ivanova"), item_id)
    assert after.revisions == before.revisions
    assert after.item.status == "approved"
