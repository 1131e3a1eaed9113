"""Smart punctuation for Python-Markdown: ``smarty``'s output at a fraction of its cost.

Python-Markdown's ``smarty`` extension runs a second ``InlineProcessor`` over the whole
tree with 15 quote patterns, two dash patterns and one ellipsis pattern; every match is
stashed twice (in the inline stash and in the raw-HTML stash) and the tree is rebuilt
around the placeholders. On a 20,000-word body that pass alone costs as much as the rest
of the render. ``SmartPunctuationExtension`` gives the same HTML, byte for byte, in a
single treeprocessor registered where ``smarty`` is (``smarty``, priority 6):

- It visits exactly the strings ``smarty``'s ``InlineProcessor`` visits: the ``text``
  and ``tail`` of every element below the root that is not an ``AtomicString`` (code
  spans and code blocks are atomic; raw HTML and entities are already stashed
  placeholders, attributes are never touched).
- A string with no ``'``, ``"``, ``--`` or ``...`` is left alone at once (most are).
- Otherwise the same regular expressions run in the same order (priority order of
  ``smarty``'s registry), each from left to right over the string as the previous ones
  left it. A match is replaced by a token that looks to later matches exactly like the
  placeholder ``smarty`` puts there (STX … ETX: ``closeClass`` and ``\\w`` refuse both
  ends, nothing inside can match), so every later decision is the same.
- The token finally becomes the HTML entity ``smarty`` would have stashed (``&ldquo;``
  and so on), written straight into the text: the serializer leaves a complete entity
  alone, so the page is the same as after ``smarty``'s raw-HTML postprocessor.

One difference, in the preview only: a paragraph that is a single substitution and
nothing else (``"``, ``--``, ``...`` alone) used to be nothing but a stash placeholder,
which the source-line pass (``source_map``) took for raw HTML, so it lost its
``data-source-line``; it now keeps it. Pages (no source lines) are identical.

Like ``smarty``, the extension adds ``"`` and ``'`` to the backslash-escapable
characters, so ``\\"`` stays a straight quote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.extensions import smarty as smarty_source
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString

__all__ = ["APOSTROPHE_PATTERN", "SmartPunctuationExtension", "educate"]

APOSTROPHE_PATTERN = r"(?<=\w)'(?=\w)"
"""A quote between two letters: always an apostrophe (’), whatever the language.

``smarty`` alone makes the quote in ``d'Ivoire`` its closing single quote: right in
English (’), but in Russian that is the closing лапка (“). This rule runs before the
quote patterns (priority 31 in ``smarty``'s registry)."""

_APOSTROPHE = "&rsquo;"

_TOKEN_RE = re.compile(STX + r"s(\d+)" + ETX)
"""A substitution made by this pass, before it is written out."""

Substitution = tuple[int | str, ...]
"""What a match becomes: group numbers (kept as text) and entities, in order."""


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    replacement: Substitution
    needs: tuple[str, ...]
    """Substrings the text must hold for the pattern to have a chance (a cheap test)."""

    @property
    def looks_behind(self) -> bool:
        return "(?<" in self.pattern.pattern


def _rules(substitutions: Mapping[str, str]) -> tuple[_Rule, ...]:
    """``smarty``'s patterns with our apostrophe, in the order its registry runs them:
    dashes (50, 45), the apostrophe (31), quotes (30 down to 16), the ellipsis (10)."""
    lsquo = substitutions["left-single-quote"]
    rsquo = substitutions["right-single-quote"]
    ldquo = substitutions["left-double-quote"]
    rdquo = substitutions["right-double-quote"]
    s = smarty_source
    single, double = ("'",), ('"',)
    ordered: Sequence[tuple[str, Substitution, tuple[str, ...]]] = (
        (r"(?<!-)---(?!-)", (substitutions["mdash"],), ("---",)),
        (r"(?<!-)--(?!-)", (substitutions["ndash"],), ("--",)),
        (APOSTROPHE_PATTERN, (_APOSTROPHE,), single),
        (s.singleQuoteStartRe, (rsquo,), single),
        (s.doubleQuoteStartRe, (rdquo,), double),
        (s.doubleQuoteSetsRe, (ldquo + lsquo,), ("\"'",)),
        (s.singleQuoteSetsRe, (lsquo + ldquo,), ("'\"",)),
        (s.doubleQuoteSetsRe2, (rsquo + rdquo,), ("'\"",)),
        (s.singleQuoteSetsRe2, (rdquo + rsquo,), ("\"'",)),
        (s.decadeAbbrRe, (rsquo,), single),
        (s.openingSingleQuotesRegex, (1, lsquo), single),
        (s.closingSingleQuotesRegex, (rsquo,), single),
        (s.closingSingleQuotesRegex2, (rsquo, 1), single),
        (s.remainingSingleQuotesRegex, (lsquo,), single),
        (s.openingDoubleQuotesRegex, (1, ldquo), double),
        (s.closingDoubleQuotesRegex, (rdquo,), double),
        (s.closingDoubleQuotesRegex2, (rdquo,), double),
        (s.remainingDoubleQuotesRegex, (ldquo,), double),
        (r"(?<!\.)\.{3}(?!\.)", (substitutions["ellipsis"],), ("...",)),
    )
    return tuple(_Rule(re.compile(pattern), made, needs) for pattern, made, needs in ordered)


def _needs_pass(text: str) -> bool:
    return "'" in text or '"' in text or "--" in text or "..." in text


def _substitute(match: re.Match[str], replacement: Substitution) -> str:
    return "".join(part if isinstance(part, str) else match[part] for part in replacement)


def _token_maker(replacement: Substitution, made: list[str]) -> Callable[[re.Match[str]], str]:
    def token(match: re.Match[str]) -> str:
        made.append(_substitute(match, replacement))
        return f"{STX}s{len(made) - 1}{ETX}"

    return token


def educate(text: str, rules: Sequence[_Rule]) -> str:
    """``text`` as ``smarty``'s inline pass leaves it once its stash is written out."""
    made: list[str] = []
    for rule in rules:
        if not all(needed in text for needed in rule.needs):
            continue
        if not rule.looks_behind:
            # Nothing before a match decides it: one left-to-right sweep is the same
            # as smarty's search-after-each-replacement, without its quadratic cost.
            text = rule.pattern.sub(_token_maker(rule.replacement, made), text)
            continue
        search = rule.pattern.search
        position = 0
        while (match := search(text, position)) is not None:
            token = f"{STX}s{len(made)}{ETX}"
            made.append(_substitute(match, rule.replacement))
            start = match.start()
            # Rebuilt, not collected: the next match's look-behind must see this token.
            text = text[:start] + token + text[match.end() :]
            position = start + len(token)
    if not made:
        return text
    return _TOKEN_RE.sub(lambda token: made[int(token[1])], text)


class _SmartPunctuationTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, rules: tuple[_Rule, ...]) -> None:
        super().__init__(md)
        self._rules = rules

    def run(self, root: ElementTree.Element) -> None:
        rules = self._rules
        for element in root.iter():
            if element is root:
                continue  # smarty's InlineProcessor never reads the root's own text
            text = element.text
            if text and not isinstance(text, AtomicString) and _needs_pass(text):
                element.text = educate(text, rules)
            tail = element.tail
            if tail and not isinstance(tail, AtomicString) and _needs_pass(tail):
                element.tail = educate(tail, rules)


class SmartPunctuationExtension(Extension):
    """``smarty`` (quotes, dashes, ellipses, no angled quotes) plus an apostrophe rule.

    ``substitutions`` overrides ``smarty``'s entities by its key names
    (``left-double-quote``, ``mdash`` …), as ``smarty``'s option of that name does.
    """

    def __init__(self, substitutions: Mapping[str, str] | None = None) -> None:
        super().__init__()
        chosen = dict(smarty_source.substitutions)
        chosen.update(substitutions or {})
        self.substitutions: Mapping[str, str] = chosen
        self._rules = _rules(chosen)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's name
        md.treeprocessors.register(_SmartPunctuationTreeprocessor(md, self._rules), "smarty", 6)
        md.ESCAPED_CHARS.extend(['"', "'"])
