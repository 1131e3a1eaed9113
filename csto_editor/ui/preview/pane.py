"""The page preview: the item as it will be published, next to the editor.

``PreviewPane`` shows what ``PagePreviewer.render`` makes (the export's template and
CSS), rendered off the GUI thread by a ``RenderScheduler``. It uses QtWebEngine when
``PySide6.QtWebEngineWidgets`` imports and ``$CSTO_EDITOR_NO_WEBENGINE`` is not set,
and a ``QTextBrowser`` (the same HTML, shown as well as Qt's rich text can) otherwise.
If QtWebEngine cannot show a page at all (its renderer dies before the first page),
the pane switches to the QTextBrowser by itself. How QtWebEngine is locked down and
how it updates a page in place is in ``web_view``; the QTextBrowser is in ``text_view``.

Chromium will not start its sandbox as root (containers, CI): ``prepare_web_engine``
then sets ``QTWEBENGINE_DISABLE_SANDBOX=1`` unless the variable is already set. Call
it before the QApplication exists; the pane calls it again before QtWebEngine starts.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from csto_editor.core.content import ItemContent
from csto_editor.services.pages import PagePreviewer, PageSurroundings
from csto_editor.services.preview_page import BlockPreviewer
from csto_editor.ui.preview.backend import Backend, Callbacks
from csto_editor.ui.preview.render_worker import (
    DEBOUNCE_MS,
    ContentSource,
    RenderOutcome,
    RenderScheduler,
)
from csto_editor.ui.preview.text_view import TextPreview
from csto_editor.ui.preview.web_view import HAVE_WEB_ENGINE, WebPreview

__all__ = [
    "NO_WEB_ENGINE_VARIABLE",
    "PreviewPane",
    "prepare_web_engine",
    "web_engine_wanted",
]

log = logging.getLogger(__name__)

NO_WEB_ENGINE_VARIABLE = "CSTO_EDITOR_NO_WEBENGINE"
"""Set to anything but empty or ``0`` to use the QTextBrowser preview."""


def web_engine_wanted() -> bool:
    """Whether QtWebEngine is installed and not switched off by the environment."""
    return HAVE_WEB_ENGINE and os.environ.get(NO_WEB_ENGINE_VARIABLE, "").strip() in {"", "0"}


def prepare_web_engine() -> None:
    """Before QtWebEngine starts: as root, let Chromium run without its sandbox."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


class PreviewPane(QWidget):
    """The live page preview of one item, kept in step with the editor."""

    painted = Signal()
    """A render has been loaded and painted (the first and every later one)."""
    source_line_scrolled = Signal(int)
    """The user scrolled the preview; the source line now at its top."""
    link_clicked = Signal(QUrl)
    """The user clicked a link; the pane itself never leaves the page for it."""
    page_sent = Signal()
    """A rendered page went to the view (QtWebEngine now loads it in its own process)."""

    def __init__(
        self,
        previewer: PagePreviewer,
        parent: QWidget | None = None,
        *,
        use_web_engine: bool | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        # A real previewer renders block by block and pages are patched in place; any
        # other render function (tests) gives whole pages.
        self._blocks = BlockPreviewer(previewer) if isinstance(previewer, PagePreviewer) else None
        render = self._blocks.render if self._blocks is not None else previewer.render
        self._scheduler = RenderScheduler(render, self, debounce_ms=debounce_ms)
        self._scheduler.rendered.connect(self._rendered)
        self._scheduler.failed.connect(self._failed)
        self._fresh_serial = 0  # the request of the last render_now: its page starts at the top
        self._shown_serial = 0
        self._line_for_fresh_page: int | None = None
        self._last_html: str | None = None
        self._callbacks = Callbacks(
            self.painted.emit,
            self.source_line_scrolled.emit,
            self.link_clicked.emit,
            self._web_engine_broken,
        )
        self._error = QLabel(self)
        self._error.setObjectName("previewError")
        self._error.setWordWrap(True)
        self._error.hide()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self._error)
        wanted = web_engine_wanted() if use_web_engine is None else use_web_engine
        if wanted and not HAVE_WEB_ENGINE:
            log.warning("QtWebEngine is not installed; the preview uses QTextBrowser")
        self._backend: Backend
        if wanted and HAVE_WEB_ENGINE:
            prepare_web_engine()
            self._backend = WebPreview(self, self._callbacks)
        else:
            self._backend = TextPreview(self, self._callbacks)
        self._layout.addWidget(self._backend.widget, 1)
        self.destroyed.connect(_shutdown_slot(self._scheduler, self._backend))

    def show_item(self, content: ItemContent | ContentSource, around: PageSurroundings) -> None:
        """Render ``content`` after a short pause in changes, keeping the scroll position.

        Pass a ``ContentSource`` while typing: the content is then read once, when the
        render starts, instead of being copied on every keystroke.
        """
        self._scheduler.request(content, around)

    def render_now(self, content: ItemContent, around: PageSurroundings) -> None:
        """Render ``content`` without waiting (an item was opened); it starts at the top."""
        if self._blocks is not None:
            self._blocks.start_over()
        self._fresh_serial = self._scheduler.request_now(content, around)

    def scroll_to_source_line(self, line: int) -> None:
        """Scroll so that source ``line`` is at the top; never emits source_line_scrolled.

        Called while an opened item (``render_now``) is still rendering, it applies to
        that item's page once it is shown.
        """
        if self._shown_serial < self._fresh_serial:
            self._line_for_fresh_page = max(0, line)
        else:
            self._backend.scroll_to_source_line(max(0, line))

    @property
    def uses_web_engine(self) -> bool:
        """True when QtWebEngine shows the page, False for the QTextBrowser."""
        return isinstance(self._backend, WebPreview)

    def wait_until_idle(self, timeout_ms: int = 5000) -> bool:
        """For tests: process events until no render waits or runs and the last page
        is painted; False if that takes longer than ``timeout_ms``."""
        clock = QElapsedTimer()
        clock.start()
        while not self._idle():
            if clock.elapsed() >= timeout_ms:
                return False
            loop = QEventLoop()
            QTimer.singleShot(5, loop.quit)
            loop.exec()
        return True

    @property
    def block_previewer(self) -> BlockPreviewer | None:
        """The block-by-block renderer (None with a test's plain render function)."""
        return self._blocks

    @property
    def renders_started(self) -> int:
        """How many renders were started (the debounce and coalescing at work)."""
        return self._scheduler.renders_started

    @property
    def view(self) -> QWidget:
        """The widget showing the page: a QWebEngineView or a QTextBrowser."""
        return self._backend.widget

    @property
    def refused_requests(self) -> list[str]:
        """Addresses the page asked for and did not get (remote images and the like)."""
        return list(self._backend.refused_requests())

    def _idle(self) -> bool:
        return self._scheduler.is_idle() and not self._backend.is_busy()

    def _rendered(self, outcome: RenderOutcome) -> None:
        assert outcome.html is not None
        fresh = self._shown_serial < self._fresh_serial <= outcome.serial
        self._shown_serial = outcome.serial
        self._last_html = outcome.html
        self._error.hide()
        self._backend.show_page(outcome.html, keep_scroll=not fresh, page=outcome.page)
        self.page_sent.emit()
        if fresh and self._line_for_fresh_page is not None:
            line, self._line_for_fresh_page = self._line_for_fresh_page, None
            self._backend.scroll_to_source_line(line)

    def _failed(self, outcome: RenderOutcome) -> None:
        message = self.tr("The preview could not be updated: {error}")
        self._error.setText(message.format(error=outcome.error))
        self._error.show()

    def _web_engine_broken(self) -> None:
        """QtWebEngine could not show a page at all: carry on with the QTextBrowser."""
        log.warning("QtWebEngine failed to show the preview; falling back to QTextBrowser")
        old = self._backend
        self._backend = TextPreview(self, self._callbacks)
        self._layout.replaceWidget(old.widget, self._backend.widget)
        old.shutdown()
        old.widget.hide()
        old.widget.deleteLater()
        if isinstance(old, QObject):
            old.deleteLater()
        if self._last_html is not None:
            self._backend.show_page(self._last_html, keep_scroll=False)


def _shutdown_slot(scheduler: RenderScheduler, backend: Backend) -> Callable[[], None]:
    """A slot for the pane's ``destroyed`` that holds no reference to the pane itself."""

    def shutdown() -> None:
        for stop in (scheduler.shutdown, backend.shutdown):
            with contextlib.suppress(RuntimeError):  # already deleted with the pane
                stop()

    return shutdown
