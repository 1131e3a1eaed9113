"""SIGKILL in the middle of real work: nothing acknowledged is lost, nothing is half-done.

Each child does its work on a copy of a real database and prints ``ACK`` after every
step the app acknowledged; the test kills it right after an acknowledgement, or while a
unit of work has written its rows and not committed them (``COMMITTING``), or half-way
through writing a file, then reads the database as the next start of the app would.
The window's own typing-then-kill test is tests/ui/test_kill_while_editing.py; a kill
while bundle pages are written is in tests/cli/test_cli_export.py.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import zipfile
from pathlib import Path

import pytest

from csto_editor.services import backup, export, queries
from csto_editor.store.database import open_database
from tests.faults.children import start
from tests.faults.conftest import (
    As,
    NewItem,
    assert_consistent,
    main,
    no_leftovers,
    rows,
    sha256_of,
)

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
    pytest.mark.slow,
]

TEXT = (
    "Заседание Совета министров иностранных дел ОДКБ прошло в Минске. "
    "The Council of Foreign Ministers of the CSTO met in Minsk. "
) * 4

# --------------------------------------------------------------------------------------
# autosave

AUTOSAVE = r"""
import datetime as dt
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

database, item, text = sys.argv[1], int(sys.argv[2]), sys.argv[3]
every_save_cuts_a_revision, slow = sys.argv[4] == "1", float(sys.argv[5])
if every_save_cuts_a_revision:
    editing.SAVE_POINT_INTERVAL = dt.timedelta(0)
ctx = ServiceContext(open_database(database), "anna")
version = queries.working_copy(ctx, item)[2]
SLOW["commit"] = slow
for end in range(20, len(text) + 1, 20):
    version = editing.autosave(ctx, item, {"body": text[:end]}, expected_version=version).version
    ack(end)
say("DONE")
time.sleep(60)
"""


@pytest.mark.parametrize(
    ("moment", "cut_revisions"),
    [("after-ack", False), ("mid-commit", False), ("mid-commit", True)],
)
def test_kill_during_autosave(
    db: Path, tmp_path: Path, new_item: NewItem, as_user: As, moment: str, cut_revisions: bool
) -> None:
    item = new_item(body="Draft.")
    slow = 30.0 if moment == "mid-commit" else 0.0
    child = start(
        AUTOSAVE, db, item, TEXT, int(cut_revisions), slow, log=tmp_path / "child.log",
        env={"SLOW_AFTER_ACKS": "1"},
    )  # fmt: skip
    child.wait_for("ACK", 1 if moment == "mid-commit" else 3)
    if moment == "mid-commit":
        child.wait_for("COMMITTING")  # the second save: rows written, not committed
    child.kill()
    acknowledged = max(int(ack[0]) for ack in child.acks())

    assert_consistent(db)
    body = queries.working_copy(as_user("anna"), item)[0].body
    assert body == TEXT[: len(body)]
    assert len(body) >= acknowledged
    if moment == "mid-commit":
        assert len(body) == acknowledged  # the uncommitted save left no trace


# --------------------------------------------------------------------------------------
# save points

SAVE_POINTS = r"""
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

database, item, slow = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
ctx = ServiceContext(open_database(database), "anna")
version = queries.working_copy(ctx, item)[2]
for n in range(1, 40):
    body = f"Version {n} of the statement. " * n
    version = editing.autosave(ctx, item, {"body": body}, expected_version=version).version
    SLOW["commit"] = slow
    summary = editing.save_point(ctx, item)
    SLOW["commit"] = 0.0
    version = summary.version
    ack(n, summary.revision)
say("DONE")
time.sleep(60)
"""


@pytest.mark.parametrize("moment", ["after-ack", "mid-commit"])
def test_kill_during_a_save_point(db: Path, tmp_path: Path, new_item: NewItem, moment: str) -> None:
    item = new_item(body="First text.")
    slow = 30.0 if moment == "mid-commit" else 0.0
    child = start(
        SAVE_POINTS, db, item, slow, log=tmp_path / "child.log", env={"SLOW_AFTER_ACKS": "3"}
    )
    child.wait_for("ACK", 3)
    if moment == "mid-commit":
        child.wait_for("COMMITTING")
    child.kill()

    assert_consistent(db)
    revisions = dict(rows(db, "SELECT id, body FROM revisions WHERE item_id = ? ORDER BY id", item))
    for number, revision in child.acks():
        assert revisions[int(revision)] == f"Version {number} of the statement. " * int(number)
    current = rows(db, "SELECT current_revision_id FROM items WHERE id = ?", item)[0][0]
    assert current == max(revisions)
    if moment == "mid-commit":
        assert len(revisions) == 1 + len(child.acks())  # the first, and each acknowledged


# --------------------------------------------------------------------------------------
# import

IMPORT = r"""
from csto_editor.services import importing

database, folder, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
stall_at_file, slow = int(sys.argv[4]), float(sys.argv[5])
real_create = importing.create_item_in_session
created = {"n": 0}

def create_then_maybe_stall(*args, **kwargs):
    item = real_create(*args, **kwargs)  # flushed: the row is in the open transaction
    created["n"] += 1
    if created["n"] == stall_at_file:
        say("MIDWAY")
        time.sleep(60)
    return item

importing.create_item_in_session = create_then_maybe_stall
SLOW["commit"] = slow
for batch in range(100):
    files = [f"{folder}/batch-{batch}-{n}.md" for n in range(size)]
    code, out = cli("--db", database, "--user", "anna", "import", *files, "--json")
    if code != 0:
        say("FAILED", code)
        break
    ack(batch, *[item["id"] for item in as_json(out)])
"""
BATCH = 4


@pytest.mark.parametrize("moment", ["mid-batch", "mid-commit"])
def test_kill_during_an_import(db: Path, tmp_path: Path, moment: str) -> None:
    folder = tmp_path / "md"
    folder.mkdir()
    for batch in range(12):
        for n in range(BATCH):
            (folder / f"batch-{batch}-{n}.md").write_text(
                f"---\ntitle: Batch {batch} file {n}\nsection: news\n---\nText {batch}.{n}.\n",
                encoding="utf-8",
            )
    stall_at = 2 * BATCH + 3 if moment == "mid-batch" else 0
    slow = 30.0 if moment == "mid-commit" else 0.0
    child = start(
        IMPORT, db, folder, BATCH, stall_at, slow,
        log=tmp_path / "child.log", env={"SLOW_AFTER_ACKS": "2"},
    )  # fmt: skip
    if moment == "mid-batch":
        child.wait_for("MIDWAY")  # three files of the third batch are flushed, not committed
    else:
        child.wait_for("ACK", 2)
        child.wait_for("COMMITTING")
    child.kill()

    assert_consistent(db)
    titles = {str(row[0]) for row in rows(db, "SELECT title FROM items")}
    acknowledged = {int(ack[0]) for ack in child.acks()}
    assert acknowledged == {0, 1}
    for batch in range(12):
        present = {f"Batch {batch} file {n}" for n in range(BATCH)} & titles
        expected = BATCH if batch in acknowledged else 0
        assert len(present) == expected, (batch, sorted(present))
    for _batch, *ids in child.acks():
        assert len(rows(db, f"SELECT id FROM items WHERE id IN ({','.join(ids)})")) == BATCH


# --------------------------------------------------------------------------------------
# approval

APPROVE = r"""
database, slow = sys.argv[1], float(sys.argv[2])
ids = sys.argv[3:]
SLOW["commit"] = slow
for start in range(0, len(ids), 2):
    pair = ids[start : start + 2]
    code, _ = cli("--db", database, "--user", "roman", "approve", *pair)
    if code != 0:
        say("FAILED", code)
        break
    ack(*pair)
"""


@pytest.mark.parametrize("moment", ["after-ack", "mid-commit"])
def test_kill_during_approval(
    db: Path, tmp_path: Path, new_item: NewItem, as_user: As, moment: str
) -> None:
    from csto_editor.services import review

    ids = [new_item(f"Statement {n}") for n in range(8)]
    review.submit(as_user("anna"), ids)
    slow = 30.0 if moment == "mid-commit" else 0.0
    child = start(APPROVE, db, slow, *ids, log=tmp_path / "child.log", env={"SLOW_AFTER_ACKS": "2"})
    child.wait_for("ACK", 2)
    if moment == "mid-commit":
        child.wait_for("COMMITTING")
    child.kill()

    assert_consistent(db)
    states = dict(rows(db, "SELECT id, state FROM items"))
    approved = {int(item) for pair in child.acks() for item in pair}
    assert len(approved) >= 4
    for item in approved:
        assert states[item] == "approved"
    pairs = [ids[n : n + 2] for n in range(0, len(ids), 2)]
    for pair in pairs:
        assert states[pair[0]] == states[pair[1]], "one approval of two took effect"
    if moment == "mid-commit":
        assert sum(states[item] == "approved" for item in ids) == 4
    reviews = rows(db, "SELECT count(*) FROM reviews WHERE decision = 'approve'")[0][0]
    assert reviews == sum(states[item] == "approved" for item in ids)


# --------------------------------------------------------------------------------------
# export

EXPORT = r"""
import zipfile

database, out, moment = sys.argv[1], sys.argv[2], sys.argv[3]
if moment == "zipping":
    real_write = zipfile.ZipFile.write
    written = {"n": 0}

    def write_then_maybe_stall(self, *args, **kwargs):
        real_write(self, *args, **kwargs)
        written["n"] += 1
        if written["n"] == 6:
            say("ZIPPING")
            time.sleep(60)

    zipfile.ZipFile.write = write_then_maybe_stall
else:
    SLOW["commit"] = 60.0  # the bundle is in place; its record waits to be committed
code, _ = cli("--db", database, "--user", "erik", "export", "--out", out, "--zip")
ack("exported", code)
"""


def _assert_complete_bundle(archive: Path) -> list[int]:
    """Every file the manifest lists is in the zip with its hash, and nothing else; the
    revisions it publishes."""
    with zipfile.ZipFile(archive) as bundle:
        assert bundle.testzip() is None
        manifest = json.loads(bundle.read("manifest.json"))
        assert set(bundle.namelist()) == {*manifest["files"], "manifest.json"}
        for name, digest in manifest["files"].items():
            import hashlib

            assert hashlib.sha256(bundle.read(name)).hexdigest() == digest, name
    return [item["revision"] for item in manifest["items"]]


@pytest.mark.parametrize("moment", ["zipping", "recording"])
def test_kill_during_an_export(
    db: Path, tmp_path: Path, approved_items: object, as_user: As, moment: str
) -> None:
    ids = approved_items(6)  # type: ignore[operator]
    out = tmp_path / "bundle.zip"
    child = start(EXPORT, db, out, moment, log=tmp_path / "child.log")
    child.wait_for("ZIPPING" if moment == "zipping" else "COMMITTING")
    child.kill()

    assert_consistent(db)
    assert rows(db, "SELECT count(*) FROM export_runs") == [(0,)]
    states = {row[0] for row in rows(db, "SELECT state FROM items")}
    assert states == {"approved"}, "nothing is published by an export that did not finish"
    if moment == "zipping":
        assert not out.exists()
    else:
        # The bundle was complete and in place before its record was to be committed:
        # web staff may use it; the items stay approved, so the next export carries them.
        assert len(_assert_complete_bundle(out)) == len(ids)
    assert no_leftovers(tmp_path)  # the killed export's staging folder is still there
    result = export.export(as_user("erik"), export.ExportOptions(out=str(out), as_zip=True))
    assert result.items == len(ids) and result.added == len(ids)
    assert len(_assert_complete_bundle(out)) == len(ids)
    assert no_leftovers(tmp_path) == []
    assert_consistent(db)


# --------------------------------------------------------------------------------------
# backup

BACKUP = r"""
import zipfile
from csto_editor.services import backup

database, out, moment = sys.argv[1], sys.argv[2], sys.argv[3]
if moment == "copied":
    real_copy = backup._copy_database

    def copy_then_stall(*args, **kwargs):
        real_copy(*args, **kwargs)  # the copy is complete under its temporary name
        say("COPIED")
        time.sleep(60)

    backup._copy_database = copy_then_stall
else:
    real_write = zipfile.ZipFile.write

    def write_then_stall(self, *args, **kwargs):
        real_write(self, *args, **kwargs)
        say("ZIPPING")
        time.sleep(60)

    zipfile.ZipFile.write = write_then_stall
code, _ = cli("--db", database, "--user", "admin", "backup", "--out", out)
ack("backup", code)
"""


@pytest.mark.parametrize(("moment", "name"), [("copied", "copy.sqlite3"), ("zipping", "copy.zip")])
def test_kill_during_a_backup(
    db: Path, tmp_path: Path, new_item: NewItem, moment: str, name: str
) -> None:
    folder = tmp_path / "backups-elsewhere"
    folder.mkdir()
    out = folder / name
    new_item("Before the first backup")
    assert main(["--db", str(db), "--user", "admin", "backup", "--out", str(out)]) == 0
    old = sha256_of(out)
    new_item("After the first backup")
    child = start(BACKUP, db, out, moment, log=tmp_path / "child.log")
    child.wait_for("COPIED" if moment == "copied" else "ZIPPING")
    child.kill()

    assert sha256_of(out) == old, "the earlier backup at the target is intact"
    assert no_leftovers(folder), "the killed backup's temporary folder is there"
    assert_consistent(db)
    assert main(["--db", str(db), "--user", "admin", "backup", "--out", str(out)]) == 0
    assert no_leftovers(folder) == [], "the next backup removed what the killed one left"
    if moment == "copied":
        titles = [row[0] for row in rows(out, "SELECT title FROM items ORDER BY id")]
        assert titles == ["Before the first backup", "After the first backup"]
    else:
        with zipfile.ZipFile(out) as archive:
            assert archive.testzip() is None
            assert backup.DATABASE_IN_ZIP in archive.namelist()


# --------------------------------------------------------------------------------------
# the first init: a real bug this suite found (DDL ran outside any transaction)

INIT = r"""
from sqlalchemy import event
from csto_editor.store import database as store

real_engine = store._create_engine

def engine_that_stalls(target, **kwargs):
    engine = real_engine(target, **kwargs)
    created = {"n": 0}

    @event.listens_for(engine, "after_cursor_execute")
    def stall(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("CREATE"):
            created["n"] += 1
            if created["n"] == 6:
                say("MIDWAY")
                time.sleep(60)

    return engine

store._create_engine = engine_that_stalls
code, _ = cli("--db", sys.argv[1], "--user", "admin", "init")
ack("init", code)
"""


def test_kill_during_the_first_init_leaves_no_half_made_schema(tmp_path: Path) -> None:
    target = tmp_path / "new.sqlite3"
    child = start(INIT, target, log=tmp_path / "child.log")
    child.wait_for("MIDWAY")  # six tables and indexes created, the schema not finished
    child.kill()
    connection = sqlite3.connect(target)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = connection.execute("SELECT name FROM sqlite_master").fetchall()
    finally:
        connection.close()
    assert tables == []  # before the fix: half the tables, and every later init failed
    assert main(["--db", str(target), "--user", "admin", "init"]) == 0
    database = open_database(target, verify=True)
    database.dispose()
