"""Every icon of the window, by qtawesome name, in one place; and the application icon.

The icons are glyphs of the Material Design Icons font (qtawesome's ``mdi6``), drawn
here straight from the font file in qtawesome's package data. Importing qtawesome
instead (it imports qtpy, which imports a dozen Qt modules, and loads ten fonts) took
0.3–0.5 s, a fifth of the window's start, and heap for fonts we never draw from. The
window's start still calls ``defer_icon_fonts`` so that its first paint draws icons
blank, then ``load_icon_fonts`` once it has painted (while Chromium loads the preview),
which repaints every window with its icons.
"""

from __future__ import annotations

import importlib.util
import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QWidget

from csto_editor.paths import resources_dir

log = logging.getLogger(__name__)

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


MDI_FONT_FILE = "materialdesignicons6-webfont-6.9.96.ttf"
MDI_CHARMAP_FILE = "materialdesignicons6-webfont-charmap-6.9.96.json"
"""The one font every icon is drawn from, shipped in qtawesome's package data."""
DISABLED_COLOR = "#b8bec7"
GLYPH_SCALE = 0.875
"""A glyph's pixel size as a share of the icon's height (qtawesome's own proportion)."""


@dataclass(frozen=True)
class _IconFont:
    family: str
    charmap: dict[str, int]
    """An icon's name without the ``mdi6.`` prefix -> its code point."""


_font: _IconFont | None = None
_font_failed = False
_deferred = False
_engines: list[QIconEngine] = []
"""Every engine made here: Qt owns them, Python must not collect them first."""


def defer_icon_fonts() -> None:
    """Until ``load_icon_fonts``, icons draw nothing instead of loading the font."""
    global _deferred
    _deferred = True


def load_icon_fonts() -> None:
    """Load the icons' font now, and repaint every window with its icons."""
    global _deferred
    _deferred = False
    if _icon_font() is None:
        return
    for window in QApplication.topLevelWidgets():
        for widget in (window, *window.findChildren(QWidget)):
            widget.update()


def icon_fonts_loaded() -> bool:
    """Whether the icons' font is loaded (icons draw)."""
    return _font is not None


def _qtawesome_fonts_dir() -> Path:
    """qtawesome's fonts folder, found without importing qtawesome: its package imports
    qtpy, a dozen Qt modules and loads ten fonts, where we draw from one."""
    spec = importlib.util.find_spec("qtawesome")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("qtawesome is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def _icon_font() -> _IconFont | None:
    """The Material Design Icons font, loaded on first use; None while deferred or if
    it cannot be loaded (icons then draw blank rather than stop the window)."""
    global _font, _font_failed
    if _font is None and not _deferred and not _font_failed:
        try:
            folder = _qtawesome_fonts_dir()
            data = (folder / MDI_FONT_FILE).read_bytes()
            charmap_text = (folder / MDI_CHARMAP_FILE).read_text(encoding="utf-8")
        except OSError:
            log.warning("the icons' font is missing; icons draw blank", exc_info=True)
            _font_failed = True
            return None
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("Qt could not load the icons' font; icons draw blank")
            _font_failed = True
            return None
        charmap = {name: int(code, 16) for name, code in json.loads(charmap_text).items()}
        _font = _IconFont(families[0], charmap)
    return _font


def _paint_glyph(
    painter: QPainter, rect: QRect, icon_name: str, color: str, scale_factor: float
) -> bool:
    """Draw one glyph of the icons' font centred in ``rect``; False if not loaded."""
    font = _icon_font()
    if font is None:
        return False
    code = font.charmap.get(icon_name.removeprefix("mdi6."))
    if code is None:
        return False
    qfont = QFont(font.family)
    qfont.setPixelSize(max(1, round(GLYPH_SCALE * rect.height() * scale_factor)))
    painter.save()
    painter.setFont(qfont)
    painter.setPen(QColor(color))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, chr(code))
    painter.restore()
    return True


class _FontIconEngine(QIconEngine):
    """Draws one glyph of the icons' font; nothing while the font is deferred."""

    def __init__(self, font_name: str, color: str, scale_factor: float = 1.0) -> None:
        super().__init__()
        self._font_name = font_name
        self._color = color
        self._scale_factor = scale_factor
        _engines.append(self)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        color = DISABLED_COLOR if mode == QIcon.Mode.Disabled else self._color
        _paint_glyph(painter, rect, self._font_name, color, self._scale_factor)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        result = QPixmap(size)
        result.fill(Qt.GlobalColor.transparent)
        if _icon_font() is not None:
            painter = QPainter(result)
            self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
            painter.end()
        return result

    def clone(self) -> QIconEngine:
        return _FontIconEngine(self._font_name, self._color, self._scale_factor)


@cache
def icon(name: str, color: str = ICON_COLOR) -> QIcon:
    """The icon we call ``name`` (see ICONS); needs a QApplication."""
    return QIcon(_FontIconEngine(ICONS[name], color))


@cache
def status_icon(state: str) -> QIcon:
    """A small coloured dot for a workflow state."""
    colour = STATUS_COLORS.get(state, ICON_COLOR)
    return QIcon(_FontIconEngine(ICONS["status"], colour, scale_factor=0.55))


APP_ICON_FILE = "icons/csto-editor.svg"
"""The application icon in ``resources/``; packaging/ renders it to PNG, ICO and ICNS."""
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


@cache
def app_icon() -> QIcon:
    """The window icon: a page, a pen and a starred shield in the emblem's blue, drawn
    from the SVG at each size; the font's newspaper on blue if the file is missing."""
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
    glyph_rect = QRect(margin, margin, size - 2 * margin, size - 2 * margin)
    _paint_glyph(painter, glyph_rect, ICONS["app"], "#ffffff", 1.0)
