"""Every icon of the window, by qtawesome name, in one place; and the application icon.

Importing qtawesome (it imports qtpy, which imports a dozen Qt modules) and loading its
fonts takes 0.3–0.5 s, a fifth of the window's start. The icons handed out here draw
through ``_FontIconEngine``, which loads qtawesome when an icon is first drawn; the
window's start calls ``defer_icon_fonts`` so that its first paint draws them blank, then
``load_icon_fonts`` once it has painted (while Chromium loads the preview), which
repaints every window with its icons.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any, cast

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from csto_editor.paths import resources_dir

ICON_COLOR = "#3b4656"
ACCENT_COLOR = "#1f4e8c"
"""The deep blue of the CSTO's emblem: the app icon and a few accents."""

ICONS: dict[str, str] = {
    "new_item": "mdi6.file-document-plus-outline",
    "save": "mdi6.content-save-outline",
    "undo": "mdi6.undo",
    "redo": "mdi6.redo",
    "bold": "mdi6.format-bold",
    "italic": "mdi6.format-italic",
    "heading": "mdi6.format-header-2",
    "link": "mdi6.link-variant",
    "quote": "mdi6.format-quote-close",
    "bullet_list": "mdi6.format-list-bulleted",
    "numbered_list": "mdi6.format-list-numbered",
    "image": "mdi6.image-plus-outline",
    "find": "mdi6.magnify",
    "replace": "mdi6.find-replace",
    "submit": "mdi6.send-outline",
    "approve": "mdi6.check-decagram-outline",
    "request_changes": "mdi6.comment-edit-outline",
    "history": "mdi6.history",
    "export": "mdi6.export-variant",
    "import": "mdi6.file-import-outline",
    "quit": "mdi6.exit-to-app",
    "refresh": "mdi6.refresh",
    "language": "mdi6.translate",
    "about": "mdi6.information-outline",
    "user": "mdi6.account-circle-outline",
    "saved": "mdi6.content-save-check-outline",
    "section": "mdi6.folder-outline",
    "section_open": "mdi6.folder-open-outline",
    "all_sections": "mdi6.folder-multiple-outline",
    "new_section": "mdi6.folder-plus-outline",
    "rename": "mdi6.rename-outline",
    "delete": "mdi6.delete-outline",
    "search": "mdi6.magnify",
    "awaiting_review": "mdi6.account-check-outline",
    "status": "mdi6.circle",
    "app": "mdi6.newspaper-variant-outline",
    "calendar": "mdi6.calendar-month-outline",
    "previous_match": "mdi6.chevron-up",
    "next_match": "mdi6.chevron-down",
    "close": "mdi6.close",
}
"""Our name for an icon -> its qtawesome name."""

STATUS_COLORS: dict[str, str] = {
    "draft": "#8a94a3",
    "in_review": "#d08a10",
    "changes_requested": "#c2412d",
    "approved": "#2f8a4c",
    "published": "#1f4e8c",
    "withdrawn": "#5b5f66",
}
"""A workflow state's colour in the list (a dot before the status)."""


_qtawesome: ModuleType | None = None
_deferred = False
_engines: list[QIconEngine] = []
"""Every engine made here: Qt owns them, Python must not collect them first."""


def defer_icon_fonts() -> None:
    """Until ``load_icon_fonts``, icons draw nothing instead of loading qtawesome."""
    global _deferred
    _deferred = True


def load_icon_fonts() -> None:
    """Load qtawesome and its fonts now, and repaint every window with its icons."""
    global _deferred
    _deferred = False
    if _icon_fonts() is None:
        return
    for window in QApplication.topLevelWidgets():
        for widget in (window, *window.findChildren(QWidget)):
            widget.update()


def icon_fonts_loaded() -> bool:
    """Whether qtawesome and its fonts are loaded (icons draw)."""
    return _qtawesome is not None


def _icon_fonts() -> ModuleType | None:
    """qtawesome, imported on first use; None while deferred."""
    global _qtawesome
    if _qtawesome is None and not _deferred:
        import qtawesome  # a plain import, so that PyInstaller bundles it

        _qtawesome = qtawesome
    return _qtawesome


class _FontIconEngine(QIconEngine):
    """Draws one qtawesome icon, made on first use; nothing while the fonts are deferred."""

    def __init__(self, font_name: str, options: dict[str, Any]) -> None:
        super().__init__()
        self._font_name = font_name
        self._options = options
        self._icon: QIcon | None = None
        _engines.append(self)

    def _loaded(self) -> QIcon | None:
        if self._icon is None:
            fonts = _icon_fonts()
            if fonts is not None:
                self._icon = cast(QIcon, fonts.icon(self._font_name, **self._options))
        return self._icon

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        loaded = self._loaded()
        if loaded is not None:
            loaded.paint(painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        loaded = self._loaded()
        if loaded is not None:
            return loaded.pixmap(size, mode, state)
        blank = QPixmap(size)
        blank.fill(Qt.GlobalColor.transparent)
        return blank

    def clone(self) -> QIconEngine:
        return _FontIconEngine(self._font_name, self._options)


@cache
def icon(name: str, color: str = ICON_COLOR) -> QIcon:
    """The icon we call ``name`` (see ICONS); needs a QApplication."""
    return QIcon(_FontIconEngine(ICONS[name], {"color": color, "color_disabled": "#b8bec7"}))


@cache
def status_icon(state: str) -> QIcon:
    """A small coloured dot for a workflow state."""
    colour = STATUS_COLORS.get(state, ICON_COLOR)
    return QIcon(_FontIconEngine(ICONS["status"], {"color": colour, "scale_factor": 0.55}))


APP_ICON_FILE = "icons/csto-editor.svg"
"""The application icon in ``resources/``; packaging/ renders it to PNG, ICO and ICNS."""
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


@cache
def app_icon() -> QIcon:
    """The window icon: a page, a pen and a starred shield in the emblem's blue, drawn
    from the SVG at each size; qtawesome's newspaper on blue if the file is missing."""
    renderer = QSvgRenderer(str(resources_dir() / APP_ICON_FILE))
    result = QIcon()
    for size in APP_ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if renderer.isValid():
            renderer.render(painter)
        else:
            _paint_fallback_icon(painter, size)
        painter.end()
        result.addPixmap(pixmap)
    return result


def _paint_fallback_icon(painter: QPainter, size: int) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(ACCENT_COLOR))
    radius = size * 0.2
    painter.drawRoundedRect(QRectF(0, 0, size, size), radius, radius)
    margin = round(size * 0.16)
    glyph = _qtawesome_now().icon(ICONS["app"], color="#ffffff")
    glyph.paint(painter, margin, margin, size - 2 * margin, size - 2 * margin)


def _qtawesome_now() -> ModuleType:
    """qtawesome, imported now whatever is deferred (the application icon)."""
    import qtawesome

    return qtawesome
