"""Consistent backups while the app may be running: SQLite's online backup API."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from csto_editor.core.errors import EditorError, InvalidInput
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import BackupResult

DATABASE_IN_ZIP = "csto-editor.sqlite3"
ASSETS_IN_ZIP = "assets"


def backup(ctx: ServiceContext, out: Path) -> BackupResult:
    """Copy the database (and, into a zip, its assets) to ``out``, atomically.

    A file ending in ``.zip`` holds the database and the asset files; any other name
    receives the database alone. Nothing appears at ``out`` until the copy is complete.
    """
    target = ctx.database.target
    if not target.is_sqlite or target.path is None:
        raise InvalidInput("backup copies a SQLite database; back up a server with its own tools")
    with ctx.database.session() as session:
        ctx.actor(session)
    destination = out.expanduser().absolute()
    if destination.is_dir():
        raise InvalidInput(f"{destination} is a folder; give a file name for the backup")
    if not destination.parent.is_dir():
        raise InvalidInput(f"folder {destination.parent} does not exist")
    if destination.exists() and destination.samefile(target.path):
        raise InvalidInput("the backup cannot overwrite the database itself")
    as_zip = destination.suffix.lower() == ".zip"
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".csto-backup-") as work:
        copy = Path(work) / DATABASE_IN_ZIP
        _copy_database(ctx, copy)
        assets = _asset_files(target.assets_dir)
        if as_zip:
            staged = Path(work) / "backup.zip"
            with zipfile.ZipFile(staged, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.write(copy, DATABASE_IN_ZIP)
                assert target.assets_dir is not None
                for path in assets:
                    archive.write(path, f"{ASSETS_IN_ZIP}/{path.relative_to(target.assets_dir)}")
        else:
            staged = copy
        _fsync(staged)
        os.replace(staged, destination)
        _fsync_folder(destination.parent)
    return BackupResult(str(destination), destination.stat().st_size, len(assets) if as_zip else 0)


def _copy_database(ctx: ServiceContext, copy: Path) -> None:
    raw = ctx.database.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        destination = sqlite3.connect(copy)
        try:
            source.backup(destination, pages=4096)
            destination.execute("PRAGMA journal_mode=DELETE")
            check = destination.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise EditorError(f"the backup copy failed its integrity check: {check}")
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise EditorError(f"backup failed: {error}") from None
    finally:
        raw.close()


def _asset_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file())


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
