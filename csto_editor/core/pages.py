"""The published page of an item: one template for the editor's preview and the bundle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from csto_editor.core.content import ContentType, Language
from csto_editor.core.dates import dateline, long_date

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
    },
}


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    hreflang: str | None = None


@dataclass(frozen=True)
class ItemPage:
    """Everything the item template shows. ``body_html`` must already be sanitised."""

    lang: Language
    type: ContentType
    title: str
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
    stylesheet_href: str | None = None
    inline_css: str | None = None
    canonical_url: str | None = None
    description: str = ""
    preview: bool = False
    content_security_policy: str | None = None

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]

    @property
    def date_text(self) -> str:
        return long_date(self.event_date, self.lang) if self.event_date else ""

    @property
    def dateline(self) -> str:
        """'Bishkek, 22 May 2019' for statements; news shows the date alone."""
        if self.type in (ContentType.STATEMENT, ContentType.DOCUMENT):
            return dateline(self.event_date, self.place, self.lang)
        return self.date_text


class PageRenderer:
    """Renders pages from the Jinja2 templates in one folder, autoescaping everything."""

    def __init__(self, templates: Path) -> None:
        self._environment = Environment(
            loader=FileSystemLoader(templates),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def item_page(self, page: ItemPage) -> str:
        return self._environment.get_template("item.html").render(page=page)
