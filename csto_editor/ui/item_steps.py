"""Workflow steps on the open item: save point, submit, approve, request changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from csto_editor.core.errors import EditorError
from csto_editor.services import editing, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.ui.autosave import AutosaveController


class ItemSteps(QObject):
    """Takes a step on one item after writing its unsaved changes.

    Comments are asked for in a dialog; a refusal is shown in a message box with its
    one-line reason, and then nothing has changed.
    """

    step_taken = Signal(object, str)
    """The ItemSummary after the step, and a short message for the status bar."""
    refused = Signal(str)
    """Why a step was not taken (also shown in a message box)."""

    def __init__(self, ctx: ServiceContext, autosave: AutosaveController, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._autosave = autosave
        self._window = parent

    def save_point(self, item_id: int) -> None:
        """Cut a revision of the working copy now (Ctrl+S)."""
        title = self.tr("Cannot make a save point")
        if self._flushed(title):
            self._take(
                title,
                lambda: editing.save_point(self._ctx, item_id),
                self.tr("Save point made: the text is in the history."),
            )

    def submit(self, item_id: int) -> None:
        """Send the item to review."""
        title = self.tr("Cannot submit")
        if self._flushed(title):
            self._take(
                title,
                lambda: review.submit(self._ctx, [item_id])[0],
                self.tr("Submitted for review."),
            )

    def approve(self, item_id: int) -> None:
        """Approve the submitted revision, with an optional comment."""
        comment, accepted = QInputDialog.getMultiLineText(
            self._window, self.tr("Approve"), self.tr("Comment for the author (optional):")
        )
        title = self.tr("Cannot approve")
        if accepted and self._flushed(title):
            self._take(
                title,
                lambda: review.approve(self._ctx, [item_id], comment)[0],
                self.tr("Approved: this revision may now be published."),
            )

    def request_changes(self, item_id: int) -> None:
        """Send the item back to its author with a comment saying what to change."""
        comment, accepted = QInputDialog.getMultiLineText(
            self._window, self.tr("Request changes"), self.tr("What should the author change?")
        )
        title = self.tr("Cannot request changes")
        if not accepted:
            return
        if not comment.strip():
            self.report(title, self.tr("Say what the author should change."))
            return
        if self._flushed(title):
            self._take(
                title,
                lambda: review.request_changes(self._ctx, item_id, comment),
                self.tr("Sent back to the author with your comment."),
            )

    def report(self, title: str, message: str) -> None:
        """Tell the user why something was not done."""
        self.refused.emit(message)
        QMessageBox.warning(self._window, title, message)

    def _flushed(self, title: str) -> bool:
        if self._autosave.flush():
            return True
        self.report(
            title,
            self.tr("Your latest changes are not saved yet (%1); nothing was done.").replace(
                "%1", self._autosave.state()
            ),
        )
        return False

    def _take(self, title: str, action: Callable[[], ItemSummary], done: str) -> None:
        try:
            summary = action()
        except EditorError as error:
            self.report(title, str(error))
            return
        self._autosave.set_version(summary.version)
        self.step_taken.emit(summary, done)
