"""Content types, languages and which fields each type carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from enum import StrEnum


class ContentType(StrEnum):
    NEWS = "news"
    STATEMENT = "statement"
    SPEECH = "speech"
    INTERVIEW = "interview"
    ARTICLE = "article"
    DOCUMENT = "document"


class Language(StrEnum):
    EN = "en"
    RU = "ru"


OPTIONAL_FIELDS: tuple[str, ...] = ("place", "speaker", "occasion", "outlet", "interviewee")
"""Fields that only some content types show; the rest always apply."""

TYPE_FIELDS: dict[ContentType, tuple[str, ...]] = {
    ContentType.NEWS: ("place",),
    ContentType.STATEMENT: ("place",),
    ContentType.SPEECH: ("speaker", "occasion", "place"),
    ContentType.INTERVIEW: ("outlet", "interviewee"),
    ContentType.ARTICLE: (),
    ContentType.DOCUMENT: ("place",),
}
"""The optional fields a content type shows in the editor and on its page."""

REQUIRED_FIELDS: dict[ContentType, tuple[str, ...]] = {
    ContentType.NEWS: ("event_date",),
    ContentType.STATEMENT: ("event_date", "place"),
    ContentType.SPEECH: ("event_date", "speaker"),
    ContentType.INTERVIEW: ("event_date", "outlet"),
    ContentType.ARTICLE: ("event_date",),
    ContentType.DOCUMENT: ("event_date",),
}
"""Fields the pre-publication check demands, beyond a title and a body."""


def parse_content_type(value: str) -> ContentType:
    """The content type named by ``value``; ValueError names the choices."""
    try:
        return ContentType(value.strip().lower())
    except ValueError:
        choices = ", ".join(t.value for t in ContentType)
        raise ValueError(f"unknown type {value!r} (one of: {choices})") from None


def parse_language(value: str) -> Language:
    """The language named by ``value``; ValueError names the choices."""
    try:
        return Language(value.strip().lower())
    except ValueError:
        choices = ", ".join(lang.value for lang in Language)
        raise ValueError(f"unknown language {value!r} (one of: {choices})") from None


@dataclass(frozen=True)
class ItemContent:
    """Everything a revision snapshots: the text and metadata that get published."""

    type: ContentType
    lang: Language
    title: str
    lead: str = ""
    body: str = ""
    event_date: dt.date | None = None
    place: str = ""
    speaker: str = ""
    occasion: str = ""
    outlet: str = ""
    interviewee: str = ""
    slug: str = ""

    def with_changes(self, **changes: object) -> ItemContent:
        """A copy with some fields replaced."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """Plain values: enums as strings, the date in ISO form."""
        result: dict[str, object] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, StrEnum):
                value = value.value
            elif isinstance(value, dt.date):
                value = value.isoformat()
            result[field.name] = value
        return result


def guess_language(text: str) -> Language:
    """Russian when Cyrillic letters outnumber Latin ones, else English."""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return Language.RU if cyrillic > latin else Language.EN
