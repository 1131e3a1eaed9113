"""Spell checking in the editor: underlines, the context menu, the setting, typing speed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from benchmarks.corpus import big_document
from csto_editor.paths import resources_dir
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.spelling import SpellChecker, personal_words_path
from csto_editor.ui.editor import MarkdownEditor
from csto_editor.ui.editor.spell_highlight import SPELL_CHECK, SpellUnderliner
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.settings import Settings

WAVY = QTextCharFormat.UnderlineStyle.SpellCheckUnderline


@pytest.fixture(scope="module")
def shared_checker() -> SpellChecker:
    checker = SpellChecker()
    checker.load()
    return checker


@pytest.fixture
def editor(qtbot: QtBot, tmp_path: Path) -> Iterator[MarkdownEditor]:
    widget = MarkdownEditor()
    qtbot.addWidget(widget)
    widget.set_spelling(SpellUnderliner(SpellChecker(tmp_path / "personal.txt")))
    widget.resize(700, 500)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def underlined(editor: MarkdownEditor) -> list[str]:
    """The underlined pieces of text, in document order."""
    pieces: list[str] = []
    block = editor.document().begin()
    while block.isValid():
        for piece in block.layout().formats():
            if piece.format.underlineStyle() == WAVY:
                pieces.append(block.text()[piece.start : piece.start + piece.length])
        block = block.next()
    return pieces


TEXT = """## Заявленее министров

Министры **обсудили** безопастности в Бишкеке, the statment was `wrod` ОДКБ.
См. [сайт](https://odkb.org/путь) и https://odkb.org/слово.

```
кодд внутри блока
```

Oдкб с латинской буквой."""


def test_unknown_words_in_prose_get_a_wavy_underline(editor: MarkdownEditor) -> None:
    editor.set_markdown(TEXT)
    assert underlined(editor) == ["Заявленее", "безопастности", "statment", "Oдкб"]


def test_a_suggestion_replaces_the_word_in_one_undo_step(editor: MarkdownEditor) -> None:
    editor.set_markdown("Министры обсудили безопастности.")
    cursor = QTextCursor(editor.document())
    cursor.setPosition(len("Министры обсудили безо"))
    menu = editor.context_menu_at(editor.cursorRect(cursor).center())
    texts = [action.text() for action in menu.actions()]
    assert texts[0] == "безопасности"
    assert "Add “безопастности” to dictionary" in texts
    menu.actions()[0].trigger()
    assert editor.markdown() == "Министры обсудили безопасности."
    assert underlined(editor) == []
    editor.undo()
    assert editor.markdown() == "Министры обсудили безопастности."


def test_add_to_dictionary_keeps_the_word(editor: MarkdownEditor, tmp_path: Path) -> None:
    editor.set_markdown("Генсек Тасмагамбетов и Имангали.")
    assert underlined(editor) == ["Тасмагамбетов", "Имангали"]
    cursor = QTextCursor(editor.document())
    cursor.setPosition(len("Генсек Тасма"))
    menu = editor.context_menu_at(editor.cursorRect(cursor).center())
    [learn] = [a for a in menu.actions() if a.objectName() == "spellAddToDictionary"]
    learn.trigger()
    assert underlined(editor) == ["Имангали"]
    assert (tmp_path / "personal.txt").read_text(encoding="utf-8") == "тасмагамбетов\n"


def test_a_known_word_gets_qts_menu_only(editor: MarkdownEditor) -> None:
    editor.set_markdown("Министры обсудили.")
    cursor = QTextCursor(editor.document())
    cursor.setPosition(3)
    menu = editor.context_menu_at(editor.cursorRect(cursor).center())
    assert not [a for a in menu.actions() if a.objectName().startswith("spell")]


def test_the_view_menu_turns_it_off_and_remembers(
    context_for: Callable[[str], ServiceContext], qtbot: QtBot, tmp_path: Path
) -> None:
    ctx = context_for("ivanova")
    settings = Settings(tmp_path / "ui.ini")
    window = MainWindow(ctx, settings, PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(window)
    editor = window.panel.editor
    qtbot.waitUntil(lambda: window.spelling.ready, timeout=30_000)  # loaded on a thread
    editor.set_markdown("Министры обсудили безопастности.")
    qtbot.waitUntil(lambda: underlined(editor) == ["безопастности"])  # once the dictionaries open
    [toggle] = [a for a in window.view_menu.actions() if a.objectName() == "action_spell_check"]
    assert toggle.isChecked()
    toggle.trigger()
    assert underlined(editor) == []
    assert settings.read(SPELL_CHECK) is False
    assert window.spelling.checker is not None
    assert personal_words_path().is_relative_to(tmp_path)  # the test's own data folder


def test_typing_in_a_20000_word_document_stays_fast(
    qtbot: QtBot, shared_checker: SpellChecker
) -> None:
    """The spelling work per keystroke, in CPU time of the GUI thread: a shared machine's
    scheduling pauses are not the spell checker's."""
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    underliner = SpellUnderliner(shared_checker)
    spent: list[float] = []

    def timed(highlighter: object, text: str) -> None:
        started = time.thread_time()
        underliner.underline_block(highlighter, text)  # type: ignore[arg-type]
        spent.append(time.thread_time() - started)

    editor.set_spelling(underliner)
    editor._highlighter.after_block = timed
    body = big_document().body
    assert len(body.split()) >= 19_000
    editor.set_markdown(body)
    editor.show()
    qtbot.waitExposed(editor)
    cursor = editor.textCursor()
    cursor.setPosition(len(body) // 2)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    worst_keystroke = 0.0
    for char in " заявленее проверка statment и министры":
        spent.clear()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            key = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(editor, key)
        worst_keystroke = max(worst_keystroke, sum(spent))
    assert "заявленее" in underlined(editor)
    assert worst_keystroke < 0.004, f"spell checking took {worst_keystroke * 1000:.1f} ms"
