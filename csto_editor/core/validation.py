"""Checks on single field values, shared by the command line, import and the editor.

Every text that reaches the database passes here first, so these checks are the gate
that keeps pages, feeds and JSON valid whatever was typed, pasted or passed on a
command line:

- C0 and C1 control characters (NUL, ESC, U+0085 …) are refused everywhere except
  tab, and line feed / carriage return in multi-line fields: HTML treats them as
  parse errors and XML 1.0 forbids most of them.
- Lone surrogates (what Python makes of bytes in a command-line argument that are
  not UTF-8) and the noncharacters U+FFFE, U+FFFF, U+FDD0–U+FDEF… cannot be stored
  as UTF-8 or written into XML; they are refused with the field named.
- One-line fields also refuse the Unicode line and paragraph separators.
- Right-to-left text, mixed scripts, emoji and joiners are ordinary text and pass.

A value far beyond its limit is refused before it is normalised or scanned, so a
10 MB paste into the body is turned down at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from csto_editor.core.errors import InvalidInput, NotFound

MAX_TITLE = 500
MAX_LINE_FIELD = 300
MAX_LEAD = 5_000
MAX_BODY = 2_000_000
MIN_YEAR = 1900
MAX_YEAR = 2100
"""The years an item's date may fall in."""
MAX_ID = 2**63 - 1
"""The largest id a database integer column holds."""
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")

_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_BAD_IN_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS + "]"
)
"""Refused in every field: controls other than tab/LF/CR, surrogates, noncharacters."""
_BAD_IN_LINE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _NONCHARACTERS + "]"
)
"""Refused in one-line fields: the same, plus line breaks of every kind."""

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def _refused(field: str, text: str, index: int) -> InvalidInput:
    """The error for the refused character at ``index`` of ``text``: what, where and why."""
    ch = text[index]
    code = ord(ch)
    line = text.count("\n", 0, index) + 1
    where = f"on line {line}" if "\n" in text else f"at position {index + 1}"
    if 0xD800 <= code <= 0xDFFF:
        return InvalidInput(
            f"{field} contains a lone surrogate U+{code:04X} {where}: the text was not valid "
            "UTF-8 (check the encoding of the terminal or the file)"
        )
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        what = "a NUL character" if ch == "\x00" else f"a control character U+{code:04X}"
        return InvalidInput(f"{field} contains {what} {where}: control characters cannot be stored")
    return InvalidInput(
        f"{field} contains the noncharacter U+{code:04X} {where}, which cannot be stored"
    )


def _too_long(field: str, length: int, limit: int) -> InvalidInput:
    return InvalidInput(f"{field} is {length:,} characters long; at most {limit:,} are allowed")


def clean_line(
    value: str, field: str, *, required: bool = False, limit: int = MAX_LINE_FIELD
) -> str:
    """A one-line field: trimmed, NFC, no control characters or line breaks, within a limit."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text, not {type(value).__name__}")
    if len(value) > 4 * limit + 1000:
        raise _too_long(field, len(value), limit)
    stripped = value.strip()
    bad = _BAD_IN_LINE.search(stripped)
    if bad is not None:
        if bad.group() in _LINE_BREAKS:
            raise InvalidInput(f"{field} must be one line of text (it contains a line break)")
        raise _refused(field, stripped, bad.start())
    text = unicodedata.normalize("NFC", stripped).strip()
    if required and not text:
        raise InvalidInput(f"{field} must not be empty")
    if len(text) > limit:
        raise _too_long(field, len(text), limit)
    return text


def clean_text(value: str, field: str, *, limit: int) -> str:
    """A multi-line field: NFC, Unix line ends, no NUL or other control characters."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text, not {type(value).__name__}")
    if len(value) > 2 * limit + 1000:
        # Refused before normalising or scanning: a 10 MB paste costs nothing.
        raise _too_long(field, len(value), limit)
    bad = _BAD_IN_TEXT.search(value)
    if bad is not None:
        raise _refused(field, value, bad.start())
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > limit:
        raise _too_long(field, len(text), limit)
    return text.strip("\n")


def clean_login(value: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"login must be text, not {type(value).__name__}")
    login = value.strip()
    if not LOGIN_PATTERN.fullmatch(login):
        shown = repr(value) if len(value) <= 80 else f"{value[:60]!r}… ({len(value):,} characters)"
        raise InvalidInput(
            f"invalid login {shown}: use 1-64 Latin letters, digits, '.', '_', '@' or '-'"
        )
    return login


def clean_date(value: object, field: str = "event_date") -> dt.date | None:
    """A day for an item: a ``date`` (not a date and time) from MIN_YEAR to MAX_YEAR, or None.

    The range catches typing slips that the calendar allows (0202-05-22, 20255-01-01)
    but no press release can have.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        kind = "a date and time" if isinstance(value, dt.datetime) else type(value).__name__
        raise InvalidInput(f"{field} must be a date (YYYY-MM-DD), not {kind}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidInput(
            f"{field} {value.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}; "
            "check the year"
        )
    return value


def check_id(value: object, what: str = "item") -> int:
    """``value`` as a database id; NotFound for a number no row can have (0, -1, 2**64)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} id must be a whole number, not {value!r}")
    if not 0 < value <= MAX_ID:
        raise NotFound(f"no {what} {value}")
    return value
