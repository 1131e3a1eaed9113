"""The section tree: its view with a context menu, and the dialog for a section.

The model over the sections service is ``section_tree_model.SectionTreeModel``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
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
from csto_editor.ui.section_tree_model import SectionTreeModel, SlugRole
from csto_editor.ui.translations import content_type_name


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
            self.type_box.addItem(content_type_name(kind.value), kind.value)
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
