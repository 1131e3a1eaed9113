"""The main window's actions, and the menus and tool bar that hold them.

Each action is made once, by name, with its text, shortcut, icon and tips; the menus
and the tool bar then place them by name. What an action does is the window's: it
passes its slots in as ``ActionSlots``. Which actions are enabled stays with the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QToolButton

from csto_editor.ui.icons import icon

translate = QCoreApplication.translate


@dataclass(frozen=True)
class ActionSlots:
    """What the window does when one of its actions is triggered."""

    new_item: Callable[[], object]
    save_point: Callable[[], object]
    on_editor: Callable[..., object]
    """Calls a method of the open item's editor, by name, with its arguments."""
    on_panel: Callable[[str], object]
    """Calls a method of the item panel, by name."""
    on_find: Callable[[str], object]
    """Calls a method of the find bar, by name."""
    export: Callable[[], object]
    quit: Callable[[], object]
    refresh: Callable[[], object]
    about: Callable[[], object]
    set_ui_language: Callable[[str], object]


def _action(
    window: QMainWindow,
    actions_by_name: dict[str, QAction],
    name: str,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    icon_name: str | None = None,
) -> QAction:
    action = QAction(icon(icon_name or name), text, window)
    action.setObjectName(f"action_{name}")
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    plain = text.replace("&", "").replace("…", "")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{plain} ({keys})" if keys else plain)
    action.setStatusTip(plain)
    action.triggered.connect(lambda _checked=False: slot())
    actions_by_name[name] = action
    return action


def create_actions(
    window: QMainWindow, slots: ActionSlots, ui_language: str
) -> tuple[dict[str, QAction], QActionGroup]:
    """The window's actions by name, and the group choosing the language of section names."""
    actions_by_name: dict[str, QAction] = {}
    editor = slots.on_editor

    def add(
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> None:
        _action(window, actions_by_name, name, text, slot, shortcut)

    add(
        "new_item",
        translate("MainWindow", "&New item"),
        slots.new_item,
        QKeySequence.StandardKey.New,
    )
    add(
        "save",
        translate("MainWindow", "&Save point"),
        slots.save_point,
        QKeySequence.StandardKey.Save,
    )
    add(
        "undo",
        translate("MainWindow", "&Undo"),
        lambda: editor("undo"),
        QKeySequence.StandardKey.Undo,
    )
    add(
        "redo",
        translate("MainWindow", "&Redo"),
        lambda: editor("redo"),
        QKeySequence.StandardKey.Redo,
    )
    add("bold", translate("MainWindow", "&Bold"), lambda: editor("toggle_bold"), "Ctrl+B")
    add("italic", translate("MainWindow", "&Italic"), lambda: editor("toggle_italic"), "Ctrl+I")
    add(
        "heading",
        translate("MainWindow", "&Heading"),
        lambda: editor("make_heading", 2),
        "Ctrl+Alt+2",
    )
    add("link", translate("MainWindow", "&Link…"), lambda: editor("insert_link"), "Ctrl+K")
    add("quote", translate("MainWindow", "&Quote"), lambda: editor("toggle_quote"), "Ctrl+Shift+.")
    add(
        "bullet_list",
        translate("MainWindow", "B&ullet list"),
        lambda: editor("toggle_bullet_list"),
        "Ctrl+Shift+8",
    )
    add(
        "numbered_list",
        translate("MainWindow", "N&umbered list"),
        lambda: editor("toggle_numbered_list"),
        "Ctrl+Shift+7",
    )
    add(
        "image",
        translate("MainWindow", "Insert &image…"),
        lambda: slots.on_panel("insert_image"),
        "Ctrl+Shift+I",
    )
    add("find", translate("MainWindow", "&Find…"), lambda: slots.on_find("show_find"), "Ctrl+F")
    add(
        "replace",
        translate("MainWindow", "R&eplace…"),
        lambda: slots.on_find("show_replace"),
        "Ctrl+H",
    )
    add("submit", translate("MainWindow", "Su&bmit for review"), lambda: slots.on_panel("submit"))
    add("approve", translate("MainWindow", "&Approve"), lambda: slots.on_panel("approve"))
    add(
        "request_changes",
        translate("MainWindow", "Request &changes…"),
        lambda: slots.on_panel("request_changes"),
    )
    add(
        "history",
        translate("MainWindow", "&History…"),
        lambda: slots.on_panel("show_history"),
        "Ctrl+Y",
    )
    add("export", translate("MainWindow", "&Export…"), slots.export, "Ctrl+E")
    add("quit", translate("MainWindow", "&Quit"), slots.quit, QKeySequence.StandardKey.Quit)
    add(
        "refresh",
        translate("MainWindow", "&Refresh"),
        slots.refresh,
        QKeySequence.StandardKey.Refresh,
    )
    add("about", translate("MainWindow", "&About CSTO Editor"), slots.about)

    language_group = QActionGroup(window)
    language_group.setExclusive(True)
    for code, text in (
        ("en", translate("MainWindow", "&English")),
        ("ru", translate("MainWindow", "&Russian (Русский)")),
    ):
        action = QAction(text, window, checkable=True)
        action.setObjectName(f"action_language_{code}")
        action.setData(code)
        action.setChecked(code == ui_language)
        action.triggered.connect(lambda _checked=False, c=code: slots.set_ui_language(c))
        language_group.addAction(action)
    return actions_by_name, language_group


def create_menus(
    window: QMainWindow, actions_by_name: dict[str, QAction], language_group: QActionGroup
) -> QMenu:
    """The window's menu bar; returns the View menu (the tool bar's toggle goes in it)."""
    menus = window.menuBar()
    a = actions_by_name
    groups: list[tuple[str, list[str | None]]] = [
        (
            translate("MainWindow", "&File"),
            ["new_item", "save", None, "export", None, "quit"],
        ),
        (translate("MainWindow", "&Edit"), ["undo", "redo", None, "find", "replace"]),
        (
            translate("MainWindow", "F&ormat"),
            [
                *("bold", "italic", "heading", "link", None),
                *("quote", "bullet_list", "numbered_list", None, "image"),
            ],
        ),
        (
            translate("MainWindow", "&Item"),
            ["submit", "approve", "request_changes", None, "history"],
        ),
    ]
    for title, names in groups:
        menu = menus.addMenu(title)
        menu.setToolTipsVisible(True)
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(a[name])
    view = menus.addMenu(translate("MainWindow", "&View"))
    names_menu = view.addMenu(icon("language"), translate("MainWindow", "&Section names"))
    names_menu.addActions(language_group.actions())
    view.addSeparator()
    view.addAction(a["refresh"])
    help_menu = menus.addMenu(translate("MainWindow", "&Help"))
    help_menu.addAction(a["about"])
    return view


def create_tool_bar(
    window: QMainWindow, actions_by_name: dict[str, QAction], view_menu: QMenu
) -> QToolBar:
    """The window's tool bar, with its toggle at the top of the View menu."""
    bar = QToolBar(translate("MainWindow", "Main tool bar"))
    bar.setObjectName("mainToolBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.setIconSize(QSize(20, 20))
    a = actions_by_name
    layout: list[str | None] = [
        "new_item",
        "save",
        None,
        "undo",
        "redo",
        None,
        "bold",
        "italic",
        "heading",
        "link",
        "quote",
        "bullet_list",
        "numbered_list",
        "image",
        None,
        "find",
        None,
        "submit",
        "approve",
        "request_changes",
        "history",
        None,
        "export",
    ]
    for name in layout:
        if name is None:
            bar.addSeparator()
            continue
        bar.addAction(a[name])
        if name in ("new_item", "submit", "approve", "request_changes"):
            button = bar.widgetForAction(a[name])
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    view_menu.insertAction(view_menu.actions()[0], bar.toggleViewAction())
    return bar
