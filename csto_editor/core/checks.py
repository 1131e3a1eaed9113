"""Pre-publication checks: what blocks an export (errors) and what deserves a look."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

from csto_editor.core.content import REQUIRED_FIELDS, ItemContent, Language

ITEM_LINK_PREFIX = "item:"
ASSET_LINK_PREFIX = "asset:"
UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data"})
FIELD_LABELS = {
    "event_date": "date",
    "place": "place",
    "speaker": "speaker",
    "outlet": "outlet",
}


Callback = Callable[[str, str], None]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    code: str
    message: str


@dataclass(frozen=True)
class CheckSubject:
    """One item as it would be published, with what the checks need to know around it."""

    content: ItemContent
    pending_changes: bool = False
    """A newer revision or working copy waits beside the approved one."""
    missing_translations: frozenset[Language] = frozenset()
    older_than_source: int | None = None
    """The id of the source item this translation has fallen behind."""
    body_html: str | None = None
    """The body already rendered and sanitised (an export has it): read links from it
    instead of rendering the Markdown once more."""
    links: Sequence[Reference] | None = None
    """The links and images of the rendered body, read once when it was rendered and
    kept with it: used before ``body_html``, and before rendering."""


@dataclass(frozen=True)
class Reference:
    tag: str
    target: str
    alt: str | None


_SANITISED_TAG = re.compile(
    r"<(?P<name>a|img)(?P<attributes>(?:\s+[^\s\"'>/=]+=\"[^\"]*\")*)\s*/?>"
)
"""A link or image start tag as html5ever (nh3) writes it: every value double-quoted with
``"``, ``<`` and ``>`` escaped, and ``<`` in text always ``&lt;``."""
_SANITISED_ATTRIBUTE = re.compile(r'\s(?P<name>[^\s"\'>/=]+)="(?P<value>[^"]*)"')


class _ReferenceCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.references: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a":
            self.references.append(Reference("a", values.get("href") or "", None))
        elif tag == "img":
            self.references.append(Reference("img", values.get("src") or "", values.get("alt")))


def references(markdown: str, lang: Language | str = Language.EN) -> list[Reference]:
    """Every link and image the author wrote, reference-style ones included."""
    # Markdown is imported here, not at the top: an export whose bodies are all rendered
    # already checks their stored links and never needs it.
    from csto_editor.core.markdown_render import markdown_to_unsanitised_html

    return references_in_html(markdown_to_unsanitised_html(markdown, lang))


def references_in_html(html: str) -> list[Reference]:
    """Every link and image in rendered HTML; a link without an address was removed."""
    collector = _ReferenceCollector()
    collector.feed(html)
    collector.close()
    return collector.references


def references_in_sanitised_html(sanitised: str) -> list[Reference]:
    """What ``references_in_html`` finds, read faster from HTML that ``sanitize_html``
    wrote (its start tags have one regular form): an export reads thousands of bodies."""
    found: list[Reference] = []
    for tag in _SANITISED_TAG.finditer(sanitised):
        values: dict[str, str] = {}
        for attribute in _SANITISED_ATTRIBUTE.finditer(tag["attributes"]):
            values.setdefault(attribute["name"].lower(), html.unescape(attribute["value"]))
        if tag["name"] == "a":
            found.append(Reference("a", values.get("href") or "", None))
        else:
            found.append(Reference("img", values.get("src") or "", values.get("alt")))
    return found


def references_to_json(found: Sequence[Reference]) -> list[list[str | None]]:
    """References as JSON-ready lists, to keep with a rendered body."""
    return [[reference.tag, reference.target, reference.alt] for reference in found]


def references_from_json(stored: object) -> list[Reference] | None:
    """References kept by ``references_to_json``; None when ``stored`` is not that."""
    if not isinstance(stored, list):
        return None
    found: list[Reference] = []
    for entry in stored:
        if not (isinstance(entry, list) and len(entry) == 3):
            return None
        tag, target, alt = entry
        if tag not in ("a", "img") or not isinstance(target, str):
            return None
        found.append(Reference(tag, target, alt if isinstance(alt, str) else None))
    return found


def link_targets(found: Sequence[Reference]) -> tuple[set[int], set[str]]:
    """The item ids and asset digests that ``check_subject`` looks up for these links:
    all a check needs to know of the database besides the item itself."""
    items: set[int] = set()
    assets: set[str] = set()
    for reference in found:
        target = reference.target.strip()
        if target.startswith(ITEM_LINK_PREFIX) and reference.tag != "img":
            number = target[len(ITEM_LINK_PREFIX) :].split("#", 1)[0]
            if number.isdigit():
                items.add(int(number))
        elif target.startswith(ASSET_LINK_PREFIX):
            assets.add(target[len(ASSET_LINK_PREFIX) :])
    return items, assets


def check_subject(
    subject: CheckSubject, publishable_items: Collection[int], known_assets: Collection[str]
) -> list[Problem]:
    """Every problem of one item: errors block its export, warnings do not."""
    content = subject.content
    problems: list[Problem] = []

    def error(code: str, message: str) -> None:
        problems.append(Problem(Severity.ERROR, code, message))

    def warning(code: str, message: str) -> None:
        problems.append(Problem(Severity.WARNING, code, message))

    if not content.title.strip():
        error("missing-title", "the title is empty")
    for field in REQUIRED_FIELDS[content.type]:
        if not getattr(content, field):
            label = FIELD_LABELS.get(field, field)
            error(f"missing-{label}", f"a {content.type.value} needs a {label}")
    if not content.body.strip():
        warning("empty-body", "the body is empty")
    if subject.links is not None:
        found: Sequence[Reference] = subject.links
    elif subject.body_html is not None:
        found = references_in_html(subject.body_html)
    else:
        found = references(content.body, content.lang)
    for reference in found:
        _check_reference(reference, publishable_items, known_assets, error, warning)
    for language in sorted(subject.missing_translations):
        warning("missing-translation", f"no translation into {language.value}")
    if subject.older_than_source is not None:
        warning(
            "translation-outdated",
            f"this translation is older than its source, item {subject.older_than_source}",
        )
    if subject.pending_changes:
        warning(
            "pending-changes",
            "newer changes wait beside the approved revision; the approved one is published",
        )
    return problems


def _check_reference(
    reference: Reference,
    publishable_items: Collection[int],
    known_assets: Collection[str],
    error: Callback,
    warning: Callback,
) -> None:
    target = reference.target.strip()
    if reference.tag == "img":
        if not (reference.alt or "").strip():
            warning("image-without-alt", f"image {target or '(no source)'} has no alt text")
        if target.startswith(ASSET_LINK_PREFIX):
            if target[len(ASSET_LINK_PREFIX) :] not in known_assets:
                error("missing-image", f"image {target} is not among the assets")
        elif not target.startswith(("https://", "http://")):
            error("image-outside-bundle", f"image {target or '(no source)'} is not an asset")
        return
    scheme = "".join(target.split()).split(":", 1)[0].lower() if ":" in target else ""
    if reference.tag == "a" and not target:
        error("link-removed", "a link was removed from the page as unsafe; check its address")
    elif scheme in UNSAFE_SCHEMES:
        error("unsafe-link", f"link {target[:60]} is unsafe and is left out of the page")
    elif target.startswith(ITEM_LINK_PREFIX):
        number = target[len(ITEM_LINK_PREFIX) :].split("#", 1)[0]
        if not number.isdigit() or int(number) not in publishable_items:
            error("broken-link", f"link {target} points to no approved item")
    elif target.startswith(ASSET_LINK_PREFIX):
        if target[len(ASSET_LINK_PREFIX) :] not in known_assets:
            error("broken-link", f"link {target} points to no attachment")
    elif target.startswith("file:") or "\\" in target or target[1:3] == ":/":
        error("link-outside-bundle", f"link {target} points to a file on the author's disk")
    elif target.startswith("/") and not target.startswith("//"):
        warning("site-absolute-link", f"link {target} depends on the site's layout; use item:N")
