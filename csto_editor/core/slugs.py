"""Slugs: the short Latin names that become item file names in a bundle.

A slug is lowercase ASCII letters and digits in words joined by single hyphens
(``zayavlenie-ministrov-inostrannykh-del``). Cyrillic is transliterated with a
readable scheme close to the one Russian passports and Yandex URLs use
(ж → zh, х → kh, ц → ts, щ → shch, ъ and ь dropped), extended to the Ukrainian,
Belarusian, Kazakh, Kyrgyz, Tajik and Serbian letters; accented Latin is
folded to ASCII. A few names are reserved because they clash with files the
bundle writes beside item pages (``index.html``, ``feed.xml`` …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Set

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "FALLBACK_SLUG",
    "MIN_MAX_LENGTH",
    "RESERVED_SLUGS",
    "RESERVED_SUFFIX",
    "SLUG_PATTERN",
    "is_valid_slug",
    "slugify",
    "transliterate",
    "unique_slug",
]

SLUG_PATTERN: re.Pattern[str] = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""What a slug looks like; use ``SLUG_PATTERN.fullmatch`` (``$`` alone allows a final newline)."""

RESERVED_SLUGS: frozenset[str] = frozenset(
    {"index", "feed", "assets", "sitemap", "manifest", "changes"}
)
"""Names that clash with bundle files and folders; never returned as a slug."""

RESERVED_SUFFIX = "-item"
"""Appended to a slug that would otherwise be a reserved name (``index`` → ``index-item``)."""

FALLBACK_SLUG = "item"
"""The slug of a text with nothing transliterable in it (only emoji, say)."""

DEFAULT_MAX_LENGTH = 100
"""The longest slug, in characters, unless the caller says otherwise."""

MIN_MAX_LENGTH = 8
"""The smallest ``max_length`` accepted: room for a word, a reserved-name suffix or a counter."""

_CYRILLIC: dict[str, str] = {
    # Russian
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian and Belarusian
    "і": "i",
    "ї": "yi",
    "є": "ye",
    "ґ": "g",
    "ў": "u",
    # Kazakh and Kyrgyz
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "ng",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    # Tajik
    "ҳ": "h",
    "ҷ": "j",
    "ӣ": "i",
    "ӯ": "u",
    # Serbian and Macedonian
    "ђ": "dj",
    "ј": "j",
    "љ": "lj",
    "њ": "nj",
    "ћ": "c",
    "џ": "dz",
    "ѓ": "g",
    "ќ": "k",
    "ѕ": "dz",
}

_LATIN: dict[str, str] = {
    # Latin letters that Unicode does not decompose into a base letter and a mark.
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ł": "l",
    "ı": "i",
    "ə": "e",
    "ŋ": "ng",
    "ħ": "h",
    "ŧ": "t",
    "ß": "ss",
}

_APOSTROPHES = frozenset("'’‘ʼʹ`")
"""Dropped inside a word rather than splitting it: ``O'Neill`` → ``oneill``."""

_TABLE: dict[str, str] = {**_CYRILLIC, **_LATIN, **dict.fromkeys(_APOSTROPHES, "")}
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_SEPARATOR = "-"


def _check_max_length(max_length: int) -> None:
    if max_length < MIN_MAX_LENGTH:
        raise ValueError(f"max_length must be at least {MIN_MAX_LENGTH}, not {max_length}")


def _fold_char(ch: str) -> str:
    """ASCII for one (already lowercased, NFC) character; ``-`` where it separates words."""
    if ch in _TABLE:
        return _TABLE[ch]
    if ch in _ASCII_ALNUM:
        return ch
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf"):
        # Stress accents, variation selectors, soft hyphens, zero-width joiners and
        # direction marks sit inside words: drop them without splitting the word.
        return ""
    parts: list[str] = []
    for piece in unicodedata.normalize("NFKD", ch).lower():
        if piece in _TABLE:
            parts.append(_TABLE[piece])
        elif piece in _ASCII_ALNUM:
            parts.append(piece)
        elif unicodedata.category(piece) in ("Mn", "Me"):
            continue
        else:
            parts.append(_SEPARATOR)
    return "".join(parts)


def transliterate(text: str) -> str:
    """``text`` lowercased in ASCII letters and digits, with ``-`` for everything else.

    Cyrillic is transliterated, accented Latin folded (``é`` → ``e``), apostrophes
    and combining marks dropped; runs of separators are not yet collapsed.
    """
    lowered = unicodedata.normalize("NFC", text).casefold()
    # casefold() may leave decomposed sequences (İ → i + dot); recompose what can be.
    lowered = unicodedata.normalize("NFC", lowered)
    return "".join(_fold_char(ch) for ch in lowered)


def _truncate(slug: str, max_length: int) -> str:
    """``slug`` cut to at most ``max_length``, at a hyphen when that keeps at least half."""
    if len(slug) <= max_length:
        return slug
    if slug[max_length] == _SEPARATOR:
        return slug[:max_length].rstrip(_SEPARATOR)
    head = slug[:max_length]
    cut = head.rfind(_SEPARATOR)
    if cut >= max(1, max_length // 2):
        return head[:cut].rstrip(_SEPARATOR)
    return head.rstrip(_SEPARATOR)


def _avoid_reserved(slug: str, max_length: int) -> str:
    """``slug``, or ``slug-item`` (trimmed to fit) when it is a reserved name."""
    if slug not in RESERVED_SLUGS:
        return slug
    stem = _truncate(slug, max_length - len(RESERVED_SUFFIX))
    return stem + RESERVED_SUFFIX


def slugify(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """A valid slug for ``text``: transliterated, lowercase, words joined by hyphens.

    The result matches ``SLUG_PATTERN``, is at most ``max_length`` characters
    (cut at a word boundary when possible), is never empty (``"item"`` when
    nothing in ``text`` transliterates) and is never one of ``RESERVED_SLUGS``.

    >>> slugify("Заявление министров иностранных дел")
    'zayavlenie-ministrov-inostrannykh-del'
    >>> slugify("Ёлка и щи")
    'yolka-i-shchi'

    Raises ValueError when ``max_length`` is below ``MIN_MAX_LENGTH``.
    """
    _check_max_length(max_length)
    folded = transliterate(text)
    slug = re.sub(r"-{2,}", _SEPARATOR, folded).strip(_SEPARATOR)
    slug = _truncate(slug, max_length) or FALLBACK_SLUG
    return _avoid_reserved(slug, max_length)


def unique_slug(base: str, taken: Collection[str], max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """``base`` if it is not in ``taken``, else ``base-2``, ``base-3`` … whichever is free first.

    ``base`` is passed through ``slugify`` first (a valid slug comes through
    unchanged), and is trimmed to make room for the counter, so the result is a
    valid slug of at most ``max_length`` characters. Raises ValueError when
    ``max_length`` is below ``MIN_MAX_LENGTH``.
    """
    _check_max_length(max_length)
    used: Collection[str] = taken if isinstance(taken, Set) else set(taken)
    slug = slugify(base, max_length)
    if slug not in used:
        return slug
    counter = 2
    while True:
        suffix = f"{_SEPARATOR}{counter}"
        room = max_length - len(suffix)
        if room < 1:  # pragma: no cover - needs about 10**(max_length - 2) taken slugs
            raise ValueError(f"no free slug of at most {max_length} characters for {slug!r}")
        candidate = _truncate(slug, room) + suffix
        if candidate not in used:
            return candidate
        counter += 1


def is_valid_slug(value: str, max_length: int = DEFAULT_MAX_LENGTH) -> bool:
    """Whether ``value`` is a usable slug: the pattern, the length, and not reserved."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= max_length
        and SLUG_PATTERN.fullmatch(value) is not None
        and value not in RESERVED_SLUGS
    )
