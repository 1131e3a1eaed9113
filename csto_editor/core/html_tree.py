"""Clipboard HTML to a small, forgiving element tree, with Word's lists made real lists.

Clipboard HTML is rarely well formed: Word leaves paragraphs and list items open,
uses unquoted attributes and namespaced tags (``<o:p>``, ``<v:shape>``), and writes
its lists as paragraphs styled ``mso-list:l0 level2 lfo1`` whose bullet is a span
styled ``mso-list:Ignore``. ``parse_html`` builds a tree with the stdlib parser,
closes what the HTML rules close implicitly, drops comments, scripts, styles and
Word's conditional-comment junk, and rebuilds Word's list paragraphs as nested
``<ul>``/``<ol>`` elements, so the Markdown writer only ever sees plain HTML.

No Qt here: this is pure Python and tested as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["BLOCK_TAGS", "Element", "Node", "parse_html", "style_of"]


def _tags(names: str) -> frozenset[str]:
    return frozenset(names.split())


VOID_TAGS = _tags("area base br col embed hr img input link meta param source track wbr")
SKIPPED_TAGS = _tags(
    "script style head title template noscript iframe object svg math canvas xml button "
    "select textarea v:shapetype o:documentproperties w:worddocument"
)
"""Tags whose whole content is dropped."""
BLOCK_TAGS = _tags(
    "address article aside blockquote body center dd details dir div dl dt figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul"
)
_CLOSES_P = BLOCK_TAGS - {"body", "html", "td", "th", "tr", "tbody", "thead", "tfoot", "li"}
_P_SCOPE = _tags("li td th blockquote div body html table section article")

_MSO_LEVEL = re.compile(r"\blevel(\d+)")
_MSO_ID = re.compile(r"\b(l\d+)\b")
_ORDERED_MARKER = re.compile(r"^\s*(?:\d{1,4}|[ivxlcdm]{1,6}|[a-zа-я])[.)]\s*$", re.IGNORECASE)


@dataclass
class Element:
    """One HTML element: lower-case tag, attributes, and children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)


Node = Element | str


def style_of(element: Element) -> dict[str, str]:
    """The element's inline ``style`` attribute as lower-case property -> value."""
    result: dict[str, str] = {}
    for declaration in element.attrs.get("style", "").split(";"):
        name, _, value = declaration.partition(":")
        if value:
            result[name.strip().lower()] = value.strip().lower()
    return result


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.stack: list[Element] = [self.root]
        self.skipping = 0

    def _innermost(self, tags: frozenset[str] | set[str]) -> int | None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag in tags:
                return index
        return None

    def _close_implicitly(self, tag: str) -> None:
        if tag in _CLOSES_P:
            index = self._innermost({"p", *_P_SCOPE})
            if index is not None and self.stack[index].tag == "p":
                del self.stack[index:]
        if tag == "li":
            index = self._innermost({"li", "ul", "ol"})
            if index is not None and self.stack[index].tag == "li":
                del self.stack[index:]
        elif tag in ("td", "th"):
            index = self._innermost({"td", "th", "tr", "table"})
            if index is not None and self.stack[index].tag in ("td", "th"):
                del self.stack[index:]
        elif tag == "tr":
            index = self._innermost({"tr", "table"})
            if index is not None and self.stack[index].tag == "tr":
                del self.stack[index:]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in SKIPPED_TAGS and tag not in VOID_TAGS:
                self.skipping += 1
            return
        if tag in SKIPPED_TAGS:
            self.skipping = 1
            return
        self._close_implicitly(tag)
        element = Element(tag, {name.lower(): value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS or tag in SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)
        elif not self.skipping:
            self._close_implicitly(tag)
            element = Element(tag, {name.lower(): value or "" for name, value in attrs})
            self.stack[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in SKIPPED_TAGS:
                self.skipping -= 1
            return
        if tag == "p" and self._innermost({"p"}) is None:
            self.stack[-1].children.append(Element("br"))  # a stray </p> is a break, as browsers do
            return
        index = self._innermost({tag})
        if index is not None:
            del self.stack[index:]

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.stack[-1].children.append(data)


def _word_list_position(element: Element) -> tuple[str, int] | None:
    """A Word list paragraph's list id and level (``mso-list:l0 level2 lfo1``), else None."""
    if element.tag not in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div"):
        return None
    value = style_of(element).get("mso-list", "")
    if not value or value == "ignore":
        return None
    level = _MSO_LEVEL.search(value)
    list_id = _MSO_ID.search(value)
    return (list_id.group(1) if list_id else "", int(level.group(1)) if level else 1)


def _take_word_marker(element: Element) -> str:
    """Remove the ``mso-list:Ignore`` span (Word's typed bullet) and return its text."""
    for index, child in enumerate(element.children):
        if isinstance(child, Element):
            if style_of(child).get("mso-list") == "ignore":
                del element.children[index]
                return text_of(child)
            found = _take_word_marker(child)
            if found:
                return found
    return ""


def text_of(node: Node) -> str:
    """All the text under a node, as is."""
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node.children)


def _rebuild_word_lists(element: Element) -> None:
    """Turn runs of Word list paragraphs into nested ``ul``/``ol`` elements, in place."""
    result: list[Node] = []
    stack: list[tuple[int, Element]] = []
    current_id = ""
    for child in element.children:
        position = _word_list_position(child) if isinstance(child, Element) else None
        if position is None or not isinstance(child, Element):
            if isinstance(child, str) and not child.strip() and stack:
                continue  # whitespace between list paragraphs
            stack.clear()
            if isinstance(child, Element):
                _rebuild_word_lists(child)
            result.append(child)
            continue
        list_id, level = position
        if list_id != current_id:
            stack.clear()
            current_id = list_id
        marker = _take_word_marker(child).replace("\xa0", " ")
        tag = "ol" if _ORDERED_MARKER.match(marker) else "ul"
        while stack and (
            stack[-1][0] > level or (stack[-1][0] == level and stack[-1][1].tag != tag)
        ):
            stack.pop()
        if not stack or stack[-1][0] < level:
            new_list = Element(tag)
            if stack and stack[-1][1].children:
                last_item = stack[-1][1].children[-1]
                assert isinstance(last_item, Element)
                last_item.children.append(new_list)
            else:
                result.append(new_list)
            stack.append((level, new_list))
        _rebuild_word_lists(child)
        item = Element("li", {}, child.children)
        if child.tag.startswith("h"):
            item.children = [Element(child.tag, {}, child.children)]
        stack[-1][1].children.append(item)
    element.children = result


def parse_html(html: str) -> Element:
    """Parse clipboard HTML into a tree rooted at a ``#root`` element."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    _rebuild_word_lists(builder.root)
    return builder.root
