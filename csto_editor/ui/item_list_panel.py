"""The item list panel: search and filters over the table of items, and its title delegate.

The rows come from ``item_table_model.ItemTableModel``, which holds only ids and fetches
rows lazily; sorting and filtering go through the service.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, QPoint, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csto_editor.services.context import ServiceContext
from csto_editor.services.queries import ItemFilter
from csto_editor.services.views import ItemSummary
from csto_editor.ui.icons import icon, status_icon
from csto_editor.ui.item_table_model import (
    COLUMNS,
    DEFAULT_COLUMNS,
    ItemIdRole,
    ItemTableModel,
    ModelIndex,
    SubtitleRole,
    status_names,
)
from csto_editor.ui.settings import Settings

_WORD = re.compile(r"\w", re.UNICODE)


class TitleDelegate(QStyledItemDelegate):
    """Draws a title over a smaller grey line naming type, language and author."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        title, item.text = item.text, ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        rect = item.rect.adjusted(8, 4, -6, -4)
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        active = bool(item.state & QStyle.StateFlag.State_Active)
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        palette = item.palette
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        top_font = QFont(item.font)
        top_font.setWeight(QFont.Weight.DemiBold)
        small_font = QFont(item.font)
        small_font.setPointSizeF(max(6.0, small_font.pointSizeF() * 0.88))
        painter.save()
        painter.setFont(top_font)
        painter.setPen(palette.color(group, text_role))
        top_metrics = QFontMetrics(top_font)
        line = rect.adjusted(0, 0, 0, -(rect.height() - top_metrics.height()))
        painter.drawText(
            line,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            top_metrics.elidedText(title, Qt.TextElideMode.ElideRight, line.width()),
        )
        subtitle = str(index.data(SubtitleRole) or "")
        painter.setFont(small_font)
        grey = palette.color(group, text_role) if selected else QColor("#6b7380")
        painter.setPen(grey)
        small_metrics = QFontMetrics(small_font)
        below = rect.adjusted(0, rect.height() - small_metrics.height(), 0, 0)
        painter.drawText(
            below,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            small_metrics.elidedText(subtitle, Qt.TextElideMode.ElideRight, below.width()),
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(200, row_height(option.fontMetrics))


def row_height(metrics: QFontMetrics) -> int:
    """Every row's height: a title line and a smaller line under it."""
    return int(metrics.height() * 1.9) + 12


class ItemListPanel(QWidget):
    """The middle of the window: filters over the table of items in the chosen section."""

    item_activated = Signal(int)
    """The user made another item the current one."""
    count_changed = Signal(int)

    SEARCH_DELAY_MS = 350

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        is_reviewer: bool = False,
        settings: Settings | None = None,
        section: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``settings`` and ``section`` set the first filters, so the list is read once."""
        super().__init__(parent)
        self.setObjectName("itemList")
        self._ctx = ctx
        self._current_id: int | None = None
        self._section: str | None = section
        self._selecting = False

        self.search = QLineEdit()
        self.search.setObjectName("itemSearch")
        self.search.setPlaceholderText(self.tr("Search titles, leads and text…"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(self.SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_filters)

        self.status_box = QComboBox()
        self.status_box.setObjectName("statusFilter")
        self.status_box.addItem(self.tr("All statuses"), "")
        for state, name in status_names().items():
            self.status_box.addItem(status_icon(state), name, state)
        self.lang_box = QComboBox()
        self.lang_box.setObjectName("languageFilter")
        self.lang_box.addItem(self.tr("All languages"), "")
        self.lang_box.addItem(self.tr("English"), "en")
        self.lang_box.addItem(self.tr("Russian"), "ru")
        self.awaiting = QToolButton()
        self.awaiting.setObjectName("awaitingReview")
        self.awaiting.setCheckable(True)
        self.awaiting.setIcon(icon("awaiting_review"))
        self.awaiting.setText(self.tr("Waiting for my review"))
        self.awaiting.setToolTip(self.tr("Items in review that someone else wrote"))
        self.awaiting.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.awaiting.setAutoRaise(True)
        self.awaiting.setVisible(is_reviewer)
        for box in (self.status_box, self.lang_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self._apply_filters)
        self.awaiting.toggled.connect(self._apply_filters)
        sort, descending = "date", True
        if settings is not None:
            self._show_filters(settings)
            sort, descending = settings.sort_key, settings.sort_descending
        self.model = ItemTableModel(
            ctx,
            self._filters(),
            sort=sort if sort in COLUMNS else "date",
            descending=descending,
            parent=self,
        )

        self.table = QTableView()
        self.table.setObjectName("itemTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(row_height(self.fontMetrics()))
        self.table.setItemDelegateForColumn(0, TitleDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        width = self.fontMetrics().horizontalAdvance
        widths = {
            "date": width("00.00.0000") + 20,
            "type": width(self.tr("Interview")) + 24,
            "lang": width("MM") + 22,
            "status": width(self.tr("Changes requested")) + 40,
            "author": width("ivanova") + 28,
            "updated": width("00.00.0000 00:00") + 20,
        }
        for key, size in widths.items():
            header.resizeSection(COLUMNS.index(key), size)
        self.table.setSortingEnabled(False)
        self._show_sort_indicator()
        header.sortIndicatorChanged.connect(self._sort_changed)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        columns = settings.list_columns if settings is not None else ",".join(DEFAULT_COLUMNS)
        self.set_visible_columns(columns.split(","))

        self.count_label = QLabel()
        self.count_label.setObjectName("itemCount")
        self.count_label.setStyleSheet("color: #6b7380;")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # The count gives way first when the list is narrow; the filters stay whole.
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setSpacing(6)
        filters.addWidget(self.status_box)
        filters.addWidget(self.lang_box)
        filters.addWidget(self.awaiting)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._after_reset)
        self.model.count_found.connect(self._after_count_found)
        self._after_reset()

    # -- public ----------------------------------------------------------------------------

    def current_item_id(self) -> int | None:
        return self._current_id

    def set_section(self, slug: str | None) -> None:
        """List the items of a section and its subsections (None: every section)."""
        self._section = slug
        self._apply_filters()

    def section(self) -> str | None:
        return self._section

    def refresh(self) -> None:
        """Read the list again, keeping the current item selected if it is still listed."""
        self.model.refresh()

    def select_item(self, item_id: int) -> bool:
        """Make an item the selected row (without announcing it); False if it is not listed."""
        self._current_id = item_id
        return self._select_current(read_rest=True)

    def apply_saved(self, summary: ItemSummary) -> bool:
        """Show a saved item's new values; reread the list when they may change what it holds.

        True when the item was listed before (its row was updated or the list reread).
        """
        previous = self.model.cached(summary.id)
        if self.model.row_of(summary.id) is None:
            return False
        filters = self.model.filters()
        moved_out = previous is not None and (
            (filters.status or filters.awaiting_review_by) and previous.status != summary.status
        )
        retitled = previous is not None and filters.query and previous.title != summary.title
        if moved_out or retitled or (previous is not None and previous.section != summary.section):
            self.refresh()
        else:
            self.model.update_summary(summary)
        return True

    def visible_columns(self) -> list[str]:
        header = self.table.horizontalHeader()
        return [key for n, key in enumerate(COLUMNS) if not header.isSectionHidden(n)]

    def set_visible_columns(self, keys: list[str]) -> None:
        """Show these columns (the title always), hide the others."""
        wanted = {key.strip() for key in keys} | {"title"}
        for n, key in enumerate(COLUMNS):
            self.table.setColumnHidden(n, key not in wanted)

    def _show_column_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        shown = set(self.visible_columns())
        for n, key in enumerate(COLUMNS[1:], start=1):
            action = QAction(str(self.model.headerData(n, Qt.Orientation.Horizontal)), menu)
            action.setCheckable(True)
            action.setChecked(key in shown)
            action.toggled.connect(lambda on, column=n: self.table.setColumnHidden(column, not on))
            menu.addAction(action)
        menu.exec(self.table.horizontalHeader().mapToGlobal(point))

    def clear_filters(self) -> None:
        """Show every status and language, no search, no review queue."""
        blockers = [QSignalBlocker(w) for w in (self.status_box, self.lang_box, self.awaiting)]
        self.status_box.setCurrentIndex(0)
        self.lang_box.setCurrentIndex(0)
        self.awaiting.setChecked(False)
        del blockers
        with QSignalBlocker(self.search):
            self.search.clear()
        self._apply_filters()

    def save_state(self, settings: Settings) -> None:
        settings.filter_status = str(self.status_box.currentData() or "")
        settings.filter_lang = str(self.lang_box.currentData() or "")
        settings.filter_awaiting_review = self.awaiting.isChecked()
        settings.sort_key, settings.sort_descending = self.model.sort_order()
        settings.list_columns = ",".join(self.visible_columns())

    def restore_state(self, settings: Settings) -> None:
        """Take filters, columns and sort order from the settings (one reread of the list)."""
        self._show_filters(settings)
        self.set_visible_columns(settings.list_columns.split(","))
        key = settings.sort_key
        self.model.set_sort_order(
            key if key in COLUMNS else "date", settings.sort_descending, refresh=False
        )
        self._show_sort_indicator()
        filters = self._filters()
        if filters == self.model.filters():
            self.model.refresh()
        else:
            self.model.set_filters(filters)

    def _show_filters(self, settings: Settings) -> None:
        blockers = [QSignalBlocker(w) for w in (self.status_box, self.lang_box, self.awaiting)]
        self.status_box.setCurrentIndex(max(0, self.status_box.findData(settings.filter_status)))
        self.lang_box.setCurrentIndex(max(0, self.lang_box.findData(settings.filter_lang)))
        self.awaiting.setChecked(settings.filter_awaiting_review and not self.awaiting.isHidden())
        del blockers

    # -- internals -------------------------------------------------------------------------

    def _filters(self) -> ItemFilter:
        text = self.search.text().strip()
        return ItemFilter(
            section=self._section,
            status=self.status_box.currentData() or None,
            lang=self.lang_box.currentData() or None,
            query=text if _WORD.search(text) else None,
            awaiting_review_by=self._ctx.login if self.awaiting.isChecked() else None,
        )

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        self.model.set_filters(self._filters())

    def _show_sort_indicator(self) -> None:
        key, descending = self.model.sort_order()
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        with QSignalBlocker(header):
            header.setSortIndicator(COLUMNS.index(key), order)

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)

    def _after_reset(self) -> None:
        self._show_count()
        # A word query lists its first page only: the current item may come with the rest.
        self._select_current(read_rest=False)

    def _after_count_found(self, _count: int) -> None:
        self._show_count()
        current = self.table.selectionModel().currentIndex()
        if self._current_id is not None and (
            not current.isValid() or current.data(ItemIdRole) != self._current_id
        ):
            self._select_current(read_rest=False)

    def _show_count(self) -> None:
        total = self.model.total_count()
        count = self.model.rowCount() if total is None else total
        if self.model.error:
            self.count_label.setText(self.model.error)
        elif total is None:
            self.count_label.setText(self.tr("%n item(s) or more, counting…", "", count))
        else:
            self.count_label.setText(self.tr("%n item(s)", "", count))
        self.count_changed.emit(count)

    def _select_current(self, *, read_rest: bool) -> bool:
        selection = self.table.selectionModel()
        row = (
            self.model.row_of(self._current_id, read_rest=read_rest)
            if self._current_id is not None
            else None
        )
        self._selecting = True
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), selection.SelectionFlag.NoUpdate)
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index,
                    selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows,
                )
        finally:
            self._selecting = False
        if row is not None:
            self.table.scrollTo(self.model.index(row, 0))
        return row is not None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        item_id = int(current.data(ItemIdRole))
        if item_id != self._current_id:
            self._current_id = item_id
            self.item_activated.emit(item_id)
