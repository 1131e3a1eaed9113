"""Dates and numbers as the interface language writes them (QLocale's default, which
``translations.install_translations`` sets): 28.11.2026 in Russian, 28/11/2026 in English."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

FALLBACK_LOCALE = "en_GB"
"""For the POSIX "C" locale, whose short date ("d MM yyyy") nobody writes."""


def interface_locale() -> QLocale:
    """QLocale's default, unless it is the bare "C" locale."""
    locale = QLocale()
    return QLocale(FALLBACK_LOCALE) if locale.language() == QLocale.Language.C else locale


def _date_format(locale: QLocale) -> str:
    # A press office writes the year in full: 28.11.2026, never 11/28/26.
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def short_date(day: dt.date) -> str:
    """A calendar day in the locale's short numeric form, with the year in full."""
    locale = interface_locale()
    return locale.toString(QDate(day.year, day.month, day.day), _date_format(locale))


def short_date_time(moment: dt.datetime) -> str:
    """A local date and time to the minute, in the locale's short numeric form."""
    locale = interface_locale()
    pattern = f"{_date_format(locale)} {locale.timeFormat(QLocale.FormatType.ShortFormat)}"
    when = QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )
    return locale.toString(when, pattern)


def whole_number(value: int) -> str:
    """A count with the locale's digit grouping (12 345 in Russian, 12,345 in English)."""
    return interface_locale().toString(value)
