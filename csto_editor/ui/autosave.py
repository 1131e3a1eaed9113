"""Autosave: every change reaches the database within a second of a pause in typing.

The write itself runs on a worker thread: for a 20,000-word body ``editing.autosave``
takes some 45 ms (checking and normalising 180,000 characters, then the SQL), which
on the GUI thread would stall typing. The fields are read on the GUI thread, one save
is in flight at a time, and ``flush`` (closing, switching items, a workflow step)
waits for it and then saves anything newer on the spot, so nothing typed is left out.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from enum import Enum

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from csto_editor.core.errors import ConflictError, EditorError
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary

DEBOUNCE_MS = 600
"""Quiet time after the last change before it is written."""
MAX_WAIT_MS = 5_000
"""Someone who never pauses still has their text written this often."""


class ConflictChoice(Enum):
    KEEP_MINE = "keep_mine"
    LOAD_THEIRS = "load_theirs"
    DECIDE_LATER = "decide_later"


def ask_conflict_choice(parent: QWidget | None, message: str) -> ConflictChoice:
    """Ask what to do when someone else saved the item meanwhile (a module-level hook:
    tests replace it to answer without a modal dialog)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(
        QCoreApplication.translate("ConflictDialog", "Someone else changed this item")
    )
    box.setText(
        QCoreApplication.translate(
            "ConflictDialog",
            "This item was saved elsewhere while you were editing it. Nothing has been "
            "overwritten yet.",
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "ConflictDialog",
            "Keep mine: your text becomes the working copy, as a new revision (theirs stays "
            "in the history).\nLoad theirs: your unsaved changes are replaced by the saved text.",
        )
    )
    box.setDetailedText(message)
    keep = box.addButton(
        QCoreApplication.translate("ConflictDialog", "Keep mine as a new revision"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    load = box.addButton(
        QCoreApplication.translate("ConflictDialog", "Load theirs"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    box.addButton(
        QCoreApplication.translate("ConflictDialog", "Decide later"),
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is keep:
        return ConflictChoice.KEEP_MINE
    if clicked is load:
        return ConflictChoice.LOAD_THEIRS
    return ConflictChoice.DECIDE_LATER


class _Relay(QObject):
    """Carries a finished save from the worker thread to the GUI thread."""

    finished = Signal(object)


class AutosaveController(QObject):
    """Writes the open item's working copy after each pause in editing.

    ``changes`` returns the fields to store (the form's valid values and the body).
    The controller remembers the item's version as last seen and passes it to the
    service, so a save by someone else meanwhile is a conflict, never overwritten.
    A refused save keeps the text in memory (the editor still holds it) and is
    retried on the next change or flush.
    """

    saved = Signal(object)
    """ItemSummary after a successful save."""
    state_changed = Signal(str)
    """"Unsaved changes", "Saving…", "Saved at HH:MM:SS", "Conflict" or "Not saved: …"."""
    conflict = Signal(str)
    """Someone else saved meanwhile: the one-line reason."""
    reloaded = Signal(object)
    """The user chose "Load theirs": the ItemContent now in the database."""
    failed = Signal(str)
    """A save was refused: the one-line reason (the text is kept, to retry)."""

    def __init__(
        self,
        ctx: ServiceContext,
        changes: Callable[[], Mapping[str, object]],
        parent: QObject | None = None,
        *,
        delay_ms: int = DEBOUNCE_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._changes = changes
        self._delay_ms = delay_ms
        self._max_wait_ms = max_wait_ms
        self._item_id: int | None = None
        self._version: int | None = None
        self._pending = False
        self._saving = False
        self._in_conflict = False
        self._pending_since = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save_in_background)
        self._state = ""
        self._changes_seen = 0  # note_change calls: a save covers those before it began
        self._worker: ThreadPoolExecutor | None = None
        self._in_flight: _Save | None = None
        self._relay = _Relay()
        self._relay.finished.connect(self._background_done)

    # -- what it tracks ---------------------------------------------------------------

    def track(self, item_id: int | None, version: int | None) -> None:
        """Follow another item (flush the previous one first); nothing is pending."""
        self._timer.stop()
        self.wait_for_save()
        self._item_id, self._version = item_id, version
        self._pending = False
        self._in_conflict = False
        self._set_state("")

    def set_version(self, version: int) -> None:
        """The version after a step taken elsewhere in this window (submit, save point)."""
        self._version = version

    def item_id(self) -> int | None:
        return self._item_id

    def version(self) -> int | None:
        return self._version

    def is_pending(self) -> bool:
        """True while a change has not reached the database."""
        return self._pending

    def state(self) -> str:
        return self._state

    # -- saving -----------------------------------------------------------------------

    def note_change(self) -> None:
        """The user changed something: write it after the next pause."""
        if self._item_id is None:
            return
        self._changes_seen += 1
        if not self._pending:
            self._pending = True
            self._pending_since.start()
        if not self._in_conflict:
            self._set_state(self.tr("Unsaved changes"))
        waited = self._pending_since.elapsed()
        self._timer.start(max(0, min(self._delay_ms, self._max_wait_ms - waited)))

    def flush(self) -> bool:
        """Save now if anything is pending; True when nothing unsaved is left.

        Waits for a save in flight first, so the item's version is known.
        """
        self._timer.stop()
        self.wait_for_save()
        if not self._pending:
            return True
        return self._save()

    def wait_for_save(self) -> None:
        """Block until a save running in the background is finished and handled."""
        flight = self._in_flight
        if flight is not None:
            with contextlib.suppress(Exception):  # its outcome is handled below
                flight.future.result()
            self._background_done(flight)

    def _save_in_background(self) -> None:
        """The pause is over: write the fields on the worker thread."""
        if self._saving or self._in_flight is not None or self._item_id is None:
            return  # the save in flight restarts the timer when it ends
        if self._in_conflict:
            self._save()  # the conflict dialog belongs to the GUI thread
            return
        self._set_state(self.tr("Saving…"))
        changes = dict(self._changes())
        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="autosave")
        item_id, version, relay = self._item_id, self._version, self._relay
        future = self._worker.submit(
            editing.autosave, self._ctx, item_id, changes, expected_version=version
        )
        flight = _Save(item_id, changes, self._changes_seen, future)
        self._in_flight = flight
        future.add_done_callback(lambda _future: _emit_quietly(relay, flight))

    def _background_done(self, flight: object) -> None:
        if not isinstance(flight, _Save) or flight is not self._in_flight:
            return  # handled already (flush waited for it)
        self._in_flight = None
        if flight.item_id != self._item_id:
            return
        try:
            summary = flight.future.result()
        except ConflictError as error:
            self._after_background(self._resolve_conflict(str(error), flight.changes), flight)
            return
        except EditorError as error:
            self._save_text_only(str(error), flight.changes)
            return
        self._version = summary.version
        self._in_conflict = False
        self.saved.emit(summary)
        if self._changes_seen == flight.changes_seen:
            self._pending = False
            self._set_state(self.tr("Saved at %1").replace("%1", time.strftime("%H:%M:%S")))
        self._after_background(True, flight)

    def _after_background(self, saved: bool, flight: _Save) -> None:
        """Changes typed while the save was in flight are saved after the next pause."""
        if saved and self._changes_seen != flight.changes_seen and not self._timer.isActive():
            self._timer.start(self._delay_ms)

    def shutdown(self) -> None:
        """Finish a save in flight and stop the worker (the panel is going away)."""
        if self._worker is not None:
            self._worker.shutdown(wait=True)
            self._worker = None

    def _save(self) -> bool:
        if self._saving or self._item_id is None:
            return not self._pending
        self._saving = True
        try:
            self._set_state(self.tr("Saving…"))
            changes = dict(self._changes())
            try:
                summary = editing.autosave(
                    self._ctx, self._item_id, changes, expected_version=self._version
                )
            except ConflictError as error:
                return self._resolve_conflict(str(error), changes)
            except EditorError as error:
                self._save_text_only(str(error), changes)
                return False
            self._accept(summary)
            return True
        finally:
            self._saving = False

    def _accept(self, summary: ItemSummary) -> None:
        self._version = summary.version
        self._pending = False
        self._in_conflict = False
        self.saved.emit(summary)
        self._set_state(self.tr("Saved at %1").replace("%1", time.strftime("%H:%M:%S")))

    def _save_text_only(self, message: str, changes: Mapping[str, object]) -> None:
        """A refused detail (a slug taken meanwhile, say) must not hold back the text:
        store what can be stored (all but the slug, else the body alone) and keep the
        rest pending until it is corrected."""
        assert self._item_id is not None
        fallbacks = []
        if "slug" in changes and len(changes) > 1:
            fallbacks.append({k: v for k, v in changes.items() if k != "slug"})
        if "body" in changes and len(changes) > 1:
            fallbacks.append({"body": changes["body"]})
        for fallback in fallbacks:
            try:
                summary = editing.autosave(
                    self._ctx, self._item_id, fallback, expected_version=self._version
                )
            except EditorError:
                continue
            self._version = summary.version
            self.saved.emit(summary)
            self._set_state(self.tr("Text saved; not saved: %1").replace("%1", message))
            self.failed.emit(message)
            return
        self._refused(message)

    def _refused(self, message: str) -> None:
        self._set_state(self.tr("Not saved: %1").replace("%1", message))
        self.failed.emit(message)

    def _resolve_conflict(self, message: str, changes: Mapping[str, object]) -> bool:
        assert self._item_id is not None
        self._in_conflict = True
        self._set_state(self.tr("Conflict"))
        self.conflict.emit(message)
        parent = self.parent()
        choice = ask_conflict_choice(parent if isinstance(parent, QWidget) else None, message)
        try:
            if choice is ConflictChoice.KEEP_MINE:
                self._accept(
                    editing.autosave(self._ctx, self._item_id, changes, expected_version=None)
                )
                return True
            if choice is ConflictChoice.LOAD_THEIRS:
                content, _section, version = queries.working_copy(self._ctx, self._item_id)
                self._version = version
                self._pending = False
                self._in_conflict = False
                self._set_state(self.tr("Loaded the saved version"))
                self.reloaded.emit(content)
                return True
        except EditorError as error:
            self._refused(str(error))
        return False

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)


class _Save:
    """One save handed to the worker: what it writes and how many changes it covers."""

    def __init__(
        self,
        item_id: int,
        changes: dict[str, object],
        changes_seen: int,
        future: Future[ItemSummary],
    ) -> None:
        self.item_id = item_id
        self.changes = changes
        self.changes_seen = changes_seen
        self.future = future


def _emit_quietly(relay: _Relay, flight: _Save) -> None:
    with contextlib.suppress(RuntimeError):  # the controller is gone: nobody waits
        relay.finished.emit(flight)
