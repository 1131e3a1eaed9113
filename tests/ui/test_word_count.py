"""The editor's word count, kept line by line, always equals a count over the whole text."""

from __future__ import annotations

import random

from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from csto_editor.ui.editor.markdown_editor import WORDS, MarkdownEditor

SNIPPETS = ["слово ", "word", " ", "\n", "\n\n", "don't ", "Кот-д'Ивуар", "- ", "x", "123 "]


def test_the_word_count_follows_every_kind_of_edit(qtbot: QtBot) -> None:
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.set_markdown("Первая строка текста.\n\nSecond line, two words more.\n")
    chance = random.Random(5)
    for step in range(400):
        cursor = editor.textCursor()
        length = editor.document().characterCount() - 1
        start = chance.randint(0, length)
        cursor.setPosition(start)
        if chance.random() < 0.35:
            end = min(length, start + chance.randint(1, 25))
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if chance.random() < 0.8:
            cursor.insertText(chance.choice(SNIPPETS) * chance.randint(1, 3))
        else:
            cursor.removeSelectedText()
        text = editor.markdown()
        assert editor.word_count() == len(WORDS.findall(text)), step
        assert editor.character_count() == len(text)
    editor.set_markdown("два слова")
    assert editor.word_count() == 2
    editor.undo()
    assert editor.word_count() == 2
    editor.selectAll()
    editor.textCursor().removeSelectedText()
    editor.insert_text("one two three")
    assert editor.word_count() == 3
