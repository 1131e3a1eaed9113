"""Rendering preview pages off the GUI thread: debounced, one at a time, newest last.

``RenderScheduler`` takes render requests from the GUI thread. A request waits for a
short pause (the debounce), then a ``QRunnable`` renders it on a ``QThreadPool``
thread. While one render runs, newer requests only replace the one waiting; when the
running render finishes, the newest waiting request is rendered next. So there is
never more than one render at a time, results arrive in the order requested, and the
last result delivered is always the newest request's.

A finished render whose request has been overtaken by a newer one is *stale*: it is
dropped (the newer one follows at once), unless the preview has shown nothing for
``max_stale_ms`` — then it is shown anyway, so that a long page still refreshes
while someone types without pausing.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QElapsedTimer, QObject, QRunnable, QThreadPool, QTimer, Signal

from csto_editor.core.content import ItemContent
from csto_editor.services.pages import PageSurroundings
from csto_editor.services.preview_page import PreviewPage

__all__ = ["ContentSource", "RenderFunction", "RenderOutcome", "RenderScheduler"]

log = logging.getLogger(__name__)

RenderFunction = Callable[[ItemContent, PageSurroundings], "str | PreviewPage"]
"""``BlockPreviewer.render``, ``PagePreviewer.render`` or anything shaped like them;
called on a pool thread."""

ContentSource = Callable[[], ItemContent]
"""Gives the content to render when the render starts: the editor's text is read once
per render, not copied on every keystroke."""

GIL_SWITCH_INTERVAL_S = 0.001
"""How long a thread may hold the GIL while another waits for it. Python's default
(5 ms) lets the render thread delay the GUI thread by 5 ms at each switch, several
times per keystroke; 1 ms keeps a keystroke within a frame."""

DEBOUNCE_MS = 60
"""How long typing must pause before a render starts. A render after an edit only
renders the blocks the edit touched (a few milliseconds), so the pause can be short."""

MAX_STALE_MS = 1500
"""Longest the preview goes without a new page while renders keep being overtaken."""


@dataclass(frozen=True)
class _Request:
    serial: int
    content: ItemContent
    around: PageSurroundings


@dataclass(frozen=True)
class _WaitingRequest:
    serial: int
    content: ItemContent | ContentSource
    around: PageSurroundings

    def resolved(self) -> _Request:
        content = self.content if isinstance(self.content, ItemContent) else self.content()
        return _Request(self.serial, content, self.around)


@dataclass(frozen=True)
class RenderOutcome:
    """One finished render: the page, or the error that stopped it."""

    serial: int
    html: str | None
    error: str | None
    seconds: float
    thread_id: int
    page: PreviewPage | None = None
    """The page with its blocks, when the render function made one."""


class _Relay(QObject):
    """Carries outcomes from pool threads to the GUI thread (a queued connection)."""

    finished = Signal(object)


class _RenderTask(QRunnable):
    """Renders one request on a pool thread and hands the outcome to the relay."""

    def __init__(self, render: RenderFunction, request: _Request, relay: _Relay) -> None:
        super().__init__()
        self._render = render
        self._request = request
        self._relay = relay

    def run(self) -> None:
        started = time.perf_counter()
        html: str | None = None
        page: PreviewPage | None = None
        error: str | None = None
        try:
            result = self._render(self._request.content, self._request.around)
            if isinstance(result, PreviewPage):
                page, html = result, result.html
            else:
                html = result
        except Exception as exc:  # any failure is reported: none may escape a pool thread
            log.exception("preview render %d failed", self._request.serial)
            error = f"{type(exc).__name__}: {exc}"
        outcome = RenderOutcome(
            self._request.serial,
            html,
            error,
            time.perf_counter() - started,
            threading.get_ident(),
            page,
        )
        with contextlib.suppress(RuntimeError):  # the scheduler is gone: nobody waits for it
            self._relay.finished.emit(outcome)


class RenderScheduler(QObject):
    """Debounces render requests and runs them one at a time off the GUI thread."""

    rendered = Signal(object)
    """A RenderOutcome with ``html``: the newest page to show."""
    failed = Signal(object)
    """A RenderOutcome with ``error``: the newest request could not be rendered."""

    def __init__(
        self,
        render: RenderFunction,
        parent: QObject | None = None,
        *,
        debounce_ms: int = DEBOUNCE_MS,
        max_stale_ms: int = MAX_STALE_MS,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        if sys.getswitchinterval() > GIL_SWITCH_INTERVAL_S:
            sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
        self._render = render
        # The global pool outlives every scheduler: a pane closed mid-render never
        # waits for (or deletes) a pool a worker still runs on.
        self._pool = pool if pool is not None else QThreadPool.globalInstance()
        self._max_stale_ms = max_stale_ms
        self._relay = _Relay()
        self._relay.finished.connect(self._finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._start_next)
        self._serial = 0
        self._waiting: _WaitingRequest | None = None
        self._running: _Request | None = None
        self._floor = 0  # results older than this are never shown (another item opened)
        self._since_shown = QElapsedTimer()
        self._since_shown.start()
        self._renders_started = 0
        self._closed = False

    # -- requests ---------------------------------------------------------------------

    def request(self, content: ItemContent | ContentSource, around: PageSurroundings) -> int:
        """Render ``content`` after the debounce pause; returns the request's serial.

        A ``ContentSource`` is called (on the GUI thread) only when the render starts.
        """
        serial = self._enqueue(content, around)
        self._timer.start()
        return serial

    def request_now(self, content: ItemContent | ContentSource, around: PageSurroundings) -> int:
        """Render ``content`` as soon as the pool is free, dropping older results."""
        serial = self._enqueue(content, around)
        self._floor = serial
        self._timer.stop()
        self._start_next()
        return serial

    def _enqueue(self, content: ItemContent | ContentSource, around: PageSurroundings) -> int:
        self._serial += 1
        if not self._closed:
            self._waiting = _WaitingRequest(self._serial, content, around)
        return self._serial

    # -- state ------------------------------------------------------------------------

    def is_idle(self) -> bool:
        """Nothing waiting, nothing rendering."""
        return self._waiting is None and self._running is None

    @property
    def renders_started(self) -> int:
        """How many renders this scheduler has started (for tests and diagnostics)."""
        return self._renders_started

    @property
    def latest_serial(self) -> int:
        """The serial of the newest request."""
        return self._serial

    def shutdown(self) -> None:
        """Forget what waits and accept no more requests; a running render is let go."""
        self._closed = True
        self._timer.stop()
        self._waiting = None

    # -- running ----------------------------------------------------------------------

    def _start_next(self) -> None:
        if self._running is not None or self._waiting is None or self._closed:
            return
        request, self._waiting = self._waiting.resolved(), None
        self._running = request
        self._renders_started += 1
        self._pool.start(_RenderTask(self._render, request, self._relay))

    def _finished(self, outcome: RenderOutcome) -> None:
        self._running = None
        if not self._closed:
            self._deliver(outcome)
        if not self._timer.isActive():
            self._start_next()

    def _deliver(self, outcome: RenderOutcome) -> None:
        if outcome.serial < self._floor:
            return
        overtaken = self._waiting is not None
        if overtaken and self._since_shown.elapsed() < self._max_stale_ms:
            return
        if outcome.html is not None:
            self._since_shown.restart()
            self.rendered.emit(outcome)
        elif not overtaken:
            self.failed.emit(outcome)
