"""Consistent backups while the app may be running: SQLite's online backup API.

A backup is written beside its destination under a temporary name and moved into
place only when complete, so a full disk or a kill never leaves half a backup at the
destination; what a killed backup left behind is removed by the next one.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from csto_editor.core.errors import EditorError, InvalidInput
from csto_editor.services.context import ServiceContext
from csto_editor.services.server_backup import backup_server
from csto_editor.services.views import BackupResult
from csto_editor.store.database import Database
from csto_editor.store.failures import (
    StorageFull,
    backups_dir,
    daily_backup_pattern,
    damaged,
    translate,
)

DATABASE_IN_ZIP = "csto-editor.sqlite3"
ASSETS_IN_ZIP = "assets"
KEEP_DAILY_BACKUPS = 7
STAGING_PREFIX = ".csto-backup-"
_NO_SPACE = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def backup(ctx: ServiceContext, out: Path) -> BackupResult:
    """Copy the database (and, into a zip, its assets) to ``out``, atomically.

    A file ending in ``.zip`` holds the database and the asset files; any other name
    receives the database alone. Nothing appears at ``out`` until the copy is complete.
    On a PostgreSQL server the backup is a ``pg_dump`` archive (see server_backup).
    """
    if ctx.database.dialect == "postgresql":
        return backup_server(ctx, out)
    database_path = _database_path(ctx.database)
    with ctx.database.session() as session:
        ctx.actor(session)
    destination = out.expanduser().absolute()
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name for the backup")
    if not destination.parent.is_dir():
        raise InvalidInput(f"folder {destination.parent} does not exist")
    if destination.exists() and destination.samefile(database_path):
        raise InvalidInput("the backup cannot overwrite the database itself")
    assets = write_backup(ctx.database, destination)
    return BackupResult(str(destination), destination.stat().st_size, assets)


def automatic_backup(
    ctx: ServiceContext, *, today: dt.date | None = None, keep: int = KEEP_DAILY_BACKUPS
) -> Path | None:
    """The first backup of the day into ``backups/`` beside the database, keeping the
    newest ``keep``; None when today's exists already (or the database is read-only, or on
    a server, whose backups are its administrator's)."""
    if ctx.database.read_only or not ctx.database.target.is_sqlite:
        return None
    database_path = _database_path(ctx.database)
    folder = backups_dir(database_path)
    destination = daily_backup_path(database_path, today)
    if destination.exists():
        return None
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise EditorError(
            f"automatic backup: cannot make {folder}: {error.strerror or error}"
        ) from None
    write_backup(ctx.database, destination)
    prune_daily_backups(database_path, keep)
    return destination


def daily_backup_path(database: Path, today: dt.date | None = None) -> Path:
    """Where the automatic backup of ``today`` (by default the current day) goes."""
    day = today or dt.date.today()
    return backups_dir(database) / f"{database.stem}-{day.isoformat()}.sqlite3"


def daily_backup_due(database: Path, today: dt.date | None = None) -> bool:
    """True on the first start of a day: no automatic backup of today exists yet."""
    return not daily_backup_path(database, today).exists()


def prune_daily_backups(database: Path, keep: int = KEEP_DAILY_BACKUPS) -> list[Path]:
    """Remove all but the newest ``keep`` daily backups; the removed files."""
    folder = backups_dir(database)
    pattern = daily_backup_pattern(database)
    daily = sorted(path for path in folder.iterdir() if pattern.fullmatch(path.name))
    removed = daily[: max(0, len(daily) - keep)]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def write_backup(database: Database, destination: Path) -> int:
    """Write the backup to ``destination`` (a zip when its name ends in .zip); the number
    of asset files it holds."""
    database_path = _database_path(database)
    as_zip = destination.suffix.lower() == ".zip"
    remove_abandoned_staging(destination.parent)
    try:
        with tempfile.TemporaryDirectory(
            dir=destination.parent, prefix=f"{STAGING_PREFIX}{os.getpid()}-"
        ) as work:
            copy = Path(work) / DATABASE_IN_ZIP
            _copy_database(database, copy)
            assets_dir = database.target.assets_dir
            assets = _asset_files(assets_dir) if as_zip else []
            if as_zip:
                staged = Path(work) / "backup.zip"
                with zipfile.ZipFile(staged, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                    archive.write(copy, DATABASE_IN_ZIP)
                    assert assets_dir is not None or not assets
                    for path in assets:
                        assert assets_dir is not None
                        archive.write(path, f"{ASSETS_IN_ZIP}/{path.relative_to(assets_dir)}")
            else:
                staged = copy
            _fsync(staged)
            os.replace(staged, destination)
            _fsync_folder(destination.parent)
    except OSError as error:
        raise _write_failed(error, database_path) from None
    return len(assets)


def remove_abandoned_staging(folder: Path, prefix: str = STAGING_PREFIX) -> None:
    """Temporary files and folders named ``<prefix><pid>-…`` whose process was killed."""
    try:
        leftovers = list(folder.glob(f"{prefix}*"))
    except OSError:
        return
    for leftover in leftovers:
        try:
            pid = int(leftover.name[len(prefix) :].split("-", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _process_alive(pid):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def _database_path(database: Database) -> Path:
    target = database.target
    if not target.is_sqlite or target.path is None:
        raise InvalidInput("backup copies a SQLite database; back up a server with its own tools")
    return target.path


def _write_failed(error: OSError, database: Path) -> EditorError:
    reason = error.strerror or str(error)
    if error.errno in _NO_SPACE:
        return StorageFull(
            f"backup failed, nothing was written: the disk is full ({reason}); "
            f"{database} is unchanged"
        )
    return EditorError(f"backup failed, nothing was written: {reason}")


def _copy_database(database: Database, copy: Path) -> None:
    raw = database.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(copy)
        try:
            # One step: one consistent snapshot, never restarted by another program's writes.
            source.backup(destination, pages=-1)
            destination.execute("PRAGMA journal_mode=DELETE")
            check = destination.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                found = " ".join(str(check[0] if check else "no answer").split())
                raise damaged(database.target.path, f"its copy failed SQLite's check: {found}")
        finally:
            destination.close()
    except sqlite3.Error as error:
        translated = translate(error, copy)
        if isinstance(translated, StorageFull):
            raise StorageFull(
                f"backup failed, nothing was written: the disk is full ({error}); "
                f"{database.target.path} is unchanged"
            ) from None
        raise EditorError(f"backup failed, nothing was written: {error}") from None
    finally:
        raw.close()


def _asset_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
