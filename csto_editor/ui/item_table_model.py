"""The item list's table model: it holds only ids, and fetches rows lazily.

As in Anki's browser table, the model asks the service for the ordered ids of every
matching item (cheap even for 100,000 of them) and fetches the rows a view actually
shows, a page at a time, into a cache that a refresh throws away. The panel that shows
it, with its filters, search and title delegate, is ``item_list_panel.ItemListPanel``.

A word query pages its ids too: listing every match (25,000–50,000 for a common word in
100,000 items) takes several times as long as the first page, which SQLite finds by
walking the list's order index and stopping early. So a query reads the first page of
ids at once, its count from the full-text index when no other filter applies, and the
rest of the ids on a worker thread once control is back in the event loop (or at once,
if a view scrolls to the end first); the rows arrive as an insertion at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from array import array
from collections import OrderedDict
from dataclasses import replace
from functools import partial

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
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
CACHED_PAGES = 10
"""At most this many pages of rows are kept; the page read longest ago is dropped first."""

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

    count_found = Signal(int)
    """Every matching id is listed now, this many (after a word query's first page)."""
    _rest_read = Signal(int, object)
    """From the worker: a refresh's generation and all its ids (or why it failed)."""

    def __init__(
        self,
        ctx: ServiceContext,
        filters: ItemFilter = ItemFilter(),
        *,
        sort: str = "date",
        descending: bool = True,
        read_rest_in_background: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._filters = filters
        self._sort = sort if sort in COLUMNS else "date"
        self._descending = descending
        self._read_rest_in_background = read_rest_in_background
        # Ids as 8-byte integers, not a list of int objects: a quarter of the memory.
        self._ids: array[int] = array("q")
        self._complete = True
        self._total: int | None = 0
        self._generation = 0
        self._cache: dict[int, ItemSummary | None] = {}
        self._pages: OrderedDict[int, list[int]] = OrderedDict()
        """The pages whose rows are in the cache, with their ids, the oldest read first."""
        self.fetched_rows = 0
        """How many rows were read from the database since construction (for tests)."""
        self.fetched_ids = 0
        """How many ids were read from the database since construction (for tests)."""
        self._rest_read.connect(self._take_rest)
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
        """Read the ids again (a word query's first page only) and forget every cached row."""
        self.beginResetModel()
        self._generation += 1
        self.error = None
        self._complete, self._total = True, None
        paged = self._filters.query is not None and self._filters.limit is None
        try:
            if paged:
                first = self._read_ids(replace(self._filters, limit=PAGE_SIZE + 1))
                self._ids = array("q", first[:PAGE_SIZE])
                self._complete = len(first) <= PAGE_SIZE
                if not self._complete and _words_only(self._filters):
                    self._total = queries.count_search_matches(self._ctx, self._filters.query or "")
            else:
                self._ids = array("q", self._read_ids(self._filters))
        except EditorError as error:
            self._ids, self._complete = array("q"), True
            self.error = str(error)
        if self._complete:
            self._total = len(self._ids)
        self._cache.clear()
        self._pages.clear()
        self.endResetModel()
        if not self._complete and self._read_rest_in_background:
            # After the view has had its turn to paint the first page.
            QTimer.singleShot(0, self, partial(self._start_reading_rest, self._generation))

    def is_complete(self) -> bool:
        """Whether every matching id is listed (False while a word query's rest is read)."""
        return self._complete

    def total_count(self) -> int | None:
        """How many items match: known at once except for a query under other filters,
        whose count is known once its ids are all read."""
        return self._total

    def fetch_rest(self) -> None:
        """Read every remaining id now, on this thread (a view scrolled to the end)."""
        if not self._complete:
            try:
                ids: list[int] | str = queries.item_ids(
                    self._ctx, self._filters, sort=self._sort, descending=self._descending
                )
            except EditorError as error:
                ids = str(error)
            self._take_rest(self._generation, ids)

    def _read_ids(self, filters: ItemFilter) -> list[int]:
        ids = queries.item_ids(self._ctx, filters, sort=self._sort, descending=self._descending)
        self.fetched_ids += len(ids)
        return ids

    def _start_reading_rest(self, generation: int) -> None:
        if generation != self._generation or self._complete:
            return
        filters, sort, descending = self._filters, self._sort, self._descending
        ctx, announce = self._ctx, self._rest_read

        def read() -> None:
            try:
                ids: list[int] | str = queries.item_ids(
                    ctx, filters, sort=sort, descending=descending
                )
            except EditorError as error:
                ids = str(error)
            # RuntimeError: the model was deleted meanwhile, and nobody waits for the ids.
            with contextlib.suppress(RuntimeError):
                announce.emit(generation, ids)

        threading.Thread(target=read, name="item-list-ids", daemon=True).start()

    def _take_rest(self, generation: int, ids: object) -> None:
        if generation != self._generation or self._complete:
            return  # a newer refresh, or the rest already read by fetch_rest
        if isinstance(ids, list):
            self.fetched_ids += len(ids)
            read = array("q", ids)
        else:
            self.error, read = str(ids), array("q", self._ids)
        shown = len(self._ids)
        if read[:shown] != self._ids:  # the database changed between the two reads
            self.beginResetModel()
            self._ids, self._complete = read, True
            self.endResetModel()
        elif len(read) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(read) - 1)
            self._ids, self._complete = read, True
            self.endInsertRows()
        self._complete, self._total = True, len(read)
        self.count_found.emit(len(read))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the service's: the ids are read again in the new order."""
        if not 0 <= column < len(COLUMNS):
            return
        self.set_sort_order(COLUMNS[column], order == Qt.SortOrder.DescendingOrder)

    # -- rows ------------------------------------------------------------------------------

    def item_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, item_id: int, *, read_rest: bool = True) -> int | None:
        """The row listing an item, or None; an item beyond a query's first page is found
        by reading the rest of the ids, unless told not to."""
        if read_rest and not self._complete and item_id not in self._ids:
            self.fetch_rest()
        # A scan in C (about a millisecond for 100,000 rows) rather than a dictionary of
        # every id, which would hold ten times the ids' memory.
        try:
            return self._ids.index(item_id)
        except ValueError:
            return None

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
        while len(self._pages) >= CACHED_PAGES:
            for item_id in self._pages.popitem(last=False)[1]:
                self._cache.pop(item_id, None)
        try:
            found = queries.item_summaries(self._ctx, wanted)
        except EditorError:
            found = {}
        self.fetched_rows += len(wanted)
        for item_id in wanted:
            self._cache[item_id] = found.get(item_id)
        self._pages[page] = self._pages.get(page, []) + wanted
        self._pages.move_to_end(page)

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        if not parent.isValid():
            self.fetch_rest()

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


def _words_only(filters: ItemFilter) -> bool:
    """A word query under no other filter: the full-text index alone can count it."""
    return filters == ItemFilter(query=filters.query)


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
