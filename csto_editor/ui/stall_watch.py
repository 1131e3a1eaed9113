"""Finding what blocks the GUI thread: an optional watcher, off unless asked for.

With ``CSTO_EDITOR_STALL_MS=N`` in the environment, a timer on the GUI thread ticks
every few milliseconds and a watcher thread looks at the GUI thread's stack whenever
the last tick is older than N ms. When the event loop is back, the stacks seen during
the stall are logged (warning level) with its length, so a stall while typing names
the code that caused it. Without the variable nothing is installed.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import traceback

from PySide6.QtCore import QObject, QTimer

__all__ = ["STALL_VARIABLE", "StallWatch", "install_stall_watch"]

log = logging.getLogger(__name__)

STALL_VARIABLE = "CSTO_EDITOR_STALL_MS"
TICK_MS = 2
"""How often the GUI thread shows it is alive."""
MOST_STACKS = 8
"""Different stacks kept for one stall (a long stall samples the same code again)."""


class StallWatch(QObject):
    """Logs what ran on the GUI thread whenever its event loop was blocked too long."""

    def __init__(self, threshold_ms: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold_s = threshold_ms / 1000
        self.stalls: list[tuple[float, list[str]]] = []
        """Each stall seen: its length in seconds and the distinct GUI-thread stacks."""
        self._gui_thread = threading.get_ident()
        self._lock = threading.Lock()
        self._last_tick = time.perf_counter()
        self._stacks: list[str] = []
        self._stopped = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._watcher = threading.Thread(target=self._watch, name="stall-watch", daemon=True)
        self._watcher.start()
        self.destroyed.connect(self._stopped.set)

    def stop(self) -> None:
        """Stop watching (the watcher thread ends within a tick)."""
        self._stopped.set()
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        with self._lock:
            blocked = now - self._last_tick
            stacks, self._stacks = self._stacks, []
            self._last_tick = now
        if blocked >= self.threshold_s:
            self.stalls.append((blocked, stacks))
            log.warning(
                "GUI thread blocked %.1f ms; it was running:\n%s",
                blocked * 1000,
                "\n---\n".join(stacks) or "(nothing sampled)",
            )

    def _watch(self) -> None:
        while not self._stopped.wait(TICK_MS / 1000):
            with self._lock:
                late = time.perf_counter() - self._last_tick >= self.threshold_s
            if not late:
                continue
            frame = sys._current_frames().get(self._gui_thread)
            if frame is None:
                continue
            stack = "".join(traceback.format_stack(frame, limit=12))
            with self._lock:
                if stack not in self._stacks and len(self._stacks) < MOST_STACKS:
                    self._stacks.append(stack)


def install_stall_watch(parent: QObject) -> StallWatch | None:
    """A StallWatch owned by ``parent`` when ``CSTO_EDITOR_STALL_MS`` asks for one."""
    wanted = os.environ.get(STALL_VARIABLE, "").strip()
    if not wanted:
        return None
    try:
        threshold_ms = float(wanted)
    except ValueError:
        log.warning("%s=%r is not a number of milliseconds: not watching", STALL_VARIABLE, wanted)
        return None
    return StallWatch(threshold_ms, parent)
