"""Typography for plain one-line texts (titles, leads): quotes and dashes per language."""

from __future__ import annotations

import re

from csto_editor.core.content import Language

QUOTES = {Language.EN: ("“", "”", "‘", "’"), Language.RU: ("«", "»", "„", "“")}
_DOUBLE = re.compile(r'"([^"\n]*)"')
_SINGLE = re.compile(r"(?<![\w])'([^'\n]*)'(?![\w])")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def typographic(text: str, lang: Language | str) -> str:
    """Straight quotes become the language's quotes; '---' and ' -- ' become dashes."""
    language = Language(lang)
    left, right, inner_left, inner_right = QUOTES[language]
    result = text.replace("---", "—").replace(" -- ", " – ")
    result = _APOSTROPHE.sub("’", result)
    result = _DOUBLE.sub(lambda m: f"{left}{m[1]}{right}", result)
    return _SINGLE.sub(lambda m: f"{inner_left}{m[1]}{inner_right}", result)
