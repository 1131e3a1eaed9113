"""The section tree's model: a Qt model over the sections service, with drag-and-drop moves.

Its view, with the context menu and the dialog that adds or renames a section, is
``section_tree.SectionTreeView``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from csto_editor.core.errors import EditorError
from csto_editor.services import sections
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import SectionView
from csto_editor.ui.icons import icon
from csto_editor.ui.locale_format import whole_number

SECTION_MIME_TYPE = "application/x-csto-editor-section"
"""What a dragged section carries: its slug, as UTF-8."""

SlugRole = Qt.ItemDataRole.UserRole + 1
"""The section's slug; None on the "All sections" row."""
SectionRole = Qt.ItemDataRole.UserRole + 2
"""The SectionView; None on the "All sections" row."""

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class _Node:
    section: SectionView | None
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    total: int = 0
    """Items in this section and every section below it."""

    @property
    def slug(self) -> str | None:
        return self.section.slug if self.section else None

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


class SectionTreeModel(QAbstractItemModel):
    """Sections under one "All sections" row; names in English or Russian; item counts."""

    NAME_COLUMN, COUNT_COLUMN = 0, 1

    section_moved = Signal(str)
    move_refused = Signal(str)
    """The one-line reason a dropped section could not be moved."""

    def __init__(
        self, ctx: ServiceContext, language: str = "en", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._language = language
        self._root = _Node(None, None)
        self._all = _Node(None, self._root)
        self._root.children.append(self._all)
        self._by_slug: dict[str, _Node] = {}
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the tree and its counts again."""
        views = sections.list_sections(self._ctx)
        self.beginResetModel()
        self._all.children.clear()
        self._by_slug = {}
        for view in views:
            holder = self._by_slug.get(view.parent) if view.parent else self._all
            node = _Node(view, holder or self._all)
            node.parent.children.append(node)  # type: ignore[union-attr]
            self._by_slug[view.slug] = node
        self._all.total = self._sum(self._all)
        self.endResetModel()

    def _sum(self, node: _Node) -> int:
        own = node.section.item_count if node.section else 0
        node.total = own + sum(self._sum(child) for child in node.children)
        return node.total

    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> None:
        """Show English ("en") or Russian ("ru") names."""
        if language == self._language:
            return
        self._language = language
        self._names_changed(self._all)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def _names_changed(self, node: _Node) -> None:
        index = self._index_of_node(node)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        for child in node.children:
            self._names_changed(child)

    # -- lookups ---------------------------------------------------------------------------

    def slugs(self) -> list[str]:
        return list(self._by_slug)

    def section(self, slug: str) -> SectionView | None:
        node = self._by_slug.get(slug)
        return node.section if node else None

    def all_sections_index(self) -> QModelIndex:
        return self.createIndex(0, 0, self._all)

    def index_of(self, slug: str | None) -> QModelIndex:
        """The row of a section (None: the "All sections" row); invalid when it is gone."""
        if slug is None:
            return self.all_sections_index()
        node = self._by_slug.get(slug)
        return self._index_of_node(node) if node else QModelIndex()

    def _index_of_node(self, node: _Node, column: int = 0) -> QModelIndex:
        return self.createIndex(node.row(), column, node)

    def _node(self, index: ModelIndex) -> _Node:
        if not index.isValid():
            return self._root
        node = index.internalPointer()
        assert isinstance(node, _Node)
        return node

    def section_name(self, view: SectionView) -> str:
        return view.name_ru if self._language == "ru" else view.name_en

    # -- QAbstractItemModel ----------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:
        holder = self._node(parent)
        if 0 <= row < len(holder.children) and 0 <= column < self.columnCount():
            return self.createIndex(row, column, holder.children[row])
        return QModelIndex()

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        holder = self._node(child).parent
        if holder is None or holder is self._root:
            return QModelIndex()
        return self._index_of_node(holder)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 2

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node = self._node(index)
        view = node.section
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.COUNT_COLUMN:
                return whole_number(node.total)
            return self.section_name(view) if view else self.tr("All sections")
        if role == Qt.ItemDataRole.ToolTipRole:
            if view is None:
                return self.tr("Every item in every section: %n item(s)", "", node.total)
            other = view.name_en if self._language == "ru" else view.name_ru
            own = self.tr("%n item(s) in this section", "", view.item_count)
            below = self.tr("%n with its subsections", "", node.total)
            return f"{other}\n/{view.path}/\n{own}" + (
                f", {below}" if node.total != view.item_count else ""
            )
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME_COLUMN:
            return icon("all_sections") if view is None else icon("section")
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COUNT_COLUMN:
            return QColor("#7a828e")
        if role == Qt.ItemDataRole.FontRole and view is None:
            font = QFont()
            font.setBold(True)
            return font
        if role == SlugRole:
            return node.slug
        if role == SectionRole:
            return view
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Section") if section == self.NAME_COLUMN else self.tr("Items")
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsDropEnabled
        if self._node(index).section is not None:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- drag and drop ---------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [SECTION_MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        slugs = [self._node(i).slug for i in indexes if i.isValid() and i.column() == 0]
        slug = next((s for s in slugs if s), None)
        if slug:
            data.setData(SECTION_MIME_TYPE, QByteArray(slug.encode("utf-8")))
        return data

    def _dragged(self, data: QMimeData) -> _Node | None:
        if not data.hasFormat(SECTION_MIME_TYPE):
            return None
        slug = bytes(data.data(SECTION_MIME_TYPE).data()).decode("utf-8", "replace")
        return self._by_slug.get(slug)

    def _target(self, row: int, parent: ModelIndex) -> _Node:
        holder = self._node(parent)
        # Dropped between the top-level rows: beside "All sections" means at the top.
        return self._all if holder is self._root else holder

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        moving = self._dragged(data)
        if moving is None or action != Qt.DropAction.MoveAction:
            return False
        target: _Node | None = self._target(row, parent)
        while target is not None:
            if target is moving:
                return False
            target = target.parent
        return True

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        """Move the dragged section through the service; the tree is read again after."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        moving = self._dragged(data)
        assert moving is not None and moving.slug is not None
        target = self._target(row, parent)
        if self._node(parent) is self._root:
            row = -1
        position: int | None = None
        if row >= 0:
            position = row
            if moving.parent is target and moving.row() < row:
                position -= 1
        try:
            sections.move_section(self._ctx, moving.slug, target.slug, position)
        except EditorError as error:
            self.move_refused.emit(str(error))
            return False
        slug = moving.slug
        # The view is still inside its drop handler: read the tree once it has returned.
        QTimer.singleShot(0, lambda: self._after_move(slug))
        return True

    def _after_move(self, slug: str) -> None:
        self.refresh()
        self.section_moved.emit(slug)
