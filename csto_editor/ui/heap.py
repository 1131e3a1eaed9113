"""Give the C heap back to the system once start-up's garbage is freed.

Start-up imports read source lines (kept by ``linecache`` for tracebacks) and build the
list, the editor's document and the first preview; glibc keeps the freed arenas mapped
until asked. ``forget_source_lines`` drops the lines as soon as the window's modules are
imported; ``release_heap`` drops those read since and asks glibc to return the free
pages (``malloc_trim``); ``limit_malloc_arenas`` keeps threads from each holding an arena
of freed pages. Elsewhere (macOS, Windows, musl) only the cached lines are dropped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import linecache
import sys
from collections.abc import Callable

from PySide6.QtCore import SignalInstance

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter: how many malloc arenas threads may share."""
MALLOC_ARENAS = 2
"""Enough for the GUI thread and one worker; the default is eight per core, each arena
keeping its own freed pages (7 MB more resident with the window open, measured)."""


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.mallopt.restype = ctypes.c_int
    except (OSError, AttributeError):  # not glibc (musl has neither function)
        return None
    return libc


_GLIBC = _glibc()
_MALLOC_TRIM: Callable[[int], int] | None = None if _GLIBC is None else _GLIBC.malloc_trim


def limit_malloc_arenas() -> None:
    """Let threads share few malloc arenas; call before any thread starts (Qt's, Chromium's)."""
    if _GLIBC is not None:
        _GLIBC.mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def can_trim() -> bool:
    """Whether the C library can be asked to return free heap pages."""
    return _MALLOC_TRIM is not None


def forget_source_lines() -> None:
    """Drop the source lines ``linecache`` keeps (a traceback reads them again).

    PySide6's import hook reads the whole source of each module imported after PySide6
    (``inspect.getsource``, to see whether it uses PySide): some 20 MB of lines, for more
    than 500 modules, that nothing reads again. Dropped before the window is built, their
    memory holds the window instead: 6 MB less resident with the window open (measured).
    """
    linecache.clearcache()


def release_heap() -> None:
    """Drop cached source lines, collect cycles, and return the free C heap to the system."""
    forget_source_lines()
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def release_heap_after(signal: SignalInstance) -> None:
    """Release the heap once, the first time ``signal`` fires (the preview painted)."""
    released = False

    def once(*_args: object) -> None:
        nonlocal released
        if released:
            return
        released = True
        release_heap()
        signal.disconnect(once)

    signal.connect(once)
