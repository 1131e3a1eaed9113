"""The section tree: a Qt model over the sections service, and its view with a context menu."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from csto_editor.core.content import ContentType
from csto_editor.core.errors import EditorError
from csto_editor.services import sections
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import SectionView
from csto_editor.ui.icons import icon

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
                return f"{node.total:,}".replace(",", "\u202f")
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


@dataclass(frozen=True)
class SectionAnswer:
    slug: str
    name_en: str
    name_ru: str
    parent: str | None
    default_type: str


class SectionDialog(QDialog):
    """Asks for a new section's slug, names, parent and default type, or for new names."""

    def __init__(
        self,
        parent: QWidget | None,
        model: SectionTreeModel,
        *,
        existing: SectionView | None = None,
        parent_slug: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename section") if existing else self.tr("New section"))
        self.setMinimumWidth(420)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.slug = QLineEdit(existing.slug if existing else "")
        self.slug.setPlaceholderText(self.tr("e.g. press-releases"))
        self.slug.setReadOnly(existing is not None)
        self.name_en = QLineEdit(existing.name_en if existing else "")
        self.name_ru = QLineEdit(existing.name_ru if existing else "")
        self.parent_box = QComboBox()
        self.parent_box.addItem(self.tr("(top level)"), None)
        for slug in model.slugs():
            view = model.section(slug)
            assert view is not None
            self.parent_box.addItem("    " * view.depth + model.section_name(view), slug)
        self.parent_box.setCurrentIndex(max(0, self.parent_box.findData(parent_slug)))
        self.type_box = QComboBox()
        for kind in ContentType:
            self.type_box.addItem(kind.value.capitalize(), kind.value)
        form.addRow(self.tr("Slug:"), self.slug)
        form.addRow(self.tr("English name:"), self.name_en)
        form.addRow(self.tr("Russian name:"), self.name_ru)
        if existing is None:
            form.addRow(self.tr("Inside:"), self.parent_box)
            form.addRow(self.tr("Default type:"), self.type_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        (self.name_en if existing else self.slug).setFocus()

    def answer(self) -> SectionAnswer:
        return SectionAnswer(
            slug=self.slug.text().strip(),
            name_en=self.name_en.text(),
            name_ru=self.name_ru.text(),
            parent=self.parent_box.currentData(),
            default_type=str(self.type_box.currentData()),
        )


class SectionTreeView(QTreeView):
    """The tree on the left: pick a section to list, right-click to add, rename or delete."""

    section_selected = Signal(object)
    """The chosen section's slug, or None for all sections."""
    sections_changed = Signal()
    """A section was added, renamed, moved or deleted."""

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        language: str = "en",
        can_edit: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._can_edit = can_edit
        self._current: str | None = None
        self._restoring = False
        self.tree_model = SectionTreeModel(ctx, language, self)
        self.setModel(self.tree_model)
        self.setObjectName("sectionTree")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self.setRootIsDecorated(False)
        self.setAnimated(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(SectionTreeModel.NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            SectionTreeModel.COUNT_COLUMN, QHeaderView.ResizeMode.ResizeToContents
        )
        if can_edit:
            self.setDragEnabled(True)
            self.setAcceptDrops(True)
            self.setDropIndicatorShown(True)
            self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.tree_model.move_refused.connect(self._refused)
        self.tree_model.section_moved.connect(self._after_model_change)
        self.tree_model.modelReset.connect(self._restore_view)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self._restore_view()

    # -- public ----------------------------------------------------------------------------

    def current_section(self) -> str | None:
        return self._current

    def select_section(self, slug: str | None) -> None:
        """Make a section (None: all sections) the current one; announces the change."""
        index = self.tree_model.index_of(slug)
        if not index.isValid():
            index = self.tree_model.all_sections_index()
        self.setCurrentIndex(index)
        self._current_changed(index)

    def refresh(self) -> None:
        """Read sections and counts again, keeping the current section and the expansion."""
        self.tree_model.refresh()

    def set_language(self, language: str) -> None:
        self.tree_model.set_language(language)

    # -- actions ---------------------------------------------------------------------------

    def new_section(self, parent_slug: str | None = None) -> str | None:
        """Ask for a new section (inside ``parent_slug``) and add it; its slug, or None."""
        dialog = SectionDialog(self, self.tree_model, parent_slug=parent_slug)
        while self._ask(dialog):
            answer = dialog.answer()
            try:
                sections.add_section(
                    self._ctx,
                    answer.slug,
                    answer.name_en,
                    answer.name_ru,
                    answer.parent,
                    answer.default_type,
                )
            except EditorError as error:
                self._refused(str(error))
                continue
            self._after_model_change(answer.slug)
            self.select_section(answer.slug)
            return answer.slug
        return None

    def rename_section(self, slug: str) -> bool:
        view = self.tree_model.section(slug)
        if view is None:
            return False
        dialog = SectionDialog(self, self.tree_model, existing=view)
        while self._ask(dialog):
            answer = dialog.answer()
            try:
                sections.rename_section(self._ctx, slug, answer.name_en, answer.name_ru)
            except EditorError as error:
                self._refused(str(error))
                continue
            self._after_model_change(slug)
            return True
        return False

    def delete_section(self, slug: str) -> bool:
        view = self.tree_model.section(slug)
        if view is None:
            return False
        name = self.tree_model.section_name(view)
        answer = QMessageBox.question(
            self,
            self.tr("Delete section"),
            self.tr("Delete the section “%1”?").replace("%1", name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            sections.delete_section(self._ctx, slug)
        except EditorError as error:
            self._refused(str(error))
            return False
        was_current = self._current == slug
        if was_current:
            self._current = view.parent
        self._after_model_change(slug)
        if was_current:
            self.section_selected.emit(self._current)
        return True

    def _ask(self, dialog: SectionDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _refused(self, reason: str) -> None:
        QMessageBox.warning(self, self.tr("Sections"), reason)

    def _after_model_change(self, _slug: str = "") -> None:
        self.refresh()
        self.sections_changed.emit()

    def _show_menu(self, point: QPoint) -> None:
        index = self.indexAt(point)
        slug = index.data(SlugRole) if index.isValid() else None
        menu = QMenu(self)
        add = menu.addAction(icon("new_section"), self.tr("New section…"))
        add.triggered.connect(lambda: self.new_section(slug))
        rename = menu.addAction(icon("rename"), self.tr("Rename…"))
        delete = menu.addAction(icon("delete"), self.tr("Delete"))
        if slug is not None:
            rename.triggered.connect(lambda: self.rename_section(slug))
            delete.triggered.connect(lambda: self.delete_section(slug))
        for action in (add, rename, delete):
            action.setEnabled(self._can_edit)
            if not self._can_edit:
                action.setToolTip(self.tr("Only an administrator changes sections"))
        rename.setEnabled(self._can_edit and slug is not None)
        delete.setEnabled(self._can_edit and slug is not None)
        menu.setToolTipsVisible(True)
        menu.exec(self.viewport().mapToGlobal(point))

    # -- keeping the view in step ----------------------------------------------------------

    def _restore_view(self) -> None:
        self.expandAll()
        index = self.tree_model.index_of(self._current)
        if not index.isValid():
            index = self.tree_model.all_sections_index()
        self._restoring = True
        try:
            self.setCurrentIndex(index)
        finally:
            self._restoring = False
        gone = self._current is not None and self.tree_model.section(self._current) is None
        if gone:
            self._current = None
            self.section_selected.emit(None)

    def _current_changed(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if self._restoring:
            return
        slug = index.data(SlugRole) if index.isValid() else None
        if slug != self._current:
            self._current = slug
            self.section_selected.emit(slug)
