"""The XSS corpus and an independent checker of finished pages, feeds and JSON files.

The checker is written without looking at the sanitiser's allow-lists: it knows only
what the templates emit and what no page may ever hold, so a mistake in either the
sanitiser or a template shows up here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import html5lib

CORPUS = Path(__file__).with_name("xss_vectors.txt")


def load_vectors() -> list[str]:
    """Every vector of the corpus: ``\\n`` and ``\\t`` decoded, comments skipped."""
    vectors = []
    for line in CORPUS.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("#--"):
            continue
        vectors.append(line.replace("\\n", "\n").replace("\\t", "\t"))
    return vectors


def one_line(text: str, limit: int) -> str:
    """``text`` fit for a one-line field: line breaks as spaces, at most ``limit`` long."""
    return " ".join(text.replace("\r", "\n").split("\n")).strip()[:limit].strip() or "x"


# --------------------------------------------------------------------------- HTML pages

TEMPLATE_TAGS = frozenset(
    {
        *("html", "head", "body", "meta", "title", "link", "header", "main", "article"),
        *("nav", "time", "h1", "h2", "p", "a", "dl", "dt", "dd", "div", "ul", "li", "span"),
    }
)
"""Elements resources/templates/*.html write themselves."""
BODY_TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "div"),
        *("figure", "figcaption", "a", "em", "strong", "b", "i", "u", "s", "del", "ins"),
        *("sup", "sub", "small", "mark", "abbr", "q", "cite", "code", "kbd", "span", "img"),
        *("ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr"),
        *("th", "td", "caption"),
    }
)
"""Elements a sanitised body may hold (the design's Markdown features)."""
NEVER = frozenset(
    {
        *("script", "iframe", "object", "embed", "form", "base", "frame", "frameset"),
        *("applet", "svg", "math", "input", "button", "textarea", "select", "template"),
        *("noscript", "video", "audio", "source", "picture", "area", "map", "marquee"),
        *("details", "bgsound", "keygen", "isindex", "xss", "x", "xml", "style"),
    }
)
URL_ATTRIBUTES = frozenset(
    {
        *("href", "src", "action", "formaction", "xlink:href", "poster", "data"),
        *("background", "cite", "srcset", "ping", "lowsrc", "dynsrc", "codebase"),
    }
)
FORBIDDEN_SCHEMES = ("javascript", "vbscript", "data", "feed", "livescript", "mocha")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f\s\u200b-\u200f\u2028-\u202e\u2060\ufeff]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
META_NAMES = frozenset({"viewport", "description"})
META_PROPERTIES = frozenset(
    {"og:title", "og:description", "og:url", "og:type", "og:locale", "og:site_name"}
)
LINK_RELATIONS = frozenset({"canonical", "alternate", "stylesheet"})
TEMPLATE_CLASSES = frozenset(
    {
        *("preview", "site-header", "site-name", "item", "section-name", "dateline"),
        *("item-facts", "lead", "body", "item-nav", "translation", "back", "languages"),
        *("sections", "listing", "items", "pagination"),
        *(f"item-{kind}" for kind in ("news", "statement", "speech", "interview")),
        *(f"item-{kind}" for kind in ("article", "document")),
        *("footnote", "toc", "footnote-ref", "footnote-backref"),
        *(f"align-{side}" for side in ("left", "center", "right", "justify")),
    }
)


def squeezed_scheme(value: str) -> str | None:
    """The scheme of a URL once spaces, controls and invisible marks are squeezed out:
    stricter than any browser, for the schemes that must never appear at all."""
    match = _SCHEME.match(_IGNORED_IN_URLS.sub("", value).lower())
    return match.group(1) if match else None


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads (WHATWG URL parsing): C0 controls and spaces stripped
    from both ends, tabs and line breaks removed inside; None for a relative URL."""
    text = re.sub(
        r"[\t\n\r]",
        "",
        value.strip(
            "\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
            "\x19\x1a\x1b\x1c\x1d\x1e\x1f "
        ),
    )
    match = _SCHEME.match(text.lower())
    return match.group(1) if match else None


@dataclass
class PageReport:
    """What one HTML page holds that it must not (empty lists: the page is clean)."""

    problems: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    inline_styles: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    """Every start tag with its attributes, every comment and declaration."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.oddities: list[str] = []
        self.declarations: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.oddities.append(f"comment {data[:60]!r}")

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_pi(self, data: str) -> None:
        self.oddities.append(f"processing instruction {data[:60]!r}")

    def unknown_decl(self, data: str) -> None:
        self.oddities.append(f"unknown declaration {data[:60]!r}")


def _check_tag(
    tag: str,
    attrs: Iterable[tuple[str, str | None]],
    report: PageReport,
    *,
    allow_file_urls_under: str | None,
    editor_schemes: bool = False,
) -> None:
    attributes = list(attrs)
    names = [name for name, _ in attributes]
    if tag in NEVER and not (tag == "style" and allow_file_urls_under is not None):
        report.problems.append(f"<{tag}> element")
    if tag not in TEMPLATE_TAGS | BODY_TAGS | {"style"}:
        report.problems.append(f"<{tag}> is neither the template's nor a body element")
    if len(set(names)) != len(names):
        report.problems.append(f"<{tag}> repeats an attribute: {names}")
    values = {name: value or "" for name, value in attributes}
    for name, value in values.items():
        if name.startswith("on"):
            report.problems.append(f"event handler {name} on <{tag}>")
        if name in {"srcdoc", "formaction", "action", "dynsrc", "lowsrc", "background"}:
            report.problems.append(f"dangerous attribute {name} on <{tag}>")
        if name == "style":
            report.inline_styles.append(f"<{tag} style={value!r}>")
        if name == "class":
            unknown = set(value.split()) - TEMPLATE_CLASSES
            if unknown:
                report.problems.append(f"classes {sorted(unknown)} on <{tag}>")
        if name in URL_ATTRIBUTES:
            squeezed = squeezed_scheme(value)
            if squeezed is not None and squeezed.startswith(FORBIDDEN_SCHEMES):
                report.problems.append(f"{name}={value!r} on <{tag}>")
                continue
            scheme = url_scheme(value)
            if scheme is None:
                continue
            if scheme.startswith(FORBIDDEN_SCHEMES):
                report.problems.append(f"{name}={value!r} on <{tag}>")
            elif scheme == "file":
                inside_store = allow_file_urls_under is not None and (
                    value.startswith(allow_file_urls_under) and "/.." not in value
                )
                if not inside_store:
                    report.problems.append(f"file URL {value!r} on <{tag}>")
            elif scheme in {"item", "asset"} and editor_schemes:
                continue
            elif scheme not in {"http", "https", "mailto", "tel"}:
                report.problems.append(f"unexpected scheme in {name}={value!r} on <{tag}>")
    if tag == "meta":
        if "http-equiv" in values:
            if values["http-equiv"].lower() != "content-security-policy":
                report.problems.append(f"meta http-equiv={values['http-equiv']!r}")
            else:
                report.csp.append(values.get("content", ""))
        elif not (
            set(values) == {"charset"}
            or values.get("name") in META_NAMES
            or values.get("property") in META_PROPERTIES
        ):
            report.problems.append(f"unexpected meta {values}")
    if tag == "link":
        relations = set(values.get("rel", "").lower().split())
        if not relations or not relations <= LINK_RELATIONS:
            report.problems.append(f"unexpected link {values}")
        if "stylesheet" in relations and url_scheme(values.get("href", "")) is not None:
            report.problems.append(f"stylesheet from elsewhere: {values}")


def check_page(
    text: str, *, preview_assets: str | None = None, editor_schemes: bool = False
) -> PageReport:
    """Everything unsafe in a whole page. ``preview_assets``: the file: URL prefix of the
    asset store, under which a preview may show images (an export never may);
    ``editor_schemes``: ``item:`` and ``asset:`` links may remain (a body rendered but
    not yet resolved, never a finished page)."""
    report = PageReport()
    collector = _Collector()
    collector.feed(text)
    collector.close()
    report.problems.extend(collector.oddities)
    if collector.declarations != ["DOCTYPE html"]:
        report.problems.append(f"declarations {collector.declarations}")
    for tag, attrs in collector.tags:
        _check_tag(
            tag,
            attrs,
            report,
            allow_file_urls_under=preview_assets,
            editor_schemes=editor_schemes,
        )
    # html5lib builds the tree a browser would: nothing may hide from html.parser there.
    document = html5lib.parse(text, namespaceHTMLElements=False)
    styles = 0
    tree = PageReport()
    for element in document.iter():
        if not isinstance(element.tag, str):
            report.problems.append("comment in the parsed tree")
            continue
        if element.tag == "style":
            styles += 1
        _check_tag(
            element.tag,
            element.attrib.items(),
            tree,
            allow_file_urls_under=preview_assets,
            editor_schemes=editor_schemes,
        )
    report.problems.extend(f"html5lib: {problem}" for problem in tree.problems)
    if styles > (1 if preview_assets is not None else 0):
        report.problems.append(f"{styles} <style> elements")
    heads = document.findall("head")
    metas_in_body = [m for m in document.iter("meta") if m not in heads[0].iter("meta")]
    if metas_in_body:
        report.problems.append("meta outside the head")
    return report


def strict_parse_errors(text: str) -> list[str]:
    """html5lib's parse errors for a page (the Nu checker's cheap cousin)."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parse(text)
    return [f"{code} {data}" for _position, code, data in parser.errors]


# --------------------------------------------------------------------------- XML files

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
FEED_ELEMENTS = frozenset(
    f"{ATOM}{name}"
    for name in ("feed", "title", "id", "link", "updated", "author", "name", "entry", "summary")
)
SITEMAP_ELEMENTS = frozenset({f"{SITEMAP}urlset", f"{SITEMAP}url", f"{SITEMAP}loc", f"{XHTML}link"})


def xml_problems(data: bytes, allowed: frozenset[str]) -> list[str]:
    """Whether an XML file is well formed and holds only the template's elements."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return ["a DOCTYPE or ENTITY declaration"]
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        return [f"not well formed: {error}"]
    return [f"element {element.tag}" for element in root.iter() if element.tag not in allowed]
