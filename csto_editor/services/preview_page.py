"""Preview pages rendered block by block, with what a view needs to patch them in place.

``BlockPreviewer.render`` returns a ``PreviewPage``: the whole page, exactly as
``PagePreviewer.render`` makes it, plus the page split into the part before the body's
blocks, the blocks' HTML one by one, and the part after them. A view that already
shows the previous page can then replace only the blocks that changed.

The first render of a body (an item just opened) is one whole render: the fastest way
to a first page. The block cache is then filled on a background thread, so that the
first keystroke already re-renders only its own block.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from csto_editor.core.block_render import BlockRenderer
from csto_editor.core.content import ItemContent, Language
from csto_editor.services.pages import PagePreviewer, PageSurroundings

__all__ = ["BlockPreviewer", "BodyBlocks", "PreviewPage"]

_BODY_MARKER = "\x00csto-body\x00"
"""Stands for the body while the page around it is rendered (no body can hold NUL)."""

PRIME_DELAY_S = 0.5
"""How long after a whole render the block cache starts filling (the page paints first)."""


@dataclass(frozen=True)
class BodyBlocks:
    """The body of a page as blocks (see ``core.block_render.RenderedBody``)."""

    fragments: tuple[str, ...]
    """Each block's HTML as in the page (links resolved, absolute source lines)."""
    unshifted: tuple[str, ...]
    """Each block's HTML before its source lines were shifted."""
    keys: tuple[str, ...]
    """Each block's Markdown."""
    first_lines: tuple[int, ...]
    rendered: int
    """How many blocks this render had to render."""


@dataclass(frozen=True)
class PreviewPage:
    """One rendered preview page."""

    html: str
    before: str
    """The page up to the body's blocks."""
    after: str
    """The page after the body's blocks."""
    blocks: BodyBlocks | None
    """None when the body was rendered whole."""


class BlockPreviewer:
    """Renders preview pages of one pane; ``render`` runs on one thread at a time."""

    def __init__(self, previewer: PagePreviewer, *, prime_delay_s: float = PRIME_DELAY_S) -> None:
        self._previewer = previewer
        self._renderers: dict[Language, BlockRenderer] = {}
        self._lock = threading.Lock()
        self._prime_delay_s = prime_delay_s
        self._resolved: dict[str, str] = {}
        self._fresh = True
        self.whole_renders = 0
        """Pages whose body was rendered in one piece (for tests)."""

    def render(self, content: ItemContent, around: PageSurroundings) -> PreviewPage:
        """The page for ``content``: whole after ``start_over``, else block by block."""
        before, after = self._shell(content, around)
        with self._lock:
            if self._fresh:
                self._fresh = False
                return self._whole(content, before, after)
            body = self._renderer(content.lang).render(content.body)
            resolved = {fragment: self._resolve(fragment) for fragment in body.fragments}
            self._resolved = resolved
        fragments = tuple(resolved[fragment] for fragment in body.fragments)
        html = before + "\n".join(fragment for fragment in fragments if fragment) + after
        blocks = BodyBlocks(
            fragments, body.unshifted, body.keys, body.first_lines, body.rendered_blocks
        )
        return PreviewPage(html, before, after, blocks)

    @property
    def blocks_rendered(self) -> int:
        """Blocks rendered one by one so far (the rest came from the cache)."""
        return sum(renderer.blocks_rendered for renderer in self._renderers.values())

    def start_over(self) -> None:
        """Another item was opened: its first page is rendered whole (fastest)."""
        self._fresh = True

    def _whole(self, content: ItemContent, before: str, after: str) -> PreviewPage:
        """Render the body in one piece, and fill the block cache in the background."""
        self.whole_renders += 1
        html = before + self._previewer.resolved_body(content) + after
        timer = threading.Timer(self._prime_delay_s, self._prime, (content.lang, content.body))
        timer.daemon = True
        timer.start()
        return PreviewPage(html, before, after, None)

    def _prime(self, lang: Language, body: str) -> None:
        with self._lock:
            self._renderer(lang).render(body)

    def _renderer(self, lang: Language) -> BlockRenderer:
        renderer = self._renderers.get(lang)
        if renderer is None:
            renderer = BlockRenderer(lang)
            self._renderers[lang] = renderer
        return renderer

    def prime_now(self, lang: Language, body: str) -> None:
        """Fill the block cache at once (tests; the pane does it after a whole render)."""
        self._prime(lang, body)

    def _resolve(self, fragment: str) -> str:
        known = self._resolved.get(fragment)
        return known if known is not None else self._previewer.resolve(fragment)

    def _shell(self, content: ItemContent, around: PageSurroundings) -> tuple[str, str]:
        page = self._previewer.page(content, around, _BODY_MARKER)
        before, _marker, after = page.partition(_BODY_MARKER)
        return before, after
