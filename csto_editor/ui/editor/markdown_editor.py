"""The Markdown source editor: a QPlainTextEdit that knows lists, quotes and rich paste.

One QTextBlock is one source line (Shift+Enter and pasted line separators become
real newlines), so block numbers are the source line numbers the preview maps.

Signals: the editor's own ``textChanged`` is the "user edited" signal. ``set_markdown``
emits none of the editor's signals (they are blocked while it loads), so loading an
item never looks like an edit; it also resets the undo stack, ``document().isModified()``
and the scroll position silently — refresh undo/redo actions yourself after calling
it. (The QTextDocument's own signals, such as ``contentsChanged``, still fire: the
highlighter and the find bar rely on them.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPoint, QStringListModel, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeyEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QWidget

from csto_editor.core.html_to_markdown import html_to_markdown, looks_like_source_code
from csto_editor.ui.editor import markdown_inline, markdown_lines
from csto_editor.ui.editor.highlighter import MarkdownHighlighter
from csto_editor.ui.editor.spell_highlight import SpellUnderliner

__all__ = ["IMAGE_SUFFIXES", "MarkdownEditor", "editor_font"]

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"})
_FONT_FAMILIES = (
    "JetBrains Mono",
    "Cascadia Mono",
    "Consolas",
    "SF Mono",
    "Menlo",
    "DejaVu Sans Mono",
    "Noto Sans Mono",
    "Liberation Mono",
)
_POINT_SIZE = 11

_CursorOperation = Callable[[QTextCursor], None]


def editor_font() -> QFont:
    """A readable monospace font with Cyrillic, from the best one installed."""
    installed = set(QFontDatabase.families())
    for family in _FONT_FAMILIES:
        if family in installed:
            font = QFont(family)
            break
    else:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(max(_POINT_SIZE, font.pointSize()))
    return font


def _normalise(text: str) -> str:
    return (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u2029", "\n")
    )


WORDS = re.compile(r"\w+(?:[-'’]\w+)*")
"""A word as the counter counts it (never spans a line: ``\\w`` has no line end)."""


class _WordCounter:
    """The document's word count, kept per line: an edit recounts only its own lines
    (a regex over 20,000 words on every keystroke took 4.5 ms)."""

    def __init__(self, document: QTextDocument) -> None:
        self._document = document
        self._counts: list[int] = []
        self.total = 0
        self._recount(0, 0, document.blockCount())
        document.contentsChange.connect(self._changed)

    def _changed(self, position: int, _removed: int, added: int) -> None:
        document = self._document
        first = document.findBlock(position).blockNumber()
        last_block = document.findBlock(position + added)
        last = last_block.blockNumber() if last_block.isValid() else document.blockCount() - 1
        grown = document.blockCount() - len(self._counts)
        if first < 0 or last < first or last - grown < first - 1:
            self._recount(0, len(self._counts), document.blockCount())
            return
        self._recount(first, last - grown + 1, last + 1)

    def _recount(self, first: int, old_end: int, new_end: int) -> None:
        """Replace the counts of old lines ``first:old_end`` by those of ``first:new_end``."""
        block = self._document.findBlockByNumber(first)
        fresh: list[int] = []
        for _ in range(first, new_end):
            fresh.append(len(WORDS.findall(block.text())))
            block = block.next()
        self.total += sum(fresh) - sum(self._counts[first:old_end])
        self._counts[first:old_end] = fresh


class MarkdownEditor(QPlainTextEdit):
    """Markdown source editing with highlighting, smart lists and quotes, and rich paste."""

    top_line_changed = Signal(int)
    """0-based source line at the top of the viewport, after the user scrolled."""
    image_files_dropped = Signal(list)
    """Local image files (list[str] paths) dropped or pasted. Nothing is inserted for
    them: a listener makes assets and inserts at ``textCursor()`` (the drop point)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markdownEditor")
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setFont(editor_font())
        self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))
        self.document().setDocumentMargin(12)
        self.setPlaceholderText(self.tr("Write the text in Markdown…"))
        self._highlighter = MarkdownHighlighter(self.document())
        self._words = _WordCounter(self.document())
        self._spelling: SpellUnderliner | None = None
        self._find_highlights: list[QTextEdit.ExtraSelection] = []
        self._quiet_scroll = False
        self._last_top_line = 0
        self._mime_factory: QStringListModel | None = None
        self.cursorPositionChanged.connect(self._update_extra_selections)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self._update_extra_selections()

    # ---------------------------------------------------------------- text

    def set_markdown(self, text: str, *, keep_position: bool = False) -> None:
        """Replace all text, clear undo/redo and the modified flag; emits no signal.

        The cursor goes to the start and the view to the top — or, with
        ``keep_position`` (reloading the same item: their version after a conflict,
        a revert, a restored revision), the cursor, the selection and the top line
        stay where they were as far as the new text allows, and a cursor at the end
        stays at the end, so typing carries on where it did.
        """
        old = self.textCursor()
        at_end, anchor, position = old.atEnd(), old.anchor(), old.position()
        top_line = self.top_source_line()
        was_blocked = self.blockSignals(True)
        self._quiet_scroll = True
        try:
            with self._highlighter.deferred(len(text)):  # a long one: in idle time
                self.setPlainText(_normalise(text))
            self.document().clearUndoRedoStacks()
            self.document().setModified(False)
            if keep_position:
                self._restore_position(at_end, anchor, position)
                self.scroll_to_source_line(top_line)
        finally:
            self._quiet_scroll = False
            self.blockSignals(was_blocked)
        self._last_top_line = self.top_source_line()
        self._update_extra_selections()

    def hold_colouring(self, held: bool) -> None:
        """Hold back (or let go on) the idle-time colouring of a long text."""
        self._highlighter.hold_pending(held)

    def _restore_position(self, at_end: bool, anchor: int, position: int) -> None:
        cursor = self.textCursor()
        if at_end:
            cursor.movePosition(QTextCursor.MoveOperation.End)
        else:
            last = self.document().characterCount() - 1
            cursor.setPosition(min(anchor, last))
            cursor.setPosition(min(position, last), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def word_count(self) -> int:
        """Words in the text (as ``WORDS`` finds them), kept up to date line by line."""
        return self._words.total

    def character_count(self) -> int:
        """Characters in the text (line ends count one each)."""
        return self.document().characterCount() - 1

    def markdown(self) -> str:
        """The source text, with ``\\n`` line ends and non-breaking spaces kept."""
        return _normalise(self.document().toRawText())

    def insert_text(self, text: str) -> None:
        """Insert text at the cursor (over the selection) as one undo step.

        Like every editing command here, does nothing while the editor is read-only.
        """
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.insertText(_normalise(text))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    # ---------------------------------------------------------------- formatting

    def toggle_bold(self) -> None:
        """Make the selection (or the word at the cursor) bold, or plain if it is bold."""
        self._edit(lambda cursor: markdown_inline.toggle_emphasis(cursor, "**"))

    def toggle_italic(self) -> None:
        """Make the selection (or the word at the cursor) italic, or plain if it is."""
        self._edit(lambda cursor: markdown_inline.toggle_emphasis(cursor, "*"))

    def make_heading(self, level: int = 2) -> None:
        """Make the current lines headings of ``level``; the same level again undoes it."""
        self._edit(lambda cursor: markdown_lines.set_heading(cursor, level))

    def insert_link(self, url: str = "", text: str = "") -> None:
        """Wrap the selection as ``[selection](url)``; without a URL, select the
        ``url`` placeholder so the user types the address over it."""
        placeholder = self.tr("link text")
        self._edit(lambda cursor: markdown_inline.insert_link(cursor, url, text, placeholder))

    def toggle_quote(self) -> None:
        """Quote the current lines with ``> ``, or unquote them."""
        self._edit(markdown_lines.toggle_quote)

    def toggle_bullet_list(self) -> None:
        """Make the current lines a ``- `` list, or plain lines."""
        self._edit(lambda cursor: markdown_lines.toggle_list(cursor, ordered=False))

    def toggle_numbered_list(self) -> None:
        """Make the current lines a ``1. `` list, or plain lines."""
        self._edit(lambda cursor: markdown_lines.toggle_list(cursor, ordered=True))

    def _edit(self, operation: _CursorOperation) -> None:
        if self.isReadOnly():
            return
        cursor = self.textCursor()
        operation(cursor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------- scrolling

    def top_source_line(self) -> int:
        """The 0-based source line at the top of the viewport."""
        return max(0, self.firstVisibleBlock().blockNumber())

    def scroll_to_source_line(self, line: int) -> None:
        """Scroll so that source line ``line`` is at the top; emits no top_line_changed."""
        document = self.document()
        block = document.findBlockByNumber(max(0, min(line, document.blockCount() - 1)))
        self._quiet_scroll = True
        try:
            self.verticalScrollBar().setValue(block.firstLineNumber())
        finally:
            self._quiet_scroll = False
        self._last_top_line = self.top_source_line()

    def _on_scrolled(self, _value: int) -> None:
        if self._quiet_scroll:
            return
        line = self.top_source_line()
        if line != self._last_top_line:
            self._last_top_line = line
            self.top_line_changed.emit(line)

    # ---------------------------------------------------------------- current line

    def set_find_highlights(self, selections: list[QTextEdit.ExtraSelection]) -> None:
        """Show these extra selections (find matches) along with the current line."""
        self._find_highlights = list(selections)
        self._update_extra_selections()

    def _update_extra_selections(self) -> None:
        current = QTextEdit.ExtraSelection()
        color = QColor(self.palette().highlight().color())
        color.setAlpha(22)
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.format = fmt
        cursor = self.textCursor()
        cursor.clearSelection()
        current.cursor = cursor
        self.setExtraSelections([current, *self._find_highlights])

    def changeEvent(self, event: QEvent) -> None:
        """Keep the tab width at four spaces when the font changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.setTabStopDistance(4 * self.fontMetrics().horizontalAdvance(" "))

    # ---------------------------------------------------------------- keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Smart Enter, Tab/Shift+Tab on lists, Shift+Enter, Ctrl+Shift+V."""
        key = event.key()
        if self.isReadOnly():
            super().keyPressEvent(event)
            return
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = Qt.KeyboardModifier.ShiftModifier
        control = Qt.KeyboardModifier.ControlModifier
        handled = True
        if key == Qt.Key.Key_V and modifiers == control | shift:
            self.paste_plain_text()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and modifiers in (
            Qt.KeyboardModifier.NoModifier,
            shift,
        ):
            cursor = self.textCursor()
            if modifiers == shift or not markdown_lines.smart_newline(cursor):
                cursor.insertText("\n")  # never Qt's U+2028 line separator
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        elif key == Qt.Key.Key_Tab and modifiers == Qt.KeyboardModifier.NoModifier:
            cursor = self.textCursor()
            if not markdown_lines.indent_lines(cursor, outdent=False):
                cursor.insertText(markdown_lines.INDENT)
            self.setTextCursor(cursor)
        elif key == Qt.Key.Key_Backtab or (key == Qt.Key.Key_Tab and modifiers == shift):
            cursor = self.textCursor()
            markdown_lines.indent_lines(cursor, outdent=True)
            self.setTextCursor(cursor)
        else:
            handled = False
        if handled:
            event.accept()
        else:
            super().keyPressEvent(event)

    # ---------------------------------------------------------------- clipboard

    def set_spelling(self, spelling: SpellUnderliner | None) -> None:
        """Underline unknown words with ``spelling`` (None: no spell checking)."""
        self._spelling = spelling
        self._highlighter.after_block = spelling.underline_block if spelling else None
        self._highlighter.rehighlight()

    def context_menu_at(self, position: QPoint) -> QMenu:
        """The context menu for a point of the viewport: Qt's, with spelling on top."""
        menu = self.createStandardContextMenu(position)
        if self._spelling is not None:
            self._spelling.extend_menu(menu, self, self.cursorForPosition(position))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu_at(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def paste_plain_text(self) -> None:
        """Paste the clipboard's plain text, ignoring any formatting."""
        data = QGuiApplication.clipboard().mimeData()
        if data is not None and data.hasText():
            self.insert_text(data.text())

    def createMimeDataFromSelection(self) -> QMimeData:
        """Copy the selected source as plain text only, so pasting it back is exact.

        (Qt's default adds HTML and Markdown renderings of the monospace source.)
        """
        data = self._native_mime_data()
        data.setText(_normalise(self.textCursor().selectedText()))
        return data

    def _native_mime_data(self) -> QMimeData:
        """An empty QMimeData made by Qt itself, not by Python.

        The clipboard keeps what it is given after the copy and may delete it after
        Python has shut down (the offscreen platform does, at process exit); a
        QMimeData made in Python then calls back into a dead interpreter and the
        process crashes. An item model's ``mimeData`` is a plain C++ factory.
        """
        if self._mime_factory is None:
            self._mime_factory = QStringListModel([""], self)
        data = self._mime_factory.mimeData([self._mime_factory.index(0)])
        for mime_type in data.formats():
            data.removeFormat(mime_type)
        return data

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        """Accept text, HTML and image files."""
        return source.hasText() or source.hasHtml() or bool(_image_paths(source))

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste or drop: images are announced, rich text becomes clean Markdown."""
        images = _image_paths(source)
        if images:
            self.image_files_dropped.emit(images)
            return
        if source.hasHtml() and not looks_like_source_code(source.html()):
            converted = html_to_markdown(source.html())
            if converted.strip():
                self.insert_text(self._as_blocks(converted))
                return
        if source.hasText():
            self.insert_text(source.text())

    def _as_blocks(self, markdown: str) -> str:
        """Put Markdown of several lines on lines of its own, apart from the text around."""
        if "\n" not in markdown:
            return markdown
        cursor = self.textCursor()
        probe = QTextCursor(cursor)
        probe.setPosition(cursor.selectionStart())
        probe.movePosition(QTextCursor.MoveOperation.StartOfBlock, QTextCursor.MoveMode.KeepAnchor)
        before = probe.selectedText()
        probe.setPosition(cursor.selectionEnd())
        probe.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        after = probe.selectedText()
        if before.strip():
            markdown = "\n\n" + markdown
        if after.strip():
            markdown += "\n\n"
        return markdown


def _image_paths(source: QMimeData) -> list[str]:
    if not source.hasUrls():
        return []
    paths = [url.toLocalFile() for url in source.urls() if url.isLocalFile()]
    return [p for p in paths if Path(p).suffix.lower() in IMAGE_SUFFIXES]
