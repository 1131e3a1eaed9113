"""A full disk during export, backup and saving: one clear error, nothing half-written,
the database as it was.

The disk fills up for real: the child process runs the command line under
``RLIMIT_FSIZE`` (with SIGXFSZ ignored, every write past the limit fails with EFBIG),
and, where the tests run as root, on a small tmpfs that runs out of space (ENOSPC).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from csto_editor.services import queries
from tests.faults.conftest import (
    As,
    NewItem,
    assert_one_error_line,
    checkpointed_sha256,
    no_leftovers,
    rows,
)

resource = pytest.importorskip("resource")

LIMITED = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the limit, write() fails with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from csto_editor.cli import main
sys.exit(main(sys.argv[2:]))
"""
BIG_BODY = "The Council of Foreign Ministers met in Minsk and adopted a statement. " * 4000
"""About 280 KB: its page alone is larger than the limits below."""


def run_limited(limit: int, db: Path, user: str, *args: object) -> subprocess.CompletedProcess[str]:
    command = ["--db", str(db), "--user", user, *map(str, args)]
    return subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )  # fmt: skip


@pytest.fixture
def publishable(as_user: As, new_item: NewItem) -> list[int]:
    """Three approved items, one of them long."""
    from csto_editor.services import review

    ids = [new_item("A long statement", body=BIG_BODY), new_item("News"), new_item("More news")]
    review.submit(as_user("anna"), ids)
    review.approve(as_user("roman"), ids)
    return ids


def _assert_refused_cleanly(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert_one_error_line(result.stderr, *fragments)


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_export_on_a_full_disk(
    db: Path, tmp_path: Path, publishable: list[int], as_zip: bool
) -> None:
    out_folder = tmp_path / "out"
    out_folder.mkdir()
    out = out_folder / ("bundle.zip" if as_zip else "bundle")
    before = checkpointed_sha256(db)
    args = ["export", "--out", out, *(["--zip"] if as_zip else [])]
    result = run_limited(128 * 1024, db, "erik", *args)
    _assert_refused_cleanly(result, "nothing was written", "too large")
    assert not out.exists()
    assert no_leftovers(out_folder) == []
    assert checkpointed_sha256(db) == before
    assert rows(db, "SELECT count(*) FROM export_runs") == [(0,)]


@pytest.mark.parametrize("name", ["copy.sqlite3", "copy.zip"])
def test_backup_on_a_full_disk(db: Path, tmp_path: Path, publishable: list[int], name: str) -> None:
    folder = tmp_path / "backups-elsewhere"
    folder.mkdir()
    out = folder / name
    out.write_bytes(b"the previous backup")
    before = checkpointed_sha256(db)
    result = run_limited(64 * 1024, db, "admin", "backup", "--out", out)
    _assert_refused_cleanly(result, "backup failed, nothing was written", "disk is full")
    assert out.read_bytes() == b"the previous backup"
    assert no_leftovers(folder) == []
    assert checkpointed_sha256(db) == before


def test_saving_on_a_full_disk(db: Path, tmp_path: Path, new_item: NewItem, as_user: As) -> None:
    item = new_item("A statement", body="The first text.")
    body_file = tmp_path / "body.md"
    body_file.write_text(BIG_BODY, encoding="utf-8")
    before = checkpointed_sha256(db)
    result = run_limited(64 * 1024, db, "anna", "edit", item, "--body-file", body_file)
    _assert_refused_cleanly(result, "nothing was saved")
    assert checkpointed_sha256(db) == before
    assert queries.working_copy(as_user("anna"), item)[0].body == "The first text."


# --------------------------------------------------------------------------------------
# a real small file system (root only)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs mounted in tmp_path; unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_export_and_backup_onto_a_small_disk(
    db: Path, small_disk: Path, publishable: list[int]
) -> None:
    before = checkpointed_sha256(db)
    for args, message in [
        (["export", "--out", small_disk / "bundle", "--json"], "no space left"),
        (["export", "--out", small_disk / "bundle.zip", "--zip"], "no space left"),
        (["backup", "--out", small_disk / "copy.sqlite3"], "disk is full"),
        (["backup", "--out", small_disk / "copy.zip"], "disk is full"),
    ]:
        user = "erik" if args[0] == "export" else "admin"
        result = subprocess.run(
            [sys.executable, "-m", "csto_editor", "--db", str(db), "--user", user,
             *map(str, args)],
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        )  # fmt: skip
        _assert_refused_cleanly(result, message)
        assert result.stdout == ""
        assert sorted(path.name for path in small_disk.iterdir()) == [], args
    assert checkpointed_sha256(db) == before
    assert rows(db, "SELECT count(*) FROM export_runs") == [(0,)]
