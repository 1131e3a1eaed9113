"""File ▸ Import…: Word files, web pages, Markdown and text become drafts.

The files are read and the items written off the GUI thread, with a progress dialog
that can cancel while files are still being read (nothing is written then). Files
dropped on the item list are imported the same way. When the import is done the
first imported item is opened and selected; a refused import shows one dialog that
names each bad file and its problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.ui.icons import icon
from csto_editor.ui.service_worker import Progress, ServiceWorker, WorkCancelled

__all__ = ["IMPORT_SHORTCUT", "ImportRunner", "importable_paths"]

_NEXT_FILE = re.compile(r"; (?=/|[A-Za-z]:\\|\\\\)")
"""Where the service's one-line message goes on to the next file (an absolute path)."""

IMPORT_SHORTCUT = "Ctrl+Shift+O"
"""Ctrl+I is italic, as in every editor."""


def importable_paths(urls: Sequence[object]) -> list[Path]:
    """The local files among dropped URLs whose type the import reads."""
    from csto_editor.services.import_formats import SUFFIXES  # the readers: on first drop

    paths: list[Path] = []
    for url in urls:
        local = getattr(url, "toLocalFile", lambda: "")()
        if local and Path(local).suffix.lower() in SUFFIXES:
            paths.append(Path(local))
    return paths


class ImportWorker(ServiceWorker):
    """Runs one import."""

    def __init__(self, ctx: ServiceContext, paths: list[Path], section: str | None) -> None:
        super().__init__()
        self._ctx = ctx
        self._paths = paths
        self._section = section

    def work(self, progress: Progress, cancelled: Callable[[], bool]) -> object:
        # The readers (YAML, Word, HTML) are imported by the first import, not at start-up.
        from csto_editor.services import importing

        try:
            return importing.import_files(
                self._ctx, self._paths, self._section, progress=progress, cancelled=cancelled
            )
        except importing.ImportCancelled:
            raise WorkCancelled from None


class ImportRunner(QObject):
    """The Import… action of a window and the drops on its item list."""

    imported = Signal(list)
    """The ids of the new items, in the order of the files."""

    def __init__(
        self,
        ctx: ServiceContext,
        parent: QWidget,
        current_section: Callable[[], str | None],
        *,
        threaded: bool = True,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self._current_section = current_section
        self._threaded = threaded
        self._thread: QThread | None = None
        self._worker: ImportWorker | None = None
        self._progress: QProgressDialog | None = None
        self.last_error = ""
        self.action = QAction(icon("import"), self.tr("&Import…"), parent)
        self.action.setObjectName("action_import")
        self.action.setShortcut(QKeySequence(IMPORT_SHORTCUT))
        self.action.setStatusTip(self.tr("Import Word files, web pages, Markdown or text"))
        self.action.triggered.connect(lambda _checked=False: self.choose_files())

    def choose_files(self) -> None:
        from csto_editor.services.import_formats import SUFFIXES

        patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
        names, _chosen = QFileDialog.getOpenFileNames(
            self._parent,
            self.tr("Import files"),
            "",
            self.tr("Texts (%1)").replace("%1", patterns),
        )
        if names:
            self.start([Path(name) for name in names])

    def accept_drops_on(self, widget: QWidget) -> None:
        """Import the supported files dropped on ``widget`` (the item list's viewport)."""
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.action.isEnabled():  # a reviewer's window, a read-only database
            return super().eventFilter(watched, event)
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDropEvent)
            if importable_paths(event.mimeData().urls()):
                event.acceptProposedAction()
                return True
        elif event.type() == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = importable_paths(event.mimeData().urls())
            if paths:
                event.acceptProposedAction()
                self.start(paths)
                return True
        return super().eventFilter(watched, event)

    def is_running(self) -> bool:
        return self._progress is not None or self._thread is not None

    def start(self, paths: list[Path]) -> None:
        """Import ``paths`` into the section selected now (for files that name none)."""
        if self.is_running():
            return
        self.last_error = ""
        worker = ImportWorker(self._ctx, paths, self._current_section())
        progress = QProgressDialog(
            self.tr("Importing…"), self.tr("Cancel"), 0, len(paths), self._parent
        )
        progress.setWindowTitle(self.tr("Import"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.canceled.connect(worker.cancel)
        worker.progressed.connect(self._on_progress)
        worker.succeeded.connect(self._on_success)
        worker.failed.connect(self._on_failure)
        worker.cancelled.connect(self._finish)
        self._worker, self._progress = worker, progress
        if not self._threaded:
            worker.run()
            return
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        for signal in (worker.succeeded, worker.failed, worker.cancelled):
            signal.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        # The worker is kept until its thread has ended: it may still be unwinding run().
        thread.finished.connect(lambda: self._thread_ended(thread))
        self._thread = thread
        thread.start()

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Block until the import thread has ended (closing the window, tests)."""
        if self._worker is not None:
            self._worker.cancel()
        return self._thread is None or self._thread.wait(timeout_ms)

    def _thread_ended(self, thread: QThread) -> None:
        if self._thread is thread:
            self._thread = None
            if self._progress is None:
                self._worker = None

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self._progress is not None:
            self._progress.setMaximum(total)
            self._progress.setValue(done)
            if name:
                self._progress.setLabelText(self.tr("Reading %1…").replace("%1", name))

    def _finish(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
        self._progress = None
        if self._thread is None:
            self._worker = None

    def _on_success(self, summaries: list[ItemSummary]) -> None:
        self._finish()
        self.imported.emit([summary.id for summary in summaries])

    def _on_failure(self, message: str) -> None:
        self._finish()
        self.last_error = message
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Import"),
            self.tr("Nothing was imported."),
            QMessageBox.StandardButton.Ok,
            self._parent,
        )
        problems = _NEXT_FILE.split(message.removeprefix("nothing imported: "))
        hint = ""
        if "no section" in message:
            hint = "\n\n" + self.tr("Select a section in the tree, then import again.")
        box.setInformativeText("\n".join(problems) + hint)
        box.setObjectName("importErrorBox")
        box.open()
