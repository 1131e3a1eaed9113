"""Opening databases: connection settings, unusable files left untouched, schema versions.

Tests about SQLite files are marked ``sqlite_only``; the rest also run on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from csto_editor.core.errors import ConflictError, InvalidInput, NotFound
from csto_editor.store.database import (
    Database,
    DatabaseUnusable,
    SchemaTooNew,
    head_revision,
    open_database,
)
from csto_editor.store.models import AuditEvent, ExportRun, Item, Section, User, utc_now


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    path = tmp_path / "editor.sqlite3"
    database = open_database(path, create=True)
    database.migrate()
    database.dispose()
    return path


@pytest.mark.sqlite_only
def test_every_connection_has_wal_foreign_keys_and_a_busy_timeout(database_file: Path) -> None:
    database = open_database(database_file)
    try:
        for _ in range(2):
            with database.engine.connect() as connection:
                assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
                assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            database.engine.dispose()
    finally:
        database.dispose()


@pytest.fixture
def database(database_location: str) -> Iterator[Database]:
    """A migrated database on SQLite or PostgreSQL."""
    database = open_database(database_location, create=True)
    database.migrate()
    yield database
    database.dispose()


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), database.session() as session:
        session.execute(
            text(
                "INSERT INTO sections (slug, name_en, name_ru, position, default_type, parent_id)"
                " VALUES ('x', 'X', 'X', 0, 'news', 999)"
            )
        )


def test_migrate_is_idempotent_and_reaches_head(database: Database) -> None:
    assert database.migrate() is False
    assert database.schema_revision() == head_revision()


def test_the_audit_log_refuses_updates_and_deletes(database: Database) -> None:
    with database.session() as session:
        session.add(AuditEvent(user_login="admin", action="init", detail={"a": 1}))
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"), database.session() as session:
            session.execute(text(statement))
    with database.session() as session:
        assert session.scalars(select(AuditEvent.action)).all() == ["init"]


def test_json_naive_utc_times_and_the_version_lock(database: Database) -> None:
    with database.session() as session:
        user = User(login="a", display_name="A", roles="author")
        section = Section(slug="news", name_en="News", name_ru="Новости")
        session.add_all([user, section])
        session.flush()
        item = Item(
            section_id=section.id,
            type="news",
            lang="ru",
            title="Т",
            slug="t",
            created_by_id=user.id,
            updated_by_id=user.id,
        )
        session.add_all(
            [
                item,
                ExportRun(user_id=user.id, output="o", scope={"lang": ["ru"]}, revision_ids=[3, 1]),
            ]
        )
    with database.session() as session:
        run = session.scalars(select(ExportRun)).one()
        assert run.scope == {"lang": ["ru"]} and run.revision_ids == [3, 1]
        assert run.started_at.tzinfo is None
        assert abs(run.started_at - utc_now()) < dt.timedelta(minutes=1)
        stale = session.get(Item, item.id)
        assert stale is not None and stale.version == 1
    with database.session() as session:
        fresh = session.get(Item, item.id)
        assert fresh is not None
        fresh.title = "Новое"
    with pytest.raises(ConflictError), database.session() as session:
        session.add(stale)
        stale.title = "Потерянное"
    with database.session() as session:
        assert session.scalars(select(Item.title)).one() == "Новое"


def _unusable_files(tmp_path: Path, database_file: Path) -> dict[str, Path]:
    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("Минутка: это не база данных\n" * 50, encoding="utf-8")
    truncated = tmp_path / "truncated.sqlite3"
    data = database_file.read_bytes()
    truncated.write_bytes(data[: len(data) // 2 + 100])
    header_only = tmp_path / "header.sqlite3"
    header_only.write_bytes(data[:40])
    foreign = tmp_path / "other-program.sqlite3"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.close()
    return {
        "folder": folder,
        "text": text_file,
        "truncated": truncated,
        "header-only": header_only,
        "other program": foreign,
    }


@pytest.mark.sqlite_only
@pytest.mark.parametrize("create", [False, True])
def test_unusable_files_are_refused_and_left_untouched(
    tmp_path: Path, database_file: Path, create: bool
) -> None:
    for kind, path in _unusable_files(tmp_path, database_file).items():
        before = None if path.is_dir() else fingerprint(path)
        with pytest.raises(InvalidInput) as caught:
            open_database(path, create=create)
        message = str(caught.value)
        assert "\n" not in message and str(path) in message, kind
        if before is not None:
            assert fingerprint(path) == before, kind
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists(), kind


@pytest.mark.sqlite_only
def test_a_missing_database_is_not_found_without_create(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="init"):
        open_database(tmp_path / "nothing.sqlite3")
    assert not (tmp_path / "nothing.sqlite3").exists()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_file_or_folder_is_refused_untouched(
    database_file: Path, read_only: str
) -> None:
    before = fingerprint(database_file)
    target = database_file if read_only == "file" else database_file.parent
    mode = target.stat().st_mode
    target.chmod(0o444 if read_only == "file" else 0o555)
    try:
        with pytest.raises(DatabaseUnusable, match="read-only"):
            open_database(database_file)
    finally:
        target.chmod(mode)
    assert fingerprint(database_file) == before


@pytest.mark.sqlite_only
def test_a_read_only_file_is_refused_even_for_root(
    database_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        if Path(str(path)) == database_file and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    before = fingerprint(database_file)
    monkeypatch.setattr(os, "access", access)
    with pytest.raises(DatabaseUnusable, match="read-only"):
        open_database(database_file)
    assert fingerprint(database_file) == before


@pytest.mark.sqlite_only
def test_a_newer_schema_is_refused_untouched(database_file: Path) -> None:
    with sqlite3.connect(database_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = fingerprint(database_file)
    for create in (False, True):
        with pytest.raises(SchemaTooNew, match="newer"):
            open_database(database_file, create=create)
    assert fingerprint(database_file) == before
