"""Give the C heap back to the system once start-up's garbage is freed.

Start-up imports read source lines (kept by ``linecache`` for tracebacks) and build the
list, the editor's document and the first preview; glibc keeps the freed arenas mapped
until asked. ``release_heap`` forgets the cached lines and asks glibc to return the free
pages (``malloc_trim``); elsewhere (macOS, Windows, musl) only the first part is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import linecache
import sys
from collections.abc import Callable

from PySide6.QtCore import SignalInstance


def _find_malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


_MALLOC_TRIM = _find_malloc_trim()


def can_trim() -> bool:
    """Whether the C library can be asked to return free heap pages."""
    return _MALLOC_TRIM is not None


def release_heap() -> None:
    """Drop cached source lines, collect cycles, and return the free C heap to the system."""
    linecache.clearcache()
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
