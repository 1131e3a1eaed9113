"""Dates written out the way the press office writes them, per language."""

from __future__ import annotations

import datetime as dt

from csto_editor.core.content import Language

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_RU_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def long_date(day: dt.date, lang: Language | str) -> str:
    """'22 May 2019' in English, '22 мая 2019 года' in Russian."""
    if Language(lang) is Language.RU:
        return f"{day.day} {MONTHS_RU_GENITIVE[day.month - 1]} {day.year} года"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def dateline(day: dt.date | None, place: str, lang: Language | str) -> str:
    """A statement's date and place line: 'Bishkek, 22 May 2019'."""
    parts = [place.strip()] if place.strip() else []
    if day is not None:
        parts.append(long_date(day, lang))
    return ", ".join(parts)
