"""What the preview pane needs from a way of showing a page, and what that reports back.

The pane shows its page with one of two backends: ``WebPreview`` (QtWebEngine, in
``web_view``) or ``TextPreview`` (a QTextBrowser, in ``text_view``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QWidget

from csto_editor.services.preview_page import PreviewPage

LOCAL_SCHEMES = frozenset({"file", "data"})
"""The only kinds of address a page may load from: local files and inline data."""


class Backend(Protocol):
    """What the pane needs from either way of showing a page."""

    widget: QWidget

    def show_page(
        self, html: str, *, keep_scroll: bool, page: PreviewPage | None = None
    ) -> None: ...
    def scroll_to_source_line(self, line: int) -> None: ...
    def is_busy(self) -> bool: ...
    def shutdown(self) -> None: ...
    def refused_requests(self) -> list[str]: ...


class Callbacks:
    """What a backend reports back to the pane."""

    def __init__(
        self,
        painted: Callable[[], None],
        user_scrolled: Callable[[int], None],
        link_clicked: Callable[[QUrl], None],
        broken: Callable[[], None],
    ) -> None:
        self.painted = painted
        self.user_scrolled = user_scrolled
        self.link_clicked = link_clicked
        self.broken = broken
