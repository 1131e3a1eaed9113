"""Colouring a long item never holds the GUI thread for long, and typing does not redo it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QSyntaxHighlighter, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from csto_editor.ui.editor import MarkdownEditor
from csto_editor.ui.editor.highlighter import (
    LATER_SLICE_LINES,
    LONG_TEXT_CHARS,
    MarkdownHighlighter,
    lines_a_screen_holds,
)

LINES = 900


def long_editor(qtbot: QtBot) -> tuple[MarkdownEditor, MarkdownHighlighter, list[str]]:
    """An editor on a long text still coloured in idle time, and the lines it colours."""
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    text = "\n".join(f"**{n}** строка текста, довольно длинная для проверки." for n in range(LINES))
    assert len(text) > LONG_TEXT_CHARS
    editor.set_markdown(text)
    highlighter = editor.document().findChild(MarkdownHighlighter)
    assert isinstance(highlighter, MarkdownHighlighter)
    assert highlighter.pending()
    coloured: list[str] = []

    def count(_highlighter: QSyntaxHighlighter, line: str) -> None:
        coloured.append(line)

    highlighter.after_block = count
    return editor, highlighter, coloured


def type_at_line(editor: MarkdownEditor, line: int, text: str) -> None:
    cursor = QTextCursor(editor.document().findBlockByNumber(line))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def test_a_keystroke_colours_only_its_own_line_at_once(qtbot: QtBot) -> None:
    editor, _highlighter, coloured = long_editor(qtbot)
    type_at_line(editor, 10, "x")
    assert len(coloured) == 1
    assert coloured[0].endswith("x")


def test_opening_a_long_text_colours_what_one_screen_can_show_at_once(qtbot: QtBot) -> None:
    editor, highlighter, coloured = long_editor(qtbot)
    at_once = lines_a_screen_holds(editor.document())
    assert 10 < at_once < LINES
    screen = QApplication.primaryScreen()
    assert at_once * editor.fontMetrics().lineSpacing() >= screen.availableGeometry().height()
    assert editor.document().findBlockByNumber(at_once - 1).layout().formats()
    assert not editor.document().findBlockByNumber(at_once).layout().formats()
    highlighter.finish_pending()
    assert len(coloured) == LINES - at_once


def test_one_idle_slice_colours_a_bounded_number_of_lines(qtbot: QtBot) -> None:
    _editor, highlighter, coloured = long_editor(qtbot)
    highlighter._colour_later()
    assert 0 < len(coloured) <= LATER_SLICE_LINES


def test_typing_above_the_waiting_lines_does_not_start_the_colouring_again(
    qtbot: QtBot,
) -> None:
    editor, highlighter, coloured = long_editor(qtbot)
    highlighter._colour_later()
    typed = "abcdefgh"
    type_at_line(editor, 10, typed)
    type_at_line(editor, 11, "\n")  # a new line above the waiting ones shifts them
    highlighter.finish_pending()
    waiting = LINES - lines_a_screen_holds(editor.document())
    assert len(coloured) <= waiting + len(typed) + 3
    last = editor.document().findBlockByNumber(editor.document().blockCount() - 1)
    assert any(line == last.text() for line in coloured)
