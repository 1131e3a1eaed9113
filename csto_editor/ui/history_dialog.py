"""An item's history: revisions and reviews, a side-by-side diff of any two, restore."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csto_editor.core.content import ItemContent
from csto_editor.core.diff import DiffRow, diff_html, side_by_side
from csto_editor.core.errors import EditorError
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemHistory, ItemSummary, RevisionView
from csto_editor.ui.item_form import field_labels
from csto_editor.ui.locale_format import short_date_time

REVISION_ROLE = Qt.ItemDataRole.UserRole + 1
"""The revision id a row stands for (a review row: the revision it reviewed)."""
WORKING_COPY = -1
"""The id of the row standing for the working copy, when it differs from every revision."""
HASH_PREFIX = 12
COLUMNS = 6


def local_time(iso: str | None) -> str:
    """An ISO UTC timestamp as local date and time, to the minute."""
    if not iso:
        return ""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return short_date_time(moment.astimezone())


class HistoryDialog(QDialog):
    """Lists revisions with their reviews; compares any two; restores one as a new draft.

    Select one revision to compare it with the one before; select two to compare them.
    """

    restored = Signal(object)
    """ItemSummary after a revision was restored as the new working copy."""

    def __init__(self, ctx: ServiceContext, item_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._item_id = item_id
        self._history: ItemHistory | None = None
        self._contents: dict[int, ItemContent] = {}
        self._body_rows: list[DiffRow] = []
        self._meta_rows: list[DiffRow] = []
        self.setWindowTitle(self.tr("History"))
        self.resize(1100, 760)

        self._heading = QLabel()
        heading_font = QFont(self._heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.15)
        heading_font.setBold(True)
        self._heading.setFont(heading_font)
        hint = QLabel(
            self.tr(
                "Select a revision to see what it changed, or two revisions (Ctrl+click) "
                "to compare them."
            )
        )
        hint.setStyleSheet("color: #5b6472;")

        self.revisions = QTreeWidget()
        self.revisions.setColumnCount(COLUMNS)
        self.revisions.setHeaderLabels(
            [
                self.tr("Revision"),
                self.tr("Time"),
                self.tr("Author"),
                self.tr("Reason"),
                self.tr("Content hash"),
                self.tr("Reviews and state"),
            ]
        )
        self.revisions.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.revisions.setRootIsDecorated(True)
        self.revisions.setAlternatingRowColors(True)
        self.revisions.setUniformRowHeights(True)
        header = self.revisions.header()
        header.setStretchLastSection(True)
        for column in range(COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.revisions.itemSelectionChanged.connect(self._selection_changed)

        self._compared = QLabel()
        self.diff_view = QTextBrowser()
        self.diff_view.setOpenLinks(False)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self._compared)
        lower_layout.addWidget(self.diff_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.revisions)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton(self.tr("Restore this revision…"))
        self.restore_button.setToolTip(
            self.tr("Make the selected revision the working copy again, as a new draft revision")
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self._heading)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.reload()

    # -- the list ---------------------------------------------------------------------

    def reload(self) -> None:
        """Read the history again and select the newest change."""
        try:
            self._history = queries.history(self._ctx, self._item_id)
            detail = queries.get_item(self._ctx, self._item_id)
        except EditorError as error:
            self._history = None
            self._heading.setText(str(error))
            return
        history = self._history
        self._heading.setText(self.tr("History of “%1”").replace("%1", history.item.title))
        self._contents.clear()
        self.revisions.clear()
        rows: list[QTreeWidgetItem] = []
        latest_hash = history.revisions[-1].content_sha256 if history.revisions else None
        if latest_hash != detail.content_sha256:
            working = QTreeWidgetItem(
                [
                    self.tr("Working copy"),
                    local_time(history.item.updated_at),
                    "",
                    self.tr("Autosaved, not yet a revision"),
                    detail.content_sha256[:HASH_PREFIX],
                    "",
                ]
            )
            working.setData(0, REVISION_ROLE, WORKING_COPY)
            font = working.font(0)
            font.setItalic(True)
            for column in range(COLUMNS):
                working.setFont(column, font)
            rows.append(working)
        for revision in reversed(history.revisions):
            rows.append(self._revision_row(revision, history.item))
        self.revisions.addTopLevelItems(rows)
        self.revisions.expandAll()
        if rows:
            rows[0].setSelected(True)
            self.revisions.setCurrentItem(rows[0])

    def _revision_row(self, revision: RevisionView, item: ItemSummary) -> QTreeWidgetItem:
        marks = []
        if revision.id == item.published_revision:
            marks.append(self.tr("published"))
        if revision.id == item.approved_revision:
            marks.append(self.tr("approved, publishable"))
        if revision.id == item.revision:
            marks.append(self.tr("current"))
        row = QTreeWidgetItem(
            [
                str(revision.number),
                local_time(revision.created_at),
                revision.author,
                self._reason(revision.reason),
                revision.content_sha256[:HASH_PREFIX],
                ", ".join(marks),
            ]
        )
        row.setData(0, REVISION_ROLE, revision.id)
        row.setToolTip(4, revision.content_sha256)
        row.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hash_font = QFont("monospace")
        hash_font.setStyleHint(QFont.StyleHint.Monospace)
        row.setFont(4, hash_font)
        for review in revision.reviews:
            approved = review.decision == "approve"
            decision = self.tr("Approved") if approved else self.tr("Changes requested")
            child = QTreeWidgetItem(
                [
                    "",
                    local_time(review.created_at),
                    review.reviewer,
                    decision,
                    review.content_sha256[:HASH_PREFIX],
                    review.comment.replace("\n", " "),
                ]
            )
            child.setToolTip(5, review.comment)
            child.setData(0, REVISION_ROLE, revision.id)
            colour = "#2f8a4c" if approved else "#c2412d"
            child.setForeground(3, QBrush(QColor(colour)))
            row.addChild(child)
        return row

    def _reason(self, reason: str) -> str:
        names = {
            "create": self.tr("Created"),
            "import": self.tr("Imported"),
            "autosave": self.tr("Autosave"),
            "save_point": self.tr("Save point"),
            "submit": self.tr("Submitted for review"),
            "restore": self.tr("Restored an older revision"),
            "edit": self.tr("Edited"),
        }
        return names.get(reason, reason)

    def selected_ids(self) -> list[int]:
        """The revisions selected (a review counts as its revision), oldest first."""
        ids = {int(item.data(0, REVISION_ROLE)) for item in self.revisions.selectedItems()}
        return sorted(ids, key=self._order)

    def _order(self, revision_id: int) -> int:
        if revision_id == WORKING_COPY or self._history is None:
            return 1 << 30
        numbers = {revision.id: revision.number for revision in self._history.revisions}
        return numbers.get(revision_id, 0)

    def _selection_changed(self) -> None:
        ids = self.selected_ids()
        restorable = len(ids) == 1 and ids[0] != WORKING_COPY
        self.restore_button.setEnabled(restorable)
        if len(ids) == 1:
            self.compare(self._previous(ids[0]), ids[0])
        elif len(ids) >= 2:
            self.compare(ids[0], ids[-1])

    def _previous(self, revision_id: int) -> int | None:
        if self._history is None:
            return None
        order = [revision.id for revision in self._history.revisions]
        if revision_id == WORKING_COPY:
            return order[-1] if order else None
        index = order.index(revision_id) if revision_id in order else 0
        return order[index - 1] if index > 0 else None

    # -- the diff ---------------------------------------------------------------------

    def compare(self, old_id: int | None, new_id: int) -> None:
        """Show the differences between two revisions (None: an empty item)."""
        try:
            old = self._content(old_id) if old_id is not None else None
            new = self._content(new_id)
        except EditorError as error:
            self.diff_view.setPlainText(str(error))
            return
        old_label, new_label = self._label(old_id), self._label(new_id)
        self._compared.setText(
            self.tr("Comparing %1 with %2").replace("%1", old_label).replace("%2", new_label)
        )
        self._meta_rows = side_by_side(
            self.metadata_text(old) if old else "", self.metadata_text(new), context=0
        )
        self._body_rows = side_by_side(old.body if old else "", new.body, context=3)
        skipped = self.tr("{count} unchanged lines")
        same = self.tr("No differences.")
        page = (
            f"<h3>{self.tr('Details')}</h3>"
            + diff_html(
                self._meta_rows,
                old_label=old_label,
                new_label=new_label,
                skipped_label=skipped,
                no_changes_label=same,
            )
            + f"<h3>{self.tr('Text')}</h3>"
            + diff_html(
                self._body_rows,
                old_label=old_label,
                new_label=new_label,
                skipped_label=skipped,
                no_changes_label=same,
            )
        )
        self.diff_view.setHtml(page)

    def body_rows(self) -> list[DiffRow]:
        """The body rows now shown (for tests and for copying)."""
        return list(self._body_rows)

    def metadata_rows(self) -> list[DiffRow]:
        return list(self._meta_rows)

    def _label(self, revision_id: int | None) -> str:
        if revision_id is None:
            return self.tr("(nothing)")
        if revision_id == WORKING_COPY:
            return self.tr("the working copy")
        number = self._order(revision_id)
        return self.tr("revision %1").replace("%1", str(number))

    def _content(self, revision_id: int) -> ItemContent:
        if revision_id not in self._contents:
            if revision_id == WORKING_COPY:
                self._contents[revision_id] = queries.working_copy(self._ctx, self._item_id)[0]
            else:
                self._contents[revision_id] = queries.revision_content(
                    self._ctx, self._item_id, revision_id
                )
        return self._contents[revision_id]

    def metadata_text(self, content: ItemContent) -> str:
        """The metadata as 'Label: value' lines, the way the diff compares them."""
        labels = field_labels()
        values = content.as_dict()
        lines = []
        for name, label in labels.items():
            value = values.get(name)
            text = "" if value is None else str(value)
            lines.append(f"{label}: {' ¶ '.join(text.splitlines())}")
        return "\n".join(lines)

    # -- restoring --------------------------------------------------------------------

    def restore_selected(self) -> None:
        """After confirmation, make the one selected revision the working copy again."""
        ids = self.selected_ids()
        if len(ids) != 1 or ids[0] == WORKING_COPY:
            return
        number = self._order(ids[0])
        answer = QMessageBox.question(
            self,
            self.tr("Restore revision %1").replace("%1", str(number)),
            self.tr(
                "Make revision %1 the working copy again? It becomes a new draft revision; "
                "nothing in the history is lost, and an approved text stays publishable until "
                "a newer one is approved."
            ).replace("%1", str(number)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            summary = editing.restore_revision(self._ctx, self._item_id, ids[0])
        except EditorError as error:
            QMessageBox.warning(self, self.tr("Cannot restore"), str(error))
            return
        self.restored.emit(summary)
        self.reload()
