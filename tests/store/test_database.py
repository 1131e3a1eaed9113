"""Opening databases: connection settings, unusable files left untouched, schema versions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from csto_editor.core.errors import InvalidInput, NotFound
from csto_editor.store.database import (
    DatabaseUnusable,
    SchemaTooNew,
    head_revision,
    open_database,
)


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    path = tmp_path / "editor.sqlite3"
    database = open_database(path, create=True)
    database.migrate()
    database.dispose()
    return path


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


def test_foreign_keys_are_enforced(database_file: Path) -> None:
    database = open_database(database_file)
    with pytest.raises(Exception, match="FOREIGN KEY"), database.session() as session:
        session.execute(
            text(
                "INSERT INTO sections (slug, name_en, name_ru, position, default_type, parent_id)"
                " VALUES ('x', 'X', 'X', 0, 'news', 999)"
            )
        )
    database.dispose()


def test_migrate_is_idempotent_and_reaches_head(database_file: Path) -> None:
    database = open_database(database_file, create=True)
    assert database.migrate() is False
    assert database.schema_revision() == head_revision()
    database.dispose()


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


def test_a_missing_database_is_not_found_without_create(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="init"):
        open_database(tmp_path / "nothing.sqlite3")
    assert not (tmp_path / "nothing.sqlite3").exists()


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


def test_a_newer_schema_is_refused_untouched(database_file: Path) -> None:
    with sqlite3.connect(database_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = fingerprint(database_file)
    for create in (False, True):
        with pytest.raises(SchemaTooNew, match="newer"):
            open_database(database_file, create=create)
    assert fingerprint(database_file) == before
