"""One icon family for every action, and the application icon drawn from its SVG."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from csto_editor.paths import resources_dir
from csto_editor.ui.icons import APP_ICON_FILE, ICONS, app_icon, icon

UI_SOURCES = Path(__file__).resolve().parents[2] / "csto_editor" / "ui"


def test_every_icon_is_from_one_family_and_draws(qapp: QApplication) -> None:
    assert {name.split(".")[0] for name in ICONS.values()} == {"mdi6"}
    for name in ICONS:
        assert not icon(name).pixmap(24, 24).isNull(), name


def test_icons_are_chosen_only_in_the_icons_module() -> None:
    elsewhere = re.compile(r"qta\.icon\(|qtawesome|standardIcon\(|QIcon\.fromTheme\(")
    offenders = [
        str(path.relative_to(UI_SOURCES))
        for path in UI_SOURCES.rglob("*.py")
        if path.name != "icons.py" and elsewhere.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_the_application_icon_is_the_svg_in_the_emblem_blue(qapp: QApplication) -> None:
    assert (resources_dir() / APP_ICON_FILE).is_file()
    application_icon = app_icon()
    sizes = {size.width() for size in application_icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    image = application_icon.pixmap(256, 256).toImage()
    corner_inside = QColor(image.pixel(30, 128))  # the blue ground left of the page
    assert corner_inside.blue() > 120 and corner_inside.red() < 80
    page = QColor(image.pixel(128, 200))
    assert page.lightness() > 200  # the white page


def test_the_icons_module_draws_without_importing_qtawesome_or_qtpy() -> None:
    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from csto_editor.ui import icons\n"
        "icons.icon('save').pixmap(24, 24)\n"
        "assert icons.icon_fonts_loaded()\n"
        "roots = {name.split('.')[0] for name in sys.modules}\n"
        "print(sorted(roots & {'qtawesome', 'qtpy'}))\n"
    )
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_an_icon_draws_pixels_of_its_colour(qapp: QApplication) -> None:
    image = icon("save", color="#ff0000").pixmap(32, 32).toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(32)
        for y in range(32)
        if image.pixelColor(x, y).alpha() == 255
    }
    assert "#ff0000" in colours
