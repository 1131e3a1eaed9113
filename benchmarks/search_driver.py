"""Search and lists on a big database, in-process; project venv. Prints one JSON document.

``python benchmarks/search_driver.py measure --db DB --user U --item ID [--repeat N]``
(offscreen Qt): with the database open as the window opens it,

- full-text word queries in the item list, each word ``--repeat`` times after one
  warm-up: the time from creating the list's model (``ItemTableModel``) for the query
  until the first 40 rows' cells are there and the model knows how many items match (or
  says it is still counting: it never is for a query without other filters), which is
  what the target counts; then, for information, the time until every matching id is
  listed (the rest is read on a worker thread once the event loop runs), and what the
  service takes for all matching ids at once (what the list read before it paged a
  query's ids) and for the first page of 200 only;
- the item list's model (``ItemTableModel``) on every item and on the biggest section:
  the time from creating the model until the first 40 rows' cells are there (what the
  view paints first), how many rows it read from the database for that (must be one
  page), and after jumping to the middle of the list and to its end;
- resident memory (VmRSS of this process, the WebEngine helper processes left out) once
  the main window is open on the database with the item's preview painted, after all
  of the above (for information: the searches' garbage is in it).

``python benchmarks/search_driver.py memory --db DB --user U --item ID`` measures that
memory in a fresh process, as a user finds it: the window opened as ``csto-editor gui``
opens it (list filled, the item open, its preview painted, the heap released as the
application releases it), nothing else done; RSS and, where the kernel gives it, PSS.

``python benchmarks/search_driver.py bare`` measures the same memory for a bare window
with a WebEngine preview showing a short page, the baseline of the memory target: PySide6
alone (QApplication, QMainWindow, QWebEngineView), none of our modules imported. With
``--app-imports`` the bare window is made by our ``create_application`` (the earlier,
flattering baseline: it carries our whole ``ui.main`` import graph).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

TIMEOUT_MS = 60_000
WORDS = ("сотрудничество", "безопасности", "Бишкек", "security", "cooperation", "exercise")
"""Words of the corpus, common and less common, Russian and English."""
FIRST_ROWS = 40


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pss_mb() -> float | None:
    """Proportional set size (shared pages split between their users), if the kernel says."""
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return None


def memory_figures() -> dict[str, float | None]:
    pss = pss_mb()
    return {"rss_mb": round(rss_mb(), 1), "pss_mb": None if pss is None else round(pss, 1)}


def wait_for(qt_core: object, signal: object) -> None:
    loop = qt_core.QEventLoop()  # type: ignore[attr-defined]
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    qt_core.QTimer.singleShot(TIMEOUT_MS, loop.quit)  # type: ignore[attr-defined]
    loop.exec()


def bare(app_imports: bool) -> dict[str, object]:
    from PySide6 import QtCore
    from PySide6.QtWidgets import QApplication, QMainWindow

    if app_imports:
        from csto_editor.ui.main import create_application
        from csto_editor.ui.preview.web_view import HAVE_WEB_ENGINE

        application = create_application()
        assert HAVE_WEB_ENGINE
    else:
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # as our prepare_web_engine does
            os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        application = QApplication([sys.argv[0]])
    from PySide6.QtWebEngineWidgets import QWebEngineView

    window = QMainWindow()
    view = QWebEngineView(window)
    window.setCentralWidget(view)
    window.resize(1200, 800)
    window.show()
    loop = QtCore.QEventLoop()
    view.loadFinished.connect(loop.quit)
    QtCore.QTimer.singleShot(TIMEOUT_MS, loop.quit)
    view.setHtml("<html><body><p>Preview</p></body></html>", QtCore.QUrl("file:///bare.html"))
    loop.exec()
    application.processEvents()
    result: dict[str, object] = {**memory_figures(), "app_imports": app_imports}
    window.close()
    return result


def memory(db: Path, user: str, item: int) -> dict[str, object]:
    """The window as ``csto-editor gui`` opens it, in a fresh process; nothing else done."""
    from PySide6 import QtCore

    from csto_editor.app import open_context
    from csto_editor.paths import resources_dir
    from csto_editor.services.pages import PagePreviewer
    from csto_editor.ui.heap import release_heap_after
    from csto_editor.ui.main import create_application
    from csto_editor.ui.main_window import MainWindow
    from csto_editor.ui.settings import Settings

    application = create_application()
    ctx = open_context(str(db), user)
    window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    window.resize(1200, 800)
    window.open_initial(item)
    release_heap_after(window.panel.preview.painted)
    window.show()
    wait_for(QtCore, window.panel.preview.painted)
    application.processEvents()
    result: dict[str, object] = {**memory_figures(), "rows": window.items.model.rowCount()}
    window.close()
    application.processEvents()
    ctx.database.dispose()
    return result


def measure(db: Path, user: str, item: int, repeat: int) -> dict[str, object]:
    from PySide6 import QtCore

    from csto_editor.app import open_context
    from csto_editor.paths import resources_dir
    from csto_editor.services import queries, sections
    from csto_editor.services.pages import PagePreviewer
    from csto_editor.services.queries import ItemFilter
    from csto_editor.ui.item_table_model import PAGE_SIZE, ItemTableModel
    from csto_editor.ui.main import create_application
    from csto_editor.ui.main_window import MainWindow
    from csto_editor.ui.settings import Settings

    application = create_application()
    ctx = open_context(str(db), user)
    result: dict[str, object] = {}

    def open_list(word: str) -> tuple[ItemTableModel, float, float]:
        """A list for the query: ms until its first rows and count, ms until complete."""
        started = time.perf_counter()
        model = ItemTableModel(ctx, ItemFilter(query=word))
        for row in range(min(FIRST_ROWS, model.rowCount())):
            for column in range(3):
                model.data(model.index(row, column))
        first = (time.perf_counter() - started) * 1000
        if model.total_count() is None:
            counting.add(word)
        ids_at_first[word] = model.fetched_ids
        if not model.is_complete():
            wait_for(QtCore, model.count_found)
        return model, first, (time.perf_counter() - started) * 1000

    searches: dict[str, dict[str, float | int | bool]] = {}
    counting: set[str] = set()
    ids_at_first: dict[str, int] = {}
    for word in WORDS:
        shown: list[float] = []
        complete: list[float] = []
        whole: list[float] = []
        page: list[float] = []
        open_list(word)  # warm-up
        queries.item_ids(ctx, ItemFilter(query=word))
        model = None
        for _ in range(repeat):
            model, first, everything = open_list(word)
            shown.append(first)
            complete.append(everything)
            started = time.perf_counter()
            queries.item_ids(ctx, ItemFilter(query=word))
            whole.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            queries.item_ids(ctx, ItemFilter(query=word, limit=PAGE_SIZE))
            page.append((time.perf_counter() - started) * 1000)
        assert model is not None and model.is_complete()
        searches[word] = {
            "found": model.rowCount(),
            "count_known_at_first_rows": word not in counting,
            "ids_read_for_first_rows": ids_at_first[word],
            "list_first_rows_ms": round(statistics.median(shown), 2),
            "list_complete_ms": round(statistics.median(complete), 2),
            "all_ids_ms": round(statistics.median(whole), 2),
            "first_page_ms": round(statistics.median(page), 2),
        }
    result["search"] = searches
    for key in ("list_first_rows_ms", "list_complete_ms", "all_ids_ms", "first_page_ms"):
        result[f"search_{key.removesuffix('_ms')}_median_ms"] = round(
            statistics.median(float(s[key]) for s in searches.values()), 2
        )

    tree = sections.list_sections(ctx)
    biggest = max(tree, key=lambda view: view.item_count)
    lists: dict[str, dict[str, object]] = {}
    for label, filters in (
        ("all items", ItemFilter()),
        (f"section {biggest.slug}", ItemFilter(section=biggest.slug)),
    ):
        times: list[float] = []
        model = None
        for _ in range(repeat):
            started = time.perf_counter()
            model = ItemTableModel(ctx, filters)
            for row in range(min(FIRST_ROWS, model.rowCount())):
                for column in range(3):
                    model.data(model.index(row, column))
            times.append((time.perf_counter() - started) * 1000)
        assert model is not None
        first_fetch = model.fetched_rows
        rows = model.rowCount()
        model.data(model.index(rows // 2, 0))
        model.data(model.index(rows - 1, 0))
        lists[label] = {
            "rows": rows,
            "first_rows_ms": round(statistics.median(times), 2),
            "rows_read_for_first_rows": first_fetch,
            "rows_read_after_middle_and_end": model.fetched_rows,
        }
    result["lists"] = lists

    window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    window.resize(1200, 800)
    window.open_initial(item)
    window.show()
    wait_for(QtCore, window.panel.preview.painted)
    application.processEvents()
    result["rss_mb"] = round(rss_mb(), 1)
    window.close()
    application.processEvents()
    ctx.database.dispose()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("measure", "memory", "bare"))
    parser.add_argument("--app-imports", action="store_true", help="bare: through our code")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--user")
    parser.add_argument("--item", type=int)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.mode == "bare":
        data = bare(args.app_imports)
    else:
        if args.db is None or args.user is None or args.item is None:
            parser.error(f"{args.mode} needs --db, --user and --item")
        if args.mode == "memory":
            data = memory(args.db, args.user, args.item)
        else:
            data = measure(args.db, args.user, args.item, args.repeat)
    print(json.dumps(data, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
