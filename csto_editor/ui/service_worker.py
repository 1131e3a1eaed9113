"""One long service call (an export, an import) off the GUI thread, reported by signals."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from csto_editor.core.errors import EditorError

__all__ = ["Progress", "ServiceWorker", "WorkCancelled"]

Progress = Callable[[int, int, str], object]


class WorkCancelled(Exception):
    """Raised by ``work`` when the service stopped because the user cancelled."""


class ServiceWorker(QObject):
    """Runs ``work`` once; lives in a QThread (or runs inline in tests).

    Exactly one of ``succeeded`` (with the result), ``failed`` (one line for the user,
    never a traceback) or ``cancelled`` is emitted per run.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def work(self, progress: Progress, cancelled: Callable[[], bool]) -> object:
        raise NotImplementedError

    @Slot()
    def run(self) -> None:
        try:
            result = self.work(
                lambda done, total, what: self.progressed.emit(done, total, what),
                self._cancel.is_set,
            )
        except WorkCancelled:
            self.cancelled.emit()
        except EditorError as error:
            self.failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - shown to the user, never a traceback
            self.failed.emit(f"{type(error).__name__}: {error}")
        else:
            self.succeeded.emit(result)

    def cancel(self) -> None:
        self._cancel.set()
