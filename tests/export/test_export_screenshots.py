"""Exported pages as a browser shows them: headless Chromium screenshots, read back as images."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions

HEADER_BLUE = (31, 78, 140)


def chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CSTO_REQUIRE_CHROMIUM"):
        pytest.fail("headless Chromium is required here (Debian package chromium)")
    return found


def screenshot(browser: str, page: Path, png: Path, profile: Path, height: int = 1400) -> None:
    subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
            f"--window-size=1280,{height}", f"--screenshot={png}", page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )  # fmt: skip


def test_item_pages_and_section_indexes_in_both_languages(
    demo: Callable[[str], ServiceContext], tmp_path: Path
) -> None:
    browser = chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian package chromium)")
    out = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(out)))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    statement = {i["lang"]: i["path"] for i in manifest["items"] if i["section"] == "interviews"}
    pages = {
        "item-en": out / statement["en"],
        "item-ru": out / statement["ru"],
        "section-en": out / "en" / "news" / "index.html",
        "section-ru": out / "ru" / "news" / "index.html",
    }
    keep = os.environ.get("CSTO_EDITOR_SCREENSHOT_DIR")
    for name, page in pages.items():
        png = tmp_path / f"{name}.png"
        screenshot(browser, page, png, tmp_path / "profile")
        with Image.open(png) as image:
            rgb = image.convert("RGB")
            assert rgb.size == (1280, 1400)
            assert rgb.getpixel((5, 5)) == HEADER_BLUE, f"{name}: the stylesheet did not load"
            colours = rgb.getcolors(maxcolors=1_000_000) or []
            assert len(colours) > 50, f"{name}: the page looks empty"
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(png, Path(keep) / png.name)
