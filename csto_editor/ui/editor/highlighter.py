"""Syntax colouring for Markdown source: quiet, so the text stays the thing to read.

Headings, emphasis, links and images, quotes, list markers, code spans and fenced
code blocks, horizontal rules. Bodies carry no front matter, so a ``---`` at the top
is a rule like any other. Patterns use Python's Unicode-aware ``re``; positions are
converted to Qt's UTF-16 units, so Cyrillic and emoji alike get the right ranges.

Each character gets a set of style flags; runs of equal flags become one format.

Replacing the whole text (opening an item) would colour and spell-check every line at
once: 0.15–0.3 s on the GUI thread for a 20,000-word item, before the window paints.
For a long text, inside ``deferred()`` nothing is coloured; afterwards the first screen
is coloured at once and the rest from the top down in slices of a few milliseconds
between events. Short texts are coloured at once, as before.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import IntFlag
from functools import cache

from PySide6.QtCore import QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

__all__ = ["MarkdownHighlighter"]


class _Style(IntFlag):
    NONE = 0
    HEADING = 1
    BOLD = 2
    ITALIC = 4
    CODE = 8
    LINK = 16
    URL = 32
    SYNTAX = 64  # markers: # * _ > - 1. [ ] ( ) ```
    QUOTE = 128


_STATE_NORMAL = -1
_STATE_FENCE = 1_000  # + fence length; + 10_000 for a tilde fence

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=\s|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^(?: {0,3}> ?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?=\s)")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK = re.compile(r"(!?\[)((?:\\.|[^\]\\])*)(\]\()([^)\s]*(?:\s+\"[^\"]*\")?)(\))")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>\s]+>|\bhttps?://[^\s<>()]+[^\s<>().,;:!?\"'»]")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![*\w\\])(\*|_)(?=[^\s*_])(.+?)(?<=[^\s\\])\1(?![*\w])")


_Marker = Callable[[int, int, _Style], None]

LATER_SLICE_S = 0.002
"""How long one slice of deferred colouring may hold the GUI thread: a keystroke that
arrives meanwhile waits for the slice, and must be handled within a 16 ms frame."""
LATER_SLICE_LINES = 25
"""Most lines one slice of deferred colouring colours (one long line can take 1 ms)."""
LONG_TEXT_CHARS = 20_000
"""Texts longer than this are coloured in idle time after ``deferred``."""
FIRST_LINES = 120
"""Lines coloured at once after ``deferred`` when the screen's height is not known."""


def lines_a_screen_holds(document: QTextDocument) -> int:
    """The most lines of ``document`` one screen can show at once: each line of the source
    takes at least one line on screen, so colouring this many fills the first screen."""
    screen = QGuiApplication.primaryScreen()
    spacing = QFontMetrics(document.defaultFont()).lineSpacing()
    if screen is None or spacing <= 0:
        return FIRST_LINES
    return max(1, screen.availableGeometry().height() // spacing + 1)


def _dark_palette() -> bool:
    return QGuiApplication.palette().base().color().lightness() < 128


@cache
def _colors(dark: bool) -> dict[_Style, QColor]:
    if dark:
        palette = {
            "heading": "#8fb8ff",
            "syntax": "#7c8594",
            "code": "#d7a86e",
            "link": "#79b8ff",
            "url": "#7c8594",
            "quote": "#a9b1bd",
        }
    else:
        palette = {
            "heading": "#1f4e8c",
            "syntax": "#9aa3ae",
            "code": "#8a4b08",
            "link": "#1f62b8",
            "url": "#8a94a3",
            "quote": "#5b6472",
        }
    return {
        _Style.HEADING: QColor(palette["heading"]),
        _Style.SYNTAX: QColor(palette["syntax"]),
        _Style.CODE: QColor(palette["code"]),
        _Style.LINK: QColor(palette["link"]),
        _Style.URL: QColor(palette["url"]),
        _Style.QUOTE: QColor(palette["quote"]),
    }


class MarkdownHighlighter(QSyntaxHighlighter):
    """Colours a QTextDocument holding Markdown source."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._dark = _dark_palette()
        self._formats: dict[int, QTextCharFormat] = {}
        self.after_block: Callable[[QSyntaxHighlighter, str], None] | None = None
        """Called with each prose line once coloured (spell checking underlines it)."""
        self._asleep = False
        self._next_block = -1  # the first line not yet coloured after deferred(); -1: none
        self._held = False
        self._later = QTimer(self)
        self._later.setInterval(0)
        self._later.timeout.connect(self._colour_later)
        self._block_count = document.blockCount()
        document.contentsChange.connect(self._changed)

    @contextmanager
    def deferred(self, length: int) -> Iterator[None]:
        """A text of ``length`` characters replaces the document here: if it is long, the
        first lines are coloured at once after it and the rest in idle time."""
        if length <= LONG_TEXT_CHARS:
            yield
            return
        self._asleep = True
        try:
            yield
        finally:
            self._asleep = False
            self._next_block = 0
            self._colour_slice(time_limit=None, lines=lines_a_screen_holds(self.document()))
            if self.pending() and not self._held:
                self._later.start()

    def hold_pending(self, held: bool) -> None:
        """Hold back the idle-time colouring (while the opened item's preview renders: both
        need the interpreter), or let it go on."""
        self._held = held
        if held:
            self._later.stop()
        elif self.pending():
            self._later.start()

    def highlight_again_later(self) -> None:
        """Colour the whole document again from the top, in idle time."""
        self._next_block = 0
        if not self._held:
            self._later.start()

    def pending(self) -> bool:
        """Whether lines wait to be coloured after ``deferred``."""
        return self._next_block >= 0

    def finish_pending(self) -> None:
        """Colour every line still waiting now (tests, and a rehighlight)."""
        while self.pending():
            self._colour_slice(time_limit=None)

    def rehighlight(self) -> None:
        """Colour the whole document now (nothing stays waiting)."""
        self._later.stop()
        self._next_block = -1
        super().rehighlight()

    def _colour_later(self) -> None:
        self._colour_slice(time_limit=LATER_SLICE_S, lines=LATER_SLICE_LINES)

    def _colour_slice(
        self, time_limit: float | None = LATER_SLICE_S, lines: int | None = None
    ) -> None:
        document = self.document()
        if document is None or self._next_block < 0:
            self._later.stop()
            return
        started = time.perf_counter()
        block = document.findBlockByNumber(self._next_block)
        last = None if lines is None else self._next_block + lines
        # Colours are no edit: the editor must not hear textChanged (autosave, preview).
        was_blocked = document.blockSignals(True)
        try:
            while block.isValid():
                self.rehighlightBlock(block)
                block = block.next()
                if time_limit is not None and time.perf_counter() - started >= time_limit:
                    break
                if last is not None and block.blockNumber() >= last:
                    break
        finally:
            document.blockSignals(was_blocked)
        if block.isValid():
            self._next_block = block.blockNumber()
        else:
            self._next_block = -1
            self._later.stop()

    def _changed(self, position: int, _removed: int, _added: int) -> None:
        """An edit above the lines still waiting shifts them by the lines it added or
        removed. Qt colours the edited lines itself, so the idle-time colouring carries on
        where it was rather than starting again from the edit at each keystroke."""
        document = self.document()
        if document is None:
            return
        count = document.blockCount()
        shift, self._block_count = count - self._block_count, count
        if self._next_block > 0:
            edited = max(document.findBlock(position).blockNumber(), 0)
            if edited < self._next_block:
                self._next_block = max(self._next_block + shift, edited)

    def _format(self, style: int) -> QTextCharFormat:
        cached = self._formats.get(style)
        if cached is not None:
            return cached
        colors = _colors(self._dark)
        fmt = QTextCharFormat()
        for flag in (
            _Style.QUOTE,
            _Style.LINK,
            _Style.HEADING,
            _Style.CODE,
            _Style.URL,
            _Style.SYNTAX,
        ):
            if style & flag:
                fmt.setForeground(colors[flag])
        if style & (_Style.HEADING | _Style.BOLD):
            fmt.setFontWeight(QFont.Weight.Bold)
        if style & (_Style.ITALIC | _Style.QUOTE):
            fmt.setFontItalic(True)
        if style & _Style.LINK:
            fmt.setFontUnderline(True)
        self._formats[style] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        """Colour one line of source (called by Qt)."""
        if self._asleep:
            return
        styles = [0] * len(text)

        def mark(start: int, end: int, flag: _Style) -> None:
            for index in range(start, end):
                styles[index] |= flag

        previous = self.previousBlockState()
        fence = _FENCE.match(text)
        if previous >= _STATE_FENCE:
            opening = previous - _STATE_FENCE
            char = "~" if opening >= 10_000 else "`"
            length = opening % 10_000
            mark(0, len(text), _Style.CODE)
            closing = fence is not None and fence.group(1)[0] == char
            if closing and fence is not None and len(fence.group(1)) >= length:
                mark(0, len(text), _Style.SYNTAX)
                self.setCurrentBlockState(_STATE_NORMAL)
            else:
                self.setCurrentBlockState(previous)
            self._apply(text, styles)
            return
        if fence is not None:
            marker = fence.group(1)
            state = _STATE_FENCE + len(marker) + (10_000 if marker[0] == "~" else 0)
            self.setCurrentBlockState(state)
            mark(0, len(text), _Style.SYNTAX)
            self._apply(text, styles)
            return
        self.setCurrentBlockState(_STATE_NORMAL)
        self._line_styles(text, mark)
        self._apply(text, styles)
        if self.after_block is not None:
            self.after_block(self, text)

    @staticmethod
    def _line_styles(text: str, mark: _Marker) -> None:
        rest = 0
        quote = _QUOTE.match(text)
        if quote:
            mark(0, len(text), _Style.QUOTE)
            mark(0, quote.end(), _Style.SYNTAX)
            rest = quote.end()
        if _RULE.match(text) or _SETEXT.match(text):
            mark(0, len(text), _Style.SYNTAX)
            return
        heading = _HEADING.match(text[rest:])
        if heading:
            mark(rest, len(text), _Style.HEADING)
            mark(rest + heading.start(1), rest + heading.end(1), _Style.SYNTAX)
        else:
            item = _LIST.match(text[rest:])
            if item:
                mark(rest, rest + item.end(), _Style.SYNTAX)
        code: list[tuple[int, int]] = []
        for match in _CODE_SPAN.finditer(text):
            mark(match.start(), match.end(), _Style.CODE)
            code.append((match.start(), match.end()))

        def in_code(position: int) -> bool:
            return any(start <= position < end for start, end in code)

        for match in _LINK.finditer(text):
            if in_code(match.start()):
                continue
            mark(match.start(1), match.end(1), _Style.SYNTAX)
            mark(match.start(2), match.end(2), _Style.LINK)
            mark(match.start(3), match.end(3), _Style.SYNTAX)
            mark(match.start(4), match.end(4), _Style.URL)
            mark(match.start(5), match.end(5), _Style.SYNTAX)
        for match in _AUTOLINK.finditer(text):
            if not in_code(match.start()):
                mark(match.start(), match.end(), _Style.URL)
        for pattern, flag in ((_BOLD, _Style.BOLD), (_ITALIC, _Style.ITALIC)):
            for match in pattern.finditer(text):
                if in_code(match.start()) or in_code(match.end() - 1):
                    continue
                mark(match.start(), match.end(), flag)
                mark(match.start(1), match.end(1), _Style.SYNTAX)
                mark(match.end(2), match.end(), _Style.SYNTAX)

    def _apply(self, text: str, styles: list[int]) -> None:
        if not styles:
            return
        wide = any(ord(char) > 0xFFFF for char in text)
        offsets: list[int] = []
        if wide:
            total = 0
            for char in text:
                offsets.append(total)
                total += 2 if ord(char) > 0xFFFF else 1
            offsets.append(total)
        start = 0
        for index in range(1, len(styles) + 1):
            if index == len(styles) or styles[index] != styles[start]:
                if styles[start]:
                    low, high = (offsets[start], offsets[index]) if wide else (start, index)
                    self.setFormat(low, high - low, self._format(styles[start]))
                start = index
