"""Memory of the open window: the heap given back once the first preview painted."""

from __future__ import annotations

import linecache
import sys

import pytest
from PySide6.QtCore import QObject, Signal

from csto_editor.ui import heap


class Painter(QObject):
    painted = Signal()


def test_releasing_the_heap_forgets_cached_source_lines() -> None:
    assert linecache.getline(heap.__file__, 1)
    assert heap.__file__ in linecache.cache
    heap.release_heap()
    assert heap.__file__ not in linecache.cache


def test_glibc_is_asked_to_return_free_pages_on_linux() -> None:
    if sys.platform.startswith("linux"):
        assert heap.can_trim()


def test_the_heap_is_released_once_after_the_first_paint(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr(heap, "release_heap", lambda: calls.append(None))
    painter = Painter()
    heap.release_heap_after(painter.painted)
    assert calls == []
    painter.painted.emit()
    painter.painted.emit()
    assert calls == [None]


def test_the_application_limits_malloc_arenas_before_qt_starts() -> None:
    """create_application asks glibc for few arenas before QApplication starts threads."""
    import inspect

    from csto_editor.ui import main

    source = inspect.getsource(main.create_application)
    assert source.index("limit_malloc_arenas()") < source.index("QApplication([")
    heap.limit_malloc_arenas()  # harmless when called again


def test_creating_the_application_forgets_the_source_lines_imports_left(qapp: object) -> None:
    """PySide6's import hook reads the source of each module imported after it; the
    window's build reuses that memory only if the lines go before it."""
    from csto_editor.ui import main

    assert linecache.getline(main.__file__, 1)
    main.create_application()
    assert main.__file__ not in linecache.cache
