"""The item list's table model: it holds only ids, and fetches rows lazily.

As in Anki's browser table, the model asks the service for the ordered ids of every
matching item (cheap even for 100,000 of them) and fetches the rows a view actually
shows, a page at a time, into a cache that a refresh throws away. The panel that shows
it, with its filters, search and title delegate, is ``item_list_panel.ItemListPanel``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from csto_editor.core.errors import EditorError
from csto_editor.services import queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.queries import ItemFilter
from csto_editor.services.views import ItemSummary
from csto_editor.ui.icons import status_icon
from csto_editor.ui.locale_format import short_date, short_date_time

PAGE_SIZE = 200
"""Rows fetched at once when a view first shows one of them."""

ItemIdRole = Qt.ItemDataRole.UserRole + 1
"""The item's id (int), on every cell."""
SummaryRole = Qt.ItemDataRole.UserRole + 2
"""The row's ItemSummary (fetching its page if needed), or None for a vanished item."""
StatusRole = Qt.ItemDataRole.UserRole + 3
"""The item's workflow state, e.g. "in_review"."""
SubtitleRole = Qt.ItemDataRole.UserRole + 4
"""The line under a title: type, language and author."""

COLUMNS = ("title", "date", "type", "lang", "status", "author", "updated")
"""Column keys, in order; each is also a sort key of ``queries.item_ids``."""
DEFAULT_COLUMNS = ("title", "date", "status")
"""Shown at first: the title's second line already names type, language and author."""

ModelIndex = QModelIndex | QPersistentModelIndex


class ItemTableModel(QAbstractTableModel):
    """Rows of items matching a filter, in the service's order."""

    def __init__(
        self,
        ctx: ServiceContext,
        filters: ItemFilter = ItemFilter(),
        *,
        sort: str = "date",
        descending: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._filters = filters
        self._sort = sort if sort in COLUMNS else "date"
        self._descending = descending
        self._ids: list[int] = []
        self._rows: dict[int, int] | None = None
        self._cache: dict[int, ItemSummary | None] = {}
        self.fetched_rows = 0
        """How many rows were read from the database since construction (for tests)."""
        self.error: str | None = None
        """Why the last refresh found nothing, when the service refused the filter."""
        self._headers = {
            "title": self.tr("Title"),
            "date": self.tr("Date"),
            "type": self.tr("Type"),
            "lang": self.tr("Lang."),
            "status": self.tr("Status"),
            "author": self.tr("Author"),
            "updated": self.tr("Last change"),
        }
        self._types = {
            "news": self.tr("News"),
            "statement": self.tr("Statement"),
            "speech": self.tr("Speech"),
            "interview": self.tr("Interview"),
            "article": self.tr("Article"),
            "document": self.tr("Document"),
        }
        self.status_names = status_names()
        self.refresh()

    # -- what is listed --------------------------------------------------------------------

    def filters(self) -> ItemFilter:
        return self._filters

    def set_filters(self, filters: ItemFilter) -> None:
        if filters != self._filters:
            self._filters = filters
            self.refresh()

    def sort_order(self) -> tuple[str, bool]:
        """The sort key and whether it runs descending."""
        return self._sort, self._descending

    def set_sort_order(self, key: str, descending: bool, *, refresh: bool = True) -> None:
        """Sort by a column key (see COLUMNS); the ids are read again unless told not to."""
        if key not in COLUMNS:
            raise ValueError(f"no column {key!r}")
        if (key, descending) != (self._sort, self._descending):
            self._sort, self._descending = key, descending
            if refresh:
                self.refresh()

    def refresh(self) -> None:
        """Read the ids again and forget every cached row."""
        self.beginResetModel()
        self.error = None
        try:
            self._ids = queries.item_ids(
                self._ctx, self._filters, sort=self._sort, descending=self._descending
            )
        except EditorError as error:
            self._ids = []
            self.error = str(error)
        self._rows = None
        self._cache.clear()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the service's: the ids are read again in the new order."""
        if not 0 <= column < len(COLUMNS):
            return
        self.set_sort_order(COLUMNS[column], order == Qt.SortOrder.DescendingOrder)

    # -- rows ------------------------------------------------------------------------------

    def item_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, item_id: int) -> int | None:
        if self._rows is None:
            self._rows = {value: row for row, value in enumerate(self._ids)}
        return self._rows.get(item_id)

    def summary(self, row: int) -> ItemSummary | None:
        """The row's item (fetching its page if needed); None if it has vanished."""
        item_id = self._ids[row]
        if item_id not in self._cache:
            self._fetch_page(row // PAGE_SIZE)
        return self._cache.get(item_id)

    def cached(self, item_id: int) -> ItemSummary | None:
        """An item's row if it has been fetched, without reading the database."""
        return self._cache.get(item_id)

    def update_summary(self, summary: ItemSummary) -> bool:
        """Show a saved item's new values in its row; False when it is not listed."""
        row = self.row_of(summary.id)
        if row is None:
            return False
        self._cache[summary.id] = summary
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    def _fetch_page(self, page: int) -> None:
        chunk = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        wanted = [i for i in chunk if i not in self._cache]
        if not wanted:
            return
        try:
            found = queries.item_summaries(self._ctx, wanted)
        except EditorError:
            found = {}
        self.fetched_rows += len(wanted)
        for item_id in wanted:
            self._cache[item_id] = found.get(item_id)

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[COLUMNS[section]]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        if role == ItemIdRole:
            return self._ids[index.row()]
        if role not in _ROLES_NEEDING_ROW:
            return None
        summary = self.summary(index.row())
        key = COLUMNS[index.column()]
        if role == SummaryRole:
            return summary
        if summary is None:
            if role == Qt.ItemDataRole.DisplayRole and key == "title":
                return self.tr("(deleted meanwhile)")
            return None
        if role == StatusRole:
            return summary.status
        if role == SubtitleRole:
            kind = self._types.get(summary.type, summary.type)
            return f"{kind} · {summary.lang.upper()} · {summary.author}"
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(summary, key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "title":
            return summary.title
        if role == Qt.ItemDataRole.DecorationRole and key == "status":
            return status_icon(summary.status)
        if role == Qt.ItemDataRole.ForegroundRole and key in ("date", "lang", "author", "updated"):
            return QColor("#5b6472")
        if role == Qt.ItemDataRole.FontRole and key == "lang":
            font = QFont()
            font.setCapitalization(QFont.Capitalization.AllUppercase)
            return font
        return None

    def _display(self, summary: ItemSummary, key: str) -> str:
        if key == "title":
            return summary.title.replace("\n", " ")
        if key == "date":
            return _date(summary.date)
        if key == "type":
            return self._types.get(summary.type, summary.type)
        if key == "lang":
            return summary.lang
        if key == "status":
            return self.status_names.get(summary.status, summary.status)
        if key == "author":
            return summary.author
        return _moment(summary.updated_at)


def status_names() -> dict[str, str]:
    """Workflow states as the list shows them, in workflow order."""
    translate = QCoreApplication.translate
    return {
        "draft": translate("ItemTableModel", "Draft"),
        "in_review": translate("ItemTableModel", "In review"),
        "changes_requested": translate("ItemTableModel", "Changes requested"),
        "approved": translate("ItemTableModel", "Approved"),
        "published": translate("ItemTableModel", "Published"),
        "withdrawn": translate("ItemTableModel", "Withdrawn"),
    }


_ROLES_NEEDING_ROW = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        SummaryRole,
        StatusRole,
        SubtitleRole,
    }
)


def _date(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return short_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def _moment(value: str | None) -> str:
    """A stored UTC time as the user's local date and time."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return short_date_time(moment.astimezone())
