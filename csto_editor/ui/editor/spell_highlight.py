"""Spell checking in the Markdown editor: red wavy underlines, suggestions, a setting.

The underlines are laid over the syntax colours by the editor's highlighter, block by
block, so typing re-checks only the line being typed, and each word is judged once
(``SpellChecker`` remembers). Fenced code blocks are never checked (the highlighter
does not call in for them); ``core.spelling`` leaves out code spans, URLs and the like.
The dictionaries open on a background thread when the window opens (the first time,
building their compact files in a child process); until then the window's editor
underlines nothing, and it re-checks its text once they are open, so no keystroke
waits for them.

The editor's context menu offers, on an underlined word, up to six corrections and
"Add to dictionary" (the personal word list in the user data folder). The View menu
has "Check spelling", remembered in the settings.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtGui import QAction, QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit

from csto_editor.core.spelling import Word, prose_words
from csto_editor.services.spelling import SpellChecker, personal_words_path
from csto_editor.ui.settings import Option, Settings

if TYPE_CHECKING:
    from csto_editor.ui.editor.markdown_editor import MarkdownEditor

__all__ = ["SPELL_CHECK", "SpellUnderliner", "install_spell_checking"]

SPELL_CHECK = Option("editor/spell_check", True)
"""Whether unknown words are underlined."""

_UNDERLINE = QColor("#d0312d")


def _utf16(text: str, index: int) -> int:
    """Qt's position (UTF-16 units) of the Python index ``index`` in ``text``."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


class SpellUnderliner:
    """Underlines unknown words of a block for a highlighter; answers the context menu."""

    def __init__(
        self, checker: SpellChecker, *, enabled: bool = True, wait_for_load: bool = False
    ) -> None:
        self.checker = checker
        self.enabled = enabled
        self.wait_for_load = wait_for_load
        """True: judge nothing before the dictionaries are open (another thread opens them)."""

    def unknown_words(self, text: str) -> list[Word]:
        if self.wait_for_load and not self.checker.loaded():
            return []
        return [word for word in prose_words(text) if not self.checker.is_known(word.text)]

    def underline_block(self, highlighter: QSyntaxHighlighter, text: str) -> None:
        """Add a wavy underline to each unknown word of ``text``, keeping its colours."""
        if not self.enabled:
            return
        for word in self.unknown_words(text):
            position, end = _utf16(text, word.start), _utf16(text, word.end)
            while position < end:  # one run per colour the word already has
                base = highlighter.format(position)
                run_end = position + 1
                while run_end < end and highlighter.format(run_end) == base:
                    run_end += 1
                underlined = QTextCharFormat(base)
                underlined.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
                underlined.setUnderlineColor(_UNDERLINE)
                highlighter.setFormat(position, run_end - position, underlined)
                position = run_end

    def word_at(self, cursor: QTextCursor) -> Word | None:
        """The unknown word under ``cursor``, if there is one."""
        if not self.enabled:
            return None
        text = cursor.block().text()
        column = cursor.positionInBlock()
        for word in self.unknown_words(text):
            if _utf16(text, word.start) <= column <= _utf16(text, word.end):
                return word
        return None

    def extend_menu(self, menu: QMenu, editor: QPlainTextEdit, cursor: QTextCursor) -> None:
        """Put corrections and "Add to dictionary" at the top of the editor's context menu."""
        word = self.word_at(cursor)
        if word is None:
            return
        block = cursor.block()
        text = block.text()
        start = block.position() + _utf16(text, word.start)
        end = block.position() + _utf16(text, word.end)
        first = menu.actions()[0] if menu.actions() else None
        added: list[QAction] = []
        suggestions = self.checker.suggestions(word.text)
        for suggestion in suggestions:
            action = QAction(suggestion, menu)
            action.setObjectName("spellSuggestion")
            action.triggered.connect(
                lambda _checked=False, s=suggestion: _replace(editor, start, end, s)
            )
            added.append(action)
        if not suggestions:
            none = QAction(QCoreApplication.translate("SpellChecking", "No suggestions"), menu)
            none.setEnabled(False)
            added.append(none)
        learn = QAction(
            QCoreApplication.translate("SpellChecking", "Add “%1” to dictionary").replace(
                "%1", word.text
            ),
            menu,
        )
        learn.setObjectName("spellAddToDictionary")
        learn.triggered.connect(lambda _checked=False: self._learn(editor, word.text))
        added.append(learn)
        menu.insertActions(first, added)  # type: ignore[arg-type]
        if first is not None:
            menu.insertSeparator(first)

    def _learn(self, editor: QPlainTextEdit, word: str) -> None:
        self.checker.add_to_personal(word)
        _rehighlight(editor)


def _replace(editor: QPlainTextEdit, start: int, end: int, replacement: str) -> None:
    cursor = QTextCursor(editor.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(replacement)  # one undoable step
    editor.setTextCursor(cursor)


def _rehighlight(editor: QPlainTextEdit) -> None:
    highlighter = editor.document().findChild(QSyntaxHighlighter)
    if highlighter is not None:
        highlighter.rehighlight()


class _DictionaryLoader(QObject):
    """Opens the dictionaries on a thread, then re-checks the editor on the GUI thread."""

    loaded = Signal()

    def __init__(self, owner: QObject, checker: SpellChecker, editor: QPlainTextEdit) -> None:
        super().__init__(owner)
        self._checker = checker
        self._editor = editor
        self.loaded.connect(self._recheck)  # queued: this object lives in the GUI thread
        threading.Thread(target=self._load, name="spelling-dictionaries", daemon=True).start()

    def _load(self) -> None:
        self._checker.load()
        with contextlib.suppress(RuntimeError):  # the window closed first: nothing to re-check
            self.loaded.emit()

    @Slot()
    def _recheck(self) -> None:
        # Re-formatting is no edit: the item panel must not see contentsChange and ask
        # whether to start editing (a modal question).
        document = self._editor.document()
        was_blocked = document.blockSignals(True)
        try:
            _rehighlight(self._editor)
        finally:
            document.blockSignals(was_blocked)


def install_spell_checking(
    owner: QObject, settings: Settings, editor: MarkdownEditor, view_menu: QMenu
) -> SpellUnderliner:
    """Spell checking for ``editor`` with its "Check spelling" toggle in ``view_menu``."""
    checker = SpellChecker(personal_words_path())
    underliner = SpellUnderliner(checker, enabled=settings.read(SPELL_CHECK), wait_for_load=True)
    _DictionaryLoader(owner, checker, editor)
    toggle = QAction(
        QCoreApplication.translate("SpellChecking", "Check &spelling"), owner, checkable=True
    )
    toggle.setObjectName("action_spell_check")
    toggle.setChecked(underliner.enabled)

    def switch(enabled: bool) -> None:
        underliner.enabled = enabled
        settings.write(SPELL_CHECK, enabled)
        _rehighlight(editor)

    toggle.toggled.connect(switch)
    actions = view_menu.actions()
    view_menu.insertAction(actions[-1] if actions else None, toggle)  # type: ignore[arg-type]
    editor.set_spelling(underliner)
    return underliner
