"""The installed `csto-editor` script in a subprocess: real exit codes, one-line errors.

Slow (a Python start-up each): the rest of the suite runs the command line in-process.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Result, Runner, assert_one_error_line, console_script, sha256_of

# About SQLite files themselves: file checks, fingerprints, copies of a file.
pytestmark = pytest.mark.sqlite_only

Script = Callable[..., Result]


def test_script_success_and_json(script: Script, tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite3")
    init = script("--db", db, "--user", "chief", "init", "--demo", "--json")
    assert init.code == 0, init.err
    assert init.err == ""
    assert json.loads(init.out)["demo_items"] > 0
    listed = script("--db", db, "--user", "chief", "list", "--json")
    assert listed.code == 0, listed.err
    items = json.loads(listed.out)
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in item["title"]) for item in items)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("frobnicate",), 2),
        (("list", "--status", "finished"), 2),
        (("show", "not-a-number"), 2),
        (("show", "999"), 4),
        (("approve", "1"), 3),
    ],
    ids=["unknown-command", "bad-status", "bad-id", "no-item", "refused"],
)
def test_script_errors(
    script: Script, cli: Runner, world: Path, new_item: Callable[..., int], args: tuple[str, ...],
    code: int,
) -> None:  # fmt: skip
    item = new_item()
    cli("submit", str(item), user="anna").assert_ok()
    before = sha256_of(world)
    result = script("--db", str(world), "--user", "anna", *args)
    assert result.code == code, result.err
    assert result.out == ""
    assert_one_error_line(result.err)
    assert sha256_of(world) == before


def test_script_on_unusable_files(script: Script, world: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.sqlite3"
    text.write_text("Minutes of the meeting.\n" * 100, encoding="utf-8")
    connection = sqlite3.connect(world)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    missing = tmp_path / "missing.sqlite3"
    for path, command, code, fragment in (
        (text, "init", 2, "not a SQLite database"),
        (world, "init", 1, "newer"),
        (tmp_path, "init", 2, "folder"),
        (missing, "list", 4, "init"),
    ):
        before = sha256_of(path) if path.is_file() else None
        result = script("--db", str(path), "--user", "admin", command)
        assert result.code == code, (path, result.err)
        assert result.out == ""
        assert_one_error_line(result.err)
        assert fragment in result.err
        if before is not None:
            assert sha256_of(path) == before
    assert not missing.exists()


def test_json_survives_a_non_utf8_stdout(
    cli: Runner, world: Path, new_item: Callable[..., int]
) -> None:
    title = "Семинар 🎉 בירושלים"
    new_item(title, lang="ru")
    completed = subprocess.run(
        [console_script(), "--db", str(world), "--user", "anna", "list", "--json"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "cp1251"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    try:
        text = completed.stdout.decode("utf-8")
    except UnicodeDecodeError:
        text = completed.stdout.decode("cp1251")
    assert [item["title"] for item in json.loads(text)] == [title]
