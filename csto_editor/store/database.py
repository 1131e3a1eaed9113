"""Opening a database: checking the file first, connection settings, sessions, migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from csto_editor.core.errors import EditorError, InvalidInput, NotFound

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
MIGRATIONS = "csto_editor.store:migrations"


class DatabaseUnusable(InvalidInput):
    """The file named as the database cannot be used; it was left as it was."""


class SchemaTooNew(EditorError):
    """The database was written by a newer version of the app."""


@dataclass(frozen=True)
class DatabaseTarget:
    """Where the database is: a SQLAlchemy URL, and the file when it is SQLite."""

    url: URL
    path: Path | None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def assets_dir(self) -> Path | None:
        """Content-addressed asset files live in a folder beside a SQLite file."""
        if self.path is None:
            return None
        return self.path.with_name(self.path.name + ".assets")


def resolve_target(location: str | os.PathLike[str]) -> DatabaseTarget:
    """A path or a SQLAlchemy URL, as a target."""
    text = os.fspath(location)
    if "://" in text:
        url = make_url(text)
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            path = (
                Path(database).expanduser().absolute() if database not in ("", ":memory:") else None
            )
            return DatabaseTarget(url, path)
        return DatabaseTarget(url, None)
    path = Path(text).expanduser().absolute()
    return DatabaseTarget(URL.create("sqlite+pysqlite", database=str(path)), path)


def check_sqlite_file(path: Path, *, must_exist: bool) -> None:
    """Refuse, without touching it, a file SQLite cannot safely open for writing."""
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a folder, not a database file")
    if not path.exists():
        if must_exist:
            raise NotFound(f"no database at {path}; create it with `csto-editor init`")
        if not path.parent.is_dir():
            raise DatabaseUnusable(f"folder {path.parent} does not exist")
        if not _writable(path.parent):
            raise DatabaseUnusable(f"folder {path.parent} is read-only; cannot create a database")
        return
    if not os.access(path, os.R_OK):
        raise DatabaseUnusable(f"{path} cannot be read (permission denied)")
    size = path.stat().st_size
    if size == 0:
        if must_exist:
            raise NotFound(f"{path} is empty; create the database with `csto-editor init`")
    else:
        with path.open("rb") as stream:
            header = stream.read(100)
        if not header.startswith(SQLITE_HEADER[: len(header)]) or len(header) < 100:
            if header.startswith(SQLITE_HEADER[: len(header)]):
                raise DatabaseUnusable(f"{path} is a truncated SQLite database")
            raise DatabaseUnusable(f"{path} is not a SQLite database")
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        page_count = int.from_bytes(header[28:32], "big")
        counter_valid = header[24:28] == header[92:96]
        if page_size < 512 or page_size & (page_size - 1):
            raise DatabaseUnusable(f"{path} has a damaged SQLite header")
        if size % page_size or (counter_valid and size < page_count * page_size):
            raise DatabaseUnusable(f"{path} is a truncated SQLite database")
    if not _writable(path) or not _writable(path.parent):
        raise DatabaseUnusable(
            f"{path} is read-only; copy it somewhere writable or fix its permissions"
        )


def _writable(path: Path) -> bool:
    """Writable for us, and not marked read-only (which root would otherwise ignore)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _alembic_config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every schema revision this version of the app knows."""
    script = ScriptDirectory.from_config(_alembic_config(None))
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    """The newest schema revision this version of the app writes."""
    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return head


@contextmanager
def _no_new_side_files(path: Path) -> Iterator[None]:
    """When a database is refused, remove the -wal and -shm files that reading it made."""
    side_files = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = [side.exists() for side in side_files]
    try:
        yield
    except BaseException:
        for side, was_there in zip(side_files, existed, strict=True):
            if not was_there:
                side.unlink(missing_ok=True)
        raise


def _stored_schema_revision(target: DatabaseTarget) -> str | None:
    """The schema revision in a SQLite file, read through a connection that writes nothing."""
    assert target.path is not None
    if not target.path.exists() or target.path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(f"{target.path.as_uri()}?mode=ro", uri=True, timeout=10)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseUnusable(f"{target.path} is a SQLite database of another program")
                return None
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseUnusable(f"{target.path} cannot be read as a database: {error}") from None
    return None if row is None else str(row[0])


class Database:
    """An open database: its engine and a factory of short-lived sessions."""

    def __init__(self, target: DatabaseTarget, engine: Engine, *, new_file: bool = False) -> None:
        self.target = target
        self.engine = engine
        self.new_file = new_file
        """True when opening created the SQLite file: discard_new_file may remove it."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def migrate(self) -> bool:
        """Create or upgrade the schema to this app's head; True when anything changed."""
        before = self.schema_revision()
        if before is not None and before not in known_revisions():
            raise SchemaTooNew(_too_new_message(self.target, before))
        if before == head_revision():
            return False
        with self.engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
        return True

    def require_current_schema(self) -> None:
        """Refuse a database that is missing, older or newer than this app."""
        revision = self.schema_revision()
        if revision is None:
            raise NotFound(
                f"{_describe(self.target)} has no CSTO Editor data; run `csto-editor init`"
            )
        if revision not in known_revisions():
            raise SchemaTooNew(_too_new_message(self.target, revision))
        if revision != head_revision():
            raise EditorError(
                f"{_describe(self.target)} uses an older schema; "
                "run `csto-editor init` to upgrade it"
            )

    def dispose(self) -> None:
        self.engine.dispose()

    def discard_new_file(self) -> None:
        """Remove the file this open created (after a failed first init): nothing half-made."""
        self.engine.dispose()
        if not self.new_file or self.target.path is None:
            return
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.target.path}{suffix}").unlink(missing_ok=True)


def _describe(target: DatabaseTarget) -> str:
    if target.path is not None:
        return str(target.path)
    return target.url.render_as_string(hide_password=True)


def _too_new_message(target: DatabaseTarget, revision: str) -> str:
    return (
        f"{_describe(target)} was written by a newer CSTO Editor (schema {revision}); "
        "update the app to open it"
    )


def open_database(location: str | os.PathLike[str], *, create: bool = False) -> Database:
    """Open the database at a path or URL after checking it can be used safely.

    Without ``create`` the database must exist with this app's current schema. A file
    that is not a usable SQLite database, or one from a newer app, is never modified.
    """
    target = resolve_target(location)
    new_file = False
    if target.is_sqlite and target.path is not None:
        new_file = not target.path.exists()
        check_sqlite_file(target.path, must_exist=not create)
        with _no_new_side_files(target.path):
            stored = _stored_schema_revision(target)
            if stored is not None and stored not in known_revisions():
                raise SchemaTooNew(_too_new_message(target, stored))
            if stored is None and not create:
                raise NotFound(f"{target.path} has no CSTO Editor data; run `csto-editor init`")
    engine = _create_engine(target)
    database = Database(target, engine, new_file=new_file)
    try:
        if not create:
            database.require_current_schema()
    except BaseException:
        engine.dispose()
        raise
    return database


def _create_engine(target: DatabaseTarget) -> Engine:
    if target.is_sqlite:
        engine = create_engine(
            target.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, pool_pre_ping=False
        )
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    try:
        return create_engine(target.url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:  # a missing driver or a malformed URL
        raise DatabaseUnusable(f"cannot use {_describe(target)}: {error}") from None
