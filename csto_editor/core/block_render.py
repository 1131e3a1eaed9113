"""Rendering a body block by block, so that an edit re-renders only the blocks it touched.

The preview renders the body on every pause in typing; a 20,000-word body takes about
120 ms as one piece. ``BlockRenderer`` splits the body into top-level blocks, keeps
the sanitised HTML of each block, and renders only blocks whose text changed. The
result is always exactly what ``render_markdown`` gives for the whole body (the
property tests in ``tests/core/test_block_render.py`` compare them over random edits):

- A body is cut only in front of a line that starts a new top-level block whose
  rendering cannot depend on the block before it: after a blank line, outside fenced
  code, not indented, and with no line in the block that a list, a block quote or a
  definition list would join to the element before it (those blocks stay with the
  previous one).
- Features whose output depends on the whole body are not cut at all: footnotes,
  abbreviations, reference-link definitions, ``[TOC]``, attribute lists (``{: #id}``),
  raw HTML blocks, and any text with a carriage return or a marker character of
  Python-Markdown's. Such a body is rendered as one block (still cached, still right).
- Heading ids are unique across the body (``toc`` adds ``_1``, ``_2`` to repeated
  headings). Each block records the slug of each heading; when the blocks are joined,
  the ids are handed out again over the whole body in order, as ``toc`` does.
- Source lines (``data-source-line``) are rendered relative to the block, and shifted
  by the block's first line when the blocks are joined.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify_unicode, unique

from csto_editor.core.content import Language
from csto_editor.core.markdown_render import (
    MAX_RENDER,
    _build_markdown,
    _language,
    _plain_paragraphs,
    render_markdown,
    sanitize_html,
)
from csto_editor.core.source_map import SOURCE_LINE_ATTRIBUTE, _fenced_lines

__all__ = ["Block", "BlockRenderer", "RenderedBody", "split_blocks"]

_WHOLE_BODY_FEATURES = re.compile(
    r"\[\^"  # footnotes
    r"|^ {0,3}\*\["  # abbreviations
    r"|^ {0,3}\[[^\]\n]*\]:"  # reference-link definitions
    r"|\[TOC\]"
    r"|\{:|\{ *[#.]"  # attribute lists
    r"|^ {0,3}<"  # raw HTML blocks
    r"|[\r\x02\x03]",
    re.MULTILINE,
)
"""Anything whose rendering depends on more than one block: the body stays one block."""

_JOINS_PREVIOUS = re.compile(r"^ {0,3}(?:>|:|[*+-](?: |$)|\d+[.)](?: |$))", re.MULTILINE)
"""A line that may join the element before it (a list, a block quote, a definition)."""

_DEFINITION_LINE = re.compile(r"^ {0,3}:", re.MULTILINE)
"""A definition: it turns the paragraph before it into terms, and those terms join a
definition list right before that paragraph, so it reaches two blocks back."""

_SOURCE_LINE_RE = re.compile(rf'{SOURCE_LINE_ATTRIBUTE}="(\d+)"')
_HEADING_ID_RE = re.compile(r'(<h[1-6]\b[^>]*?\sid=")([^"]*)(")')


@dataclass(frozen=True)
class Block:
    """One piece of a body: its text and the 0-based line it starts on."""

    text: str
    first_line: int


def _normalised(line: str, first: bool) -> str:
    """A line as Python-Markdown's whitespace normaliser leaves it: tabs expanded, and
    spaces alone emptied except on the first line (the normaliser misses that one)."""
    expanded = line.expandtabs(4)
    return "" if not first and expanded.strip(" ") == "" else expanded


def split_blocks(text: str) -> list[Block]:
    """``text`` as blocks that render independently (see the module's description)."""
    if len(text) > MAX_RENDER or _WHOLE_BODY_FEATURES.search(text):
        return [Block(text, 0)]
    lines = text.split("\n")
    normal = [_normalised(line, number == 0) for number, line in enumerate(lines)]
    inside_fence = _fenced_lines(normal)
    starts: list[int] = [0]
    for number in range(1, len(normal)):
        line = normal[number]
        if (
            line
            and normal[number - 1] == ""
            and not line.startswith(" ")
            and number not in inside_fence
        ):
            starts.append(number)
    blocks: list[Block] = []
    bounds = [*starts, len(lines)]
    for index, start in enumerate(starts):
        piece = lines[start : bounds[index + 1]]
        joined = "\n".join(piece)
        # Whitespace alone renders as nothing by itself, but at the top of a body its
        # spaces may open an indented code block: such a first block joins the next.
        normal_piece = "\n".join(normal[start : bounds[index + 1]])
        joins = _JOINS_PREVIOUS.search(normal_piece)
        if blocks and (joins or not blocks[-1].text.strip()):
            previous = blocks.pop()
            merged = Block(previous.text + "\n" + joined, previous.first_line)
            if blocks and _DEFINITION_LINE.search(normal_piece):
                before = blocks.pop()
                merged = Block(before.text + "\n" + merged.text, before.first_line)
            blocks.append(merged)
        else:
            blocks.append(Block(joined, start))
    return blocks


@dataclass(frozen=True)
class _RenderedBlock:
    html: str
    """Sanitised HTML; source lines relative to the block."""
    slugs: tuple[str, ...]
    """The slug of each heading, in order (before ``toc`` made it unique)."""


@dataclass(frozen=True)
class RenderedBody:
    """A body rendered block by block."""

    html: str
    """Exactly what ``render_markdown`` gives for the whole body."""
    fragments: tuple[str, ...]
    """Each block's HTML as it appears in ``html`` (joined by newlines, empty ones left
    out of the join): absolute source lines and final heading ids."""
    unshifted: tuple[str, ...]
    """Each block's HTML before its source lines were shifted: equal for a block whose
    text is unchanged and only moved up or down (lines inserted above it)."""
    keys: tuple[str, ...]
    """Each block's source text, to tell which blocks an edit changed."""
    first_lines: tuple[int, ...]
    rendered_blocks: int
    """How many blocks had to be rendered (the rest came from the cache)."""


@dataclass
class _Slugs:
    recorded: list[str] = field(default_factory=list)

    def slugify(self, value: str, separator: str) -> str:
        slug = slugify_unicode(value, separator)
        self.recorded.append(slug)
        return slug


class BlockRenderer:
    """Renders bodies of one language block by block, caching each block's HTML.

    Not thread-safe: use one instance from one thread at a time.
    """

    def __init__(self, lang: Language | str, *, source_lines: bool = True) -> None:
        self.language = _language(lang)
        self._source_lines = source_lines
        self._slugs = _Slugs()
        self._converter = _build_markdown(self.language, source_lines, self._slugs.slugify)
        self._cache: dict[str, _RenderedBlock] = {}
        self.blocks_rendered = 0
        """Blocks rendered since this renderer was made (the rest came from the cache)."""

    def render(self, text: str) -> RenderedBody:
        """The body's HTML, rendering only blocks not seen in the previous render."""
        if len(text) > MAX_RENDER:
            html = render_markdown(text, self.language, source_lines=self._source_lines)
            return RenderedBody(html, (html,), (html,), (text,), (0,), 1)
        blocks = split_blocks(text)
        rendered = 0
        cache: dict[str, _RenderedBlock] = {}
        pieces: list[_RenderedBlock] = []
        for block in blocks:
            piece = cache.get(block.text) or self._cache.get(block.text)
            if piece is None:
                piece = self._render_block(block.text)
                rendered += 1
                # Renders run off the GUI thread: hand the GIL over between blocks, so
                # that a keystroke never waits for a whole body to be rendered.
                time.sleep(0)
            cache[block.text] = piece
            pieces.append(piece)
        self._cache = cache  # keep only what the body holds now
        self.blocks_rendered += rendered
        fragments, unshifted = _join(pieces, blocks, self._source_lines)
        html = "\n".join(fragment for fragment in fragments if fragment)
        return RenderedBody(
            html,
            tuple(fragments),
            tuple(unshifted),
            tuple(block.text for block in blocks),
            tuple(block.first_line for block in blocks),
            rendered,
        )

    def _render_block(self, text: str) -> _RenderedBlock:
        self._slugs.recorded.clear()
        self._converter.reset()
        try:
            raw = self._converter.convert(text)
        except RecursionError:
            self._converter = _build_markdown(
                self.language, self._source_lines, self._slugs.slugify
            )
            return _RenderedBlock(sanitize_html(_plain_paragraphs(text)), ())
        html = sanitize_html(raw, source_lines=self._source_lines)
        return _RenderedBlock(html, tuple(self._slugs.recorded))


def _join(
    pieces: Sequence[_RenderedBlock], blocks: Sequence[Block], source_lines: bool
) -> tuple[list[str], list[str]]:
    """The blocks' HTML with heading ids made unique over the body, with lines shifted
    and before."""
    used: set[str] = set()
    counters: dict[str, int] = {}
    fragments: list[str] = []
    unshifted: list[str] = []
    for piece, block in zip(pieces, blocks, strict=True):
        html = piece.html
        if piece.slugs and len(blocks) > 1:  # one block: its ids are the body's
            wanted = iter([unique(slug, used, counters) for slug in piece.slugs])
            html = _HEADING_ID_RE.sub(_replace_with(wanted), html)
        unshifted.append(html)
        if source_lines and block.first_line:
            html = _SOURCE_LINE_RE.sub(_shifted_by(block.first_line), html)
        fragments.append(html)
    return fragments, unshifted


def _replace_with(ids: Iterator[str]) -> Callable[[re.Match[str]], str]:
    """Each heading id in turn replaced by the next of ``ids``."""

    def replace(match: re.Match[str]) -> str:
        new = next(ids, None)
        return match.group(0) if new is None else f"{match.group(1)}{new}{match.group(3)}"

    return replace


def _shifted_by(offset: int) -> Callable[[re.Match[str]], str]:
    """A source line attribute moved down by ``offset`` lines."""
    return lambda match: f'{SOURCE_LINE_ATTRIBUTE}="{int(match.group(1)) + offset}"'
