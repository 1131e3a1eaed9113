"""Render the application icon (resources/icons/csto-editor.svg) into the PNG sizes the
Linux desktop wants, a Windows .ico and a macOS .icns, in packaging/icons/.

Run by `make icons`; the results are committed, so a build needs no SVG renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "csto-editor.svg"
OUTPUT = ROOT / "packaging" / "icons"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int, target: Path) -> None:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise OSError(f"cannot write {target}")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _application = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        sys.stderr.write(f"error: {SOURCE} is not a valid SVG\n")
        return 1
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        render(renderer, size, OUTPUT / f"csto-editor-{size}.png")
    largest = Image.open(OUTPUT / f"csto-editor-{PNG_SIZES[-1]}.png")
    largest.save(OUTPUT / "csto-editor.ico", sizes=[(s, s) for s in ICO_SIZES])
    largest.save(OUTPUT / "csto-editor.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
