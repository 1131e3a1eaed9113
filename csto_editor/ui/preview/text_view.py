"""The fallback preview: the page in a QTextBrowser, as well as Qt's rich text shows it.

Qt's rich text keeps no ``data-source-line`` attributes, so ``with_line_anchors`` puts a
named anchor per source block into the HTML; the anchors' places in the laid-out
document map the scroll position to source lines and back. Only local files are loaded,
and a clicked link is reported, not followed (a jump inside the page is).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from csto_editor.core.source_map import Anchor, clean_anchors, line_at_position, position_of_line
from csto_editor.services.preview_page import PreviewPage
from csto_editor.ui.preview.backend import LOCAL_SCHEMES, Callbacks

_LINE_ANCHOR = "csto-line-"
_BLOCK_OPEN_RE = re.compile(
    r'<(?P<tag>[a-z][a-z0-9]*)\b[^>]*\sdata-source-line="(?P<line>\d+)"[^>]*>'
)
_TEXT_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "li", "dt", "dd", "td", "th"}
)
_TEXT_OPEN_RE = re.compile(r"<(?:p|h[1-6]|pre|li|dt|dd|td|th|figcaption)\b[^>]*>")


def with_line_anchors(html: str) -> str:
    """``html`` with a named anchor per ``data-source-line`` block, placed in the first
    text the block holds (Qt's rich text keeps ``<a name>`` but no data attributes)."""
    insertions: dict[int, list[str]] = {}
    for match in _BLOCK_OPEN_RE.finditer(html):
        if match.group("tag") == "hr":
            continue
        at = match.end()
        if match.group("tag") not in _TEXT_TAGS:
            inner = _TEXT_OPEN_RE.search(html, at)
            if inner is None:
                continue
            at = inner.end()
        insertions.setdefault(at, []).append(f'<a name="{_LINE_ANCHOR}{match.group("line")}"></a>')
    if not insertions:
        return html
    parts: list[str] = []
    last = 0
    for at in sorted(insertions):
        parts.append(html[last:at])
        parts.extend(insertions[at])
        last = at
    parts.append(html[last:])
    return "".join(parts)


class _Browser(QTextBrowser):
    """A QTextBrowser that loads only local files and counts what it refused."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.refused: list[str] = []
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        url = QUrl(name)
        if url.scheme() in LOCAL_SCHEMES:
            return super().loadResource(type, url)
        self.refused.append(url.toString())
        return None


class TextPreview:
    """The page in a QTextBrowser: scroll kept by its scroll bar, lines by anchors."""

    def __init__(self, parent: QWidget, callbacks: Callbacks) -> None:
        self._callbacks = callbacks
        self.browser = _Browser(parent)
        self.widget: QWidget = self.browser
        self._anchors: list[Anchor] = []
        self._html: str | None = None
        bar = self.browser.verticalScrollBar()
        bar.actionTriggered.connect(
            lambda _action: QTimer.singleShot(0, self.browser, self._user_scrolled)
        )
        self.browser.anchorClicked.connect(self._link_clicked)

    def show_page(self, html: str, *, keep_scroll: bool, page: PreviewPage | None = None) -> None:
        bar = self.browser.verticalScrollBar()
        position = bar.value() if keep_scroll else 0
        if html != self._html:
            self._html = html
            self.browser.setHtml(with_line_anchors(html))
            self._anchors = self._find_anchors()
        bar.setValue(position)
        self._callbacks.painted()

    def scroll_to_source_line(self, line: int) -> None:
        self.browser.verticalScrollBar().setValue(round(position_of_line(self._anchors, line)))

    def is_busy(self) -> bool:
        return False

    def refused_requests(self) -> list[str]:
        return self.browser.refused

    def shutdown(self) -> None:
        pass

    def top_line(self) -> int:
        """The source line at the top of the view."""
        return line_at_position(self._anchors, self.browser.verticalScrollBar().value())

    def _find_anchors(self) -> list[Anchor]:
        document: QTextDocument = self.browser.document()
        layout = document.documentLayout()
        found: list[Anchor] = []
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                for name in fragments.fragment().charFormat().anchorNames():
                    if name.startswith(_LINE_ANCHOR):
                        top = layout.blockBoundingRect(block).top()
                        found.append((int(name.removeprefix(_LINE_ANCHOR)), top))
                fragments += 1
            block = block.next()
        return clean_anchors(found)

    def _user_scrolled(self) -> None:
        with contextlib.suppress(RuntimeError):  # the browser went away meanwhile
            self._callbacks.user_scrolled(self.top_line())

    def _link_clicked(self, url: QUrl) -> None:
        if url.scheme() == "" and url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        self._callbacks.link_clicked(url)
