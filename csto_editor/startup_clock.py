"""Phase times of start-up on stderr, when $CSTO_EDITOR_STARTUP_TIMES is set.

Timing the whole process from outside says how long start-up takes; these marks say
where the time goes (imports, the window, the item, the first paint, the preview).
Times count from the process's start where the system says when that was (Linux), so
they include the interpreter's own start; elsewhere from this module's import.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

STARTUP_TIMES_VARIABLE = "CSTO_EDITOR_STARTUP_TIMES"

_ENABLED = bool(os.environ.get(STARTUP_TIMES_VARIABLE))


def _since_boot() -> float:
    return time.clock_gettime(time.CLOCK_BOOTTIME)


def _process_started() -> tuple[float, Callable[[], float]]:
    """When the process started, and the clock that time is on."""
    try:
        with open(f"/proc/{os.getpid()}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks_since_boot = int(fields[19])  # field 22, starttime, counted after the name
        return ticks_since_boot / os.sysconf("SC_CLK_TCK"), _since_boot
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic(), time.monotonic


_STARTED, _NOW = _process_started() if _ENABLED else (0.0, time.monotonic)


def mark(phase: str) -> None:
    """Write ``phase`` with the milliseconds since the process started."""
    if _ENABLED:
        elapsed_ms = (_NOW() - _STARTED) * 1000
        sys.stderr.write(f"startup: {elapsed_ms:7.1f} ms  {phase}\n")
