"""The preview with QtWebEngine: the page in a QWebEngineView, locked down.

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
place: no reload, no flash, and the scroll position stays where it was. When the
render came block by block (``PreviewPage.blocks``) and only the body's blocks changed,
the view replaces just the changed blocks' elements in the DOM (``page_scripts.patch_script``),
shifting the source lines of the blocks after them: typing in a 20,000-word body
re-parses one paragraph, not 180 kB of HTML. The script keeps how many DOM nodes each
block made in the application world (``window.__cstoBlocks``), with a generation number
so that a patch is only applied to the page state it was computed from.
"""

from __future__ import annotations

import contextlib
import html as html_lib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QContextMenuEvent
from PySide6.QtWidgets import QMenu, QWidget

from csto_editor.core.source_map import Anchor, clean_anchors, line_at_position, position_of_line
from csto_editor.services.preview_page import BodyBlocks, PreviewPage
from csto_editor.ui.preview.backend import LOCAL_SCHEMES, Callbacks
from csto_editor.ui.preview.page_scripts import (
    ANCHORS_SCRIPT,
    block_patch,
    patch_script,
    rebuild_scripts,
    replace_body_script,
    scroll_script,
)

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

log = logging.getLogger(__name__)

SET_HTML_LIMIT = 100_000
"""Pages whose data URL would be larger load from a temp file. Chromium caps a data URL
at 2 MB (setHtml percent-encodes, up to 3 bytes per byte), but well below that a file
paints sooner: Chromium parses a file as it streams instead of decoding the URL first."""

USER_SCROLL_MS = 800
"""A scroll this soon after input on the preview (wheel, key, drag) is the user's."""

QUIET_MS = 250
"""A scroll this soon after the pane's own change (and no input) is an echo of it."""

_BASE_URL = QUrl("file:///csto-editor-preview.html")
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

if HAVE_WEB_ENGINE:

    class _RequestGuard(QWebEngineUrlRequestInterceptor):
        """Blocks every request that is not for a local file or inline data."""

        def __init__(self, parent: QObject) -> None:
            super().__init__(parent)
            self.allowed: list[str] = []
            self.blocked: list[str] = []

        def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
            url = info.requestUrl()
            if url.scheme() in LOCAL_SCHEMES:
                self.allowed.append(url.toString()[:200])
            else:
                info.block(True)
                self.blocked.append(url.toString()[:200])

    class _Page(QWebEnginePage):
        """Loads only what the pane gives it; a clicked link is reported, not followed."""

        def __init__(self, profile: QWebEngineProfile, parent: QObject, callbacks: Callbacks):
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
                return url.scheme() in LOCAL_SCHEMES
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


class WebPreview(QObject):
    """The page in a QWebEngineView, locked down, updated in place where it can be."""

    def __init__(self, parent: QWidget, callbacks: Callbacks) -> None:
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
        self._queued: tuple[str, bool, PreviewPage | None] | None = None
        self._loaded_shell: tuple[str, str] | None = None  # the page around the blocks
        self._next_shell: tuple[str, str] | None = None
        self._blocks_shown: BodyBlocks | None = None  # what the page script knows of
        self._generation = 0
        self.blocks_patched = 0
        """In-place patches of changed blocks (for tests and diagnostics)."""
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

    def show_page(self, html: str, *, keep_scroll: bool, page: PreviewPage | None = None) -> None:
        if self._loading or self._updating:
            self._queued = (html, keep_scroll, page)
            return
        if keep_scroll and html == self._current_html and self._loaded_head is not None:
            self._painted()  # nothing on the page changed
            return
        shell = (page.before, page.after) if page is not None else None
        if (
            keep_scroll
            and page is not None
            and page.blocks is not None
            and self._loaded_head is not None
            and shell == self._loaded_shell
        ):
            self._current_html = html
            self._patch_blocks(page.blocks)
            return
        self._current_html = html
        self._blocks_shown = None
        parts = _HEAD_RE.match(html)
        head = _TITLE_RE.sub("", parts.group("head")) if parts else None
        if keep_scroll and parts and head == self._loaded_head:
            self._loaded_shell = shell
            title = _TITLE_RE.search(parts.group("head"))
            script = replace_body_script(
                html_lib.unescape(title.group("title")) if title else "", parts.group("body")
            )
            self._run(script, self._updated)
            return
        self._restore_y = self.page.scrollPosition().y() if keep_scroll else None
        self._loaded_head = None
        self._loaded_shell = None
        self._loading = True
        self._next_head = head
        self._next_shell = shell
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
        self._loaded_shell = self._next_shell
        self.page.history().clear()
        if self._pending_line is not None:
            line, self._pending_line = self._pending_line, None
            self._scroll_to_line_now(line, then=self._painted)
        elif self._restore_y:
            self._scroll_to(self._restore_y, then=self._painted)
        else:
            self._painted()

    def _patch_blocks(self, blocks: BodyBlocks) -> None:
        """Replace only the blocks that changed since the blocks the page shows."""
        shown, self._blocks_shown = self._blocks_shown, blocks
        base, self._generation = self._generation, self._generation + 1
        if shown is None:
            self._rebuild(blocks)
            return
        start, removed, inserted, shift = block_patch(shown, blocks)
        operation = {
            "base": base,
            "generation": self._generation,
            "start": start,
            "remove": removed,
            "insert": inserted,
            "shift": shift,
        }
        self.blocks_patched += 1
        self._run(patch_script(operation), self._patched)

    def _patched(self, result: object) -> None:
        if result == "ok" or self._blocks_shown is None:
            self._updated(result)
            return
        # The page lost the script's state (a reload, a renderer restart): rebuild.
        self._script_done()
        self._rebuild(self._blocks_shown)

    def _rebuild(self, blocks: BodyBlocks) -> None:
        """Make the page's body ``blocks`` (``rebuild_scripts``): each part goes to the
        page once the one before has arrived, so the GUI thread is free in between."""
        scripts = rebuild_scripts(blocks, self._generation)
        remaining = scripts[:-1]

        def part_arrived(_result: object) -> None:
            self._script_done()
            send_next()

        def send_next() -> None:
            if remaining:
                self._run(remaining.pop(0), part_arrived)
            else:
                self._run(scripts[-1], self._rebuilt)

        send_next()

    def _rebuilt(self, result: object) -> None:
        if result != "ok":
            self._blocks_shown = None  # the page changed meanwhile: the next edit rebuilds
        self._updated(result)

    def _updated(self, _result: object) -> None:
        self._script_done()
        self._painted()

    def _painted(self, *_args: object) -> None:
        self._settled()
        self._callbacks.painted()
        self._next_queued()

    def _next_queued(self) -> None:
        if self._queued is not None and not self._loading and not self._updating:
            html, keep_scroll, page = self._queued
            self._queued = None
            self.show_page(html, keep_scroll=keep_scroll, page=page)

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
        self._loaded_shell = None
        self._blocks_shown = None
        self._loading = False
        self._updating = 0
        self._reporting = False
        if not self._ever_loaded:
            self._callbacks.broken()
        elif self._queued is None and self._current_html is not None:
            self._queued = (self._current_html, True, None)
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

        self._run(ANCHORS_SCRIPT, scroll)

    def _scroll_to(self, y: float, then: Callable[[], None] | None) -> None:
        def done(result: object) -> None:
            self._script_done()
            with contextlib.suppress(TypeError, ValueError):
                self._expected_y = float(json.loads(str(result)))
            self._settled()
            if then is not None:
                then()

        self._run(scroll_script(y), done)

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
        self.page.runJavaScript(ANCHORS_SCRIPT, world, report)

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
