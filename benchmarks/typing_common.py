"""Typing into an editor widget and timing it, for PySide6 (ours) and PyQt6 (ReText) alike.

What is measured, per keystroke: a separate thread posts the key press (and release) to
the editor widget at a steady pace, as a typist's keyboard would; an event filter on the
editor notes when the press reaches it and hands it to the widget at once, noting when
the widget returns. ``wait`` is the time the press sat in the GUI thread's queue (the GUI
thread was busy with something else), ``handle`` the time the widget took to process it,
``total`` both. After each burst of keys (a word), typing pauses: ``shown`` is the time from
the burst's last key press being posted until the preview has been updated with the whole
burst (ours: the preview pane's ``painted`` signal with the word in the page it shows;
ReText: its conversion finished and the word is in the preview browser). A 1 ms heartbeat
timer on the GUI thread records the longest gap between its ticks from the first key to
the end, pauses included (``max_gap``): what a keystroke arriving at the worst moment
would wait (autosave, for instance, runs in a pause).

This module imports no Qt binding itself: the drivers pass theirs in.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

LETTERS = "abcdefghij"


def marker(burst: int) -> str:
    """A word that occurs nowhere in the corpus: 'zqw' + the burst number in letters."""
    return "zqw" + "".join(LETTERS[int(d)] for d in str(burst)) + "typed"


@dataclass
class TypingResult:
    keys: int = 0
    bursts: int = 0
    interval_ms: float = 0.0
    wait_ms: list[float] = field(default_factory=list)
    handle_ms: list[float] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)
    shown_ms: list[float | None] = field(default_factory=list)
    max_gap_ms: float = 0.0
    gaps_over_16ms: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        shown = [s for s in self.shown_ms if s is not None]
        return {
            "keys": self.keys,
            "bursts": self.bursts,
            "interval_ms": self.interval_ms,
            "keystroke_total_ms": _stats(self.total_ms),
            "keystroke_wait_ms": _stats(self.wait_ms),
            "keystroke_handle_ms": _stats(self.handle_ms),
            "preview_shown_after_pause_ms": _stats(shown),
            "bursts_not_shown": sum(1 for s in self.shown_ms if s is None),
            "heartbeat_max_gap_ms": round(self.max_gap_ms, 2),
            "heartbeat_gaps_over_16ms": self.gaps_over_16ms,
            "raw": {
                "total_ms": [round(v, 2) for v in self.total_ms],
                "shown_ms": [None if v is None else round(v, 1) for v in self.shown_ms],
            },
            "notes": self.notes,
        }


def _stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p95": None, "max": None, "min": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered), 2),
        "p95": round(p95, 2),
        "max": round(ordered[-1], 2),
        "min": round(ordered[0], 2),
    }


class TypingBench:
    """Drives one editor widget; ``shown(word)`` tells whether the preview shows ``word``."""

    def __init__(
        self,
        qt_core: ModuleType,
        qt_gui: ModuleType,
        editor: Any,
        shown: Callable[[str], bool],
        preview_updated_signal: Any,
    ) -> None:
        self.core = qt_core
        self.gui = qt_gui
        self.editor = editor
        self.shown = shown
        self.result = TypingResult()
        self._posted: dict[int, float] = {}
        self._next_serial = 0
        self._key_serials: list[int] = []
        self._loop: Any = None
        self._waiting_for: str | None = None
        self._shown_at: float | None = None
        self._last_tick = 0.0
        self._heartbeat_on = False
        self._filter = self._make_filter()
        editor.installEventFilter(self._filter)
        preview_updated_signal.connect(self._preview_updated)
        # The first key event creates Qt's keyboard device: do that here, on the GUI thread.
        qt_gui.QKeyEvent(
            qt_core.QEvent.Type.KeyPress,
            qt_core.Qt.Key.Key_A,
            qt_core.Qt.KeyboardModifier.NoModifier,
            "a",
        )
        self._heartbeat = qt_core.QTimer()
        self._heartbeat.setTimerType(qt_core.Qt.TimerType.PreciseTimer)
        self._heartbeat.setInterval(1)
        self._heartbeat.timeout.connect(self._tick)

    # -- heartbeat ---------------------------------------------------------------------
    def _tick(self) -> None:
        now = time.perf_counter()
        if self._heartbeat_on and self._last_tick:
            gap = (now - self._last_tick) * 1000
            self.result.max_gap_ms = max(self.result.max_gap_ms, gap)
            if gap > 16:
                self.result.gaps_over_16ms += 1
        self._last_tick = now

    # -- key events --------------------------------------------------------------------
    def _make_filter(self) -> Any:
        bench = self
        core = self.core

        class Filter(core.QObject):  # type: ignore[misc,name-defined]
            def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802
                if event.type() == core.QEvent.Type.KeyPress and bench._key_serials:
                    serial = bench._key_serials.pop(0)
                    received = time.perf_counter()
                    watched.event(event)
                    done = time.perf_counter()
                    posted = bench._posted.pop(serial, received)
                    bench.result.wait_ms.append((received - posted) * 1000)
                    bench.result.handle_ms.append((done - received) * 1000)
                    bench.result.total_ms.append((done - posted) * 1000)
                    return True
                return False

        return Filter()

    def _post_word(self, word: str, interval_s: float) -> None:
        """In a separate thread: post each key of ``word`` at a steady pace."""
        core, gui = self.core, self.gui
        for char in word:
            time.sleep(interval_s)
            key = (
                core.Qt.Key.Key_Space
                if char == " "
                else getattr(core.Qt.Key, f"Key_{char.upper()}")
            )
            press = gui.QKeyEvent(
                core.QEvent.Type.KeyPress, key, core.Qt.KeyboardModifier.NoModifier, char
            )
            release = gui.QKeyEvent(
                core.QEvent.Type.KeyRelease, key, core.Qt.KeyboardModifier.NoModifier, char
            )
            serial = self._next_serial
            self._next_serial += 1
            self._key_serials.append(serial)
            self._posted[serial] = time.perf_counter()
            self._last_posted = self._posted[serial]
            core.QCoreApplication.postEvent(self.editor, press)
            core.QCoreApplication.postEvent(self.editor, release)

    # -- the preview ---------------------------------------------------------------------
    def _preview_updated(self, *_args: Any) -> None:
        word = self._waiting_for
        if word is None or self._shown_at is not None:
            return
        if not self._typing_done:
            return
        if self.shown(word):
            self._shown_at = time.perf_counter()
            if self._loop is not None:
                self._loop.quit()

    def run(self, bursts: int, interval_ms: float, timeout_s: float = 10.0) -> TypingResult:
        core = self.core
        self.result.interval_ms = interval_ms
        self._heartbeat.start()
        for burst in range(bursts):
            word = " " + marker(burst)
            self._waiting_for = word.strip()
            self._shown_at = None
            self._typing_done = False
            self._last_posted = 0.0
            self._heartbeat_on = True
            poster = threading.Thread(target=self._post_word, args=(word, interval_ms / 1000))
            poster.start()
            # Let the GUI thread run while keys arrive.
            while poster.is_alive() or self._key_serials:
                self._spin(5)
            poster.join()
            self._typing_done = True
            self.result.keys += len(word)
            # The preview may already show the word (a render that started after the last key).
            if self.shown(self._waiting_for) and self._shown_at is None:
                self._shown_at = time.perf_counter()
            if self._shown_at is None:
                self._loop = core.QEventLoop()
                core.QTimer.singleShot(int(timeout_s * 1000), self._loop.quit)
                self._loop.exec()
                self._loop = None
            if self._shown_at is None:
                self.result.shown_ms.append(None)
                self.result.notes.append(f"burst {burst}: not shown within {timeout_s} s")
            else:
                self.result.shown_ms.append((self._shown_at - self._last_posted) * 1000)
            self._waiting_for = None
            self._spin(400)  # a pause before the next word
            self.result.bursts += 1
        self._heartbeat_on = False
        self._heartbeat.stop()
        return self.result

    def _spin(self, ms: int) -> None:
        loop = self.core.QEventLoop()
        self.core.QTimer.singleShot(ms, loop.quit)
        loop.exec()
