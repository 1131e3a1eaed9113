"""Rich text from a word processor or a browser, as clean Markdown.

``html_to_markdown`` keeps the structure a press text needs — headings, paragraphs,
bold and italic, links (http, https and mailto only), nested lists, quotes, tables
as GitHub pipe tables, web images — and drops the rest: styles, fonts, spans,
classes, comments, Word's ``mso-`` junk and ``<o:p>``. Whitespace is collapsed as a
browser would; non-breaking and other special spaces become ordinary spaces.

The Markdown is written for the app's renderer (Python-Markdown with ``extra`` and
``sane_lists``): nested lists and continuation lines are indented by four spaces,
and characters that Markdown would read as syntax are escaped.

``looks_like_source_code`` tells a copy from a code editor (monospace, pre-formatted
HTML) from rich text: pasting such a copy should keep its plain text.

Pure Python, no Qt: the editor's rich paste and the import of Word files and web pages share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from csto_editor.core.html_tree import BLOCK_TAGS, Element, Node, parse_html, style_of

__all__ = ["element_to_markdown", "html_to_markdown", "looks_like_source_code"]

LINK_SCHEMES = ("http://", "https://", "mailto:")
IMAGE_SCHEMES = ("http://", "https://")
INDENT = "    "
_BREAK = "\ue000"  # a <br> while a paragraph is being assembled

_SPACES = re.compile(r"[ \t\n\r\f\v\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_LINE_START_SYNTAX = re.compile(r"^(\s*)(#|>|[-+](?=\s|$)|-{2,}\s*$|={2,}\s*$)")
_LINE_START_NUMBER = re.compile(r"^(\s*\d+)(?=[.)](?:\s|$))")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_MONOSPACE = ("mono", "courier", "consolas", "menlo")
_CODE_TAGS = frozenset({"code", "tt", "kbd", "samp"})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}


@dataclass(frozen=True)
class _Context:
    bold: bool = False  # already bold: no markers inside
    italic: bool = False
    wrap_bold: bool = False  # set by a bold element around blocks: wrap each paragraph
    wrap_italic: bool = False
    in_link: bool = False


def _clean_text(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "*`[]":
        text = text.replace(char, "\\" + char)
    text = re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    return _TAG_LIKE.sub("&lt;", text)


def _escape_line_start(line: str) -> str:
    line = _LINE_START_NUMBER.sub(r"\1\\", line)  # "1998. год" must not start a list
    return _LINE_START_SYNTAX.sub(r"\1\\\2", line)


def _escape_line_starts(text: str) -> str:
    return "\n".join(_escape_line_start(line) for line in text.split("\n"))


def _emphasis(element: Element) -> tuple[bool, bool]:
    """Whether an element makes its text bold, italic (by tag or by inline style)."""
    style = style_of(element)
    weight = style.get("font-weight", "")
    slant = style.get("font-style", "")
    bold = weight in ("bold", "bolder") or (len(weight) == 3 and weight[0] in "6789")
    italic = slant in ("italic", "oblique")
    if element.tag in ("b", "strong") and weight not in ("normal", "400", "lighter"):
        bold = True
    if element.tag in ("i", "em", "cite", "dfn") and slant != "normal":
        italic = True
    return bold, italic


def _wrap(text: str, marker: str) -> str:
    """Put an emphasis marker around text, keeping outer whitespace outside it."""
    stripped = text.strip(" ")
    if not stripped or not stripped.replace(_BREAK, "").strip():
        return text
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") else ""
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _clean_url(url: str) -> str:
    url = _INVISIBLE.sub("", url).strip()
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _plain(node: Node) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(_plain(child) for child in node.children)


class _Writer:
    def __init__(self, image_schemes: tuple[str, ...]) -> None:
        self._has_block: dict[int, bool] = {}
        self._image_schemes = image_schemes

    def contains_block(self, node: Node) -> bool:
        if isinstance(node, str):
            return False
        key = id(node)
        if key not in self._has_block:
            self._has_block[key] = node.tag in BLOCK_TAGS or any(
                self.contains_block(child) for child in node.children
            )
        return self._has_block[key]

    # ---------------------------------------------------------------- blocks

    def blocks(self, element: Element, context: _Context) -> list[str]:
        """The Markdown blocks of an element's children."""
        result: list[str] = []
        pending: list[str] = []
        for child in element.children:
            if isinstance(child, Element) and self.contains_block(child):
                self._flush(pending, context, result)
                result.extend(self.block(child, context))
            else:
                pending.append(self.inline(child, context))
        self._flush(pending, context, result)
        return result

    def _flush(self, pending: list[str], context: _Context, result: list[str]) -> None:
        text = self.paragraph("".join(pending))
        pending.clear()
        if not text:
            return
        if context.wrap_italic:
            text = _wrap(text, "*")
        if context.wrap_bold:
            text = _wrap(text, "**")
        result.append(text)

    @staticmethod
    def paragraph(text: str) -> str:
        text = re.sub(r" *" + _BREAK + " *", _BREAK, re.sub(" {2,}", " ", text))
        text = text.strip(" " + _BREAK)
        return _escape_line_starts(text.replace(_BREAK, "  \n"))

    def block(self, element: Element, context: _Context) -> list[str]:
        tag = element.tag
        if tag in _HEADINGS:
            inner = _Context(bold=True, italic=context.italic, wrap_italic=context.wrap_italic)
            text = " ".join(self.blocks(element, inner)).replace("  \n", " ")
            text = text.replace("\n", " ").lstrip("\\")
            return [f"{'#' * _HEADINGS[tag]} {text}"] if text else []
        if tag in ("ul", "ol", "dir"):
            return self.list_block(element, context)
        if tag == "blockquote":
            inner_text = "\n\n".join(self.blocks(element, context))
            quoted = [f"> {line}" if line else ">" for line in inner_text.split("\n")]
            return ["\n".join(quoted)] if inner_text else []
        if tag == "pre":
            return self.code_block(element)
        if tag == "table":
            return self.table(element, context)
        if tag == "hr":
            return ["---"]
        if tag == "a" and not context.in_link:
            return self.blocks(element, replace(context, in_link=True))
        bold, italic = _emphasis(element)
        if bold and not context.bold:
            context = replace(context, bold=True, wrap_bold=True)
        if italic and not context.italic:
            context = replace(context, italic=True, wrap_italic=True)
        return self.blocks(element, context)

    def list_block(self, element: Element, context: _Context) -> list[str]:
        ordered = element.tag == "ol"
        try:
            number = int(element.attrs.get("start", "1"))
        except ValueError:
            number = 1
        items: list[list[str]] = []
        for child in element.children:
            if isinstance(child, Element) and child.tag in ("ul", "ol") and items:
                items[-1].extend(self.list_block(child, context))
            elif isinstance(child, Element) and child.tag == "li":
                items.append(self.blocks(child, context))
            elif isinstance(child, Element) or child.strip():
                wrapper = Element("li", {}, [child])
                items.append(self.blocks(wrapper, context))
        items = [item for item in items if item]
        rendered: list[str] = []
        loose = False
        for item in items:
            marker = f"{number}. " if ordered else "- "
            number += 1
            paragraphs = [b for b in item if not re.match(r"(- |\d+\. )", b)]
            item_loose = len(paragraphs) > 1
            loose = loose or item_loose
            text = ("\n\n" if item_loose else "\n").join(item)
            lines = text.split("\n")
            body = [marker + lines[0]] + [INDENT + line if line else "" for line in lines[1:]]
            rendered.append("\n".join(body))
        return [("\n\n" if loose else "\n").join(rendered)] if rendered else []

    @staticmethod
    def code_block(element: Element) -> list[str]:
        text = _plain(element).replace("\xa0", " ").replace("\r\n", "\n")
        text = text.removeprefix("\n").rstrip()
        if not text.strip():
            return []
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fence = "`" * max(3, longest + 1)
        return [f"{fence}\n{text}\n{fence}"]

    def table(self, element: Element, context: _Context) -> list[str]:
        rows: list[list[str]] = []
        header_cells: list[bool] = []

        def collect(node: Element) -> None:
            for child in node.children:
                if not isinstance(child, Element):
                    continue
                if child.tag == "tr":
                    cells = [c for c in child.children if isinstance(c, Element)]
                    cells = [c for c in cells if c.tag in ("td", "th")]
                    row: list[str] = []
                    for cell in cells:
                        row.append(self.cell(cell, context))
                        span = cell.attrs.get("colspan", "1")
                        row.extend([""] * (int(span) - 1 if span.isdigit() else 0))
                    if row:
                        rows.append(row)
                        header_cells.append(all(c.tag == "th" for c in cells))
                elif child.tag in ("thead", "tbody", "tfoot"):
                    collect(child)

        collect(element)
        width = max((len(row) for row in rows), default=0)
        if width <= 1:  # a layout table: keep its content as blocks
            return self.blocks(element, context)
        rows = [row + [""] * (width - len(row)) for row in rows]
        widths = [max(3, *(len(row[col]) for row in rows)) for col in range(width)]
        widths = [w if w <= 40 else 3 for w in widths]

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

        lines = [line(rows[0]), line(["-" * w for w in widths])]
        lines.extend(line(row) for row in rows[1:])
        return ["\n".join(lines)]

    def cell(self, cell: Element, context: _Context) -> str:
        text = " ".join(self.blocks(cell, context))
        text = re.sub(r"\s*\n\s*", " ", text.replace("  \n", " "))
        return text.replace("|", "\\|").strip()

    # ---------------------------------------------------------------- inline

    def inline(self, node: Node, context: _Context) -> str:
        """An inline node as Markdown text (spaces collapsed, syntax escaped)."""
        if isinstance(node, str):
            return _escape(_clean_text(node))
        tag = node.tag
        if tag == "br":
            return _BREAK
        if tag == "img":
            return self.image(node)
        if tag in _CODE_TAGS:
            return self.code_span(node)
        if tag == "a" and not context.in_link:
            return self.link(node, context)
        bold, italic = _emphasis(node)
        text = "".join(
            self.inline(child, self._inner(context, bold, italic)) for child in node.children
        )
        if italic and not context.italic:
            text = _wrap(text, "*")
        if bold and not context.bold:
            text = _wrap(text, "**")
        return text

    @staticmethod
    def _inner(context: _Context, bold: bool, italic: bool) -> _Context:
        if (bold and not context.bold) or (italic and not context.italic):
            return replace(context, bold=context.bold or bold, italic=context.italic or italic)
        return context

    def image(self, element: Element) -> str:
        source = _clean_url(element.attrs.get("src", ""))
        if not source.lower().startswith(self._image_schemes):
            return ""
        alt = _escape(_clean_text(element.attrs.get("alt", "")).strip())
        return f"![{alt}]({source})"

    @staticmethod
    def code_span(element: Element) -> str:
        text = _clean_text(_plain(element))
        if not text.strip():
            return text
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        ticks = "`" * (longest + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{ticks}{pad}{text}{pad}{ticks}"

    def link(self, element: Element, context: _Context) -> str:
        inner = replace(context, in_link=True)
        text = "".join(self.inline(child, inner) for child in element.children)
        href = _clean_url(element.attrs.get("href", ""))
        if not href.lower().startswith(LINK_SCHEMES):
            return text
        label = text.strip(" ")
        if not label.replace(_BREAK, "").strip():
            return text
        plain = _clean_text(_plain(element)).strip()
        if plain and plain in (href, href.removeprefix("mailto:")) and "\\" not in label:
            link = f"<{href.removeprefix('mailto:')}>" if "@" in plain else f"<{href}>"
        else:
            link = f"[{label}]({href})"
        lead = " " if text.startswith(" ") else ""
        trail = " " if text.endswith(" ") else ""
        return f"{lead}{link}{trail}"


def html_to_markdown(html: str) -> str:
    """Clipboard HTML as clean Markdown, without a trailing newline.

    Content that fits in one paragraph comes back as plain inline text, so a phrase
    pasted into the middle of a sentence stays in that sentence. Markup nested too
    deeply for the converter comes back as its text, escaped.
    """
    try:
        return element_to_markdown(parse_html(html))
    except RecursionError:
        return _flat_text(html)


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _flat_text(html: str) -> str:
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = _Writer.paragraph(_escape(_clean_text("".join(collector.parts))))
    return text.strip()


def element_to_markdown(root: Element, *, image_schemes: tuple[str, ...] = IMAGE_SCHEMES) -> str:
    """A parsed tree (``parse_html``) as Markdown; images only from ``image_schemes``."""
    blocks = _Writer(image_schemes).blocks(root, _Context())
    return "\n\n".join(block for block in blocks if block.strip()).strip("\n")


def looks_like_source_code(html: str) -> bool:
    """True for a copy from a code editor or a ``<pre>`` block: its plain text is the truth."""

    def first_content(node: Node) -> Element | None:
        if isinstance(node, str):
            return None
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    return node
                continue
            if child.tag in ("meta", "link", "br"):
                continue
            return child
        return None

    node: Element | None = parse_html(html)
    while node is not None:
        if node.tag == "pre":
            return True
        style = style_of(node)
        family = style.get("font-family", "")
        if style.get("white-space", "").startswith("pre") and any(m in family for m in _MONOSPACE):
            return True
        if node.tag not in ("#root", "html", "body", "div", "span", "meta"):
            return False
        following = first_content(node)
        if following is node:
            return False
        node = following
    return False
