"""Unusable database files: one `error:` line, a non-zero exit, and the file untouched."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_helpers import Result, Runner, sha256_of

from csto_editor.cli import main

# About SQLite files themselves: file checks, fingerprints, copies of a file.
pytestmark = pytest.mark.sqlite_only

# Commands that read, write, and create: each must leave a bad file alone.
COMMANDS: list[tuple[str, ...]] = [
    ("list", "--json"),
    ("user", "add", "olga", "--name", "Olga", "--role", "author"),
    ("init",),
    ("init", "--demo"),
]
COMMAND_IDS = ["list", "user-add", "init", "init-demo"]


def _untouched(run: Callable[[], Result], path: Path, code: int, *fragments: str) -> Result:
    """Run, expect ``code`` and one error line, and prove ``path`` did not change."""
    before = sha256_of(path) if path.is_file() else None
    mode = path.stat().st_mode
    result = run()
    result.assert_error(code, *fragments)
    assert result.out == ""
    if before is not None:
        assert sha256_of(path) == before
    assert path.stat().st_mode == mode
    return result


def _no_side_files(path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        assert not Path(f"{path}{suffix}").exists(), suffix


# --------------------------------------------------------------------------------------
# missing database


@pytest.mark.parametrize(
    "args",
    [("list",), ("show", "1"), ("user", "list"), ("section", "list"), ("check",), ("submit", "1")],
)
def test_a_missing_database_is_not_found_and_not_created(
    run_cli: Runner, tmp_path: Path, args: tuple[str, ...]
) -> None:
    target = tmp_path / "missing.sqlite3"
    run_cli(target, "admin", *args).assert_error(4, "init")
    assert not target.exists()
    _no_side_files(target)


def test_an_empty_file_is_not_found_and_stays_empty(run_cli: Runner, tmp_path: Path) -> None:
    target = tmp_path / "empty.sqlite3"
    target.touch()
    _untouched(lambda: run_cli(target, "admin", "list"), target, 4)
    assert target.stat().st_size == 0


# --------------------------------------------------------------------------------------
# unusable files


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_a_folder(run_cli: Runner, tmp_path: Path, args: tuple[str, ...]) -> None:
    folder = tmp_path / "folder.sqlite3"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep")
    _untouched(lambda: run_cli(folder, "admin", *args), folder, 2, "folder")
    assert [path.name for path in folder.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize(
    "content",
    [
        b"These are the minutes of the meeting.\n" * 200,
        b"SQLite format 3",  # shorter than a header
        b"\x00" * 4096,
        "Заявление министров\n".encode() * 300,
    ],
    ids=["text", "header-only", "zeros", "cyrillic-text"],
)
def test_a_file_that_is_not_a_database(
    run_cli: Runner, tmp_path: Path, args: tuple[str, ...], content: bytes
) -> None:
    target = tmp_path / "notes.sqlite3"
    target.write_bytes(content)
    _untouched(lambda: run_cli(target, "admin", *args), target, 2)
    assert target.read_bytes() == content
    _no_side_files(target)


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize("keep", ["three-pages", "half-a-page-short", "first-hundred-bytes"])
def test_a_truncated_database(
    run_cli: Runner, world: Path, tmp_path: Path, args: tuple[str, ...], keep: str
) -> None:
    data = world.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 4 * page_size
    length = {
        "three-pages": 3 * page_size,
        "half-a-page-short": len(data) - page_size // 2,
        "first-hundred-bytes": 100,
    }[keep]
    target = tmp_path / "truncated.sqlite3"
    target.write_bytes(data[:length])
    _untouched(lambda: run_cli(target, "admin", *args), target, 2, "truncated")
    assert target.stat().st_size == length
    _no_side_files(target)


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_a_database_of_another_program(
    run_cli: Runner, tmp_path: Path, args: tuple[str, ...]
) -> None:
    target = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(target)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.execute("INSERT INTO contacts VALUES ('Ivan')")
    connection.commit()
    connection.close()
    _untouched(lambda: run_cli(target, "admin", *args), target, 2, "another program")


def _claim_newer_schema(database: Path) -> None:
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    _no_side_files(database)


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_a_database_from_a_newer_app(run_cli: Runner, world: Path, args: tuple[str, ...]) -> None:
    _claim_newer_schema(world)
    _untouched(lambda: run_cli(world, "admin", *args), world, 1, "newer", "9999")
    connection = sqlite3.connect(f"{world.as_uri()}?mode=ro", uri=True)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("9999",)
        ]
    finally:
        connection.close()


def test_a_refused_newer_database_gets_no_side_files(run_cli: Runner, world: Path) -> None:
    _claim_newer_schema(world)
    run_cli(world, "admin", "list").assert_error(1, "newer")
    _no_side_files(world)


# --------------------------------------------------------------------------------------
# read-only file


@pytest.fixture
def read_only_database(world: Path) -> Iterator[Path]:
    """The populated database, made unwritable: chmod 0444, or, for root, `chattr +i`."""
    if os.geteuid() != 0:
        world.chmod(0o444)
        try:
            yield world
        finally:
            world.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root without chattr: mode bits cannot make a file read-only")
    made = subprocess.run([chattr, "+i", str(world)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"running as root and chattr +i is not permitted: {made.stderr!r}")
    try:
        with pytest.raises(PermissionError):
            world.open("ab").close()
        yield world
    finally:
        subprocess.run([chattr, "-i", str(world)], check=True)


@pytest.mark.parametrize(
    "args",
    [args for args in COMMANDS if args[0] != "list"],
    ids=[name for name in COMMAND_IDS if name != "list"],
)
def test_a_read_only_database_refuses_writing_commands(
    run_cli: Runner, read_only_database: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    _untouched(
        lambda: run_cli(read_only_database, "admin", *args), read_only_database, 2, "read-only"
    )
    _no_side_files(read_only_database)


def test_a_read_only_database_is_read(
    run_cli: Runner, read_only_database: Path, tmp_path: Path
) -> None:
    """Reading commands open it read-only (tests/faults/test_read_only.py has the rest)."""
    before = sha256_of(read_only_database)
    assert run_cli(read_only_database, "admin", "list", "--json").assert_ok().json() == []
    copy = tmp_path / "copy.sqlite3"
    run_cli(read_only_database, "admin", "backup", "--out", str(copy)).assert_ok()
    assert copy.is_file()
    assert sha256_of(read_only_database) == before
    _no_side_files(read_only_database)


# --------------------------------------------------------------------------------------
# where the database is when --db is not given


def test_database_and_user_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("CSTO_EDITOR_DB", str(target))
    monkeypatch.setenv("CSTO_EDITOR_USER", "envadmin")
    assert main(["init"]) == 0
    assert target.exists()
    assert "envadmin is the administrator" in capsys.readouterr().out


def test_the_default_database_is_in_the_user_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert os.environ["XDG_DATA_HOME"].startswith(str(tmp_path))
    assert main(["--user", "chief", "init"]) == 0
    created = list((tmp_path / "home").rglob("*.sqlite3"))
    assert len(created) == 1
    assert created[0].is_relative_to(Path(os.environ["XDG_DATA_HOME"]))
