"""The main window: sections on the left, the item list in the middle, the item on the right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csto_editor.core.errors import EditorError
from csto_editor.services import accounts, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.views import ItemSummary
from csto_editor.ui.editor.spell_highlight import install_spell_checking
from csto_editor.ui.icons import app_icon
from csto_editor.ui.import_action import ImportRunner
from csto_editor.ui.item_list_panel import ItemListPanel
from csto_editor.ui.item_panel import ItemPanel
from csto_editor.ui.locale_format import whole_number
from csto_editor.ui.section_tree import SectionTreeView
from csto_editor.ui.settings import Settings, WindowStateMixin
from csto_editor.ui.team_refresh import follow_other_editors
from csto_editor.ui.translations import add_interface_language_menu, role_name
from csto_editor.ui.window_actions import ActionSlots, create_actions, create_menus, create_tool_bar

if TYPE_CHECKING:
    from csto_editor.ui.export_dialog import ExportDialog

WRITER_ROLES = frozenset({"author", "admin"})
REVIEWER_ROLES = frozenset({"reviewer"})
EXPORTER_ROLES = frozenset({"exporter", "admin"})
SELECTION_COLOR = "#d3e1f4"


@dataclass(frozen=True)
class Changes:
    """What a user action changed, so that every view rereads just that."""

    items: tuple[ItemSummary, ...] = ()
    """Items saved: their rows show the new values."""
    sections: bool = False
    """The tree or its counts changed."""
    item_list: bool = False
    """The list must be read again (an item appeared, moved or vanished)."""


class MainWindow(WindowStateMixin, QMainWindow):
    """The window a press officer lives in; every change goes through the services."""

    changes_applied = Signal(object)
    """A Changes: one app-wide notice that each view turns into its own refresh."""

    def __init__(
        self,
        ctx: ServiceContext,
        settings: Settings,
        previewer: PagePreviewer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings
        self._summary: ItemSummary | None = None
        self._section_of: dict[int, str] = {}
        self.user = accounts.current_user(ctx)
        self.roles = frozenset(self.user.roles if self.user else ())
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        database = ctx.database.target.path
        where = database.name if database else ctx.database.target.url.render_as_string()
        self.setWindowTitle(self.tr("CSTO Editor — %1").replace("%1", where))

        language = settings.section_name_language()
        last_section = settings.last_section or None
        self.sections = SectionTreeView(ctx, language=language, can_edit="admin" in self.roles)
        self.sections.select_section(last_section)
        self.items = ItemListPanel(
            ctx,
            is_reviewer=bool(self.roles & REVIEWER_ROLES),
            settings=settings,
            section=self.sections.current_section(),
        )
        self.panel = ItemPanel(ctx, previewer)
        self.panel.setObjectName("itemPanel")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(_titled(self.tr("Sections"), self.sections))
        self.splitter.addWidget(self.items)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 2)
        self.setCentralWidget(self.splitter)

        slots = ActionSlots(
            new_item=self.new_item,
            save_point=self._save_point,
            on_editor=self._on_editor,
            on_panel=self._on_panel,
            on_find=self._on_find,
            export=self.show_export_dialog,
            quit=self.close,
            refresh=self.refresh_all,
            about=self._about,
            set_ui_language=self.set_ui_language,
        )
        self.actions_by_name, self.language_group = create_actions(self, slots, language)
        self.view_menu = create_menus(self, self.actions_by_name, self.language_group)
        self.tool_bar = create_tool_bar(self, self.actions_by_name, self.view_menu)
        self.importer = ImportRunner(ctx, self, self.sections.current_section)
        self.importer.imported.connect(self._imported)
        self.importer.accept_drops_on(self.items.table.viewport())
        file_menu = self.menuBar().actions()[0].menu()
        file_menu.insertAction(self.actions_by_name["export"], self.importer.action)
        self.spelling = install_spell_checking(self, settings, self.panel.editor, self.view_menu)
        add_interface_language_menu(self.view_menu, settings, self)
        self._create_status_bar()

        self.sections.section_selected.connect(self._section_selected)
        # The tree has reread itself; the list follows (paths and counts may have moved).
        self.sections.sections_changed.connect(
            lambda: self.changes_applied.emit(Changes(item_list=True))
        )
        self.items.item_activated.connect(self.open_item)
        self.panel.item_saved.connect(self._item_saved)
        self.panel.status_message.connect(self._show_saved_state)
        self.panel.counts_changed.connect(self._show_counts)
        self.changes_applied.connect(self._apply_changes)
        self.team_refresh = follow_other_editors(ctx.database, self.refresh_all, self)

        self._soften_selections()
        self.resize(1400, 900)
        self.restore_window_state(settings, self._splitters())
        self._update_actions()

    def _soften_selections(self) -> None:
        """A light selection in the tree and the list, so the open item's page stays the
        strongest thing on screen."""
        for view in (self.sections, self.items.table):
            palette = view.palette()
            for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
                palette.setColor(group, QPalette.ColorRole.Highlight, QColor(SELECTION_COLOR))
                palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#111820"))
            view.setPalette(palette)

    # -- opening items ---------------------------------------------------------------------

    def open_initial(self, item_id: int | None) -> bool:
        """Open the item asked for on the command line, else the one open last time.

        An item asked for that cannot be opened raises its EditorError; a remembered one
        that has gone meanwhile is quietly forgotten.
        """
        if item_id is None:
            last = self._settings.last_item_id
            return last > 0 and self.open_item(last, report=False)
        self.panel.open_item(item_id)
        self._opened(item_id)
        if not self.items.select_item(item_id):
            self.sections.select_section(None)
            self.items.clear_filters()
            self.items.select_item(item_id)
        return True

    def open_item(self, item_id: int, *, report: bool = True) -> bool:
        """Show an item in the panel (and select it in the list when it is listed)."""
        if item_id == self.panel.current_item_id():
            self.items.select_item(item_id)
            return True
        try:
            self.panel.flush()
            self.panel.open_item(item_id)
        except EditorError as error:
            if report:
                self._show_error(self.tr("Open item"), error)
            self._update_actions()
            return False
        self._opened(item_id)
        self.items.select_item(item_id)
        return True

    def _opened(self, item_id: int) -> None:
        summary = queries.item_summaries(self._ctx, [item_id]).get(item_id)
        self._summary = summary
        if summary is not None:
            self._section_of[item_id] = summary.section
        self._remember_item(item_id)
        self._update_actions()

    def _remember_item(self, item_id: int) -> None:
        # On disk at once: after a crash or a kill the next start opens this item.
        self._settings.last_item_id = item_id
        self._settings.sync()

    def new_item(self) -> int | None:
        """Start a new item in the chosen section (the first section when all are shown)."""
        slug = self.sections.current_section() or next(iter(self.sections.tree_model.slugs()), None)
        if slug is None:
            QMessageBox.information(
                self, self.tr("New item"), self.tr("Add a section first: right-click the tree.")
            )
            return None
        previous = self.panel.current_item_id()
        try:
            self.panel.flush()
            item_id = self.panel.new_item(slug)
            if item_id <= 0 or item_id == previous:
                return None  # the open item's changes could not be saved; the user stayed
            summary = queries.item_summaries(self._ctx, [item_id]).get(item_id)
        except EditorError as error:
            self._show_error(self.tr("New item"), error)
            return None
        self._summary = summary
        if summary is not None and item_id not in self._section_of:
            self._section_of[item_id] = summary.section
            self.changes_applied.emit(Changes(sections=True, item_list=True))
        if not self.items.select_item(item_id):
            self.items.clear_filters()
            self.items.select_item(item_id)
        self._remember_item(item_id)
        self._update_actions()
        return item_id

    # -- changes ---------------------------------------------------------------------------

    def _item_saved(self, summary: ItemSummary) -> None:
        if summary.id == self.panel.current_item_id():
            self._summary = summary
        known = self._section_of.get(summary.id)
        self._section_of[summary.id] = summary.section
        moved = known != summary.section
        self.changes_applied.emit(Changes(items=(summary,), sections=moved, item_list=moved))
        saved_at = dt.datetime.now().strftime("%H:%M:%S")
        self._show_saved_state(self.tr("Saved at %1").replace("%1", saved_at))
        self._update_actions()

    def _apply_changes(self, changes: Changes) -> None:
        if changes.sections:
            self.sections.refresh()
        if changes.item_list:
            self.items.refresh()
        else:
            for summary in changes.items:
                self.items.apply_saved(summary)
        current = self.panel.current_item_id()
        if current is not None:
            self.items.select_item(current)

    def _imported(self, item_ids: list[int]) -> None:
        self.refresh_all()
        if item_ids:
            self.open_item(item_ids[0])

    def _section_selected(self, slug: str | None) -> None:
        self.items.set_section(slug)

    # -- status bar and actions ------------------------------------------------------------

    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        if self.user is not None:
            roles = ", ".join(role_name(role) for role in self.user.roles)
            who = f"{self.user.name} ({self.user.login}) · {roles}"
        else:
            who = self.tr("%1 — no account in this database").replace("%1", self._ctx.login)
        self.user_label = QLabel(who)
        self.user_label.setObjectName("userLabel")
        self.user_label.setToolTip(self.tr("Who you are, and your roles"))
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedLabel")
        for label in (self.counts_label, self.saved_label, self.user_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _show_counts(self, words: int, characters: int) -> None:
        self.counts_label.setText(
            self.tr("%1 words · %2 characters")
            .replace("%1", whole_number(words))
            .replace("%2", whole_number(characters))
        )

    def _show_saved_state(self, message: str) -> None:
        self.saved_label.setText(message)

    def _update_actions(self) -> None:
        has_item = self.panel.current_item_id() is not None
        # A read-only database is for reading only: exports record what they published.
        writable = not self._ctx.database.read_only
        writer = writable and bool(self.roles & WRITER_ROLES)
        reviewer = writable and bool(self.roles & REVIEWER_ROLES)
        status = self._summary.status if self._summary and has_item else None
        editing = has_item and writer
        a = self.actions_by_name
        a["new_item"].setEnabled(writer)
        self.importer.action.setEnabled(writer)
        for name in ("save", "undo", "redo", "bold", "italic", "heading", "link", "quote"):
            a[name].setEnabled(editing)
        for name in ("bullet_list", "numbered_list", "image"):
            a[name].setEnabled(editing)
        finder = getattr(self.panel, "find_bar", None)
        a["find"].setEnabled(has_item and finder is not None)
        a["replace"].setEnabled(editing and finder is not None)
        a["submit"].setEnabled(editing and status == "draft")
        a["approve"].setEnabled(has_item and reviewer and status == "in_review")
        a["request_changes"].setEnabled(has_item and reviewer and status == "in_review")
        a["history"].setEnabled(has_item)
        a["export"].setEnabled(writable and bool(self.roles & EXPORTER_ROLES))

    # -- slots -----------------------------------------------------------------------------

    def _on_editor(self, method: str, *args: object) -> None:
        editor = getattr(self.panel, "editor", None)
        function = getattr(editor, method, None)
        if self.panel.current_item_id() is not None and callable(function):
            function(*args)

    def _on_find(self, method: str) -> None:
        function = getattr(getattr(self.panel, "find_bar", None), method, None)
        if self.panel.current_item_id() is not None and callable(function):
            function()

    def _on_panel(self, method: str) -> None:
        if self.panel.current_item_id() is None:
            return
        try:
            getattr(self.panel, method)()
        except EditorError as error:
            self._show_error(self.tr("CSTO Editor"), error)
        self._update_actions()

    def _save_point(self) -> None:
        self._on_panel("save_point")

    def show_export_dialog(self) -> ExportDialog:
        """Open the export dialog; a finished export refreshes statuses in the list."""
        # The export service (Jinja2 templates, bundle writer) loads when first asked for.
        from csto_editor.ui.export_dialog import ExportDialog

        self.panel.flush()
        dialog = ExportDialog(self._ctx, self._settings, self)
        dialog.exported.connect(lambda _result: self.refresh_all())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def refresh_all(self) -> None:
        """Read the tree and the list again (after another process changed the database)."""
        self.changes_applied.emit(Changes(sections=True, item_list=True))

    def set_ui_language(self, language: str) -> None:
        """Show section names in English ("en") or Russian ("ru")."""
        self._settings.ui_language = language
        self.sections.set_language(language)
        for action in self.language_group.actions():
            action.setChecked(action.data() == language)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About CSTO Editor"),
            self.tr(
                "<b>CSTO Editor</b><br>Drafting, review and export of the web content of "
                "the Collective Security Treaty Organization's press office."
            ),
        )

    def _show_error(self, title: str, error: EditorError) -> None:
        QMessageBox.warning(self, title, str(error))

    # -- settings --------------------------------------------------------------------------

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main": self.splitter, "item": self.panel.splitter()}

    def save_settings(self) -> None:
        """Write geometry, splitters, the open item, the section, filters and language."""
        self.save_window_state(self._settings, self._splitters())
        current = self.panel.current_item_id()
        self._settings.last_item_id = current or 0
        self._settings.last_section = self.sections.current_section() or ""
        self.items.save_state(self._settings)
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.team_refresh is not None:
            self.team_refresh.stop()
        self.importer.wait()
        try:
            self.panel.flush()
        except EditorError as error:
            self._show_error(self.tr("Saving"), error)
        self.save_settings()
        super().closeEvent(event)


def _titled(title: str, widget: QWidget) -> QWidget:
    """A pane with a small heading above it."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(6, 6, 0, 0)
    layout.setSpacing(4)
    heading = QLabel(title.upper())
    heading.setObjectName("paneHeading")
    heading.setStyleSheet("color: #6b7380; font-weight: 600; letter-spacing: 1px; padding: 2px;")
    layout.addWidget(heading)
    layout.addWidget(widget, 1)
    return holder
