"""The installers' pieces: desktop entry, AppStream metainfo, icons, the Inno Setup
script, and the built one-folder application started offscreen on a demo database.

The built folder comes from `make package` (CI runs it first and sets
CSTO_REQUIRE_PACKAGE=1, so a missing or broken build fails instead of skipping)."""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / "linux" / "csto-editor.desktop"
METAINFO = PACKAGING / "linux" / "org.csto.Editor.metainfo.xml"
BUILT = ROOT / "dist" / "csto-editor"
EXECUTABLE = BUILT / "csto-editor"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_starts_the_window_with_our_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[:2] == ["csto-editor", "gui"]
    assert entry["Icon"] == "csto-editor"
    assert entry["Name[ru]"] == "Редактор ОДКБ"
    assert "Office" in entry["Categories"].split(";")
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(DESKTOP_FILE)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_the_metainfo_names_the_desktop_entry_and_validates() -> None:
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == "org.csto.Editor"
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("provides/binary") == "csto-editor"
    validator = shutil.which("appstreamcli")
    if validator:
        result = subprocess.run(
            [validator, "validate", "--no-net", "--no-color", str(METAINFO)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_icon_is_rendered_at_every_size() -> None:
    for size in PNG_SIZES:
        with Image.open(PACKAGING / "icons" / f"csto-editor-{size}.png") as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"
    with Image.open(PACKAGING / "icons" / "csto-editor.ico") as ico:
        assert (256, 256) in ico.info["sizes"]
    assert (PACKAGING / "icons" / "csto-editor.icns").stat().st_size > 0


def test_the_windows_installer_takes_the_folder_the_spec_builds() -> None:
    script = (PACKAGING / "windows" / "csto-editor.iss").read_text(encoding="utf-8")
    spec = (PACKAGING / "csto-editor.spec").read_text(encoding="utf-8")
    assert 'name="csto-editor"' in spec
    assert re.search(r'Source: "\{#Root\}\\dist\\csto-editor\\\*"', script)
    icon = re.search(r"SetupIconFile=\{#Root\}\\(.+)", script)
    assert icon is not None
    assert (ROOT / icon.group(1).strip().replace("\\", "/")).is_file()
    assert "compiler:Languages\\Russian.isl" in script


def built_application() -> Path:
    if not EXECUTABLE.exists():
        if os.environ.get("CSTO_REQUIRE_PACKAGE"):
            pytest.fail(f"{EXECUTABLE} is missing: `make package` did not build it")
        pytest.skip("no dist/csto-editor: run `make package` first")
    return EXECUTABLE


def test_the_built_folder_holds_resources_translations_migrations_and_webengine() -> None:
    built_application()
    inside = BUILT / "_internal"
    assert (inside / "resources" / "i18n" / "csto_editor_ru.qm").is_file()
    assert (inside / "resources" / "templates" / "item.html").is_file()
    assert (inside / "resources" / "icons" / "csto-editor.svg").is_file()
    migrations = inside / "csto_editor" / "store" / "migrations"
    assert (migrations / "script.py.mako").is_file()
    assert (migrations / "env.py").is_file()
    assert sorted(p.name for p in (migrations / "versions").glob("0001_*.py"))
    assert list(inside.rglob("QtWebEngineProcess*")), "QtWebEngine's helper process"
    assert list(inside.rglob("qtwebengine_resources.pak"))


@pytest.mark.slow
def test_the_built_application_starts_offscreen_in_russian(tmp_path: Path) -> None:
    executable = built_application()
    config = tmp_path / "config" / "csto-editor"
    config.mkdir(parents=True)
    (config / "csto-editor.ini").write_text("[ui]\ninterface_language=ru\n", encoding="utf-8")
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "CSTO_EDITOR_DB": str(tmp_path / "demo.sqlite3"),
        "CSTO_EDITOR_USER": "admin",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(executable), *args], capture_output=True, text=True, timeout=120, env=environment
        )

    created = run("init", "--demo")
    assert created.returncode == 0, created.stderr
    assert "12 demo items" in created.stdout
    started = run("gui", "--open", "2", "--exit-when-ready")
    assert started.returncode == 0, started.stderr
    assert "Traceback" not in started.stderr
    assert "QTextBrowser" not in started.stderr, "the preview fell back: QtWebEngine is broken"
    listed = run("list", "--lang", "ru", "--json")
    assert listed.returncode == 0 and '"lang": "ru"' in listed.stdout
