"""Line-level Markdown editing on a QTextDocument: lists, quotes, headings, indentation.

Each function takes the editor's QTextCursor, edits the document through helper
cursors inside one edit block (one undo step) and leaves the given cursor where the
user expects it: QTextCursor follows the edits made by other cursors.

Line prefixes are ASCII (``> ``, spaces, ``- ``, ``12. ``), so a Python index into a
block's text equals Qt's UTF-16 position there; text after a prefix is never sliced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QTextBlock, QTextCursor

__all__ = [
    "INDENT",
    "LineParts",
    "indent_lines",
    "parse_line",
    "renumber_list",
    "selected_blocks",
    "set_heading",
    "smart_newline",
    "toggle_list",
    "toggle_quote",
]

INDENT = "    "
"""One level of list nesting: four spaces, as Python-Markdown requires."""

_LINE = re.compile(
    r"^(?P<quote>(?: {0,3}> ?)*)(?P<indent>[ \t]*)"
    r"(?:(?P<marker>[-*+]|(?P<number>\d{1,9})(?P<delim>[.)]))(?P<space>[ \t]+|$))?"
)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+|$)")
_QUOTE_LEVEL = re.compile(r"^ {0,3}> ?")


@dataclass(frozen=True)
class LineParts:
    """A source line split into quote prefix, indentation, list marker and content."""

    quote: str
    indent: str
    marker: str
    space: str
    content: str

    @property
    def prefix(self) -> str:
        """Everything before the content."""
        return self.quote + self.indent + self.marker + self.space

    @property
    def ordered(self) -> bool:
        """A numbered item (``1.`` or ``1)``)."""
        return self.marker[:1].isdigit()

    @property
    def number(self) -> int:
        """The item's number (0 for a bullet or a plain line)."""
        return int(self.marker[:-1]) if self.ordered else 0

    @property
    def depth(self) -> int:
        """Indentation width in columns, a tab counting as four."""
        return len(self.indent.replace("\t", INDENT))


def parse_line(text: str) -> LineParts:
    """Split a line into its Markdown prefix parts and the rest."""
    match = _LINE.match(text)
    assert match is not None  # every part of the pattern is optional
    marker = match.group("marker") or ""
    space = match.group("space") or ""
    if marker and not space and match.end() < len(text):
        marker = ""
    end = match.end() if marker else match.end("indent")
    return LineParts(match.group("quote"), match.group("indent"), marker, space, text[end:])


def selected_blocks(cursor: QTextCursor) -> list[QTextBlock]:
    """The blocks the selection touches (a selection ending at a line start skips it)."""
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
        last = last.previous()
    blocks = [first]
    while blocks[-1] != last and blocks[-1].next().isValid():
        blocks.append(blocks[-1].next())
    return blocks


def _replace(block: QTextBlock, start: int, length: int, text: str) -> None:
    """Replace ``length`` characters at ``start`` within a block's text."""
    if length == 0 and not text:
        return
    cursor = QTextCursor(block)
    cursor.setPosition(block.position() + start)
    cursor.setPosition(block.position() + start + length, QTextCursor.MoveMode.KeepAnchor)
    cursor.insertText(text)


def _next_marker(parts: LineParts) -> str:
    if parts.ordered:
        return f"{parts.number + 1}{parts.marker[-1]}"
    return parts.marker


def smart_newline(cursor: QTextCursor) -> bool:
    """Enter inside a list item or a quote: continue it, or end it on an empty line.

    Returns False when the line is neither, or the cursor sits inside the prefix,
    so the caller inserts a plain newline.
    """
    if cursor.hasSelection():
        return False
    block = cursor.block()
    parts = parse_line(block.text())
    if not parts.quote and not parts.marker:
        return False
    if cursor.positionInBlock() < len(parts.prefix):
        return False
    cursor.beginEditBlock()
    if not parts.content.strip() and cursor.atBlockEnd():
        # an empty item ends the list; an empty quote line ends the quote
        kept = parts.quote if parts.marker else ""
        _replace(block, 0, len(parts.prefix), kept.rstrip() + " " if kept else "")
        cursor.endEditBlock()
        return True
    if parts.marker:
        space = parts.space if parts.space and not parts.space.strip(" ") else " "
        continuation = parts.quote + parts.indent + _next_marker(parts) + space
    else:
        continuation = parts.quote
    cursor.insertText("\n" + continuation)
    if parts.ordered and not parts.quote:
        renumber_list(cursor.block())
    cursor.endEditBlock()
    return True


def indent_lines(cursor: QTextCursor, outdent: bool) -> bool:
    """Tab / Shift+Tab: indent or outdent list items, or every line of a selection.

    Returns False for Tab on a single plain line (the caller inserts spaces there).
    """
    blocks = selected_blocks(cursor)
    if len(blocks) == 1 and not outdent and not parse_line(blocks[0].text()).marker:
        return False
    cursor.beginEditBlock()
    for block in blocks:
        parts = parse_line(block.text())
        if not block.text().strip():
            continue
        at = len(parts.quote)
        if outdent:
            spaces = len(parts.indent) - len(parts.indent.lstrip(" "))
            moved_by = 1 if parts.indent.startswith("\t") else min(len(INDENT), spaces)
            _replace(block, at, moved_by, "")
        else:
            moved_by = len(INDENT)
            _replace(block, at, 0, INDENT)
        if parts.ordered and moved_by:
            # a moved item starts counting at 1 at its new level; renumbering corrects it
            moved = parse_line(block.text())
            at = len(moved.quote) + len(moved.indent)
            _replace(block, at, len(moved.marker) - 1, "1")
    if not parse_line(blocks[0].text()).quote:
        renumber_list(blocks[0])
    cursor.endEditBlock()
    return True


def _in_list_run(block: QTextBlock) -> bool:
    text = block.text()
    parts = parse_line(text)
    return not parts.quote and bool(parts.marker or (parts.indent and text.strip()))


def renumber_list(block: QTextBlock) -> None:
    """Number the items of the list around ``block`` 1, 2, 3… at every level.

    The first item of the outermost level keeps its number (a list may start at 5);
    nested levels count on from their first item. Lines inside quotes are left alone.
    """
    if not block.isValid():
        return
    start = block
    while True:
        previous = start.previous()
        if previous.isValid() and _in_list_run(previous):
            start = previous
        elif (
            previous.isValid()
            and not previous.text().strip()
            and previous.previous().isValid()
            and _in_list_run(previous.previous())
        ):
            start = previous.previous()  # a loose list: one blank line between items
        else:
            break
    levels: list[tuple[int, bool, int]] = []  # depth, ordered, next number
    current = start
    while current.isValid():
        parts = parse_line(current.text())
        if not current.text().strip():
            following = current.next()
            if following.isValid() and _in_list_run(following):
                current = following
                continue
            break
        if not _in_list_run(current):
            break
        if parts.marker:
            while levels and levels[-1][0] > parts.depth:
                levels.pop()
            if levels and levels[-1][0] == parts.depth and levels[-1][1] == parts.ordered:
                number = levels[-1][2]
                if parts.ordered and parts.number != number:
                    at = len(parts.quote) + len(parts.indent)
                    _replace(current, at, len(parts.marker) - 1, str(number))
                levels[-1] = (parts.depth, parts.ordered, number + 1)
            else:
                if levels and levels[-1][0] == parts.depth:
                    levels.pop()
                levels.append((parts.depth, parts.ordered, parts.number + 1))
        current = current.next()


def _rewrite_lines(cursor: QTextCursor, rewrite: list[tuple[QTextBlock, int, int, str]]) -> None:
    cursor.beginEditBlock()
    for block, start, length, text in rewrite:
        _replace(block, start, length, text)
    cursor.endEditBlock()


def toggle_list(cursor: QTextCursor, ordered: bool) -> None:
    """Make the selected lines a bullet (or numbered) list, or plain lines if they are one."""
    blocks = [b for b in selected_blocks(cursor) if b.text().strip()]
    if not blocks:
        blocks = [cursor.block()]
    parts = [parse_line(b.text()) for b in blocks]
    already = all(p.marker and p.ordered == ordered for p in parts)
    edits: list[tuple[QTextBlock, int, int, str]] = []
    number = 1
    for block, line in zip(blocks, parts, strict=True):
        at = len(line.quote) + len(line.indent)
        if already:
            edits.append((block, at, len(line.marker) + len(line.space), ""))
            continue
        marker = f"{number}. " if ordered else "- "
        number += 1
        edits.append((block, at, len(line.marker) + len(line.space), marker))
    cursor.beginEditBlock()
    _rewrite_lines(cursor, edits)
    if ordered and not already and not parts[0].quote:
        renumber_list(blocks[0])
    cursor.endEditBlock()


def toggle_quote(cursor: QTextCursor) -> None:
    """Quote the selected lines with ``> ``, or remove one level if all are quoted."""
    blocks = selected_blocks(cursor)
    texts = [b.text() for b in blocks]
    already = all(_QUOTE_LEVEL.match(t) for t in texts if t.strip()) and any(
        t.strip() for t in texts
    )
    edits: list[tuple[QTextBlock, int, int, str]] = []
    for block, text in zip(blocks, texts, strict=True):
        if already:
            match = _QUOTE_LEVEL.match(text)
            if match:
                edits.append((block, 0, match.end(), ""))
        else:
            edits.append((block, 0, 0, "> " if text.strip() else ">"))
    _rewrite_lines(cursor, edits)


def set_heading(cursor: QTextCursor, level: int) -> None:
    """Make the selected lines headings of ``level`` (1–6); the same level again, or 0,
    makes them plain paragraphs."""
    level = max(0, min(6, level))
    blocks = selected_blocks(cursor)
    matches = [_HEADING.match(b.text()) for b in blocks]
    same = all(m and len(m.group(1)) == level for m in matches)
    edits: list[tuple[QTextBlock, int, int, str]] = []
    for block, match in zip(blocks, matches, strict=True):
        length = match.end() if match else 0
        prefix = "" if same or level == 0 else "#" * level + " "
        edits.append((block, 0, length, prefix))
    _rewrite_lines(cursor, edits)
