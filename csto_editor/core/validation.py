"""Checks on single field values, shared by the command line, import and the editor."""

from __future__ import annotations

import re
import unicodedata

from csto_editor.core.errors import InvalidInput

MAX_TITLE = 500
MAX_LINE_FIELD = 300
MAX_LEAD = 5_000
MAX_BODY = 2_000_000
LOGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")

_FORBIDDEN_CONTROLS = {chr(c) for c in range(32) if chr(c) not in "\n\t\r"} | {"\x7f"}


def clean_line(
    value: str, field: str, *, required: bool = False, limit: int = MAX_LINE_FIELD
) -> str:
    """A one-line field: trimmed, NFC, no control characters or line breaks, within a limit."""
    text = unicodedata.normalize("NFC", value).strip()
    if any(ch in _FORBIDDEN_CONTROLS or ch in "\n\r" for ch in text):
        raise InvalidInput(f"{field} must be one line of text without control characters")
    if required and not text:
        raise InvalidInput(f"{field} must not be empty")
    if len(text) > limit:
        raise InvalidInput(f"{field} is {len(text)} characters long; at most {limit} are allowed")
    return text


def clean_text(value: str, field: str, *, limit: int) -> str:
    """A multi-line field: NFC, Unix line ends, no NUL or other control characters."""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    if any(ch in _FORBIDDEN_CONTROLS for ch in text):
        raise InvalidInput(f"{field} contains control characters (such as NUL)")
    if len(text) > limit:
        raise InvalidInput(f"{field} is {len(text)} characters long; at most {limit} are allowed")
    return text.strip("\n")


def clean_login(value: str) -> str:
    login = value.strip()
    if not LOGIN_PATTERN.match(login):
        raise InvalidInput(
            f"invalid login {value!r}: use 1-64 Latin letters, digits, '.', '_', '@' or '-'"
        )
    return login
