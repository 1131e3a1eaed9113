"""The published page of an item: one template for the editor's preview and the bundle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from markupsafe import escape

from csto_editor.core.content import ContentType, Language
from csto_editor.core.dates import dateline, long_date
from csto_editor.core.typography import typographic

LABELS: dict[Language, dict[str, str]] = {
    Language.EN: {
        "back_to_section": "Back to the section",
        "back_to_all_news": "Back to all news",
        "translation": "Русская версия",
        "speaker": "Speaker",
        "occasion": "Occasion",
        "outlet": "Interview for",
        "interviewee": "Interviewee",
        "site_name": "Collective Security Treaty Organization",
        "preview": "Preview — not published",
        "latest": "Latest",
        "sections": "Sections",
        "newer": "Newer",
        "older": "Older",
        "page": "Page {number} of {total}",
        "home": "Home",
        "feed": "News feed",
        "locale": "en_GB",
    },
    Language.RU: {
        "back_to_section": "Вернуться в раздел",
        "back_to_all_news": "Вернуться ко всем новостям",
        "translation": "English version",
        "speaker": "Выступающий",
        "occasion": "Мероприятие",
        "outlet": "Интервью для",
        "interviewee": "Собеседник",
        "site_name": "Организация Договора о коллективной безопасности",
        "preview": "Предпросмотр — не опубликовано",
        "latest": "Последние материалы",
        "sections": "Разделы",
        "newer": "Новее",
        "older": "Старше",
        "page": "Страница {number} из {total}",
        "home": "Главная",
        "feed": "Лента новостей",
        "locale": "ru_RU",
    },
}


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    hreflang: str | None = None


@dataclass(frozen=True, kw_only=True)
class PageHead:
    """What every page's <head> and header show: the base template reads these."""

    lang: Language
    title: str
    stylesheet_href: str | None = None
    inline_css: str | None = None
    canonical_url: str | None = None
    description: str = ""
    preview: bool = False
    content_security_policy: str | None = None
    alternates: tuple[Link, ...] = ()
    feed_href: str | None = None
    home: Link | None = None
    og_type: str = "website"

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]


@dataclass(frozen=True, kw_only=True)
class ItemPage(PageHead):
    """Everything the item template shows. ``body_html`` must already be sanitised."""

    type: ContentType
    lead: str
    body_html: str
    section_name: str
    event_date: dt.date | None = None
    place: str = ""
    speaker: str = ""
    occasion: str = ""
    outlet: str = ""
    interviewee: str = ""
    back_to_section: Link | None = None
    back_to_all_news: Link | None = None
    translation: Link | None = None
    og_type: str = "article"

    @property
    def date_text(self) -> str:
        return long_date(self.event_date, self.lang) if self.event_date else ""

    @property
    def dateline(self) -> str:
        """'Bishkek, 22 May 2019' for statements; news shows the date alone."""
        if self.type in (ContentType.STATEMENT, ContentType.DOCUMENT):
            return dateline(self.event_date, self.place, self.lang)
        return self.date_text


@dataclass(frozen=True)
class ListedItem:
    """One entry in a section index, a home page or a feed."""

    title: str
    href: str
    lead: str
    event_date: dt.date | None
    lang: Language
    updated: str = ""
    """ISO time of the revision, for feeds."""

    @property
    def date_text(self) -> str:
        return long_date(self.event_date, self.lang) if self.event_date else ""


@dataclass(frozen=True, kw_only=True)
class ListPage(PageHead):
    """A section index page, a language home, or the bundle's root index."""

    items: tuple[ListedItem, ...]
    sections: tuple[Link, ...] = ()
    languages: tuple[Link, ...] = ()
    newer: Link | None = None
    older: Link | None = None
    page_number: int = 1
    page_total: int = 1

    @property
    def page_label(self) -> str:
        return self.labels["page"].format(number=self.page_number, total=self.page_total)


@dataclass(frozen=True)
class Feed:
    lang: Language
    title: str
    feed_url: str
    site_url: str
    updated: str
    entries: tuple[ListedItem, ...]


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    alternates: tuple[Link, ...] = ()


class PageRenderer:
    """Renders pages from the Jinja2 templates in one folder, autoescaping everything."""

    def __init__(self, templates: Path, compiled: Path | None = None) -> None:
        """``compiled``: an existing folder where templates are kept compiled (checked
        against their source), so that a process renders without compiling them again."""
        self._environment = Environment(
            loader=FileSystemLoader(templates),
            bytecode_cache=FileSystemBytecodeCache(str(compiled)) if compiled else None,
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._environment.filters["typo"] = typographic

    def item_page(self, page: ItemPage) -> str:
        return self._environment.get_template("item.html").render(page=page)

    def list_page(self, page: ListPage) -> str:
        return self._environment.get_template("list.html").render(page=page)

    def feed(self, feed: Feed) -> str:
        return self._environment.get_template("feed.xml").render(feed=feed)

    def sitemap(self, entries: list[SitemapEntry]) -> str:
        # Written here rather than by a template: a sitemap has a line per page of the
        # bundle, and Jinja's per-line calls were most of the time --since-last spent on it.
        lines = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
        ]
        for entry in entries:
            lines.append(f"<url>\n<loc>{escape(entry.url)}</loc>")
            lines.extend(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate.hreflang)}"'
                f' href="{escape(alternate.href)}"/>'
                for alternate in entry.alternates
            )
            lines.append("</url>")
        lines.append("</urlset>")
        return "\n".join(lines)
