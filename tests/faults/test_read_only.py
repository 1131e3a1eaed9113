"""A database file, or its folder, that cannot be written: reading works, writing is
refused with a message that says so, and the file is never changed.

The file or folder is made read-only for real: ``chattr +i`` when the tests run as root
(root ignores mode bits), else mode 0444 / 0555.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from csto_editor.services import editing, queries, review
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import DatabaseReadOnly, open_database
from tests.faults.conftest import As, NewItem, assert_one_error_line, main, sha256_of


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make a file or a folder unwritable for this process, then writable again."""
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root without chattr: nothing makes a file read-only")
        made = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"chattr +i is not permitted here: {made.stderr!r}")
        try:
            yield
        finally:
            subprocess.run([chattr, "-i", str(path)], check=True)
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        path.chmod(mode)


def side_files(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(f"{db.name}-"))


@pytest.fixture
def item_in_review(as_user: As, new_item: NewItem) -> int:
    item = new_item("Statement of the ministers", body="The ministers met in Minsk.")
    review.submit(as_user("anna"), [item])
    as_user("anna").database.dispose()  # closed: the file alone holds everything
    return item


READING = [
    ("list", "--json"),
    ("show", "ITEM", "--json"),
    ("history", "ITEM"),
    ("section", "list"),
    ("user", "list", "--json"),
    ("check", "ITEM"),
    ("check-database",),
    ("backup", "--out", "COPY"),
]
WRITING = [
    ("edit", "ITEM", "--title", "Changed"),
    ("approve", "ITEM"),
    ("submit", "ITEM"),
    ("user", "add", "olga", "--name", "Olga", "--role", "author"),
    ("section", "add", "events", "--name-en", "Events", "--name-ru", "События"),
    ("init",),
    ("export", "--out", "BUNDLE"),
]


def run(
    capsys: pytest.CaptureFixture[str], db: Path, user: str, *args: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "--user", user, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("what", ["file", "folder"])
def test_reading_works_and_writing_is_refused(
    db: Path,
    tmp_path: Path,
    item_in_review: int,
    capsys: pytest.CaptureFixture[str],
    what: str,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    names = {"ITEM": str(item_in_review), "COPY": str(elsewhere / "copy.sqlite3")}
    names["BUNDLE"] = str(elsewhere / "bundle")
    before, sides = sha256_of(db), side_files(db)
    with read_only(db if what == "file" else db.parent):
        for args in READING:
            code, out, err = run(capsys, db, "roman", *(names.get(a, a) for a in args))
            assert (code, err) == (0, ""), args
            assert out
        for args in WRITING:
            user = {"approve": "roman", "export": "erik"}.get(args[0], "admin")
            code, out, err = run(capsys, db, user, *(names.get(a, a) for a in args))
            assert code == 2 and out == "", (args, code, err)
            assert_one_error_line(err, "read-only")
    assert sha256_of(db) == before
    assert side_files(db) == sides == []
    assert (elsewhere / "copy.sqlite3").is_file() and not (elsewhere / "bundle").exists()


def test_changes_still_in_the_wal_are_read(
    tmp_path: Path, db: Path, item_in_review: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database whose last changes are still in its -wal file (a program was killed, or
    the files were copied while it ran) shows them, read-only, without checkpointing."""
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE items SET title = 'Only in the WAL' WHERE id = ?", (item_in_review,))
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{db}{suffix}", snapshot / f"{db.name}{suffix}")
    writer.close()
    copy = snapshot / db.name
    digests = {p.name: sha256_of(p) for p in snapshot.iterdir()}
    with read_only(snapshot):
        code, out, err = run(capsys, copy, "anna", "show", str(item_in_review), "--json")
    assert (code, err) == (0, "")
    assert '"title": "Only in the WAL"' in out
    assert sha256_of(copy) == digests[db.name]  # nothing was checkpointed into the file
    assert sha256_of(snapshot / f"{db.name}-wal") == digests[f"{db.name}-wal"]


def test_the_services_refuse_to_write_a_read_only_database(db: Path, item_in_review: int) -> None:
    before = sha256_of(db)
    with read_only(db):
        database = open_database(db, allow_read_only=True)
        try:
            assert database.read_only
            ctx = ServiceContext(database, "anna")
            version = queries.working_copy(ctx, item_in_review)[2]
            with pytest.raises(DatabaseReadOnly, match="read-only"):
                editing.autosave(ctx, item_in_review, {"body": "Mine"}, expected_version=version)
            detail = queries.get_item(ctx, item_in_review)
            assert detail.summary.title == "Statement of the ministers"
        finally:
            database.dispose()
        with pytest.raises(DatabaseReadOnly, match="read-only"):
            open_database(db)  # a caller that writes is refused at once
    assert sha256_of(db) == before
