"""Source lines on rendered blocks: a Python-Markdown extension for editor–preview sync.

``SourceLineExtension`` gives every block element that a top-level Markdown block
produces (``p``, ``h1``–``h6``, ``ul``, ``ol``, ``dl``, ``blockquote``, ``table``,
``pre``, ``hr``, the ``toc`` and ``footnote`` divs, a raw HTML block…) the attribute
``data-source-line="N"``: the 0-based line of the source where that block starts.
Lines are counted after Python-Markdown's own normalisation, so ``\\r\\n`` and a lone
``\\r`` each end one line, as in an editor.

How it works, in three steps of the Markdown pipeline:

1. A preprocessor (after whitespace is normalised, before fenced code and raw HTML are
   stashed) puts a marker paragraph, ``STX source-line:N ETX``, into the blank gap in
   front of every block that starts less than four spaces in, outside fenced code.
   The markers add blocks but never join or split the author's blocks.
2. A block processor with the highest priority swallows each marker without adding
   anything to the tree, so the processors that look at the previous sibling (lists,
   quotes, code, definition lists) see exactly what they would have seen. It notes
   how many children the parent had; at the next marker in the same parent it knows
   whether the block in between added one.
3. The last treeprocessor (after ``toc``, ``footnotes`` and ``attr_list`` have replaced
   or added elements) sets the attribute by position. A placeholder paragraph of a
   fenced code block or a raw HTML block gets the attribute written into the stashed
   HTML's first tag instead, so the raw HTML still replaces the placeholder cleanly.

Indented blocks (four spaces or more) get no marker: a footnote or a list item gathers
the indented paragraphs after it by looking ahead, and a marker would cut them off.
Such a block continues the element before it, or (an indented code block at top
level) simply carries no line. Only the first element a block produces is marked
(``text`` followed by ``# Heading`` without a blank line marks the paragraph only).

Markers that end up inside raw HTML are removed from the stash; a last postprocessor
removes any that survived somewhere else, so a marker never reaches the output.

``clean_anchors``, ``line_at_position`` and ``position_of_line`` turn the marked
blocks' positions in a rendered page into a mapping both ways between a source line
and a scroll position, interpolating inside blocks; the preview uses them whether
the page is shown by QtWebEngine or by QTextBrowser.

The extension keeps per-conversion state on itself: use one instance per
``markdown.Markdown`` object (which is not thread-safe anyway) and call ``reset``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.attr_list import get_attrs_and_remainder
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, HTML_PLACEHOLDER_RE, STX

__all__ = [
    "SOURCE_LINE_ATTRIBUTE",
    "Anchor",
    "SourceLineExtension",
    "block_start_lines",
    "clean_anchors",
    "line_at_position",
    "position_of_line",
]

SOURCE_LINE_ATTRIBUTE = "data-source-line"
"""The attribute carrying a block's 0-based source line."""

_MARKER = STX + "source-line:{}" + ETX
_MARKER_RE = re.compile(STX + r"source-line:(\d+)" + ETX)
_MARKER_BLOCK_RE = re.compile(r"\n*" + _MARKER_RE.pattern + r"\Z")
_MARKER_IN_STASH_RE = re.compile(_MARKER_RE.pattern + r"\n{0,2}")
_MARKER_IN_OUTPUT_RE = re.compile(r"(?:<p>)?" + _MARKER_RE.pattern + r"(?:</p>)?\n{0,2}")
_FOOTNOTE_DEFINITION_RE = re.compile(r"^[ ]{0,3}\[\^[^\]]*\]:")
_FIRST_TAG_RE = re.compile(r"\A(\s*<[A-Za-z][\w:-]*)(?=[\s/>])")
_INDENT = 4


def block_start_lines(lines: list[str]) -> list[int]:
    """The lines (0-based) where a top-level block may start: after a blank line or at
    the top, indented less than four spaces, outside fenced code.

    ``lines`` are Python-Markdown's normalised lines: blank lines are empty strings.
    """
    inside_fence = _fenced_lines(lines)
    starts: list[int] = []
    previous_blank = True
    for number, line in enumerate(lines):
        blank = line == ""
        if (
            not blank
            and previous_blank
            and number not in inside_fence
            and len(line) - len(line.lstrip(" ")) < _INDENT
        ):
            starts.append(number)
        previous_blank = blank
    return starts


def _fenced_lines(lines: list[str]) -> set[int]:
    """Lines inside fenced code blocks (not the opening fence), found exactly as the
    ``fenced_code`` extension finds them."""
    text = "\n".join(lines)
    pattern = FencedBlockPreprocessor.FENCED_BLOCK_RE
    inside: set[int] = set()
    index = 0
    while match := pattern.search(text, index):
        if match.group("attrs"):
            _attrs, remainder = get_attrs_and_remainder(match.group("attrs"))
            if remainder:
                index = match.end("attrs")
                continue
        first = text.count("\n", 0, match.start()) + 1
        last = first + match.group(0).count("\n")
        inside.update(range(first, last))
        index = match.end()
    return inside


@dataclass
class _Mark:
    """A marker seen by the block parser: the line, and where the next block went."""

    line: int
    parent: ElementTree.Element
    index: int
    element: ElementTree.Element | None = None


@dataclass
class _State:
    """What one conversion has learnt so far."""

    marks: list[_Mark] = field(default_factory=list)
    open_marks: dict[int, _Mark] = field(default_factory=dict)
    first_footnote_line: int | None = None

    def close(self, mark: _Mark) -> None:
        """Note the child the block after ``mark`` added to its parent, if any."""
        if len(mark.parent) > mark.index:
            mark.element = mark.parent[mark.index]

    def settle(self) -> None:
        """After parsing: keep the marks whose element is still where it was put.

        A later block may have taken a marked element out (a paragraph that turned
        out to be a definition term moves into a ``dl``). The element now at that
        place inherits the mark only if no other mark claims it (the ``dl`` that
        replaced its first term does; the paragraph that moved up after a term was
        taken does not).
        """
        for mark in self.open_marks.values():
            self.close(mark)
        self.open_marks.clear()
        claimed = {
            id(mark.element)
            for mark in self.marks
            if mark.element is not None and _child(mark.parent, mark.index) is mark.element
        }
        for mark in self.marks:
            if mark.element is None:
                continue
            present = _child(mark.parent, mark.index)
            if present is mark.element:
                continue
            if present is not None and id(present) not in claimed:
                mark.element = present
                claimed.add(id(present))
            else:
                mark.element = None


def _child(parent: ElementTree.Element, index: int) -> ElementTree.Element | None:
    return parent[index] if index < len(parent) else None


class _MarkPreprocessor(Preprocessor):
    """Puts a marker block into the blank gap before every top-level block start."""

    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self._state = state

    def run(self, lines: list[str]) -> list[str]:
        starts = set(block_start_lines(lines))
        result: list[str] = []
        for number, line in enumerate(lines):
            if number in starts:
                self._insert_in_gap(result, number)
                if _FOOTNOTE_DEFINITION_RE.match(line) and self._state.first_footnote_line is None:
                    self._state.first_footnote_line = number
            result.append(line)
        return result

    @staticmethod
    def _insert_in_gap(result: list[str], number: int) -> None:
        """Insert the marker after the first blank line of the gap before ``number``
        (or at the top, when only blank lines come before it): the author's blocks
        then split exactly as before, with one more block between them."""
        gap = len(result)
        while gap > 0 and result[gap - 1] == "":
            gap -= 1
        at = gap + 1 if gap > 0 else 0
        result[at:at] = [_MARKER.format(number), ""]


class _StashCleaner(Preprocessor):
    """Removes markers that raw HTML blocks swallowed into the stash."""

    def run(self, lines: list[str]) -> list[str]:
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, block in enumerate(stash):
            if isinstance(block, str) and STX in block:
                stash[index] = _MARKER_IN_STASH_RE.sub("", block)
        return lines


class _MarkBlockProcessor(BlockProcessor):
    """Swallows marker blocks, noting where the block after each one goes."""

    def __init__(self, parser: markdown.blockparser.BlockParser, state: _State) -> None:
        super().__init__(parser)
        self._state = state

    def test(self, parent: ElementTree.Element, block: str) -> bool:
        return _MARKER_BLOCK_RE.match(block) is not None

    def run(self, parent: ElementTree.Element, blocks: list[str]) -> bool | None:
        match = _MARKER_BLOCK_RE.match(blocks.pop(0))
        assert match is not None  # test() said so
        state = self._state
        previous = state.open_marks.get(id(parent))
        if previous is not None:
            state.close(previous)
        mark = _Mark(int(match.group(1)), parent, len(parent))
        state.marks.append(mark)
        state.open_marks[id(parent)] = mark
        return None


class _CloseMarks(Treeprocessor):
    """Runs first: settles the marks before any treeprocessor adds or replaces elements."""

    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self._state = state

    def run(self, root: ElementTree.Element) -> None:
        self._state.settle()


class _ApplyMarks(Treeprocessor):
    """Runs last: writes the attribute onto the elements (or stashed HTML) marked.

    By position: ``toc`` and ``footnotes`` replace a marked placeholder paragraph
    with their ``div`` in place.
    """

    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self._state = state

    def run(self, root: ElementTree.Element) -> None:
        for mark in self._state.marks:
            if mark.element is not None and mark.index < len(mark.parent):
                self._mark(mark.parent[mark.index], mark.line)
        footnote_line = self._state.first_footnote_line
        if footnote_line is not None:
            for child in root:
                is_footnotes = child.tag == "div" and "footnote" in child.get("class", "").split()
                if is_footnotes and child.get(SOURCE_LINE_ATTRIBUTE) is None:
                    child.set(SOURCE_LINE_ATTRIBUTE, str(footnote_line))

    def _mark(self, element: ElementTree.Element, line: int) -> None:
        if element.get(SOURCE_LINE_ATTRIBUTE) is not None:
            return
        placeholder = HTML_PLACEHOLDER_RE.fullmatch((element.text or "").strip())
        if element.tag == "p" and placeholder is not None and len(element) == 0:
            # Raw HTML or fenced code: mark its first tag, keep the placeholder alone
            # so the raw HTML replaces the whole paragraph as usual.
            stash = self.md.htmlStash.rawHtmlBlocks
            index = int(placeholder.group(1))
            if index < len(stash):
                raw = stash[index]
                if isinstance(raw, str):
                    attribute = f' {SOURCE_LINE_ATTRIBUTE}="{line}"'
                    stash[index] = _FIRST_TAG_RE.sub(lambda m: m.group(1) + attribute, raw, 1)
                else:
                    raw.set(SOURCE_LINE_ATTRIBUTE, str(line))
            return
        element.set(SOURCE_LINE_ATTRIBUTE, str(line))


class _RemoveStrayMarkers(Postprocessor):
    """Safety net: a marker that reached the output anyway (span-level HTML) goes."""

    def run(self, text: str) -> str:
        return _MARKER_IN_OUTPUT_RE.sub("", text) if STX in text else text


class SourceLineExtension(Extension):
    """Adds ``data-source-line`` (0-based start line) to the elements of top-level blocks."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._state = _State()

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's name
        md.registerExtension(self)
        state = self._state
        # After normalize_whitespace (30), before fenced_code_block (25) and html_block (20).
        md.preprocessors.register(_MarkPreprocessor(md, state), "source_line_mark", 28)
        md.preprocessors.register(_StashCleaner(md), "source_line_stash", 19)
        md.parser.blockprocessors.register(
            _MarkBlockProcessor(md.parser, state), "source_line", 1000
        )
        md.treeprocessors.register(_CloseMarks(md, state), "source_line_close", 1000)
        md.treeprocessors.register(_ApplyMarks(md, state), "source_line_apply", 1)
        md.postprocessors.register(_RemoveStrayMarkers(md), "source_line_strays", 1)

    def reset(self) -> None:
        """Forget the previous conversion (Markdown.reset calls this)."""
        self._state.marks.clear()
        self._state.open_marks.clear()
        self._state.first_footnote_line = None


# --------------------------------------------------------------------------- scrolling

Anchor = tuple[int, float]
"""A block's source line and the vertical position of its top in the rendered page."""


def clean_anchors(anchors: list[Anchor]) -> list[Anchor]:
    """The anchors in page order, keeping only those that go further down in *both*
    line and position (so the mapping is monotonic); the first is moved to the top of
    the page, so that the page's head (title, dateline, lead) maps to the first line."""
    result: list[Anchor] = []
    for line, position in anchors:
        if not result:
            result.append((line, 0.0))
        elif line > result[-1][0] and position > result[-1][1]:
            result.append((line, position))
    return result


def line_at_position(anchors: list[Anchor], position: float) -> int:
    """The source line shown at ``position`` (the top of the viewport), interpolated
    between the blocks above and below it; ``anchors`` as made by ``clean_anchors``."""
    if not anchors:
        return 0
    index = bisect.bisect_right([top for _line, top in anchors], position) - 1
    if index < 0:
        return anchors[0][0]
    line, top = anchors[index]
    if index + 1 < len(anchors):
        next_line, next_top = anchors[index + 1]
        return line + int((position - top) / (next_top - top) * (next_line - line))
    return line


def position_of_line(anchors: list[Anchor], line: int) -> float:
    """Where source ``line`` is in the page: the inverse of ``line_at_position``."""
    if not anchors:
        return 0.0
    index = bisect.bisect_right([first for first, _top in anchors], line) - 1
    if index < 0:
        return 0.0
    first, top = anchors[index]
    if index + 1 < len(anchors):
        next_first, next_top = anchors[index + 1]
        return top + (line - first) / (next_first - first) * (next_top - top)
    return top
