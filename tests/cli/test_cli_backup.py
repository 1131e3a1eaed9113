"""backup: a consistent copy, as a SQLite file or a zip holding it."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Runner, sha256_of

# Backups are consistent copies of a SQLite file (and its assets folder).
pytestmark = pytest.mark.sqlite_only

NewItem = Callable[..., int]


def _open_copy(path: Path) -> tuple[int, str, list[str]]:
    """Items, integrity check and titles of a database copy."""
    connection = sqlite3.connect(path)
    try:
        items = connection.execute("SELECT count(*) FROM items").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        titles = [row[0] for row in connection.execute("SELECT title FROM items ORDER BY id")]
    finally:
        connection.close()
    return items, integrity, titles


@pytest.fixture
def two_items(cli: Runner, world: Path, new_item: NewItem) -> list[int]:
    return [new_item("First item"), new_item("Второй материал", lang="ru")]


def test_backup_to_a_sqlite_file(
    cli: Runner, run_cli: Runner, world: Path, two_items: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "backups" / "copy.sqlite3"
    out.parent.mkdir()
    result = cli("backup", "--out", str(out), "--json", user="anna").assert_ok().json()
    assert result["path"] == str(out)
    assert result["size"] == out.stat().st_size > 0
    assert _open_copy(out) == (2, "ok", ["First item", "Второй материал"])
    # nothing else left in the folder (no temporary files)
    assert [path.name for path in out.parent.iterdir()] == ["copy.sqlite3"]
    # the copy is a database the app itself opens
    listed = run_cli(out, "admin", "list", "--json").assert_ok().json()
    assert len(listed) == 2


def test_backup_to_a_zip(cli: Runner, world: Path, two_items: list[int], tmp_path: Path) -> None:
    out = tmp_path / "copy.zip"
    assert "backup written" in cli("backup", "--out", str(out)).assert_ok().out
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        databases = [name for name in archive.namelist() if name.endswith(".sqlite3")]
        assert len(databases) == 1
        extracted = Path(archive.extract(databases[0], tmp_path / "unzipped"))
    assert _open_copy(extracted) == (2, "ok", ["First item", "Второй материал"])


def test_backup_replaces_an_older_backup(
    cli: Runner, world: Path, two_items: list[int], tmp_path: Path
) -> None:
    out = tmp_path / "copy.sqlite3"
    out.write_bytes(b"an old backup")
    cli("backup", "--out", str(out)).assert_ok()
    assert _open_copy(out)[0] == 2


def test_backup_refusals(cli: Runner, world: Path, two_items: list[int], tmp_path: Path) -> None:
    before = sha256_of(world)
    cli("backup", "--out", str(tmp_path)).assert_error(2, "folder")
    cli("backup", "--out", str(tmp_path / "no" / "such" / "copy.sqlite3")).assert_error(2)
    cli("backup", "--out", str(world)).assert_error(2, "database itself")
    cli("backup").assert_error(2, "--out")
    cli("backup", "--out", str(tmp_path / "ghost.sqlite3"), user="ghost").assert_error(3)
    assert not (tmp_path / "ghost.sqlite3").exists()
    assert sha256_of(world) == before
