"""The program's entry point: the console script still answers --help and --version, and
the collector is paused only for the window's start."""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from csto_editor import __version__
from csto_editor.entry import starts_the_window

ROOT = Path(__file__).resolve().parents[2]


def test_the_console_script_is_the_entry_module() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["csto-editor"] == "csto_editor.entry:main_exit"


@pytest.mark.parametrize(
    ("args", "expected"), [(("--help",), "usage: csto-editor"), (("--version",), __version__)]
)
def test_the_entry_point_answers_help_and_version(args: tuple[str, ...], expected: str) -> None:
    installed = shutil.which("csto-editor", path=str(Path(sys.executable).parent))
    commands = [[sys.executable, "-m", "csto_editor", *args]]
    if installed is not None:
        commands.append([installed, *args])
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout


def test_only_the_window_pauses_the_collector() -> None:
    assert starts_the_window([])
    assert starts_the_window(["--db", "x.sqlite3", "gui", "--open", "3"])
    assert not starts_the_window(["--db", "x.sqlite3", "list", "--json"])


def test_the_collector_is_paused_only_while_the_window_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import csto_editor.cli
    from csto_editor.entry import main

    enabled_while_running: list[bool] = []

    def record(arguments: list[str]) -> int:
        enabled_while_running.append(gc.isenabled())
        return 0

    monkeypatch.setattr(csto_editor.cli, "main", record)
    assert main(["--db", "x.sqlite3", "list"]) == 0
    assert main(["gui", "--exit-when-ready"]) == 0
    assert enabled_while_running == [True, False]
    assert gc.isenabled()


def test_freezing_the_start_up_objects_turns_the_collector_back_on() -> None:
    from csto_editor.ui.main import freeze_long_lived_objects

    gc.disable()
    try:
        freeze_long_lived_objects()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
