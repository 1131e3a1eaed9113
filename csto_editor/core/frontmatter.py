"""Markdown files with YAML front matter, as the ``import`` command reads them.

A file is UTF-8 text (a leading byte-order mark and CRLF line ends are fine)
that starts with a ``---`` line, then YAML ``key: value`` lines, then another
``---`` line, then the Markdown body::

    ---
    title: Заявление министров иностранных дел государств – членов ОДКБ
    lang: ru
    type: statement
    date: 2024-11-27
    place: Минск
    ---
    Министры иностранных дел …

Keys (case does not matter): ``title`` (required), ``section``, ``lang``,
``type``, ``date`` (or ``event_date``; YYYY-MM-DD), ``place``, ``speaker``,
``occasion``, ``outlet``, ``interviewee``, ``lead``, ``slug``,
``translation_of`` (the id of the same item in the other language). Any other
key is kept, as text, in ``ImportedDocument.extra``.

Every problem raises ``DocumentError`` with a one-line message that names the
problem only; the caller prefixes the file name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml

from csto_editor.core.content import (
    ContentType,
    Language,
    parse_content_type,
    parse_language,
)
from csto_editor.core.slugs import DEFAULT_MAX_LENGTH, RESERVED_SLUGS, is_valid_slug

__all__ = [
    "KNOWN_KEYS",
    "TITLE_MAX_LENGTH",
    "DocumentError",
    "ImportedDocument",
    "decode_text",
    "parse_document",
]

TITLE_MAX_LENGTH = 500
"""The longest title accepted, in characters."""

_MAX_ID = 2**63 - 1
"""The largest ``translation_of`` a database integer column holds."""

_ONE_LINE_KEYS: tuple[str, ...] = (
    "title",
    "section",
    "lang",
    "type",
    "date",
    "event_date",
    "place",
    "speaker",
    "occasion",
    "outlet",
    "interviewee",
    "slug",
    "translation_of",
)
_MULTI_LINE_KEYS: tuple[str, ...] = ("lead",)

KNOWN_KEYS: frozenset[str] = frozenset(_ONE_LINE_KEYS + _MULTI_LINE_KEYS)
"""Front matter keys that become ``ImportedDocument`` fields; the rest go to ``extra``."""

_FENCE = "---"
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_DATE_FORMAT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_POSITIVE_INTEGER = re.compile(r"[0-9]{1,19}")
_WHITESPACE_RUN = re.compile(r"\s+")


class DocumentError(ValueError):
    """A file that cannot be imported; the message is the problem, in one line, without the name."""


def _empty_extra() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ImportedDocument:
    """One parsed file: the front matter fields and the Markdown body.

    Text fields are stripped of surrounding white space; a key that is absent
    or empty gives ``None`` (for the typed fields) or ``""`` (for text).
    """

    title: str
    body: str
    section: str | None = None
    lang: Language | None = None
    type: ContentType | None = None
    event_date: dt.date | None = None
    place: str = ""
    speaker: str = ""
    occasion: str = ""
    outlet: str = ""
    interviewee: str = ""
    lead: str = ""
    slug: str | None = None
    translation_of: int | None = None
    extra: Mapping[str, str] = field(default_factory=_empty_extra, compare=False)
    """Other top-level keys (lowercased), their values as stripped text (read-only)."""


class _FrontMatterLoader(yaml.BaseLoader):
    """YAML that yields only text, ``None``, lists and mappings.

    ``yaml.SafeLoader`` would turn ``date: 2024-02-30`` into an error it words
    itself (or ``2024-02-03`` into a ``date``), ``lang: no`` into ``False``,
    ``translation_of: 0x1F`` into 31, ``title: 1945`` into an int and
    ``slug: 0123`` into 83. ``BaseLoader`` keeps every scalar as the text the
    officer typed, so each key is checked here with a message of our own. To
    that we add only: an empty value, ``~`` and ``null`` mean "not given", and a
    key given twice is an error rather than silently the last one.
    """


_FrontMatterLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null",
    re.compile(r"^(?:~|null|Null|NULL|)$"),
    ["~", "n", "N", ""],
)


class _KeyProblem(yaml.constructor.ConstructorError):
    """A key the front matter cannot use: empty, not text, or given twice."""


def _construct_null(loader: yaml.BaseLoader, node: yaml.Node) -> None:
    return None


def _construct_mapping(loader: yaml.BaseLoader, node: yaml.Node) -> dict[Any, Any]:
    if not isinstance(node, yaml.MappingNode):  # pragma: no cover - the tag says mapping
        raise yaml.constructor.ConstructorError(
            None, None, f"expected a mapping, found {type(node).__name__}", node.start_mark
        )
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            problem = "an empty key" if key is None else "a key that is not plain text"
            raise _KeyProblem(None, None, problem, key_node.start_mark)
        if key in result:
            raise _KeyProblem(None, None, f"key {key!r} given twice", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:null", _construct_null)
_FrontMatterLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _one_line(text: str) -> str:
    return _WHITESPACE_RUN.sub(" ", text).strip()


def _decode(data: bytes) -> str:
    """The text of ``data``, or DocumentError saying what the bytes look like instead."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise DocumentError("not UTF-8 text (looks like UTF-32)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("not UTF-8 text (looks like UTF-16)")
    if b"\x00" in data:
        if _looks_like_unicode(data, ("utf-32-le", "utf-32-be"), 4):
            raise DocumentError("not UTF-8 text (looks like UTF-32)")
        if _looks_like_unicode(data, ("utf-16-le", "utf-16-be"), 2):
            raise DocumentError("not UTF-8 text (looks like UTF-16)")
        raise DocumentError("binary data, not text (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        guess = _guess_8bit_encoding(data)
        if guess:
            raise DocumentError(f"not UTF-8 text (looks like {guess})") from None
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise DocumentError(f"not UTF-8 text (byte 0x{byte:02x} on line {line})") from None
    return text


def decode_text(data: bytes) -> str:
    """``data`` as UTF-8 text (a BOM is dropped); DocumentError saying what it looks like
    instead: "not UTF-8 text (looks like Windows-1251)", "binary data, not text …".

    For any file of text the user hands over, not only front matter (a body file, say).
    """
    return _decode(data)


def _looks_like_unicode(data: bytes, codecs: tuple[str, str], width: int) -> bool:
    """Whether ``data`` (which holds NUL bytes) reads as UTF-16 or UTF-32 without a BOM.

    Latin text in UTF-16 has a NUL in every other byte and Cyrillic a 0x04, so
    the test is whether either byte order decodes into mostly printable
    characters of the Latin and Cyrillic blocks, which random binary does not.
    """
    sample = data[: min(len(data), 4096) // width * width]
    if len(sample) < 2 * width:
        return False
    for codec in codecs:
        text = sample.decode(codec, errors="replace")
        readable = sum(
            1 for ch in text if ch in "\t\n\r" or (" " <= ch <= "\u04ff" and ch.isprintable())
        )
        if readable >= 0.9 * len(text):
            return True
    return False


_RUSSIAN_LETTER_FREQUENCY: Mapping[str, float] = dict(
    zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        (10.97, 8.45, 8.01, 7.35, 6.70, 6.26, 5.47, 4.73, 4.54, 4.40, 3.49, 3.21, 2.98, 2.81,
         2.62, 2.01, 1.90, 1.74, 1.70, 1.65, 1.59, 1.44, 1.21, 0.97, 0.94, 0.73, 0.64, 0.48,
         0.36, 0.32, 0.26, 0.04, 0.04),
        strict=True,
    )
)  # fmt: skip
"""How often each letter occurs in Russian text, in percent."""
_CYRILLIC_ENCODINGS: tuple[tuple[str, str], ...] = (
    ("Windows-1251", "cp1251"),
    ("KOI8-R", "koi8_r"),
    ("ISO-8859-5", "iso8859_5"),
    ("CP866 (DOS)", "cp866"),
)
_RUSSIAN_SCORE = 4.5
"""The mean letter frequency above which decoded text reads as Russian: about 5.9 for
real text, about 3 for Cyrillic letters in the wrong order (the wrong code page)."""
_SAMPLE = 65_536
_WORD = re.compile(rb"[A-Za-z\x80-\xff]+")
_ASCII_LETTER = re.compile(rb"[A-Za-z]")


def _case_score(words: list[str]) -> float:
    """How natural the capitals of ``words`` are: the wrong one of Windows-1251 and
    KOI8-R swaps small and capital letters, giving ``зАЯВЛЕНИЕ`` for ``Заявление``."""
    scores = []
    for word in words:
        if len(word) < 2 or not word.isalpha():
            continue
        if word.islower() or (word[0].isupper() and word[1:].islower()):
            scores.append(1.5)
        elif word.isupper():
            scores.append(0.5)
        else:
            scores.append(-1.5)
    return sum(scores) / len(scores) if scores else 0.0


def _guess_8bit_encoding(data: bytes) -> str | None:
    """A name for the 8-bit encoding ``data`` is probably in, or ``None``.

    Accented Latin letters sit inside words of ASCII letters (``Genève``), so words
    mixing high bytes and ASCII letters mean Windows-1252 or Latin-1. Russian words are
    all high bytes: each Cyrillic code page is tried and the one whose letters come out
    with the frequencies of Russian, in words with natural capitals, wins. That tells
    Windows-1251 from KOI8-R even for a title in capitals (``ЗАЯВЛЕНИЕ``), where the
    bytes alone would mislead.
    """
    sample = data[:_SAMPLE]
    words = [word for word in _WORD.findall(sample) if max(word) >= 0x80]
    if not words:  # pragma: no cover - then the bytes would have been valid UTF-8
        return None
    mixed = sum(1 for word in words if _ASCII_LETTER.search(word))
    if mixed * 2 > len(words):
        return "Windows-1252 or Latin-1"
    cyrillic = [bytes(byte for byte in word if byte >= 0x80) for word in words]
    best, best_score, best_frequency = None, float("-inf"), 0.0
    for name, codec in _CYRILLIC_ENCODINGS:
        decoded = [word.decode(codec, errors="replace") for word in cyrillic]
        letters = "".join(decoded).lower()
        frequency = sum(_RUSSIAN_LETTER_FREQUENCY.get(ch, 0.0) for ch in letters) / len(letters)
        score = frequency + _case_score(decoded)
        if score > best_score:
            best, best_score, best_frequency = name, score, frequency
    if best_frequency >= _RUSSIAN_SCORE:
        return best
    ascii_letters = len(re.findall(rb"[A-Za-z]", sample))
    if sum(1 for byte in sample if byte >= 0x80) <= ascii_letters * 0.3:
        return "Windows-1252 or Latin-1"
    return None


def _split(text: str) -> tuple[str, str]:
    """The front matter and the body of ``text`` (newlines already ``\\n``)."""
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        raise DocumentError("no front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == _FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :])
    raise DocumentError("front matter not closed: no '---' line after the first one")


def _load_yaml(source: str) -> object:
    """The YAML value of the front matter ``source`` (file line 2 is its line 1)."""
    try:
        return yaml.load(source, Loader=_FrontMatterLoader)
    except _KeyProblem as error:
        line = error.problem_mark.line + 2 if error.problem_mark else 0
        raise DocumentError(f"front matter line {line}: {error.problem}") from None
    except yaml.MarkedYAMLError as error:
        problem = _one_line(error.problem or error.context or "unreadable")
        mark = error.problem_mark or error.context_mark
        where = f" on line {mark.line + 2}" if mark is not None else ""
        kind = "error" if isinstance(error, yaml.constructor.ConstructorError) else "syntax error"
        raise DocumentError(f"YAML {kind} in front matter{where}: {problem}") from None
    except yaml.reader.ReaderError as error:
        line = source.count("\n", 0, error.position) + 2
        raise DocumentError(
            f"front matter line {line}: character U+{error.character:04X} is not allowed in YAML"
            if isinstance(error.character, int)
            else f"front matter line {line}: a character is not allowed in YAML"
        ) from None
    except yaml.YAMLError as error:  # pragma: no cover - every PyYAML error is one of the above
        raise DocumentError(f"YAML error in front matter: {_one_line(str(error))}") from None
    except RecursionError:
        raise DocumentError("front matter is nested too deeply") from None


def _describe(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover - the loader yields nothing else


def _text(key: str, value: object, *, one_line: bool) -> str:
    """The stripped text of ``value`` ("" for none); DocumentError for anything but text."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DocumentError(f"{key!r} must be text, not {_describe(value)}")
    if "\x00" in value:
        raise DocumentError(f"{key!r} contains a NUL character")
    text = value.strip()
    if one_line and any(ch in _LINE_BREAKS for ch in text):
        raise DocumentError(f"{key!r} must be one line (it contains a line break)")
    return text


def _parse_date(key: str, text: str) -> dt.date:
    if not _DATE_FORMAT.fullmatch(text):
        raise DocumentError(f"{key} must be YYYY-MM-DD, not {text!r}")
    try:
        return dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        raise DocumentError(f"impossible date {text!r}") from None


def _parse_id(key: str, text: str) -> int:
    problem = f"{key} must be a positive integer (an item id), not {text!r}"
    if not _POSITIVE_INTEGER.fullmatch(text):
        raise DocumentError(problem)
    number = int(text)
    if not 0 < number <= _MAX_ID:
        raise DocumentError(problem)
    return number


def _check_slug(text: str) -> str:
    if text in RESERVED_SLUGS:
        raise DocumentError(f"slug {text!r} is reserved for a bundle file; choose another")
    if len(text) > DEFAULT_MAX_LENGTH:
        raise DocumentError(f"slug is {len(text)} characters long (at most {DEFAULT_MAX_LENGTH})")
    if not is_valid_slug(text):
        raise DocumentError(
            f"slug {text!r} is not valid: use lowercase Latin letters and digits"
            " in words joined by single hyphens"
        )
    return text


def _body(text: str) -> str:
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "\n".join(lines[start:]).rstrip()


def parse_document(data: bytes) -> ImportedDocument:
    """The document in ``data``, the bytes of one Markdown file with YAML front matter.

    Raises DocumentError, with a one-line message naming the problem, for
    anything that is not an importable document: bytes that are not UTF-8
    text, a missing, unterminated or malformed front matter, a missing or
    overlong title, an impossible date, an unknown language or type, a bad
    ``translation_of`` or ``slug``, a list or mapping where text is expected.
    """
    text = _decode(data)
    if not text.strip():
        raise DocumentError("empty file")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, body = _split(text)

    loaded = _load_yaml(front)
    if loaded is None:
        raise DocumentError("front matter is empty: it needs at least a title")
    if not isinstance(loaded, dict):
        raise DocumentError(
            f"front matter must be 'key: value' lines, not {_describe(loaded)}"
            if isinstance(loaded, list)
            else "front matter must be 'key: value' lines, not plain text"
        )

    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    seen: dict[str, str] = {}
    for raw_key, value in loaded.items():
        key = str(raw_key).strip().lower()
        if key in seen:
            raise DocumentError(f"key {key!r} given twice ({seen[key]!r} and {raw_key!r})")
        seen[key] = str(raw_key)
        if key in KNOWN_KEYS:
            values[key] = _text(key, value, one_line=key in _ONE_LINE_KEYS)
        else:
            extra[key] = _text(key, value, one_line=False)

    title = values.get("title", "")
    if not title:
        raise DocumentError("no title: the front matter needs a 'title' line")
    if len(title) > TITLE_MAX_LENGTH:
        raise DocumentError(f"title is {len(title)} characters long (at most {TITLE_MAX_LENGTH})")

    if values.get("date") and values.get("event_date"):
        raise DocumentError("both 'date' and 'event_date' given; use one")
    date_key = "event_date" if values.get("event_date") else "date"
    date_text = values.get(date_key, "")

    try:
        lang = parse_language(values["lang"]) if values.get("lang") else None
        content_type = parse_content_type(values["type"]) if values.get("type") else None
    except ValueError as error:
        raise DocumentError(str(error)) from None

    translation_text = values.get("translation_of", "")
    slug_text = values.get("slug", "")
    return ImportedDocument(
        title=title,
        body=_body(body),
        section=values.get("section") or None,
        lang=lang,
        type=content_type,
        event_date=_parse_date(date_key, date_text) if date_text else None,
        place=values.get("place", ""),
        speaker=values.get("speaker", ""),
        occasion=values.get("occasion", ""),
        outlet=values.get("outlet", ""),
        interviewee=values.get("interviewee", ""),
        lead=values.get("lead", ""),
        slug=_check_slug(slug_text) if slug_text else None,
        translation_of=_parse_id("translation_of", translation_text) if translation_text else None,
        extra=MappingProxyType(extra),
    )
