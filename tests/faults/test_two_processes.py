"""Two programs on one database file at once: they wait for each other's write lock,
a conflict on one item is found by its version, and nothing is overwritten silently.

Each side is a real process; the slow-commit hook makes each unit of work hold
SQLite's write lock for a while, so the other side really has to wait for it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from csto_editor.core.errors import ConflictError
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.store import database as store
from csto_editor.store.failures import BUSY_MESSAGE, DatabaseBusy
from tests.faults.children import start
from tests.faults.conftest import As, NewItem, assert_consistent, assert_one_error_line, main, rows

pytestmark = pytest.mark.slow

EDITOR = r"""
from csto_editor.core.errors import EditorError
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

database, item, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
SLOW["commit"] = 0.15  # each save holds the write lock a while
ctx = ServiceContext(open_database(database), "anna")
version = queries.working_copy(ctx, item)[2]
deadline = time.monotonic() + seconds
n = 0
while time.monotonic() < deadline:
    n += 1
    try:
        changes = {"body": f"Typed {n} times."}
        version = editing.autosave(ctx, item, changes, expected_version=version).version
    except EditorError as error:
        say("REFUSED", type(error).__name__, error)
        continue
    ack(n)
say("DONE")
"""

EXPORTER = r"""
database, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
SLOW["commit"] = 0.6  # each export's record holds the write lock a while
for run in range(runs):
    code, _ = cli("--db", database, "--user", "erik", "export", "--out", f"{out}-{run}")
    if code != 0:
        say("FAILED", run, code)
    else:
        ack(run)
say("DONE")
"""


def test_an_editor_saving_while_an_exporter_exports(
    db: Path, tmp_path: Path, new_item: NewItem, approved_items: object, as_user: As
) -> None:
    approved_items(4)  # type: ignore[operator]
    item = new_item("Typed while exporting")
    editor = start(EDITOR, db, item, 3.0, log=tmp_path / "editor.log")
    exporter = start(EXPORTER, db, tmp_path / "bundle", 3, log=tmp_path / "exporter.log")
    assert exporter.finish() == 0 and editor.finish() == 0
    for child in (editor, exporter):
        assert child.stderr() == "", child.stderr()
        assert [
            line for line in child.seen if not line.startswith(("ACK", "COMMITTING", "DONE"))
        ] == []
    assert len(exporter.acks()) == 3
    saves = [int(ack[0]) for ack in editor.acks()]
    assert saves == list(range(1, len(saves) + 1)) and len(saves) >= 3
    assert queries.working_copy(as_user("anna"), item)[0].body == f"Typed {saves[-1]} times."
    assert rows(db, "SELECT count(*) FROM export_runs") == [(3,)]
    assert_consistent(db)


RIVAL = r"""
from csto_editor.core.errors import ConflictError
from csto_editor.services import editing
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

database, item, login = sys.argv[1], int(sys.argv[2]), sys.argv[3]
SLOW["commit"] = 0.4  # the first to write holds the lock while the other reads the same version
ctx = ServiceContext(open_database(database), login)
say("READY")
for line in sys.stdin:
    version = int(line)
    try:
        changes = {"body": f"{login}'s text, round {version}"}
        saved = editing.autosave(ctx, item, changes, expected_version=version)
    except ConflictError as error:
        say("CONFLICT", error)
        continue
    say("SAVED", saved.version)
"""


def test_two_editors_on_one_item_with_the_same_version(
    db: Path, tmp_path: Path, new_item: NewItem, as_user: As
) -> None:
    item = new_item("Edited by two")
    rivals = [
        start(RIVAL, db, item, login, log=tmp_path / f"{login}.log") for login in ("anna", "boris")
    ]
    for rival in rivals:
        rival.wait_for("READY")
    for _round in range(4):
        version = queries.working_copy(as_user("anna"), item)[2]
        for rival in rivals:
            rival.send(str(version))
        outcomes = [rival.wait_for(("SAVED", "CONFLICT"))[0] for rival in rivals]
        saved = [n for n, line in enumerate(outcomes) if line.startswith("SAVED")]
        conflicts = [line for line in outcomes if line.startswith("CONFLICT")]
        assert len(saved) == 1 and len(conflicts) == 1, outcomes
        assert "changed by someone else" in conflicts[0]
        winner = ("anna", "boris")[saved[0]]
        body = queries.working_copy(as_user("anna"), item)[0].body
        assert body == f"{winner}'s text, round {version}"  # the loser's text is not stored
    for rival in rivals:
        rival.process.stdin.close()  # type: ignore[union-attr]
        assert rival.finish() == 0
        assert rival.stderr() == ""
    assert_consistent(db)


CLI_EDIT = r"""
database, item, login, version = sys.argv[1:5]
SLOW["commit"] = 0.4
sys.stdin.readline()
title = f"Title by {login}"
code, _ = cli(
    "--db", database, "--user", login, "edit", item, "--title", title, "--expect-version", version
)
say("EXIT", code)
"""


def test_two_edit_commands_with_the_same_expected_version(
    db: Path, tmp_path: Path, new_item: NewItem, as_user: As
) -> None:
    item = new_item("Edited by two commands")
    version = queries.working_copy(as_user("anna"), item)[2]
    rivals = [
        start(CLI_EDIT, db, item, login, version, log=tmp_path / f"{login}.log")
        for login in ("anna", "boris")
    ]
    time.sleep(1.0)  # both have started Python and imported the app
    for rival in rivals:
        rival.send("go")
    codes = [int(rival.wait_for("EXIT")[0].split()[1]) for rival in rivals]
    assert sorted(codes) == [0, 1]
    loser = rivals[codes.index(1)]
    assert loser.finish() == 0
    assert_one_error_line(loser.stderr(), "changed by someone else")
    winner = ("anna", "boris")[codes.index(0)]
    assert rows(db, "SELECT title FROM items WHERE id = ?", item) == [(f"Title by {winner}",)]
    assert_consistent(db)


# --------------------------------------------------------------------------------------
# a writer that holds the lock for longer than the busy timeout


@pytest.fixture
def locked(db: Path) -> object:
    """Another program holds the database's write lock (until the test ends)."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


def test_a_lock_held_too_long_is_one_clear_message(
    db: Path,
    new_item: NewItem,
    as_user: As,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    item = new_item("Waiting for the lock")
    version = queries.working_copy(as_user("anna"), item)[2]
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 300)  # wait 0.3 s, not 10 s
    database = store.open_database(db)
    request.getfixturevalue("locked")
    try:
        ctx = ServiceContext(database, "anna")
        with pytest.raises(DatabaseBusy, match="busy"):
            editing.autosave(ctx, item, {"body": "Mine."}, expected_version=version)
    finally:
        database.dispose()
    capsys.readouterr()
    code = main(["--db", str(db), "--user", "anna", "edit", str(item), "--title", "New"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"error: {BUSY_MESSAGE}\n"
    # reading is never blocked by a writer (WAL)
    assert main(["--db", str(db), "--user", "anna", "show", str(item)]) == 0


def test_a_stale_version_met_while_writing_is_a_conflict(
    db: Path, new_item: NewItem, as_user: As
) -> None:
    """The version check of the UPDATE itself (not only the read before it) becomes
    ConflictError, which the window offers as a choice; it used to escape as
    SQLAlchemy's StaleDataError."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    item = new_item("Changed between read and write")
    ctx = as_user("anna")
    version = queries.working_copy(ctx, item)[2]

    done: list[bool] = []

    def someone_else_saves(session: Session, *_args: object) -> None:
        if done:
            return
        done.append(True)
        other = sqlite3.connect(db)
        other.execute(
            "UPDATE items SET version = version + 1, body = 'Theirs' WHERE id = ?", (item,)
        )
        other.commit()
        other.close()

    event.listen(Session, "before_flush", someone_else_saves)
    try:
        with pytest.raises(ConflictError, match="someone else"):
            editing.autosave(ctx, item, {"body": "Mine"}, expected_version=version)
    finally:
        event.remove(Session, "before_flush", someone_else_saves)
    assert queries.working_copy(ctx, item)[0].body == "Theirs"
