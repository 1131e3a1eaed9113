"""What Word and web pages leave in a text that would otherwise be cleaned by hand.

These passes work on the tree of ``html_tree.parse_html`` before it becomes Markdown:

- typographic quotes (“ ” „ « » ‘ ’) become straight ones, so the renderer's
  language-aware typography gives every text the house quotes (« » in Russian);
- paragraphs numbered or bulleted by hand ("1. …", "2) …", "• …") become real lists;
- the title is taken out of the text: the first heading, or a first paragraph that is
  bold throughout (how a title is often typed in Word).

Non-breaking spaces, soft hyphens, zero-width characters and empty paragraphs are
already dropped by the converter itself.
"""

from __future__ import annotations

import re

from csto_editor.core.frontmatter import TITLE_MAX_LENGTH
from csto_editor.core.html_tree import Element, Node, style_of, text_of

__all__ = ["clean_text", "clean_tree", "take_title"]

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "«": '"',
        "»": '"',
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
    }
)
_MANUAL_NUMBER = re.compile(r"^[\s\xa0]*(\d{1,3})[.)][\s\xa0]+")
_MANUAL_BULLET = re.compile(r"^[\s\xa0]*[•·▪◦●■‣\-][\s\xa0]+")
"""Bullets typed by hand; not dashes: a Russian interview starts its lines with "— "."""
_CODE_TAGS = frozenset({"pre", "code", "tt", "kbd", "samp"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPACES = re.compile(r"[\s\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def clean_text(text: str) -> str:
    """Plain text with straight quotes, no soft hyphens or zero-width characters."""
    return _INVISIBLE.sub("", text.translate(_QUOTES))


def clean_tree(root: Element) -> None:
    """Straighten quotes and turn hand-made numbering into lists, in place."""
    _straighten_quotes(root)
    _manual_lists(root)


def take_title(root: Element, fallback: str = "") -> str | None:
    """Remove the element that is the document's title and return its text, if any.

    The first block, if it is a heading or a paragraph bold throughout (the title as
    the author sees it); else ``fallback`` (Word's document title), leaving the text
    whole; else the first ``h1``; else the first heading of any level.
    """
    first = _first_block(root)
    if first is not None and (first.tag in _HEADINGS or _bold_throughout(first)):
        title = _remove_as_title(root, first)
        if title:
            return title
    if fallback:
        return fallback
    for level in (("h1",), _HEADINGS):
        heading = _find(root, level)
        if heading is not None:
            return _remove_as_title(root, heading)
    return None


def _one_line(element: Element) -> str:
    return _SPACES.sub(" ", clean_text(text_of(element))).strip()


def _remove_as_title(root: Element, element: Element) -> str | None:
    title = _one_line(element)
    if not title or len(title) > TITLE_MAX_LENGTH:
        return None
    _remove(root, element)
    return title


def _remove(parent: Element, target: Element) -> bool:
    for index, child in enumerate(parent.children):
        if child is target:
            del parent.children[index]
            return True
        if isinstance(child, Element) and _remove(child, target):
            return True
    return False


def _find(element: Element, tags: tuple[str, ...]) -> Element | None:
    for child in element.children:
        if isinstance(child, Element):
            if child.tag in tags:
                return child
            found = _find(child, tags)
            if found is not None:
                return found
    return None


def _first_block(element: Element) -> Element | None:
    """The first element holding text: a heading, a paragraph or the like."""
    for child in element.children:
        if isinstance(child, str):
            if child.strip():
                return element
            continue
        if not _one_line(child) and child.tag != "img":
            continue
        if child.tag in _HEADINGS or child.tag == "p":
            return child
        if child.tag in ("div", "article", "main", "section", "body", "html", "header"):
            return _first_block(child)
        return None
    return None


def _bold_throughout(element: Element) -> bool:
    """True when every piece of text in the element is inside bold markup."""

    def bold(node: Node, inside: bool) -> bool:
        if isinstance(node, str):
            return inside or not node.strip()
        weight = style_of(node).get("font-weight", "")
        inside = inside or node.tag in ("b", "strong") or weight in ("bold", "700")
        return all(bold(child, inside) for child in node.children)

    return bool(_one_line(element)) and bold(element, False)


def _straighten_quotes(element: Element) -> None:
    for index, child in enumerate(element.children):
        if isinstance(child, str):
            element.children[index] = child.translate(_QUOTES)
        elif child.tag not in _CODE_TAGS:
            _straighten_quotes(child)


def _strip_marker(element: Element, pattern: re.Pattern[str]) -> None:
    """Remove the hand-typed marker from the first text in the element."""
    for index, child in enumerate(element.children):
        if isinstance(child, str):
            if not child.strip():
                continue
            element.children[index] = pattern.sub("", child, count=1)
            return
        if _one_line(child):
            _strip_marker(child, pattern)
            return


def _marker_of(node: Node) -> tuple[str, int] | None:
    """("ol", number) or ("ul", 0) for a paragraph that starts with a typed marker."""
    if not isinstance(node, Element) or node.tag != "p":
        return None
    text = text_of(node)
    number = _MANUAL_NUMBER.match(text)
    if number:
        return "ol", int(number.group(1))
    if _MANUAL_BULLET.match(text):
        return "ul", 0
    return None


def _manual_lists(element: Element) -> None:
    """Runs of two or more hand-numbered (1, 2, 3…) or hand-bulleted paragraphs become lists."""
    result: list[Node] = []
    run: list[Element] = []
    kind: tuple[str, int] | None = None

    def close_run() -> None:
        nonlocal kind
        if len(run) >= 2 and kind is not None:
            tag, first = kind[0], kind[1] - len(run) + 1
            pattern = _MANUAL_NUMBER if tag == "ol" else _MANUAL_BULLET
            items: list[Node] = []
            for paragraph in run:
                _strip_marker(paragraph, pattern)
                items.append(Element("li", {}, paragraph.children))
            attrs = {"start": str(first)} if tag == "ol" and first != 1 else {}
            result.append(Element(tag, attrs, items))
        else:
            result.extend(run)
        run.clear()
        kind = None

    for child in element.children:
        if isinstance(child, str) and not child.strip() and run:
            continue
        marker = _marker_of(child)
        follows = (
            marker is not None
            and kind is not None
            and marker[0] == kind[0]
            and (marker[0] == "ul" or marker[1] == kind[1] + 1)
        )
        if not follows:
            close_run()
        if marker is not None and isinstance(child, Element):
            run.append(child)
            kind = marker
            continue
        if isinstance(child, Element) and child.tag not in _CODE_TAGS:
            _manual_lists(child)
        result.append(child)
    close_run()
    element.children = result
