"""Restoring the database from a backup, keeping a safety copy of what it replaces.

A sound database is an admin's to restore, and is restored through SQLite's backup
API into the live file under SQLite's write lock: programs that have it open see the
restored content on their next read, and a kill half-way leaves the old content
(the copy is one transaction). A database that cannot be opened at all (damaged,
not a database, missing) may be restored by anyone who can write its folder: the
file is replaced by a rename.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from csto_editor.core.errors import EditorError, InvalidInput, NotFound
from csto_editor.core.workflow import Role
from csto_editor.services.backup import (
    ASSETS_IN_ZIP,
    DATABASE_IN_ZIP,
    remove_abandoned_staging,
)
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import (
    BUSY_TIMEOUT_MS,
    Database,
    DatabaseReadOnly,
    DatabaseTarget,
    SchemaTooNew,
    check_sqlite_file,
    head_revision,
    known_revisions,
    open_database,
    resolve_target,
)
from csto_editor.store.failures import BUSY_MESSAGE, DatabaseBusy, backups_dir, translate

STAGING_PREFIX = ".csto-restore-"
PARTIAL_PREFIX = ".partial-"
REQUIRED_TABLES = {"alembic_version", "users", "sections", "items", "revisions", "reviews"}
MAX_EXTRACTED_BYTES = 20 * 1024**3
"""A zip announcing more than this is not one of our backups (or is a zip bomb)."""


@dataclass(frozen=True)
class RestoreResult:
    database: str
    restored_from: str
    safety_copy: str | None
    """Where the database as it was before the restore was kept (None: there was none)."""
    previous: str
    """What was replaced: "sound", "unusable" (with why) or "missing"."""
    items: int
    assets: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def restore(
    location: str | os.PathLike[str],
    source: Path,
    login: str,
    *,
    lock_timeout: float = BUSY_TIMEOUT_MS / 1000,
    now: dt.datetime | None = None,
) -> RestoreResult:
    """Replace the database at ``location`` with the backup ``source`` (a database file,
    or a zip written by `backup`), after keeping a safety copy in ``backups/``."""
    target = resolve_target(location)
    if not target.is_sqlite or target.path is None:
        raise InvalidInput("restore replaces a SQLite database; restore a server with its tools")
    database_path = target.path
    backup_file = source.expanduser().absolute()
    if not backup_file.exists():
        raise NotFound(f"{backup_file}: no such file")
    if backup_file.is_dir():
        raise InvalidInput(f"{backup_file} is a folder; give the backup file")
    if database_path.exists() and backup_file.samefile(database_path):
        raise InvalidInput("a database cannot be restored from itself")
    if not database_path.parent.is_dir():
        raise InvalidInput(f"folder {database_path.parent} does not exist")
    current, problem = _open_current(target)
    try:
        if current is not None:
            with current.session() as session:
                ServiceContext(current, login).require(session, (Role.ADMIN,), "restore a backup")
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        remove_abandoned_staging(database_path.parent, STAGING_PREFIX)
        remove_abandoned_staging(backups_dir(database_path), PARTIAL_PREFIX)
        with tempfile.TemporaryDirectory(
            dir=database_path.parent, prefix=f"{STAGING_PREFIX}{os.getpid()}-"
        ) as work:
            candidate, asset_members = _prepare(backup_file, Path(work))
            items = _count_items(candidate)
            if current is not None:
                safety = _restore_into_live(current, candidate, stamp, lock_timeout)
                previous = "sound"
            elif database_path.exists():
                safety = _replace_unusable(database_path, candidate, stamp, lock_timeout)
                previous = f"unusable: {problem}"
            else:
                _install(candidate, database_path)
                safety, previous = None, "missing"
            assets = _restore_assets(backup_file, asset_members, target)
    except OSError as error:
        raise EditorError(
            f"restore failed: {error.strerror or error}; {database_path} is as it was"
        ) from None
    finally:
        if current is not None:
            current.dispose()
    return RestoreResult(
        database=str(database_path),
        restored_from=str(backup_file),
        safety_copy=str(safety) if safety is not None else None,
        previous=previous,
        items=items,
        assets=assets,
    )


# -- the database being replaced -------------------------------------------------------


def _open_current(target: DatabaseTarget) -> tuple[Database | None, str | None]:
    """The current database when it is sound (restoring it needs an admin); else None and
    why it cannot be used."""
    assert target.path is not None
    if not target.path.exists():
        return None, "missing"
    try:
        return open_database(target.path, verify=True), None
    except (DatabaseReadOnly, DatabaseBusy):
        raise
    except (EditorError, SchemaTooNew) as error:
        return None, str(error)


def _safety_path(database: Path, stamp: str) -> tuple[Path, Path]:
    """Where the safety copy goes, and the name it is written under until complete."""
    folder = backups_dir(database)
    folder.mkdir(exist_ok=True)
    name = f"{database.stem}-before-restore-{stamp}.sqlite3"
    return folder / name, folder / f"{PARTIAL_PREFIX}{os.getpid()}-{name}"


def _keep(partial: Path, safety: Path) -> None:
    _fsync(partial)
    os.replace(partial, safety)


def _restore_into_live(current: Database, candidate: Path, stamp: str, lock_timeout: float) -> Path:
    """Keep a copy of the live database taken under its write lock, then copy the backup
    into it in one transaction."""
    assert current.target.path is not None
    safety, partial = _safety_path(current.target.path, stamp)
    current.dispose()
    live = sqlite3.connect(current.target.path, timeout=lock_timeout, isolation_level=None)
    try:
        # While this connection holds the write lock nobody can change the database, and
        # another connection reads (WAL readers are not blocked) the copy kept for safety.
        _lock(live)
        try:
            reader = sqlite3.connect(current.target.path, timeout=lock_timeout)
            kept = sqlite3.connect(partial)
            try:
                reader.backup(kept, pages=-1)
                kept.execute("PRAGMA journal_mode=DELETE")
            finally:
                kept.close()
                reader.close()
            _keep(partial, safety)
        finally:
            live.execute("ROLLBACK")
        # The backup API takes the write lock again for the copy, which is one transaction.
        source = sqlite3.connect(f"{candidate.as_uri()}?mode=ro", uri=True)
        try:
            deadline = time.monotonic() + lock_timeout

            def give_up_when_busy(status: int, _remaining: int, _total: int) -> None:
                if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and (
                    time.monotonic() > deadline
                ):
                    raise DatabaseBusy(BUSY_MESSAGE)

            source.backup(live, pages=-1, progress=give_up_when_busy)
        finally:
            source.close()
        live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise _failed(error, current.target.path) from None
    finally:
        live.close()
    return safety


def _lock(connection: sqlite3.Connection) -> None:
    """Take the write lock (waiting up to the timeout), or refuse: another program writes."""
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseBusy(
                "the database is busy (another program is writing); close it and try again; "
                "nothing was restored"
            ) from None
        raise


def _replace_unusable(database: Path, candidate: Path, stamp: str, lock_timeout: float) -> Path:
    """Keep the unusable file (and its -wal) byte for byte, then rename the backup over it."""
    try:
        probe = sqlite3.connect(database, timeout=lock_timeout, isolation_level=None)
        try:
            _lock(probe)
            probe.execute("ROLLBACK")
        finally:
            probe.close()
    except sqlite3.Error:
        pass  # not even SQLite can lock it: nobody is writing to it either
    safety, partial = _safety_path(database, stamp)
    wal = Path(f"{database}-wal")
    if wal.exists():
        shutil.copyfile(wal, partial)
        _keep(partial, Path(f"{safety}-wal"))
    shutil.copyfile(database, partial)
    _keep(partial, safety)
    # A -wal beside the new file would be replayed into it: the old one goes first.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    _install(candidate, database)
    return safety


def _install(candidate: Path, database: Path) -> None:
    _fsync(candidate)
    os.replace(candidate, database)
    _fsync_folder(database.parent)


# -- the backup being restored ---------------------------------------------------------


def _prepare(backup_file: Path, work: Path) -> tuple[Path, list[str]]:
    """A private, checked copy of the backup's database at the current schema; and the
    asset members of a zip."""
    extracted = work / "extracted.sqlite3"
    members: list[str] = []
    if zipfile.is_zipfile(backup_file):
        try:
            with zipfile.ZipFile(backup_file) as archive:
                infos = archive.infolist()
                if sum(info.file_size for info in infos) > MAX_EXTRACTED_BYTES:
                    raise InvalidInput(f"{backup_file} is too large to be a CSTO Editor backup")
                names = {info.filename for info in infos}
                if DATABASE_IN_ZIP not in names:
                    raise InvalidInput(
                        f"{backup_file} is a zip without {DATABASE_IN_ZIP}: not a CSTO Editor "
                        "backup"
                    )
                with archive.open(DATABASE_IN_ZIP) as stream, extracted.open("wb") as out:
                    shutil.copyfileobj(stream, out)
                members = [
                    name
                    for name in sorted(names)
                    if name.startswith(f"{ASSETS_IN_ZIP}/") and not name.endswith("/")
                ]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
            raise InvalidInput(f"{backup_file} is a damaged zip: {error}") from None
        source = extracted
    else:
        source = backup_file
    candidate = work / "restored.sqlite3"
    _checked_copy(source, candidate, backup_file)
    _upgrade(candidate)
    return candidate, members


def _checked_copy(source: Path, candidate: Path, named: Path) -> None:
    """Copy ``source`` (read-only, with its -wal if any) to ``candidate`` and prove it is
    a sound CSTO Editor database this app can use."""
    not_ours = f"{named} is not a CSTO Editor backup"
    try:
        check_sqlite_file(source, must_exist=True, allow_read_only=True)
    except EditorError as error:
        raise InvalidInput(f"{not_ours}: {error}") from None
    try:
        reader = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(candidate)
            try:
                reader.backup(copy, pages=-1)
                check = [row[0] for row in copy.execute("PRAGMA quick_check")]
                tables = {
                    row[0]
                    for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                version = (
                    copy.execute("SELECT version_num FROM alembic_version").fetchone()
                    if "alembic_version" in tables
                    else None
                )
            finally:
                copy.close()
        finally:
            reader.close()
    except sqlite3.Error as error:
        translated = translate(error, named)
        if translated is not None and not isinstance(translated, DatabaseReadOnly):
            raise InvalidInput(f"{not_ours}: {translated}") from None
        raise InvalidInput(f"{not_ours}: {error}") from None
    if check != ["ok"]:
        raise InvalidInput(f"{named} is a damaged backup ({check[0]}); choose an older one")
    if not REQUIRED_TABLES.issubset(tables):
        raise InvalidInput(f"{not_ours}: it is the database of another program")
    if version is None or version[0] not in known_revisions():
        raise InvalidInput(
            f"{named} was written by a newer CSTO Editor (schema "
            f"{version[0] if version else '?'}); update the app to restore it"
        )


def _upgrade(candidate: Path) -> None:
    """Bring an older backup to this app's schema before it replaces anything."""
    database = open_database(candidate, create=True)
    try:
        if database.schema_revision() != head_revision():
            database.migrate()
    finally:
        database.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{candidate}{suffix}").unlink(missing_ok=True)


def _count_items(candidate: Path) -> int:
    connection = sqlite3.connect(f"{candidate.as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM items").fetchone()[0])
    finally:
        connection.close()


def _restore_assets(backup_file: Path, members: list[str], target: DatabaseTarget) -> int:
    """Put back the zip's asset files that are missing (they are content-addressed: a file
    already there is the same file)."""
    folder = target.assets_dir
    if not members or folder is None:
        return 0
    restored = 0
    root = folder.absolute()
    with zipfile.ZipFile(backup_file) as archive:
        for name in members:
            relative = PurePosixPath(name).relative_to(ASSETS_IN_ZIP)
            if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                continue
            destination = root.joinpath(*relative.parts)
            if destination.exists():
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            partial = destination.with_name(f".{destination.name}.restoring-{os.getpid()}")
            with archive.open(name) as stream, partial.open("wb") as out:
                shutil.copyfileobj(stream, out)
            os.replace(partial, destination)
            restored += 1
    return restored


def _failed(error: sqlite3.Error, database: Path) -> EditorError:
    translated = translate(error, database)
    reason = str(translated) if translated is not None else str(error)
    return EditorError(f"restore failed, {database} is as it was: {reason}")


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
