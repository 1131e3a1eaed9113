"""Faults caused for real: a populated SQLite file per test, and what must hold after."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import csto_editor.cli as cli_module
from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.hashing import content_sha256
from csto_editor.services import accounts, editing, review, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.revisions import content_of
from csto_editor.store.database import open_database
from csto_editor.store.models import Item, Revision
from tests.faults.children import kill_leftovers

USERS = (
    ("anna", "Anna Author", ["author"]),
    ("boris", "Boris Author", ["author"]),
    ("roman", "Roman Reviewer", ["reviewer"]),
    ("erik", "Erik Exporter", ["exporter"]),
)

_TEMPLATE: dict[str, Path] = {}

As = Callable[[str], ServiceContext]
NewItem = Callable[..., int]


@pytest.fixture
def db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """editor.sqlite3: admin, anna and boris (authors), roman (reviewer), erik (exporter),
    section news; a closed, checkpointed copy of a template built once."""
    if "db" not in _TEMPLATE:
        template = tmp_path_factory.mktemp("faults-template") / "template.sqlite3"
        database = open_database(template, create=True)
        ctx = ServiceContext(database, "admin")
        setup.initialize(ctx)
        for login, name, roles in USERS:
            accounts.add_user(ctx, login, name, roles)
        sections.add_section(ctx, "news", "News", "Новости")
        database.dispose()
        _TEMPLATE["db"] = template
    target = tmp_path / "editor.sqlite3"
    shutil.copyfile(_TEMPLATE["db"], target)
    return target


_OPENED: list[ServiceContext] = []


@pytest.fixture(autouse=True)
def no_child_left_running() -> Iterator[None]:
    yield
    kill_leftovers()


@pytest.fixture(autouse=True)
def contexts_closed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands run in-process (``main`` below) close their database afterwards, as the
    real process does on exit: SQLite checkpoints and removes its -wal and -shm files."""
    real_open_context = cli_module.open_context

    def tracking(*args: Any, **kwargs: Any) -> ServiceContext:
        ctx = real_open_context(*args, **kwargs)
        _OPENED.append(ctx)
        return ctx

    monkeypatch.setattr(cli_module, "open_context", tracking)
    yield
    _close_opened()


def _close_opened() -> None:
    while _OPENED:
        _OPENED.pop().database.dispose()


def main(argv: Sequence[object]) -> int:
    """The command line in-process; the databases it opened are closed afterwards."""
    try:
        return cli_module.main([str(arg) for arg in argv])
    finally:
        _close_opened()


@pytest.fixture
def as_user(db: Path) -> Iterator[As]:
    """Service contexts on the test's database (closed again before the test ends)."""
    database = open_database(db)
    base = ServiceContext(database, "admin")
    yield lambda login: replace(base, login=login)
    database.dispose()


@pytest.fixture
def new_item(as_user: As) -> NewItem:
    """A draft by anna (or ``by``); its id."""

    def create(title: str = "Ministers met in Minsk", *, by: str = "anna", body: str = "") -> int:
        content = ItemContent(
            type=ContentType.NEWS,
            lang=Language.EN,
            title=title,
            body=body or f"{title}.",
            event_date=dt.date(2025, 3, 13),
        )
        return editing.create_item(as_user(by), editing.NewItem("news", content)).id

    return create


@pytest.fixture
def approved_items(as_user: As, new_item: NewItem) -> Callable[[int], list[int]]:
    """``approved_items(n)``: n items written by anna, submitted and approved by roman."""

    def make(count: int) -> list[int]:
        ids = [new_item(f"Approved item {n}", body="Paragraph.\n\n" * 20) for n in range(count)]
        review.submit(as_user("anna"), ids)
        review.approve(as_user("roman"), ids)
        return ids

    return make


# --------------------------------------------------------------------------------------
# Looking at the file afterwards, the way the next start of the app would


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def checkpointed_sha256(db: Path) -> str:
    """The file's digest once every committed change is in it (WAL checkpointed)."""
    connection = sqlite3.connect(db)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return sha256_of(db)


def assert_consistent(db: Path) -> None:
    """Integrity, and no half-done unit of work anywhere in the file."""
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "PRAGMA foreign_key_check") == []
    # Every pointer of an item names a revision of that item.
    for column in ("current_revision_id", "approved_revision_id", "published_revision_id"):
        dangling = rows(
            db,
            f"SELECT i.id FROM items i LEFT JOIN revisions r ON r.id = i.{column} "
            f"WHERE i.{column} IS NOT NULL AND (r.id IS NULL OR r.item_id != i.id)",
        )
        assert dangling == [], (column, dangling)
    assert rows(db, "SELECT id FROM items WHERE current_revision_id IS NULL") == []
    # A review belongs to a revision of its item, and carries that revision's hash.
    assert (
        rows(
            db,
            "SELECT v.id FROM reviews v JOIN revisions r ON r.id = v.revision_id "
            "WHERE r.item_id != v.item_id OR r.content_sha256 != v.content_sha256",
        )
        == []
    )
    # An approved item points at the revision its newest approval approved, and back.
    for item_id, state, approved in rows(
        db, "SELECT id, state, approved_revision_id FROM items WHERE state = 'approved'"
    ):
        newest = rows(
            db,
            "SELECT revision_id FROM reviews WHERE item_id = ? AND decision = 'approve' "
            "ORDER BY id DESC LIMIT 1",
            item_id,
        )
        assert newest == [(approved,)], (item_id, state, approved, newest)
    assert (
        rows(
            db,
            "SELECT v.id FROM reviews v WHERE v.decision = 'approve' AND NOT EXISTS "
            "(SELECT 1 FROM audit_events a WHERE a.action = 'approve' "
            "AND a.revision_id = v.revision_id)",
        )
        == []
    )
    # A published revision was recorded by an export run.
    published = {row[0] for row in rows(db, "SELECT published_revision_id FROM items")} - {None}
    recorded: set[object] = set()
    for (ids,) in rows(db, "SELECT revision_ids FROM export_runs"):
        recorded.update(json.loads(str(ids)))
    assert published <= recorded, published - recorded
    # Every revision's content matches its hash; in review, the working copy is the revision.
    database = open_database(db)
    try:
        with database.session() as session:
            for revision in session.scalars(select(Revision)):
                assert content_sha256(content_of(revision)) == revision.content_sha256, revision.id
            for item in session.scalars(select(Item).where(Item.state == "in_review")):
                current = session.get(Revision, item.current_revision_id)
                assert current is not None
                assert content_sha256(content_of(item)) == current.content_sha256, item.id
    finally:
        database.dispose()


def no_leftovers(folder: Path) -> list[str]:
    """Names of temporary files or folders left in ``folder`` (hidden ones)."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith("."))


def assert_one_error_line(err: str, *fragments: str) -> None:
    """stderr is exactly one line ``error: …`` naming every fragment; no traceback."""
    assert err.endswith("\n") and len(err.splitlines()) == 1, repr(err)
    assert err.startswith("error: ") and "Traceback" not in err, err
    for fragment in fragments:
        assert fragment.lower() in err.lower(), (fragment, err)
