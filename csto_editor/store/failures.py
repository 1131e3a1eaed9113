"""What can go wrong with the database file itself, said in one line with the way out.

SQLite reports a busy lock, a read-only file, a full disk or a damaged file as
OperationalError and friends; ``translate`` turns them into EditorError subclasses so
that no caller ever shows a driver's traceback.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from csto_editor.core.errors import EditorError, InvalidInput

BACKUPS_FOLDER = "backups"
"""Automatic daily backups live in this folder beside the database file."""


class DatabaseUnusable(InvalidInput):
    """The file named as the database cannot be used; it was left as it was."""


class DatabaseReadOnly(DatabaseUnusable):
    """The database was opened read-only, or must be written and cannot be."""


class DatabaseDamaged(DatabaseUnusable):
    """SQLite found the file damaged (quick_check, or a malformed page met while working)."""


class DatabaseBusy(EditorError):
    """Another program held the write lock for longer than the busy timeout."""


class StorageFull(EditorError):
    """The disk (or the file size limit) is full: nothing was written."""


BUSY_MESSAGE = "the database is busy (another program is writing); try again"


def backups_dir(database: Path) -> Path:
    """The folder of automatic backups of ``database``."""
    return database.parent / BACKUPS_FOLDER


def daily_backup_pattern(database: Path) -> re.Pattern[str]:
    """File names of the automatic daily backups of ``database``: <stem>-YYYY-MM-DD.sqlite3."""
    return re.compile(rf"{re.escape(database.stem)}-(\d{{4}}-\d{{2}}-\d{{2}})\.sqlite3")


def newest_backup(database: Path) -> Path | None:
    """The newest automatic backup of ``database``, if there is one."""
    folder = backups_dir(database)
    if not folder.is_dir():
        return None
    pattern = daily_backup_pattern(database)
    try:
        names = sorted(path.name for path in folder.iterdir() if pattern.fullmatch(path.name))
    except OSError:
        return None
    return folder / names[-1] if names else None


def restore_hint(database: Path | None) -> str:
    """The way out of a damaged database: which command restores which backup."""
    if database is None:
        return "restore it from a backup with `csto-editor restore FILE`"
    newest = newest_backup(database)
    if newest is None:
        return "restore it from your latest backup with `csto-editor restore FILE`"
    return f"restore the newest automatic backup with `csto-editor restore {newest}`"


def damaged(database: Path | None, detail: str) -> DatabaseDamaged:
    where = str(database) if database is not None else "the database"
    return DatabaseDamaged(f"{where} is damaged ({detail}); {restore_hint(database)}")


def _driver_error(error: BaseException) -> BaseException:
    return error.orig if isinstance(error, DBAPIError) and error.orig is not None else error


def translate(error: BaseException, database: Path | None) -> EditorError | None:
    """The EditorError to show for a database driver error, or None when it is no fault
    of the file (a constraint, a bug: the caller decides)."""
    original = _driver_error(error)
    if not isinstance(original, sqlite3.Error):
        return None
    name = getattr(original, "sqlite_errorname", "") or ""
    message = str(original).lower()
    where = str(database) if database is not None else "the database"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in message:
        return DatabaseBusy(BUSY_MESSAGE)
    if name.startswith("SQLITE_READONLY") or "readonly database" in message:
        return DatabaseReadOnly(
            f"{where} is read-only; nothing was saved (copy it somewhere writable or fix "
            "its permissions to change it)"
        )
    if name == "SQLITE_FULL" or "disk is full" in message:
        return StorageFull(f"the disk is full; nothing was saved to {where}: free some space")
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in message:
        return StorageFull(
            f"{where} could not be written ({original}; is the disk full?); nothing was saved"
        )
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB" or "malformed" in message:
        return damaged(database, str(original))
    return None
