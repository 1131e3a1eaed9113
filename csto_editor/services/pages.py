"""Building an item's page for the editor's preview, through the export's template."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from csto_editor import render_helper
from csto_editor.core import bundle
from csto_editor.core.content import ItemContent, Language
from csto_editor.core.links import resolve_links
from csto_editor.core.markdown_render import render_markdown
from csto_editor.core.pages import LABELS, ItemPage, Link, PageRenderer
from csto_editor.services.assets import asset_folder, local_asset_file
from csto_editor.services.context import ServiceContext, load_item
from csto_editor.services.revisions import content_of
from csto_editor.store.models import Item, Section

PREVIEW_CSP = (
    "default-src 'none'; img-src file: data:; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
"""The preview loads nothing from the network and runs no script.

``style-src 'unsafe-inline'`` admits the one ``<style>`` element that carries the site's
stylesheet into the preview; sanitised bodies hold no ``style`` attribute or element, so
that allowance serves the template alone. Images come only from the local asset store.
"""


@dataclass(frozen=True)
class PageSurroundings:
    """What a page shows around the item's own content; read once per opened item."""

    section_names: dict[Language, str]
    translations: dict[Language, int]


class PagePreviewer:
    """Renders the page as it will be published; ``render`` is safe from any thread."""

    def __init__(self, ctx: ServiceContext, resources: Path) -> None:
        self._ctx = ctx
        self._renderer = PageRenderer(resources / "templates")
        css = (resources / "css" / "site.css").read_text(encoding="utf-8")
        self._css = css
        self._assets = asset_folder(ctx)
        self._ahead: Future[tuple[ItemContent, str]] | None = None
        self._ahead_lock = threading.Lock()

    def render_ahead(self, item_id: int) -> None:
        """Read an item about to be opened and render its body on a thread of its own.

        The window calls this before it builds itself: the body's Markdown renders while
        Qt builds the widgets (in the helper process of ``csto_editor.render_helper``
        when one was started, else on the thread), and the first ``resolved_body`` of that
        same body takes the result. An item that cannot be read is left to the window.
        """
        ahead: Future[tuple[ItemContent, str]] = Future()
        helper = render_helper.take()

        def work() -> None:
            try:
                with self._ctx.database.session() as session:
                    content = content_of(load_item(session, item_id))
                html = helper.render(content.body, content.lang) if helper else None
                if html is None:
                    html = render_markdown(content.body, content.lang, source_lines=True)
                ahead.set_result((content, self.resolve(html)))
            except Exception as error:  # noqa: BLE001 - the window reads and renders it again
                if helper is not None:
                    helper.cancel()
                ahead.set_exception(error)

        with self._ahead_lock:
            self._ahead = ahead
        threading.Thread(target=work, name="render-ahead", daemon=True).start()

    def resolved_body(self, content: ItemContent) -> str:
        """The body's HTML with source lines, links resolved (see ``render_ahead``)."""
        with self._ahead_lock:
            ahead, self._ahead = self._ahead, None
        if ahead is not None and ahead.exception() is None:
            read, html = ahead.result()
            if read.body == content.body and read.lang is content.lang:
                return html
        return self._render_body(content)

    def _render_body(self, content: ItemContent) -> str:
        return self.resolve(render_markdown(content.body, content.lang, source_lines=True))

    def surroundings(self, item_id: int | None, section_slug: str) -> PageSurroundings:
        with self._ctx.database.session() as session:
            section = session.scalar(select(Section).where(Section.slug == section_slug))
            names = {
                Language.EN: section.name_en if section else section_slug,
                Language.RU: section.name_ru if section else section_slug,
            }
            translations: dict[Language, int] = {}
            if item_id is not None:
                item = load_item(session, item_id)
                if item.translation_group is not None:
                    for other in session.scalars(
                        select(Item).where(
                            Item.translation_group == item.translation_group,
                            Item.id != item.id,
                            Item.deleted_at.is_(None),
                        )
                    ):
                        translations[Language(other.lang)] = other.id
            return PageSurroundings(names, translations)

    def render(
        self, content: ItemContent, around: PageSurroundings, *, source_lines: bool = True
    ) -> str:
        """The full page HTML for the preview: same template, CSS inline, assets as files.

        With ``source_lines`` (the default) the body's blocks carry ``data-source-line``
        so editor and preview can scroll together; pass False for a page that is saved
        or shown anywhere else.
        """
        markdown_html = render_markdown(content.body, content.lang, source_lines=source_lines)
        return self.page(content, around, self.resolve(markdown_html))

    def resolve(self, body_html: str) -> str:
        """Sanitised body HTML with ``item:`` and ``asset:`` links made into addresses."""
        return resolve_links(body_html, self._resolve)

    def page(self, content: ItemContent, around: PageSurroundings, body: str) -> str:
        """The preview page around ``body`` (sanitised HTML with links resolved)."""
        other = next((lang for lang in Language if lang is not content.lang), None)
        translation = None
        if other is not None and other in around.translations:
            translation = Link("#translation", LABELS[content.lang]["translation"], other.value)
        page = ItemPage(
            lang=content.lang,
            type=content.type,
            title=content.title,
            lead=content.lead,
            body_html=body,
            section_name=around.section_names[content.lang],
            event_date=content.event_date,
            place=content.place,
            speaker=content.speaker,
            occasion=content.occasion,
            outlet=content.outlet,
            interviewee=content.interviewee,
            back_to_section=Link("#section", around.section_names[content.lang]),
            back_to_all_news=Link("#news", LABELS[content.lang]["back_to_all_news"]),
            translation=translation,
            inline_css=self._css,
            description=content.lead,
            preview=True,
            content_security_policy=PREVIEW_CSP,
        )
        return self._renderer.item_page(page)

    def _resolve(self, scheme: str, reference: str) -> str | None:
        if scheme == "asset" and self._assets is not None:
            if not bundle.is_sha256(reference):
                return None  # asset:../../etc/passwd never becomes a file: URL
            path = local_asset_file(self._ctx, reference)
            return path.as_uri() if path is not None else None
        return "#item-" + reference if scheme == "item" else None
