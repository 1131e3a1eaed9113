"""Output must follow sys.stdout, so that in-process callers (tests, tools) can capture it.

These tests call main() directly, not through the ``cli`` fixture. (A regression test:
cli_format once bound ``out=sys.stdout`` at import time, so tables and --json documents
ignored a later sys.stdout such as capsys or contextlib.redirect_stdout.)
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from cli_helpers import Runner

from csto_editor.cli import main


def _run(db: Path, *args: str) -> tuple[int, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--db", str(db), "--user", "admin", *args])
    return code, buffer.getvalue()


def test_init_output_goes_to_the_current_stdout(tmp_path: Path) -> None:
    code, out = _run(tmp_path / "x.sqlite3", "init")
    assert code == 0
    assert "admin is the administrator" in out


@pytest.mark.parametrize(
    "args",
    [
        ("user", "list"),
        ("user", "list", "--json"),
        ("list",),
        ("list", "--json"),
        ("history", "1", "--json"),
        ("check", "--json"),
    ],
)
def test_listing_output_goes_to_the_current_stdout(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "x.sqlite3"
    assert _run(db, "init", "--demo")[0] == 0
    code, out = _run(db, *args)
    assert code in (0, 1)  # check exits 1 when it finds errors
    assert len(out.strip()) > 20


def test_the_cli_fixture_captures_tables_and_json(cli: Runner, world: Path) -> None:
    assert "anna" in cli("user", "list").assert_ok().out
    assert any(user["login"] == "anna" for user in cli("user", "list", "--json").json())
