"""Markdown bodies to safe HTML: the one renderer the preview and the bundle share.

A body is rendered by Python-Markdown with the extensions in ``RENDER_EXTENSIONS``
(``extra``, ``toc``, ``sane_lists``, ``smarty``) and the result is *always* passed
through ``sanitize_html``, an allow-list sanitiser built on nh3 (ammonia). Raw HTML
typed into a body may survive as harmless markup, but never as a script, an event
handler, a ``javascript:``/``data:`` URL, an iframe, a form or a style sheet.

Typography follows the language of the item: Russian bodies get «ёлочки» with
„лапки“ inside them, English bodies get “curly” quotes with ‘single’ ones inside.
An apostrophe between two letters (``don't``, ``Кот-д'Ивуар``) is always ’, so
Russian text never turns it into a closing „лапка“.

Heading ids made by ``toc`` are kept (they are the anchors of the table of
contents and of links between sections) and keep Cyrillic letters
(``# Заявление`` → ``id="заявление"``).

With ``source_lines=True`` (the editor's preview only) every top-level block also
carries ``data-source-line="N"``, its 0-based line in the Markdown source (see
``csto_editor.core.source_map``), and the sanitiser lets that one attribute through on
block tags when its value is a number. Exported pages are rendered without it, and the
default sanitiser removes it, so it never reaches the site.

Links get no ``rel`` attribute (nh3 ``link_rel=None``): no ``target`` attribute
survives sanitising, so a link can never open a new window that could reach
back through ``window.opener``, and the web staff's own templates decide what
``rel`` outside links carry. Footnote and contents links stay free of noise.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Callable, Mapping

import markdown
import nh3
from markdown.extensions.extra import ExtraExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.toc import TocExtension, slugify_unicode

from csto_editor.core.content import Language
from csto_editor.core.smart_punctuation import SmartPunctuationExtension
from csto_editor.core.source_map import SOURCE_LINE_ATTRIBUTE, SourceLineExtension

__all__ = [
    "ALIGNMENTS",
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "MAX_RENDER",
    "RENDER_EXTENSIONS",
    "SOURCE_LINE_TAGS",
    "STRIPPED_CONTENT_TAGS",
    "markdown_to_unsanitised_html",
    "render_markdown",
    "sanitize_html",
]

RENDER_EXTENSIONS: tuple[str, ...] = ("extra", "toc", "sane_lists", "smarty")
"""The Python-Markdown extensions every body is rendered with, by their short names.

``smarty`` stands for ``SmartPunctuationExtension``: the same output, rendered faster
(see ``csto_editor.core.smart_punctuation``)."""

# --------------------------------------------------------------------------- sanitiser

_HEADINGS: tuple[str, ...] = ("h1", "h2", "h3", "h4", "h5", "h6")

_BLOCK_TAGS = ("p", "br", "hr", "blockquote", "pre", "div", "figure", "figcaption", *_HEADINGS)
_INLINE_TAGS = ("a", "em", "strong", "b", "i", "u", "s", "del", "ins", "sup", "sub", "small")
_MORE_INLINE_TAGS = ("mark", "abbr", "q", "cite", "code", "kbd", "span", "img")
_LIST_TAGS = ("ul", "ol", "li", "dl", "dt", "dd")
_TABLE_TAGS = ("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption")

ALLOWED_TAGS: frozenset[str] = frozenset(
    (*_BLOCK_TAGS, *_INLINE_TAGS, *_MORE_INLINE_TAGS, *_LIST_TAGS, *_TABLE_TAGS)
)
"""Tags that survive sanitising; any other tag is dropped and its text kept."""

STRIPPED_CONTENT_TAGS: frozenset[str] = frozenset(
    (
        *("script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea"),
        *("select", "base", "meta", "link", "svg", "math", "template", "noscript", "title"),
        *("applet", "frame", "frameset", "noembed", "noframes"),
    )
)
"""Tags removed together with everything inside them."""

ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    **{heading: frozenset({"id"}) for heading in _HEADINGS},
    "li": frozenset({"id"}),
    "sup": frozenset({"id"}),
    "div": frozenset({"id"}),
    "a": frozenset({"id", "href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start", "type"}),
    "abbr": frozenset({"title"}),
}
"""Attributes kept per tag (``class`` is handled by ``ALLOWED_CLASSES``)."""

ALIGNMENTS: tuple[str, ...] = ("left", "center", "right", "justify")
"""Column alignments a table cell keeps, as ``class="align-…"`` (see ``sanitize_html``)."""

_ALIGN_CLASSES = frozenset(f"align-{alignment}" for alignment in ALIGNMENTS)

ALLOWED_CLASSES: Mapping[str, frozenset[str]] = {
    "a": frozenset({"footnote-ref", "footnote-backref"}),
    "div": frozenset({"footnote", "toc"}),
    "th": _ALIGN_CLASSES,
    "td": _ALIGN_CLASSES,
}
"""The only CSS classes kept: those Python-Markdown's footnotes and toc produce, and the
column alignment of table cells (styled by the site's stylesheet)."""

ALLOWED_URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel", "item", "asset"})
"""Schemes allowed in ``href``/``src``; relative URLs (``../assets/x.png``, ``#id``) pass.

``item:N`` and ``asset:SHA256`` are the editor's own links to another item and to a stored
image or attachment; the export turns them into relative paths inside the bundle.
"""

_ALLOWED_STYLE_PROPERTIES: frozenset[str] = frozenset({"text-align"})
"""What nh3 keeps of a table cell's ``style``; ``_cell_classes`` then turns it into a class."""

_CELL_TAG_RE = re.compile(r"<(?P<tag>t[dh])(?P<attributes>(?: [^\s\"'>/=]+=\"[^\"]*\")*)>")
"""A table cell's start tag as html5ever writes it: every value double-quoted, with
``"``, ``<`` and ``>`` escaped inside, so the match never runs into text or another tag."""
_ATTRIBUTE_RE = re.compile(r' (?P<name>[^\s"\'>/=]+)="(?P<value>[^"]*)"')
_ALIGN_STYLE_RE = re.compile(r"\s*text-align\s*:\s*(?P<alignment>[a-z]+)\s*;?\s*")

MAX_RENDER = 2_000_000
"""Longer texts (which no saved item can hold) are not rendered; see ``render_markdown``."""
_TOO_LONG: Mapping[Language, str] = {
    Language.EN: "This text is too long to show: {length} characters, at most {limit}.",
    Language.RU: "Текст слишком длинный для показа: {length} знаков, допустимо не более {limit}.",
}

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
"""Lone surrogates: valid in a Python str, not in the UTF-8 nh3 works on."""

_URL_NOISE_RE = re.compile(
    "[\x00-\x20\x7f-\x9f\\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\ufdd0-\ufdef\ufffe\uffff]+"
)
"""Spaces, controls and invisible format marks (zero-width space, bidi overrides …):
squeezed out before a URL's scheme is judged, so ``java\u200bscript:`` counts too."""
_NOT_IN_OUTPUT_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]"
)
"""Controls and noncharacters a character reference (``&#1;``, ``&#xFFFE;``) can still
spell: invalid in an HTML page, so they become U+FFFD (never removed, which could join
``java`` and ``script:`` back together)."""
_FORBIDDEN_SCHEME_RE = re.compile(r"(?:javascript|vbscript|data|file):")


SOURCE_LINE_TAGS: frozenset[str] = frozenset(
    ("p", "hr", "blockquote", "pre", "div", "figure", *_HEADINGS, *_LIST_TAGS, "table")
)
"""Tags that may keep ``data-source-line`` when the preview asks for source lines."""


def _filter_attribute(_tag: str, name: str, value: str) -> str | None:
    """Drop a URL that spells a dangerous scheme once *all* whitespace is squeezed out.

    Defence in depth: nh3 already rejects ``javascript:`` with leading spaces
    or embedded tabs, and a browser reads ``jav  ascript:`` (inner spaces, which
    Python-Markdown makes out of a tab in raw HTML) as a harmless relative URL;
    such a URL is still never what an author meant, so it goes.
    """
    if name in {"href", "src"} and _FORBIDDEN_SCHEME_RE.match(_URL_NOISE_RE.sub("", value).lower()):
        return None
    if name == SOURCE_LINE_ATTRIBUTE and not (value.isascii() and value.isdigit()):
        return None
    return value


def _cell_classes(html: str) -> str:
    """Table cells' ``style="text-align:…"`` as ``class="align-…"``; any other style goes.

    Exported pages carry a Content-Security-Policy without ``'unsafe-inline'`` for
    styles, which would make browsers ignore a ``style`` attribute: the alignment
    lives in the site's stylesheet instead, and no page has an inline style at all.
    """

    def rewrite(match: re.Match[str]) -> str:
        attributes: list[tuple[str, str]] = []
        classes: list[str] = []
        for attribute in _ATTRIBUTE_RE.finditer(match["attributes"]):
            name, value = attribute["name"], attribute["value"]
            if name == "style":
                align = _ALIGN_STYLE_RE.fullmatch(value)
                if align and align["alignment"] in ALIGNMENTS:
                    classes.append(f"align-{align['alignment']}")
            elif name == "class":
                classes.extend(value.split())
            else:
                attributes.append((name, value))
        chosen = list(dict.fromkeys(c for c in classes if c in _ALIGN_CLASSES))[:1]
        if chosen:
            attributes.append(("class", chosen[0]))
        written = "".join(f' {name}="{value}"' for name, value in attributes)
        return f"<{match['tag']}{written}>"

    return _CELL_TAG_RE.sub(rewrite, html) if "<t" in html else html


def _cleaner(source_lines: bool) -> nh3.Cleaner:
    """The allow-list sanitiser; with ``source_lines``, ``data-source-line`` on blocks too."""
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    for cell in ("th", "td"):
        attributes[cell].add("style")  # only text-align is kept; _cell_classes moves it
    if source_lines:
        for tag in SOURCE_LINE_TAGS:
            attributes.setdefault(tag, set()).add(SOURCE_LINE_ATTRIBUTE)
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(STRIPPED_CONTENT_TAGS),
        attributes=attributes,
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=None,
        generic_attribute_prefixes=None,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
        filter_style_properties=set(_ALLOWED_STYLE_PROPERTIES),
        url_relative="pass_through",
    )


_CLEANER = _cleaner(source_lines=False)
_SOURCE_LINE_CLEANER = _cleaner(source_lines=True)


def sanitize_html(html: str, *, source_lines: bool = False) -> str:
    """Return ``html`` with everything outside the allow-list removed.

    Only ``ALLOWED_TAGS`` survive (other tags are dropped, their text kept;
    ``STRIPPED_CONTENT_TAGS`` go together with their content), only
    ``ALLOWED_ATTRIBUTES`` per tag, only the footnote/toc classes, and
    ``href``/``src`` only with an ``ALLOWED_URL_SCHEMES`` scheme or a relative
    URL. Comments are removed. No ``style`` attribute survives: a table cell's
    ``text-align`` (from a Markdown table's ``:--:``) becomes
    ``class="align-center"`` and the like, so pages need no inline styles. The
    result is re-serialised by html5ever, so it is well formed (``<br>`` rather
    than ``<br />``).

    ``data-source-line`` is removed unless ``source_lines`` is true; then it is kept
    on ``SOURCE_LINE_TAGS`` when its value is a number (the preview's scroll sync).

    Lone surrogate code points (which nh3 cannot take), and the control characters
    and noncharacters that character references can still produce (``&#1;``), become
    U+FFFD, so the result is always valid in a page. Safe to call from several threads
    at once.
    """
    cleaner = _SOURCE_LINE_CLEANER if source_lines else _CLEANER
    cleaned = cleaner.clean(_SURROGATE_RE.sub("\ufffd", html))
    return _cell_classes(_NOT_IN_OUTPUT_RE.sub("\ufffd", cleaned))


# --------------------------------------------------------------------------- markdown

_QUOTES: Mapping[Language, Mapping[str, str]] = {
    Language.EN: {
        "left-double-quote": "&ldquo;",
        "right-double-quote": "&rdquo;",
        "left-single-quote": "&lsquo;",
        "right-single-quote": "&rsquo;",
    },
    Language.RU: {
        "left-double-quote": "&laquo;",
        "right-double-quote": "&raquo;",
        "left-single-quote": "&bdquo;",
        "right-single-quote": "&ldquo;",
    },
}
"""Smarty substitutions per language: outer quotes, then the quotes nested inside."""

_BACKLINK_TITLES: Mapping[Language, str] = {
    Language.EN: "Jump back to footnote {} in the text",
    Language.RU: "Вернуться к сноске {} в тексте",
}
"""The tooltip of a footnote's back link (``{}`` is the footnote number)."""


def _build_markdown(
    language: Language,
    source_lines: bool = False,
    slugify: Callable[[str, str], str] = slugify_unicode,
) -> markdown.Markdown:
    """A fresh Markdown converter configured for ``language``, marking source lines
    when asked; ``slugify`` makes heading ids (``block_render`` records them)."""
    extensions: list[markdown.extensions.Extension] = [
        ExtraExtension(footnotes={"BACKLINK_TITLE": _BACKLINK_TITLES[language]}),
        TocExtension(slugify=slugify),
        SaneListExtension(),
        SmartPunctuationExtension(substitutions=_QUOTES[language]),
    ]
    if source_lines:
        extensions.append(SourceLineExtension())
    return markdown.Markdown(extensions=extensions, output_format="html")


_local = threading.local()

_ConverterKey = tuple[Language, bool]


def _converter(language: Language, source_lines: bool = False) -> markdown.Markdown:
    """This thread's cached converter for ``language`` and ``source_lines``."""
    cache: dict[_ConverterKey, markdown.Markdown] | None = getattr(_local, "converters", None)
    if cache is None:
        cache = {}
        _local.converters = cache
    converter = cache.get((language, source_lines))
    if converter is None:
        converter = _build_markdown(language, source_lines)
        cache[(language, source_lines)] = converter
    return converter


def _language(lang: Language | str) -> Language:
    """``lang`` as a Language; ValueError names the choices."""
    if isinstance(lang, Language):
        return lang
    try:
        return Language(str(lang).strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in Language)
        raise ValueError(f"unknown language {lang!r}; expected one of: {choices}") from None


def render_markdown(text: str, lang: Language | str = "en", *, source_lines: bool = False) -> str:
    """Render a Markdown body to sanitised HTML.

    ``lang`` (a ``Language`` or its code, ``"en"``/``"ru"``, case-insensitive)
    picks the typography: « » with „ “ nested for Russian, “ ” with ‘ ’ nested
    for English; an unknown language raises ValueError. Headings get ids (kept
    for anchors, Cyrillic preserved), ``[TOC]`` becomes a table of contents,
    and ``extra`` gives tables, footnotes, fenced code, abbreviations,
    definition lists and attribute lists.

    ``source_lines=True`` (the editor's preview) adds ``data-source-line`` to the
    elements of top-level blocks and keeps it through the sanitiser; never use it
    for a page that leaves the editor.

    The HTML is always passed through ``sanitize_html`` before it is returned.
    Each thread keeps its own converter per language and ``source_lines``, reset
    before every use, so this is safe to call from several threads at once.

    Text nested too deeply for Python-Markdown's recursive parser (hundreds of
    nested list or quote levels) does not raise: it is shown as plain escaped
    paragraphs instead. A text longer than ``MAX_RENDER`` characters (a 10 MB paste
    the services will refuse to save) is not rendered at all: the result is one
    paragraph saying how long it is, at once, instead of minutes of work.
    """
    if len(text) > MAX_RENDER:
        language = _language(lang)
        separator = "\u00a0" if language is Language.RU else ","
        length, limit = (f"{n:,}".replace(",", separator) for n in (len(text), MAX_RENDER))
        notice = _TOO_LONG[language].format(length=length, limit=limit)
        return f"<p>{html_lib.escape(notice)}</p>"
    html = markdown_to_unsanitised_html(text, lang, source_lines=source_lines)
    return sanitize_html(html, source_lines=source_lines)


def markdown_to_unsanitised_html(
    text: str, lang: Language | str = "en", *, source_lines: bool = False
) -> str:
    """Python-Markdown's HTML before sanitising: for checks that inspect what the author
    wrote (a link the sanitiser would drop, say). Never show it to anyone.
    ``source_lines`` as for ``render_markdown``."""
    language = _language(lang)
    converter = _converter(language, source_lines)
    converter.reset()
    try:
        return converter.convert(text)
    except RecursionError:
        _discard_converter(language, source_lines)
        return _plain_paragraphs(text)


def _discard_converter(language: Language, source_lines: bool) -> None:
    """Forget this thread's converter for ``language`` (its state may be half-built)."""
    cache: dict[_ConverterKey, markdown.Markdown] | None = getattr(_local, "converters", None)
    if cache is not None:
        cache.pop((language, source_lines), None)


def _plain_paragraphs(text: str) -> str:
    """``text`` as escaped paragraphs, one per blank-line-separated block, no markup."""
    blocks = (block.strip() for block in re.split(r"\n[ \t]*\n", text))
    return "\n".join(f"<p>{html_lib.escape(block)}</p>" for block in blocks if block)
