"""A damaged database is found at start-up and names its way out; daily backups rotate;
`restore FILE` keeps a safety copy and replaces the database in one step.

The damage is real: bytes of one b-tree page of the file are overwritten, as a failing
disk or a copy cut short would do.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from csto_editor.services import assets, backup, restore
from csto_editor.store.database import open_database
from csto_editor.store.failures import DatabaseBusy
from tests.faults.children import start
from tests.faults.conftest import As, NewItem, assert_one_error_line, main, rows, sha256_of


def damage(db: Path, index: str = "ix_items_updated_at") -> None:
    """Overwrite one page of an index with garbage (the file must be closed)."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the page is in the file
        page = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (index,)
        ).fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    finally:
        connection.close()
    with db.open("r+b") as stream:
        stream.seek((page - 1) * size)
        stream.write(b"\x0d" + b"\xa5" * 300)


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def titles(db: Path) -> list[str]:
    return [str(row[0]) for row in rows(db, "SELECT title FROM items ORDER BY id")]


def daily_backups(as_user: As, *days: dt.date) -> list[Path]:
    made = [backup.automatic_backup(as_user("admin"), today=day) for day in days]
    assert all(path is not None for path in made)
    return [path for path in made if path is not None]


# --------------------------------------------------------------------------------------
# finding the damage


def test_check_database_finds_the_damage_and_names_the_newest_backup(
    db: Path, as_user: As, new_item: NewItem, capsys: pytest.CaptureFixture[str]
) -> None:
    new_item("A text")
    made = daily_backups(as_user, dt.date(2025, 5, 1), dt.date(2025, 5, 2))
    assert run(capsys, "--db", db, "check-database")[:2] == (
        0,
        f"{db} is sound (quick_check: ok)\n",
    )
    as_user("admin").database.dispose()
    damage(db)
    code, out, err = run(capsys, "--db", db, "check-database")
    assert (code, out) == (2, "")
    assert_one_error_line(err, "damaged", f"csto-editor restore {made[-1]}")
    code, out, _err = run(capsys, "--db", db, "check-database", "--full", "--json")
    report = json.loads(out)
    assert code == 2 and report["ok"] is False and report["problems"]
    assert report["newest_backup"] == str(made[-1])


def test_a_command_that_meets_the_damage_says_what_to_do(
    db: Path, new_item: NewItem, as_user: As, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(30):
        new_item(f"Item {n}", body="Text of the item. " * 40)
    as_user("admin").database.dispose()
    damage(db, "items")
    code, out, err = run(capsys, "--db", db, "--user", "anna", "list")
    assert (code, out) == (2, "")
    assert_one_error_line(err, "is damaged", "malformed", "csto-editor restore")


def test_the_window_refuses_a_damaged_database_and_says_what_to_do(db: Path, as_user: As) -> None:
    (made,) = daily_backups(as_user, dt.date(2025, 5, 2))
    as_user("admin").database.dispose()
    damage(db)
    before = sha256_of(db)
    result = subprocess.run(
        [sys.executable, "-m", "csto_editor", "--db", str(db), "--user", "anna", "gui",
         "--exit-when-ready"],
        capture_output=True, text=True, timeout=90, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "CSTO_EDITOR_NO_WEBENGINE": "1"},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert_one_error_line(result.stderr, "damaged", str(made))
    assert sha256_of(db) == before


def test_the_window_offers_to_restore_the_newest_backup(
    db: Path, as_user: As, new_item: NewItem, monkeypatch: pytest.MonkeyPatch
) -> None:
    import argparse

    from csto_editor.ui import main as ui_main

    new_item("Kept in the backup")
    daily_backups(as_user, dt.date(2025, 5, 2))
    as_user("admin").database.dispose()
    damage(db)
    damaged_bytes = db.read_bytes()
    asked: list[str] = []
    monkeypatch.setattr(ui_main, "_ask_to_restore", lambda text, _b: asked.append(text) or True)
    monkeypatch.setattr(ui_main.QMessageBox, "information", lambda *args: None)
    ctx = ui_main.open_checked(argparse.Namespace(db=str(db), user="anna"), interactive=True)
    try:
        assert "damaged" in asked[0]
        assert not ctx.database.read_only and ctx.database.quick_check() == []
    finally:
        ctx.database.dispose()
    assert titles(db) == ["Kept in the backup"]
    (safety,) = (db.parent / "backups").glob("editor-before-restore-*.sqlite3")
    assert safety.read_bytes() == damaged_bytes


# --------------------------------------------------------------------------------------
# daily backups


def test_daily_backups_are_made_once_a_day_and_the_last_seven_kept(
    db: Path, as_user: As, new_item: NewItem
) -> None:
    new_item("Backed up every day")
    days = [dt.date(2025, 4, 25) + dt.timedelta(days=n) for n in range(9)]
    daily_backups(as_user, *days)
    assert backup.automatic_backup(as_user("admin"), today=days[-1]) is None  # already done
    folder = db.parent / "backups"
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == [f"editor-{day.isoformat()}.sqlite3" for day in days[-7:]]
    for name in kept:
        assert rows(folder / name, "PRAGMA quick_check") == [("ok",)]
        assert titles(folder / name) == ["Backed up every day"]


# --------------------------------------------------------------------------------------
# restore


@pytest.fixture
def backed_up(db: Path, tmp_path: Path, new_item: NewItem, as_user: As) -> Path:
    """A zip backup holding one item and one image; afterwards a second item is added and
    the image file is lost."""
    image = tmp_path / "seal.png"
    from PIL import Image

    Image.new("RGB", (40, 30), "navy").save(image)
    new_item("In the backup")
    asset = assets.add_asset(as_user("anna"), image, alt_text="Seal")
    out = tmp_path / "backup.zip"
    assert main(["--db", str(db), "--user", "admin", "backup", "--out", str(out)]) == 0
    new_item("After the backup")
    assets.asset_path(db.with_name(db.name + ".assets"), asset.sha256).unlink()
    as_user("admin").database.dispose()
    return out


def test_restore_is_for_an_admin_and_keeps_a_safety_copy(
    db: Path, backed_up: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256_of(db)
    code, _out, err = run(capsys, "--db", db, "--user", "anna", "restore", backed_up)
    assert code == 3
    assert_one_error_line(err, "admin")
    assert sha256_of(db) == before

    code, out, err = run(capsys, "--db", db, "--user", "admin", "restore", backed_up, "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert set(result) == {
        "database",
        "restored_from",
        "safety_copy",
        "previous",
        "items",
        "assets",
    }
    assert result["items"] == 1 and result["assets"] == 1 and result["previous"] == "sound"
    assert titles(db) == ["In the backup"]
    assert titles(Path(result["safety_copy"])) == ["In the backup", "After the backup"]
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert run(capsys, "--db", db, "--user", "anna", "list")[0] == 0


def test_restore_refuses_what_is_not_a_backup(
    db: Path, tmp_path: Path, backed_up: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Minutes of the meeting\n" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.close()
    broken = tmp_path / "broken-backup.sqlite3"
    with zipfile.ZipFile(backed_up) as archive:
        broken.write_bytes(archive.read(backup.DATABASE_IN_ZIP))
    damage(broken)
    empty_zip = tmp_path / "empty.zip"
    zipfile.ZipFile(empty_zip, "w").close()
    before = sha256_of(db)
    for candidate, fragment in [
        (text, "not a CSTO Editor backup"),
        (other, "another program"),
        (broken, "damaged backup"),
        (empty_zip, "not a CSTO Editor backup"),
        (db, "from itself"),
    ]:
        code, out, err = run(capsys, "--db", db, "--user", "admin", "restore", candidate)
        assert (code, out) == (2, ""), (candidate, err)
        assert_one_error_line(err, fragment)
    code, _out, err = run(capsys, "--db", db, "--user", "admin", "restore", tmp_path / "none.zip")
    assert code == 4
    assert sha256_of(db) == before


def test_anyone_may_restore_a_database_that_cannot_be_opened(
    db: Path, backed_up: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damage(db)
    damaged_bytes = db.read_bytes()
    code, out, err = run(capsys, "--db", db, "--user", "nobody", "restore", backed_up)
    assert (code, err) == (0, ""), err
    assert "the previous database was kept as" in out
    assert titles(db) == ["In the backup"]
    (safety,) = (db.parent / "backups").glob("editor-before-restore-*.sqlite3")
    assert safety.read_bytes() == damaged_bytes
    database = open_database(db, verify=True)
    database.dispose()


def test_restore_onto_a_missing_database(
    tmp_path: Path, backed_up: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "new-laptop" / "csto-editor.sqlite3"
    target.parent.mkdir()
    code, out, err = run(capsys, "--db", target, "--user", "admin", "restore", backed_up)
    assert (code, err) == (0, "")
    assert "there was no database before" in out
    assert titles(target) == ["In the backup"]


def test_restore_waits_for_a_writer_or_refuses(db: Path, backed_up: Path) -> None:
    before = sha256_of(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="busy"):
            restore.restore(db, backed_up, "admin", lock_timeout=0.3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sha256_of(db) == before
    assert titles(db) == ["In the backup", "After the backup"]


RESTORE = r"""
import sqlite3, types
from csto_editor.services import restore

real_connect = sqlite3.connect

class SlowCopy(sqlite3.Connection):
    # The restore copies the backup into the live file a page at a time, pausing half-way.
    def backup(self, target, *, pages=-1, progress=None, name="main", sleep=0.25):
        def pause(status, remaining, total):
            if progress is not None:
                progress(status, remaining, total)
            if remaining == total // 2:
                say("HALF-WAY")
                time.sleep(60)
        return super().backup(target, pages=1, progress=pause, name=name, sleep=sleep)

names = [name for name in dir(sqlite3) if not name.startswith("__")]
shim = types.SimpleNamespace(**{name: getattr(sqlite3, name) for name in names})
shim.connect = lambda *args, **kwargs: real_connect(*args, factory=SlowCopy, **kwargs)
restore.sqlite3 = shim
code, _ = cli("--db", sys.argv[1], "--user", "admin", "restore", sys.argv[2])
ack("restored", code)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_restore_killed_half_way_leaves_the_database_as_it_was(
    db: Path, tmp_path: Path, backed_up: Path
) -> None:
    before = titles(db)
    child = start(RESTORE, db, backed_up, log=tmp_path / "child.log")
    child.wait_for("HALF-WAY")  # the safety copy is made; half the pages are copied over
    child.kill()
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert titles(db) == before
    assert main(["--db", str(db), "--user", "admin", "restore", str(backed_up)]) == 0
    assert titles(db) == ["In the backup"]
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(".")] == []
