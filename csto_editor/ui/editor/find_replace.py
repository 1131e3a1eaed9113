"""The find and replace bar shown under (or over) a text editor.

Searching is incremental: each keystroke in the find field selects the first match
from where the user is, and the bar counts and highlights every match. Enter and F3
go to the next match, Shift+Enter and Shift+F3 to the previous one, wrapping around
the text; Esc hides the bar and gives the focus back to the editor. "Replace all" is
a single undo step.

F3 and Esc are handled as key presses (an event filter on the editor and the fields),
not as shortcuts, so a window action bound to the same keys never makes them
ambiguous; a window-wide F3 action can simply call ``find_next``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csto_editor.ui.editor.markdown_editor import MarkdownEditor
from csto_editor.ui.icons import icon

__all__ = ["FindReplaceBar"]

HIGHLIGHT_LIMIT = 2_000
"""More matches than this are counted but not all highlighted."""
RECOUNT_DELAY_MS = 150
_MATCH_COLOR = QColor(255, 200, 60, 110)


class FindReplaceBar(QWidget):
    """Find (and optionally replace) in a QPlainTextEdit; hidden until asked for."""

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findReplaceBar")
        self._editor = editor
        self._matches: list[QTextCursor] = []

        self._find = QLineEdit(self)
        self._find.setPlaceholderText(self.tr("Find"))
        self._find.setClearButtonEnabled(True)
        self._count = QLabel(self)
        self._count.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000 / 0000") + 8)
        self._count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._previous = self._arrow("previous_match", self.tr("Previous match (Shift+Enter)"))
        self._next = self._arrow("next_match", self.tr("Next match (Enter)"))
        self._case = QCheckBox(self.tr("Match case"), self)
        self._words = QCheckBox(self.tr("Whole words"), self)
        self._close = QToolButton(self)
        self._close.setIcon(icon("close"))
        self._close.setAutoRaise(True)
        self._close.setToolTip(self.tr("Close (Esc)"))

        self._replace = QLineEdit(self)
        self._replace.setPlaceholderText(self.tr("Replace with"))
        self._replace_one = QPushButton(self.tr("Replace"), self)
        self._replace_all = QPushButton(self.tr("Replace all"), self)
        self._replace_one.setAutoDefault(False)
        self._replace_all.setAutoDefault(False)

        find_row = QHBoxLayout()
        for widget in (
            self._find,
            self._count,
            self._previous,
            self._next,
            self._case,
            self._words,
            self._close,
        ):
            find_row.addWidget(widget)
        find_row.setStretchFactor(self._find, 1)
        self._replace_row = QWidget(self)
        replace_row = QHBoxLayout(self._replace_row)
        replace_row.setContentsMargins(0, 0, 0, 0)
        replace_row.addWidget(self._replace, 1)
        replace_row.addWidget(self._replace_one)
        replace_row.addWidget(self._replace_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(find_row)
        layout.addWidget(self._replace_row)

        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(RECOUNT_DELAY_MS)
        self._recount.timeout.connect(self._update_matches)

        self._find.textChanged.connect(self._search_as_typed)
        self._case.toggled.connect(self._search_as_typed)
        self._words.toggled.connect(self._search_as_typed)
        self._previous.clicked.connect(self.find_previous)
        self._next.clicked.connect(self.find_next)
        self._replace_one.clicked.connect(self.replace_next)
        self._replace_all.clicked.connect(self.replace_all)
        self._close.clicked.connect(self.close_bar)
        # the document's signal, not the editor's: loading a text (set_markdown) counts too
        editor.document().contentsChanged.connect(self._text_changed)
        for watched in (self._find, self._replace, editor):
            watched.installEventFilter(self)
        self.hide()

    def _arrow(self, icon_name: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(icon_name))
        button.setAutoRaise(True)
        button.setToolTip(tip)
        return button

    # ---------------------------------------------------------------- showing

    def show_find(self) -> None:
        """Show the bar for finding, with the editor's selection as the search text."""
        self._open(replacing=False)

    def show_replace(self) -> None:
        """Show the bar with the replace field."""
        self._open(replacing=True)

    def _open(self, replacing: bool) -> None:
        self._replace_row.setVisible(replacing and not self._editor.isReadOnly())
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self._find.blockSignals(True)
            self._find.setText(selected)
            self._find.blockSignals(False)
        self.show()
        self._find.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._find.selectAll()
        self._update_matches()

    def close_bar(self) -> None:
        """Hide the bar, clear the match highlights and return to the editor."""
        self.hide()
        self._recount.stop()
        self._show_highlights([])
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------- finding

    def _flags(self, backward: bool = False) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self._case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        if self._words.isChecked():
            flags |= QTextDocument.FindFlag.FindWholeWords
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        return flags

    def _search(self, start: QTextCursor, backward: bool) -> QTextCursor:
        """The next match from ``start``, wrapping around; a null cursor if none."""
        document = self._editor.document()
        needle = self._find.text()
        if not needle:
            return QTextCursor()
        found = document.find(needle, start, self._flags(backward))
        if found.isNull():
            wrap = QTextCursor(document)
            wrap.movePosition(
                QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start
            )
            found = document.find(needle, wrap, self._flags(backward))
        return found

    def _go_to(self, found: QTextCursor) -> bool:
        if found.isNull():
            self._update_label()
            return False
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        self._update_label()
        return True

    def find_next(self) -> bool:
        """Select the next match after the selection; False if there is none."""
        return self._go_to(self._search(self._editor.textCursor(), backward=False))

    def find_previous(self) -> bool:
        """Select the match before the selection; False if there is none."""
        return self._go_to(self._search(self._editor.textCursor(), backward=True))

    def _search_as_typed(self) -> None:
        start = QTextCursor(self._editor.document())
        start.setPosition(self._editor.textCursor().selectionStart())
        self._update_matches()
        found = self._search(start, backward=False)
        if not found.isNull():
            self._go_to(found)

    # ---------------------------------------------------------------- replacing

    def _selection_is_match(self) -> bool:
        selection = self._editor.textCursor()
        if not selection.hasSelection():
            return False
        start = QTextCursor(self._editor.document())
        start.setPosition(selection.selectionStart())
        found = self._editor.document().find(self._find.text(), start, self._flags())
        return (
            not found.isNull()
            and found.selectionStart() == selection.selectionStart()
            and found.selectionEnd() == selection.selectionEnd()
        )

    def replace_next(self) -> bool:
        """Replace the selected match, then select the next one; False if none was."""
        if not self._find.text() or self._editor.isReadOnly():
            return False
        if not self._selection_is_match():
            self.find_next()
            return False
        cursor = self._editor.textCursor()
        cursor.insertText(self._replace.text())
        self._editor.setTextCursor(cursor)
        self._update_matches()
        self.find_next()
        return True

    def replace_all(self) -> int:
        """Replace every match as one undo step; returns how many were replaced."""
        needle = self._find.text()
        if not needle or self._editor.isReadOnly():
            return 0
        document = self._editor.document()
        replacement = self._replace.text()
        count = 0
        edit = QTextCursor(document)
        edit.beginEditBlock()
        found = document.find(needle, 0, self._flags())
        while not found.isNull():
            found.insertText(replacement)
            count += 1
            found = document.find(needle, found.position(), self._flags())
        edit.endEditBlock()
        self._recount.stop()
        self._update_matches()
        self._count.setText(self.tr("%n replaced", "", count))
        return count

    # ---------------------------------------------------------------- counting

    def match_count(self) -> int:
        """How many matches the text holds now."""
        return len(self._matches)

    def _text_changed(self) -> None:
        if self.isVisible() and self._find.text():
            self._recount.start()

    def _update_matches(self) -> None:
        document = self._editor.document()
        needle = self._find.text()
        self._matches = []
        if needle:
            found = document.find(needle, 0, self._flags())
            while not found.isNull():
                self._matches.append(found)
                found = document.find(needle, found, self._flags())
        self._show_highlights(self._matches[:HIGHLIGHT_LIMIT] if self.isVisible() else [])
        self._update_label()

    def _update_label(self) -> None:
        if not self._find.text():
            self._count.setText("")
            return
        total = len(self._matches)
        if not total:
            self._count.setText(self.tr("No matches"))
            return
        selection = self._editor.textCursor()
        for index, match in enumerate(self._matches):
            if (match.selectionStart(), match.selectionEnd()) == (
                selection.selectionStart(),
                selection.selectionEnd(),
            ):
                self._count.setText(
                    self.tr("{current} of {total}").format(current=index + 1, total=total)
                )
                return
        self._count.setText(self.tr("%n match(es)", "", total))

    def _show_highlights(self, matches: list[QTextCursor]) -> None:
        selections = []
        for match in matches:
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(_MATCH_COLOR)
            selection.format = fmt
            selection.cursor = match
            selections.append(selection)
        if isinstance(self._editor, MarkdownEditor):
            self._editor.set_find_highlights(selections)
        else:
            self._editor.setExtraSelections(selections)

    # ---------------------------------------------------------------- keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter, Shift+Enter, F3, Shift+F3 and Esc in the fields and the editor."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        in_editor = watched is self._editor
        if in_editor and not self.isVisible() and not self._find.text():
            return False
        if event.matches(QKeySequence.StandardKey.FindNext):
            self.find_next()
            return True
        if event.matches(QKeySequence.StandardKey.FindPrevious):
            self.find_previous()
            return True
        if event.key() == Qt.Key.Key_Escape and self.isVisible():
            self.close_bar()
            return True
        if in_editor or event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if watched is self._replace:
            self.replace_next()
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.find_previous()
        else:
            self.find_next()
        return True
