"""`csto-editor gui` as a process: start-up, --open, --exit-when-ready, and errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def csto_editor(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("csto-editor")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "csto_editor"]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=90, env=environment
    )


def test_the_window_opens_an_item_and_exits_when_ready(demo_db: Path) -> None:
    result = csto_editor(
        "--db", str(demo_db), "--user", "ivanova", "gui", "--open", "1", "--exit-when-ready"
    )
    assert result.returncode == 0, result.stderr
    assert "error:" not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_item_that_does_not_exist_is_one_error_line(demo_db: Path) -> None:
    result = csto_editor(
        "--db", str(demo_db), "--user", "ivanova", "gui", "--open", "999", "--exit-when-ready"
    )
    assert result.returncode == 4, result.stderr
    assert "error: no item 999" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_database_is_reported_before_any_window(tmp_path: Path) -> None:
    result = csto_editor("--db", str(tmp_path / "none.sqlite3"), "gui", "--exit-when-ready")
    assert result.returncode == 4
    assert result.stderr.startswith("error: no database at")
    assert "Traceback" not in result.stderr
