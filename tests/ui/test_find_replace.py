"""The find and replace bar driven with real keys over a real editor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from csto_editor.ui.editor import FindReplaceBar, MarkdownEditor

TEXT = "Москва и МОСКВА.\nМосквич из Москвы.\nmoscow Moscow"


class Pane(QWidget):
    """An editor with its find bar, as the window lays them out."""

    def __init__(self) -> None:
        super().__init__()
        self.editor = MarkdownEditor(self)
        self.bar = FindReplaceBar(self.editor, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.bar)


@pytest.fixture
def pane(qtbot: QtBot) -> Pane:
    widget = Pane()
    qtbot.addWidget(widget)
    widget.resize(700, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.editor.set_markdown(TEXT)
    widget.editor.setFocus()
    return widget


def selection(pane: Pane) -> tuple[int, int]:
    cursor = pane.editor.textCursor()
    return cursor.selectionStart(), cursor.selectionEnd()


def count_label(pane: Pane) -> str:
    return pane.bar._count.text()


def test_the_bar_starts_hidden_and_shows_with_the_selection(qtbot: QtBot, pane: Pane) -> None:
    assert not pane.bar.isVisible()
    cursor = pane.editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len("Москва"), QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)
    pane.bar.show_find()
    assert pane.bar.isVisible()
    assert pane.bar._find.text() == "Москва"
    assert pane.bar._find.hasFocus()
    assert not pane.bar._replace.isVisible()
    assert pane.bar.match_count() == 2  # case-insensitive by default: Москва, МОСКВА
    assert count_label(pane) == "1 of 2"


def test_typing_searches_and_enter_walks_the_matches(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    qtbot.keyClicks(pane.bar._find, "moscow")
    assert selection(pane) == (len("Москва и МОСКВА.\nМосквич из Москвы.\n"),) * 1 + (
        len("Москва и МОСКВА.\nМосквич из Москвы.\nmoscow"),
    )
    assert count_label(pane) == "1 of 2"
    qtbot.keyClick(pane.bar._find, Qt.Key.Key_Return)
    assert count_label(pane) == "2 of 2"
    qtbot.keyClick(pane.bar._find, Qt.Key.Key_Return)  # wraps around
    assert count_label(pane) == "1 of 2"
    qtbot.keyClick(pane.bar._find, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert count_label(pane) == "2 of 2"


def test_f3_and_shift_f3_in_the_editor(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("москв")
    pane.editor.setFocus()
    starts = []
    for _ in range(3):
        qtbot.keyClick(pane.editor, Qt.Key.Key_F3)
        starts.append(selection(pane)[0])
    assert starts == [TEXT.index("МОСКВА"), TEXT.index("Москвич"), TEXT.index("Москвы")]
    qtbot.keyClick(pane.editor, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert selection(pane)[0] == TEXT.index("Москвич")
    assert pane.editor.markdown() == TEXT  # F3 typed nothing


def test_match_case_and_whole_words(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("Москв")
    assert pane.bar.match_count() == 4
    qtbot.mouseClick(pane.bar._case, Qt.MouseButton.LeftButton)
    assert pane.bar.match_count() == 3  # Москва, Москвич, Москвы — not МОСКВА
    pane.bar._find.setText("москва")
    assert pane.bar.match_count() == 0
    assert count_label(pane) == "No matches"
    qtbot.mouseClick(pane.bar._case, Qt.MouseButton.LeftButton)
    assert pane.bar.match_count() == 2
    pane.bar._find.setText("Москв")
    qtbot.mouseClick(pane.bar._words, Qt.MouseButton.LeftButton)
    assert pane.bar.match_count() == 0


def test_find_next_with_nothing_found(pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("Минск")
    assert not pane.bar.find_next()
    assert count_label(pane) == "No matches"


def test_escape_hides_the_bar_and_returns_to_the_editor(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("Москва")
    qtbot.keyClick(pane.bar._find, Qt.Key.Key_Escape)
    assert not pane.bar.isVisible()
    assert pane.editor.hasFocus()
    assert len(pane.editor.extraSelections()) == 1  # only the current line again


def test_escape_in_the_editor_hides_the_bar(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    pane.editor.setFocus()
    qtbot.keyClick(pane.editor, Qt.Key.Key_Escape)
    assert not pane.bar.isVisible()


def test_matches_are_highlighted_in_the_editor(pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("москв")
    assert len(pane.editor.extraSelections()) == 1 + 4


def test_replace_one_by_one_with_enter(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_replace()
    assert pane.bar._replace.isVisible()
    pane.bar._find.setText("Москв")
    qtbot.mouseClick(pane.bar._case, Qt.MouseButton.LeftButton)
    pane.bar._replace.setFocus()
    qtbot.keyClicks(pane.bar._replace, "Minsk")
    qtbot.keyClick(pane.bar._replace, Qt.Key.Key_Return)
    assert pane.editor.markdown() == TEXT.replace("Москв", "Minsk", 1)
    assert pane.editor.textCursor().selectedText() == "Москв"  # the next one
    qtbot.mouseClick(pane.bar._replace_one, Qt.MouseButton.LeftButton)
    assert pane.editor.markdown() == TEXT.replace("Москв", "Minsk", 2)


def test_replace_all_is_one_undo_step(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_replace()
    pane.bar._find.setText("москв")
    pane.bar._replace.setText("Москв-москв")  # contains the needle: must not loop
    qtbot.mouseClick(pane.bar._replace_all, Qt.MouseButton.LeftButton)
    assert pane.editor.markdown() == (
        "Москв-москва и Москв-москвА.\nМоскв-москвич из Москв-москвы.\nmoscow Moscow"
    )
    assert count_label(pane) == "4 replaced"
    pane.editor.undo()
    assert pane.editor.markdown() == TEXT
    assert not pane.editor.document().isUndoAvailable()


def test_count_follows_edits_in_the_editor(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("moscow")
    assert pane.bar.match_count() == 2
    cursor = pane.editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    pane.editor.setTextCursor(cursor)
    qtbot.keyClicks(pane.editor, " moscow")
    qtbot.waitUntil(lambda: pane.bar.match_count() == 3)


def test_loading_another_text_recounts(qtbot: QtBot, pane: Pane) -> None:
    pane.bar.show_find()
    pane.bar._find.setText("moscow")
    pane.editor.set_markdown("Moscow, moscow, MOSCOW")
    qtbot.waitUntil(lambda: pane.bar.match_count() == 3)


def test_a_read_only_editor_can_be_searched_but_not_changed(qtbot: QtBot, pane: Pane) -> None:
    pane.editor.setReadOnly(True)
    pane.bar.show_replace()
    assert not pane.bar._replace.isVisible()
    pane.bar._find.setText("moscow")
    pane.bar._replace.setText("x")
    assert pane.bar.find_next()
    assert not pane.bar.replace_next()
    assert pane.bar.replace_all() == 0
    assert pane.editor.markdown() == TEXT
