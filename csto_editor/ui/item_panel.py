"""The right-hand side of the window: one item's form, its Markdown and its live preview."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.errors import EditorError
from csto_editor.core.slugs import slugify
from csto_editor.core.workflow import Role
from csto_editor.services import accounts, editing, queries, sections
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer, PageSurroundings
from csto_editor.services.views import ItemSummary
from csto_editor.ui import asset_dialog
from csto_editor.ui.autosave import AutosaveController
from csto_editor.ui.editor.find_replace import FindReplaceBar
from csto_editor.ui.editor.markdown_editor import MarkdownEditor
from csto_editor.ui.item_form import ItemForm
from csto_editor.ui.item_header import ItemHeader
from csto_editor.ui.item_steps import ItemSteps
from csto_editor.ui.preview.pane import PreviewPane
from csto_editor.ui.scroll_link import ScrollLink

if TYPE_CHECKING:
    from csto_editor.ui.history_dialog import HistoryDialog

WARN_BEFORE_EDITING = ("in_review", "approved", "published")
"""States whose text someone relies on: the first change asks before starting a draft."""
EDITING_ROLES = frozenset({Role.AUTHOR.value, Role.ADMIN.value})


def content_from(values: dict[str, object]) -> ItemContent:
    """An ItemContent from the form's kind of values (type and language as text)."""
    data = dict(values)
    data["type"] = ContentType(str(data["type"]))
    data["lang"] = Language(str(data["lang"]))
    return ItemContent(**data)  # type: ignore[arg-type]


def values_of(content: ItemContent) -> dict[str, object]:
    """The form's kind of values for a content (type and language as text)."""
    values: dict[str, object] = {f.name: getattr(content, f.name) for f in fields(content)}
    values["type"], values["lang"] = content.type.value, content.lang.value
    return values


def slug_is_derived(content: ItemContent, summary: ItemSummary) -> bool:
    """True when the slug is what the title gives (perhaps made unique with "-2") and
    was never published: then it may follow the title as the title is written."""
    if summary.published_revision is not None:
        return False
    base = slugify(content.title)
    return bool(base) and re.fullmatch(re.escape(base) + r"(-\d+)?", content.slug) is not None


COLOURING_HELD_MS = 2000
"""The longest an opened body's idle-time colouring waits for its first preview."""


class ItemPanel(QWidget):
    """One open item: the metadata form over a split Markdown editor and page preview.

    Every change is autosaved (see AutosaveController) and re-renders the preview;
    workflow steps and save points act on the open item after flushing it.
    """

    item_saved = Signal(object)
    """ItemSummary after any save or workflow step."""
    status_message = Signal(str)
    """Short text for the status bar: the saved state, or why something failed."""
    counts_changed = Signal(int, int)
    """Words and characters of the body."""

    def __init__(
        self, ctx: ServiceContext, previewer: PagePreviewer, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._previewer = previewer
        self._item_id: int | None = None
        self._summary: ItemSummary | None = None
        self._around: PageSurroundings | None = None
        self._last_valid: dict[str, object] = {}
        self._loading = False
        self._asking = False
        self._edit_confirmed = False
        self._may_write: bool | None = None

        self.form = ItemForm()
        self.editor = MarkdownEditor()
        self.find_bar = FindReplaceBar(self.editor, self)
        self.preview = PreviewPane(previewer, self)
        self.autosave = AutosaveController(ctx, self._changes, self)
        self._steps = ItemSteps(ctx, self.autosave, self)
        self.header = ItemHeader()
        self._scroll_link = ScrollLink(
            lambda line: self.preview.scroll_to_source_line(line),
            lambda line: self.editor.scroll_to_source_line(line),
            self._user_scrolls_preview,
            self,
        )
        self._build()

        self.form.changed.connect(self._on_edited)
        self.editor.textChanged.connect(self._on_edited)
        self.editor.top_line_changed.connect(self._scroll_link.editor_scrolled)
        self.preview.source_line_scrolled.connect(self._scroll_link.preview_scrolled)
        self.preview.painted.connect(lambda: self.editor.hold_colouring(False))
        self.header.edit_chosen.connect(self._choose_to_edit)
        self.autosave.state_changed.connect(self._on_save_state)
        self.autosave.saved.connect(self._on_saved)
        self.autosave.reloaded.connect(self._on_reloaded)
        self.autosave.failed.connect(self._on_save_failed)
        self._steps.step_taken.connect(self._took_step)
        self._steps.refused.connect(self.status_message)
        self._drop_filter = asset_dialog.ImageDropFilter(self.editor, self._insert_dropped, self)
        self.editor.viewport().installEventFilter(self._drop_filter)
        self.editor.image_files_dropped.connect(self._images_pasted)

    def _build(self) -> None:
        writing = QWidget()
        writing_layout = QVBoxLayout(writing)
        writing_layout.setContentsMargins(0, 0, 0, 0)
        writing_layout.setSpacing(0)
        writing_layout.addWidget(self.editor, 1)
        writing_layout.addWidget(self.find_bar)
        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(writing)
        self._splitter.addWidget(self.preview)
        self._splitter.setStretchFactor(0, 1)
        self._splitter.setStretchFactor(1, 1)

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(4)
        page_layout.addWidget(self.header)
        page_layout.addWidget(self.form)
        page_layout.addWidget(self._splitter, 1)

        empty = QLabel(self.tr("Choose an item in the list, or create one with New item (Ctrl+N)."))
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setWordWrap(True)
        empty.setStyleSheet("color: #8a94a3; font-size: 12pt;")
        self._pages = QStackedWidget()
        self._pages.addWidget(empty)
        self._pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

    # -- the contract the window uses --------------------------------------------------

    def splitter(self) -> QSplitter:
        return self._splitter

    def current_item_id(self) -> int | None:
        return self._item_id

    def current_summary(self) -> ItemSummary | None:
        return self._summary

    def flush(self) -> None:
        """Write any unsaved change now (switching items, closing, before a step)."""
        self.autosave.flush()

    def open_item(self, item_id: int) -> None:
        """Show an item, after writing the previous one's unsaved changes.

        An item that cannot be read raises its EditorError (the window reports it);
        when the previous item's changes cannot be saved and the user chooses to stay
        with them, nothing changes.
        """
        if self._leave_current():
            self._load(item_id)

    def new_item(self, section_slug: str) -> int:
        """Create a draft in a section at once and open it; its id.

        A refusal raises its EditorError. When the open item's changes cannot be saved
        and the user stays with them, no item is created and the open one's id returns.
        """
        if not self._leave_current():
            return self._item_id if self._item_id is not None else -1
        types = {s.slug: s.default_type for s in sections.list_sections(self._ctx)}
        content = ItemContent(
            ContentType(types.get(section_slug) or ContentType.NEWS.value),
            self._default_language(),
            self.tr("Untitled"),
        )
        summary = editing.create_item(self._ctx, editing.NewItem(section_slug, content))
        self._load(summary.id)
        self.item_saved.emit(summary)
        self.form.title.setFocus()
        self.form.title.selectAll()
        return summary.id

    def save_point(self) -> None:
        """Cut a revision of the working copy now (Ctrl+S)."""
        if self._item_id is not None:
            self._steps.save_point(self._item_id)

    def submit(self) -> None:
        """Send the item to review (its unsaved changes are written first)."""
        if self._item_id is not None:
            self._steps.submit(self._item_id)

    def approve(self) -> None:
        """Approve the submitted revision, with an optional comment."""
        if self._item_id is not None:
            self._steps.approve(self._item_id)

    def request_changes(self) -> None:
        """Send the item back to its author with a comment saying what to change."""
        if self._item_id is not None:
            self._steps.request_changes(self._item_id)

    def show_history(self) -> HistoryDialog | None:
        """Open the history dialog (window-modal, not blocking) on the open item."""
        if self._item_id is None:
            return None
        self.flush()
        from csto_editor.ui.history_dialog import HistoryDialog  # the diff: on first use

        dialog = HistoryDialog(self._ctx, self._item_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self._on_restored)
        dialog.open()
        return dialog

    def insert_image(self) -> None:
        """Pick an image, describe it and insert it at the cursor."""
        if self._item_id is None or not self._may_edit():
            return
        asset_dialog.insert_image(self, self._ctx, self.editor)

    # -- loading ----------------------------------------------------------------------

    def _load(self, item_id: int) -> None:
        content, section, version = queries.working_copy(self._ctx, item_id)
        summary = queries.get_item(self._ctx, item_id).summary
        around = self._previewer.surroundings(item_id, section)
        self._item_id, self._summary, self._around = item_id, summary, around
        self._edit_confirmed = False
        self.autosave.track(item_id, version)
        # The render worker starts first, so it overlaps with the editor's layout of the text.
        self.preview.render_now(content, around)
        self._show_content(content)
        self.form.follow_title_with_slug(slug_is_derived(content, summary))
        self._set_read_only(not self._user_may_write(), writer=False)
        self.header.show_summary(self._summary)
        self._pages.setCurrentIndex(1)
        self._emit_counts()

    def _show_content(self, content: ItemContent, *, keep_place: bool = False) -> None:
        """Put content on screen; ``keep_place`` keeps the cursor and scroll position
        (reloading the same item) instead of starting at the top."""
        position = self.editor.textCursor().position()
        scrolled = self.editor.verticalScrollBar().value()
        self._loading = True
        try:
            self.form.set_values(content)
            # A long body's colouring waits for the preview's render (or two seconds).
            self.editor.hold_colouring(True)
            QTimer.singleShot(
                COLOURING_HELD_MS, self.editor, lambda: self.editor.hold_colouring(False)
            )
            self.editor.set_markdown(content.body)
            if keep_place:
                cursor = self.editor.textCursor()
                cursor.setPosition(min(position, self.editor.document().characterCount() - 1))
                self.editor.setTextCursor(cursor)
                self.editor.verticalScrollBar().setValue(scrolled)
        finally:
            self._loading = False
        self._last_valid = values_of(content)

    def _leave_current(self) -> bool:
        """Write the open item; if that fails, let the user keep it open."""
        if self._item_id is None or self.autosave.flush():
            return True
        answer = QMessageBox.warning(
            self,
            self.tr("Unsaved changes"),
            self.tr("Your latest changes to this item could not be saved:\n%1").replace(
                "%1", self.autosave.state()
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _default_language(self) -> Language:
        russian = QLocale().language() == QLocale.Language.Russian
        return Language.RU if russian else Language.EN

    # -- editing ----------------------------------------------------------------------

    def _changes(self) -> dict[str, object]:
        """What autosave writes: every valid field of the form and the body."""
        changes = self.form.values()
        changes["body"] = self.editor.markdown()
        return changes

    def _on_edited(self) -> None:
        if self._loading or self._item_id is None:
            return
        if not self._may_edit():
            return
        self.autosave.note_change()
        self._emit_counts()
        self._request_preview()
        problems = self.form.errors()
        if problems:
            self.status_message.emit(next(iter(problems.values())))

    def _may_edit(self) -> bool:
        """Ask once before the first change to a text in review or approved."""
        if self._summary is None or self.editor.isReadOnly():
            return False
        status = self._summary.status
        if status not in WARN_BEFORE_EDITING or self._edit_confirmed:
            return True
        if self._asking:
            return False
        self._asking = True
        try:
            agreed = self._ask_to_edit(status)
        finally:
            self._asking = False
        if agreed:
            self._edit_confirmed = True
            return True
        self._revert()
        self._set_read_only(True, writer=True)
        return False

    def _ask_to_edit(self, status: str) -> bool:
        what = {
            "in_review": self.tr("This item is in review."),
            "approved": self.tr("This item is approved."),
            "published": self.tr("This item is published."),
        }[status]
        answer = QMessageBox.question(
            self,
            self.tr("Start a new draft?"),
            what
            + " "
            + self.tr(
                "Editing starts a new draft; the approved text stays publishable until a "
                "newer one is approved. Continue?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _revert(self) -> None:
        """Put back the stored working copy (undoing the change just declined)."""
        if self._item_id is None:
            return
        try:
            content, _section, _version = queries.working_copy(self._ctx, self._item_id)
        except EditorError as error:
            self.status_message.emit(str(error))
            return
        self._show_content(content, keep_place=True)
        self._request_preview()

    def _choose_to_edit(self) -> None:
        self._edit_confirmed = True
        self._set_read_only(False, writer=True)
        self.editor.setFocus()

    def _set_read_only(self, read_only: bool, *, writer: bool) -> None:
        self.editor.setReadOnly(read_only)
        self.form.set_read_only(read_only)
        if not read_only:
            self.header.hide_read_only()
        else:
            self.header.show_read_only(self._summary.status if writer and self._summary else None)

    def _user_may_write(self) -> bool:
        if self._may_write is None:
            user = accounts.current_user(self._ctx)
            writable = not self._ctx.database.read_only
            self._may_write = writable and bool(user and EDITING_ROLES & set(user.roles))
        return self._may_write

    def _insert_dropped(self, path: Path) -> None:
        if self._item_id is not None and self._may_edit():
            asset_dialog.insert_image_file(self, self._ctx, self.editor, path)

    def _images_pasted(self, paths: list[str]) -> None:
        # Announced from inside a paste or drop: ask for details once it is over.
        QTimer.singleShot(0, lambda: self._insert_files([Path(path) for path in paths]))

    def _insert_files(self, paths: list[Path]) -> None:
        for path in paths:
            self._insert_dropped(path)

    # -- preview and counts -------------------------------------------------------------

    def current_content(self) -> ItemContent:
        """The content on screen; an invalid field counts with its last valid value."""
        self._last_valid.update(self.form.values())
        values = dict(self._last_valid)
        values["body"] = self.editor.markdown()
        return content_from(values)

    def _request_preview(self) -> None:
        if self._around is not None and self._last_valid:
            self.preview.show_item(self.current_content, self._around)

    def _emit_counts(self) -> None:
        self.counts_changed.emit(self.editor.word_count(), self.editor.character_count())

    def _user_scrolls_preview(self) -> bool:
        """While someone types, a re-rendered preview restoring its position is not the
        user scrolling it: follow the preview only when the pointer is over it."""
        pointer_over = self.preview.rect().contains(self.preview.mapFromGlobal(QCursor.pos()))
        return pointer_over or not self.editor.hasFocus()

    # -- results ----------------------------------------------------------------------

    def _took_step(self, summary: ItemSummary, message: str) -> None:
        self._set_summary(summary)
        self.item_saved.emit(summary)
        self.status_message.emit(message)

    def _set_summary(self, summary: ItemSummary) -> None:
        if self._summary is not None and summary.status != self._summary.status:
            self._edit_confirmed = False
        self._summary = summary
        self.header.show_summary(self._summary)

    def _on_saved(self, summary: ItemSummary) -> None:
        self._set_summary(summary)
        if not self.autosave.is_pending():
            self.form.revalidate()
        self.item_saved.emit(summary)

    def _on_save_failed(self, message: str) -> None:
        if "slug" in message:
            self.form.mark_invalid("slug", message)

    def _on_save_state(self, state: str) -> None:
        if not state:
            return
        unsaved = self.form.errors()
        if unsaved and not self.autosave.is_pending():
            labels = self.form.field_labels()
            state += " · " + self.tr("not saved: %1").replace(
                "%1", ", ".join(labels[name] for name in unsaved)
            )
        self.status_message.emit(state)

    def _on_reloaded(self, content: ItemContent) -> None:
        self._show_content(content, keep_place=True)
        if self._item_id is not None:
            try:
                self._set_summary(queries.get_item(self._ctx, self._item_id).summary)
            except EditorError as error:
                self.status_message.emit(str(error))
        self._request_preview()
        self._emit_counts()

    def _on_restored(self, summary: ItemSummary) -> None:
        try:
            self._load(summary.id)
        except EditorError as error:
            self._steps.report(self.tr("Cannot open the item"), str(error))
            return
        self.item_saved.emit(summary)
        self.status_message.emit(self.tr("Restored as a new draft revision."))
