"""The page preview: the item as it will be published, next to the editor.

``PreviewPane`` shows what ``PagePreviewer.render`` makes (the export's template and
CSS), rendered off the GUI thread by a ``RenderScheduler``. It uses QtWebEngine when
``PySide6.QtWebEngineWidgets`` imports and ``$CSTO_EDITOR_NO_WEBENGINE`` is not set,
and a ``QTextBrowser`` (the same HTML, shown as well as Qt's rich text can) otherwise.
If QtWebEngine cannot show a page at all (its renderer dies before the first page),
the pane switches to the QTextBrowser by itself.

QtWebEngine is locked down: an off-the-record profile; JavaScript off for the page's
content; no plugins; local content may not reach remote URLs; a request interceptor
blocks every request that is not ``file:`` or ``data:``; no navigation away from the
page (a clicked link is reported by ``link_clicked``, and only a jump inside the page
is followed). The pane's own scripts (scroll position, source lines) run in
Chromium's isolated application world, where scripts still run while the page's own
JavaScript is off.

A page is shown with ``setHtml`` when it fits Chromium's 2 MB limit on data URLs, else
from a file in a private temporary folder (removed with the pane). After the first
page, a new render with the same ``<head>`` only replaces the body (and title) in
place: no reload, no flash, and the scroll position stays where it was.

Chromium will not start its sandbox as root (containers, CI): ``prepare_web_engine``
then sets ``QTWEBENGINE_DISABLE_SANDBOX=1`` unless the variable is already set. Call
it before the QApplication exists; the pane calls it again before QtWebEngine starts.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QObject,
    QPointF,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QContextMenuEvent, QTextDocument
from PySide6.QtWidgets import QLabel, QMenu, QTextBrowser, QVBoxLayout, QWidget

from csto_editor.core.content import ItemContent
from csto_editor.core.source_map import (
    Anchor,
    clean_anchors,
    line_at_position,
    position_of_line,
)
from csto_editor.services.pages import PagePreviewer, PageSurroundings
from csto_editor.ui.preview.render_worker import DEBOUNCE_MS, RenderOutcome, RenderScheduler

try:
    from PySide6.QtWebEngineCore import (
        QWebEnginePage,
        QWebEngineProfile,
        QWebEngineScript,
        QWebEngineSettings,
        QWebEngineUrlRequestInfo,
        QWebEngineUrlRequestInterceptor,
    )
    from PySide6.QtWebEngineWidgets import QWebEngineView
except ImportError:  # pragma: no cover - depends on the installation
    HAVE_WEB_ENGINE = False
else:
    HAVE_WEB_ENGINE = True

__all__ = [
    "NO_WEB_ENGINE_VARIABLE",
    "PreviewPane",
    "prepare_web_engine",
    "web_engine_wanted",
]

log = logging.getLogger(__name__)

NO_WEB_ENGINE_VARIABLE = "CSTO_EDITOR_NO_WEBENGINE"
"""Set to anything but empty or ``0`` to use the QTextBrowser preview."""

SET_HTML_LIMIT = 2_000_000
"""Chromium's limit on a data URL; setHtml percent-encodes (up to 3 bytes per byte)."""

USER_SCROLL_MS = 800
"""A scroll this soon after input on the preview (wheel, key, drag) is the user's."""

QUIET_MS = 250
"""A scroll this soon after the pane's own change (and no input) is an echo of it."""

_BASE_URL = QUrl("file:///csto-editor-preview.html")
_LOCAL_SCHEMES = frozenset({"file", "data"})
_LINE_ANCHOR = "csto-line-"
_HEAD_RE = re.compile(r"\A(?P<head>.*?<body\b[^>]*>)(?P<body>.*)</body>", re.DOTALL | re.I)
_TITLE_RE = re.compile(r"<title>(?P<title>.*?)</title>", re.DOTALL | re.I)
_USER_INPUT = frozenset(
    {
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
    }
)


def web_engine_wanted() -> bool:
    """Whether QtWebEngine is installed and not switched off by the environment."""
    return HAVE_WEB_ENGINE and os.environ.get(NO_WEB_ENGINE_VARIABLE, "").strip() in {"", "0"}


def prepare_web_engine() -> None:
    """Before QtWebEngine starts: as root, let Chromium run without its sandbox."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


class _Backend(Protocol):
    """What the pane needs from either way of showing a page."""

    widget: QWidget

    def show_page(self, html: str, *, keep_scroll: bool) -> None: ...
    def scroll_to_source_line(self, line: int) -> None: ...
    def is_busy(self) -> bool: ...
    def shutdown(self) -> None: ...
    def refused_requests(self) -> list[str]: ...


class _Callbacks:
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


class PreviewPane(QWidget):
    """The live page preview of one item, kept in step with the editor."""

    painted = Signal()
    """A render has been loaded and painted (the first and every later one)."""
    source_line_scrolled = Signal(int)
    """The user scrolled the preview; the source line now at its top."""
    link_clicked = Signal(QUrl)
    """The user clicked a link; the pane itself never leaves the page for it."""

    def __init__(
        self,
        previewer: PagePreviewer,
        parent: QWidget | None = None,
        *,
        use_web_engine: bool | None = None,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._scheduler = RenderScheduler(previewer.render, self, debounce_ms=debounce_ms)
        self._scheduler.rendered.connect(self._rendered)
        self._scheduler.failed.connect(self._failed)
        self._fresh_serial = 0  # the request of the last render_now: its page starts at the top
        self._shown_serial = 0
        self._line_for_fresh_page: int | None = None
        self._last_html: str | None = None
        self._callbacks = _Callbacks(
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
        self._backend: _Backend
        if wanted and HAVE_WEB_ENGINE:
            prepare_web_engine()
            self._backend = _WebPreview(self, self._callbacks)
        else:
            self._backend = _TextPreview(self, self._callbacks)
        self._layout.addWidget(self._backend.widget, 1)
        self.destroyed.connect(_shutdown_slot(self._scheduler, self._backend))

    def show_item(self, content: ItemContent, around: PageSurroundings) -> None:
        """Render ``content`` after a short pause in changes, keeping the scroll position."""
        self._scheduler.request(content, around)

    def render_now(self, content: ItemContent, around: PageSurroundings) -> None:
        """Render ``content`` without waiting (an item was opened); it starts at the top."""
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
        return isinstance(self._backend, _WebPreview)

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
        self._backend.show_page(outcome.html, keep_scroll=not fresh)
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
        self._backend = _TextPreview(self, self._callbacks)
        self._layout.replaceWidget(old.widget, self._backend.widget)
        old.shutdown()
        old.widget.hide()
        old.widget.deleteLater()
        if isinstance(old, QObject):
            old.deleteLater()
        if self._last_html is not None:
            self._backend.show_page(self._last_html, keep_scroll=False)


def _shutdown_slot(scheduler: RenderScheduler, backend: _Backend) -> Callable[[], None]:
    """A slot for the pane's ``destroyed`` that holds no reference to the pane itself."""

    def shutdown() -> None:
        for stop in (scheduler.shutdown, backend.shutdown):
            with contextlib.suppress(RuntimeError):  # already deleted with the pane
                stop()

    return shutdown


# --------------------------------------------------------------------------- QTextBrowser

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
        if url.scheme() in _LOCAL_SCHEMES:
            return super().loadResource(type, url)
        self.refused.append(url.toString())
        return None


class _TextPreview:
    """The page in a QTextBrowser: scroll kept by its scroll bar, lines by anchors."""

    def __init__(self, parent: QWidget, callbacks: _Callbacks) -> None:
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

    def show_page(self, html: str, *, keep_scroll: bool) -> None:
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


# --------------------------------------------------------------------------- QtWebEngine

_ANCHORS_SCRIPT = """JSON.stringify((function () {
  var blocks = document.querySelectorAll('[data-source-line]'), anchors = [];
  for (var i = 0; i < blocks.length; i++) {
    anchors.push([parseInt(blocks[i].getAttribute('data-source-line'), 10),
                  blocks[i].getBoundingClientRect().top + window.scrollY]);
  }
  return {anchors: anchors, y: window.scrollY};
})())"""


def _replace_body_script(title: str, body: str) -> str:
    return (
        f"document.title = {json.dumps(title)};"
        f"document.body.innerHTML = {json.dumps(body)};"
        "JSON.stringify(window.scrollY)"
    )


def _scroll_script(y: float) -> str:
    return f"window.scrollTo(0, {y:.1f}); JSON.stringify(window.scrollY)"


if HAVE_WEB_ENGINE:

    class _RequestGuard(QWebEngineUrlRequestInterceptor):
        """Blocks every request that is not for a local file or inline data."""

        def __init__(self, parent: QObject) -> None:
            super().__init__(parent)
            self.allowed: list[str] = []
            self.blocked: list[str] = []

        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            url = info.requestUrl()
            if url.scheme() in _LOCAL_SCHEMES:
                self.allowed.append(url.toString()[:200])
            else:
                info.block(True)
                self.blocked.append(url.toString()[:200])

    class _Page(QWebEnginePage):
        """Loads only what the pane gives it; a clicked link is reported, not followed."""

        def __init__(self, profile: QWebEngineProfile, parent: QObject, callbacks: _Callbacks):
            super().__init__(profile, parent)
            self._callbacks = callbacks

        def acceptNavigationRequest(
            self,
            url: QUrl | str,
            type: QWebEnginePage.NavigationType,
            isMainFrame: bool,  # noqa: N803
        ) -> bool:
            url = QUrl(url)
            kind = QWebEnginePage.NavigationType
            if type == kind.NavigationTypeLinkClicked:
                QTimer.singleShot(0, self, lambda: self._callbacks.link_clicked(url))
                return url.hasFragment() and _without_fragment(url) == _without_fragment(self.url())
            if type in (kind.NavigationTypeTyped, kind.NavigationTypeOther):
                return url.scheme() in _LOCAL_SCHEMES
            return False

        def javaScriptConsoleMessage(self, *_args: object) -> None:
            pass  # the page runs no script; the pane's own scripts log nothing

    class _View(QWebEngineView):
        """A web view whose context menu only copies."""

        def contextMenuEvent(self, event: QContextMenuEvent) -> None:
            menu = QMenu(self)
            menu.addAction(self.pageAction(QWebEnginePage.WebAction.Copy))
            menu.addAction(self.pageAction(QWebEnginePage.WebAction.SelectAll))
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(event.globalPos())


class _WebPreview(QObject):
    """The page in a QWebEngineView, locked down, updated in place where it can be."""

    def __init__(self, parent: QWidget, callbacks: _Callbacks) -> None:
        super().__init__(parent)
        self._callbacks = callbacks
        self.view = _View(parent)
        self.widget: QWidget = self.view
        profile = QWebEngineProfile()  # no storage name: off the record
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        profile.setPersistentCookiesPolicy(
            QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies
        )
        profile.setPersistentPermissionsPolicy(
            QWebEngineProfile.PersistentPermissionsPolicy.AskEveryTime
        )
        profile.setSpellCheckEnabled(False)
        self.guard = _RequestGuard(profile)
        profile.setUrlRequestInterceptor(self.guard)
        self.page = _Page(profile, self.view, callbacks)
        self.page.setBackgroundColor(QColor("white"))
        _lock_down(self.page.settings())
        self.view.setPage(self.page)
        # Owned by its page, so the page always goes first (Chromium insists on it).
        profile.setParent(self.page)
        self.page.loadFinished.connect(self._load_finished)
        self.page.scrollPositionChanged.connect(self._scroll_changed)
        self.page.renderProcessTerminated.connect(self._renderer_died)
        self._loaded_head: str | None = None  # the <head> of the page in the view
        self._next_head: str | None = None
        self._current_html: str | None = None
        self._loading = False
        self._updating = 0  # in-place updates and scrolls whose scripts have not answered
        self._queued: tuple[str, bool] | None = None
        self._restore_y: float | None = None
        self._pending_line: int | None = None
        self._expected_y: float | None = None
        self._ever_loaded = False
        self._temp_dir: Path | None = None
        self._temp_file: Path | None = None
        self._input_clock = QElapsedTimer()
        self._quiet_clock = QElapsedTimer()
        self._reporting = False
        self._watch_input()
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(40)
        self._emit_timer.timeout.connect(self._report_top_line)

    # -- showing pages ------------------------------------------------------------------

    def show_page(self, html: str, *, keep_scroll: bool) -> None:
        if self._loading or self._updating:
            self._queued = (html, keep_scroll)
            return
        if keep_scroll and html == self._current_html and self._loaded_head is not None:
            self._painted()  # nothing on the page changed
            return
        self._current_html = html
        parts = _HEAD_RE.match(html)
        head = _TITLE_RE.sub("", parts.group("head")) if parts else None
        if keep_scroll and parts and head == self._loaded_head:
            title = _TITLE_RE.search(parts.group("head"))
            script = _replace_body_script(
                html_lib.unescape(title.group("title")) if title else "", parts.group("body")
            )
            self._run(script, self._updated)
            return
        self._restore_y = self.page.scrollPosition().y() if keep_scroll else None
        self._loaded_head = None
        self._loading = True
        self._next_head = head
        data_url_size = len(html.encode("utf-8")) * 3
        if data_url_size < SET_HTML_LIMIT:
            self.page.setHtml(html, _BASE_URL)
        else:
            self.page.load(QUrl.fromLocalFile(str(self._write_temp(html))))

    def _write_temp(self, html: str) -> Path:
        if self._temp_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="csto-preview-"))
        previous = self._temp_file
        count = int(previous.stem.rsplit("-", 1)[1]) + 1 if previous else 1
        self._temp_file = self._temp_dir / f"page-{count}.html"
        self._temp_file.write_text(html, encoding="utf-8")
        if previous is not None:
            previous.unlink(missing_ok=True)
        return self._temp_file

    def _load_finished(self, ok: bool) -> None:
        self._watch_input()  # Chromium's widget may be a new one
        if not self._loading:
            return  # not a load of ours: a jump to a footnote inside the page
        self._loading = False
        if not ok:
            log.warning("the preview page did not load")
            if not self._ever_loaded:
                self._callbacks.broken()
                return
            self._next_queued()
            return
        self._ever_loaded = True
        self._loaded_head = self._next_head
        self.page.history().clear()
        if self._pending_line is not None:
            line, self._pending_line = self._pending_line, None
            self._scroll_to_line_now(line, then=self._painted)
        elif self._restore_y:
            self._scroll_to(self._restore_y, then=self._painted)
        else:
            self._painted()

    def _updated(self, _result: object) -> None:
        self._script_done()
        self._painted()

    def _painted(self, *_args: object) -> None:
        self._settled()
        self._callbacks.painted()
        self._next_queued()

    def _next_queued(self) -> None:
        if self._queued is not None and not self._loading and not self._updating:
            html, keep_scroll = self._queued
            self._queued = None
            self.show_page(html, keep_scroll=keep_scroll)

    def is_busy(self) -> bool:
        return self._loading or self._updating > 0 or self._queued is not None or self._reporting

    def refused_requests(self) -> list[str]:
        return self.guard.blocked

    def shutdown(self) -> None:
        self._queued = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
            self._temp_dir = None

    def _renderer_died(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int
    ) -> None:
        log.warning("the preview's renderer ended (%s, %s)", status, code)
        self._loaded_head = None
        self._loading = False
        self._updating = 0
        self._reporting = False
        if not self._ever_loaded:
            self._callbacks.broken()
        elif self._queued is None and self._current_html is not None:
            self._queued = (self._current_html, True)
            QTimer.singleShot(0, self, self._next_queued)

    # -- scrolling ------------------------------------------------------------------------

    def scroll_to_source_line(self, line: int) -> None:
        if self._loading or not self._ever_loaded:
            self._pending_line = line
            return
        self._scroll_to_line_now(line, then=None)

    def _scroll_to_line_now(self, line: int, then: Callable[[], None] | None) -> None:
        def scroll(result: object) -> None:
            self._script_done()
            anchors, _y = _parse_anchors(result)
            self._scroll_to(position_of_line(anchors, line), then=then)

        self._run(_ANCHORS_SCRIPT, scroll)

    def _scroll_to(self, y: float, then: Callable[[], None] | None) -> None:
        def done(result: object) -> None:
            self._script_done()
            with contextlib.suppress(TypeError, ValueError):
                self._expected_y = float(json.loads(str(result)))
            self._settled()
            if then is not None:
                then()

        self._run(_scroll_script(y), done)

    def _scroll_changed(self, position: QPointF) -> None:
        """A scroll the pane did not make is the user's; report where they went."""
        expected, self._expected_y = self._expected_y, None
        if self._updating or self._loading:
            return
        if expected is not None and abs(position.y() - expected) < 1:
            return
        by_hand = self._input_clock.isValid() and self._input_clock.elapsed() < USER_SCROLL_MS
        settling = self._quiet_clock.isValid() and self._quiet_clock.elapsed() < QUIET_MS
        if by_hand or not settling:
            self._emit_timer.start()

    def _report_top_line(self) -> None:
        def report(result: object) -> None:
            self._reporting = False
            anchors, y = _parse_anchors(result)
            self._callbacks.user_scrolled(line_at_position(anchors, y))

        if self._updating or self._loading:
            return
        self._reporting = True
        world = QWebEngineScript.ScriptWorldId.ApplicationWorld
        self.page.runJavaScript(_ANCHORS_SCRIPT, world, report)

    def _run(self, script: str, callback: Callable[[object], None]) -> None:
        """Run one of the pane's own scripts (that may change the page or scroll it)."""
        self._updating += 1
        world = QWebEngineScript.ScriptWorldId.ApplicationWorld
        self.page.runJavaScript(script, world, callback)

    def _script_done(self) -> None:
        self._updating = max(0, self._updating - 1)  # a dead renderer's answers come late

    def _settled(self) -> None:
        """One of the pane's own changes is done; its late scroll echoes are ignored."""
        self._quiet_clock.start()

    # -- noticing the user's hand ---------------------------------------------------------

    def _watch_input(self) -> None:
        """Watch the view and Chromium's widgets in it (which come and go) for input."""
        for widget in (self.view, self.view.focusProxy(), *self.view.findChildren(QWidget)):
            if widget is not None:
                widget.installEventFilter(self)  # installing twice keeps one filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ChildAdded:
            QTimer.singleShot(0, self, self._watch_input)  # the child is not built yet
        elif kind in _USER_INPUT:
            self._input_clock.start()
        return False


def _lock_down(settings: QWebEngineSettings) -> None:
    """No script, plugins, remote loads or other surprises for the page's content."""
    attribute = QWebEngineSettings.WebAttribute
    for name, on in (
        ("JavascriptEnabled", False),
        ("JavascriptCanOpenWindows", False),
        ("JavascriptCanAccessClipboard", False),
        ("JavascriptCanPaste", False),
        ("LocalContentCanAccessRemoteUrls", False),
        ("LocalContentCanAccessFileUrls", True),  # the item's images are local files
        ("LocalStorageEnabled", False),
        ("PluginsEnabled", False),
        ("PdfViewerEnabled", False),
        ("WebGLEnabled", False),
        ("ScreenCaptureEnabled", False),
        ("HyperlinkAuditingEnabled", False),
        ("AllowRunningInsecureContent", False),
        ("AllowGeolocationOnInsecureOrigins", False),
        ("AllowWindowActivationFromJavaScript", False),
        ("DnsPrefetchEnabled", False),
        ("NavigateOnDropEnabled", False),
        ("AutoLoadIconsForPage", False),
        ("TouchIconsEnabled", False),
        ("FullScreenSupportEnabled", False),
        ("ErrorPageEnabled", False),
        ("FocusOnNavigationEnabled", False),
    ):
        if hasattr(attribute, name):
            settings.setAttribute(getattr(attribute, name), on)
    settings.setUnknownUrlSchemePolicy(
        QWebEngineSettings.UnknownUrlSchemePolicy.DisallowUnknownUrlSchemes
    )


def _without_fragment(url: QUrl) -> str:
    return url.toString().split("#", 1)[0]


def _parse_anchors(result: object) -> tuple[list[Anchor], float]:
    """The anchors and scroll position the anchors script reported."""
    try:
        data = json.loads(str(result))
        anchors = [(int(line), float(top)) for line, top in data["anchors"]]
        return clean_anchors(anchors), float(data["y"])
    except (TypeError, ValueError, KeyError):
        return [], 0.0
