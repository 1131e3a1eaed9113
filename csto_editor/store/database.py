"""Opening a database: checking the file first, connection settings, sessions, migrations."""

from __future__ import annotations

import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from csto_editor.core.errors import ConflictError, EditorError, NotFound
from csto_editor.store import failures
from csto_editor.store.failures import DatabaseDamaged, DatabaseReadOnly, DatabaseUnusable
from csto_editor.store.sqlite_file import check_sqlite_file, no_new_side_files, read_only_uri

if TYPE_CHECKING:
    from alembic.config import Config

BUSY_TIMEOUT_MS = 10_000
MIGRATIONS = "csto_editor.store:migrations"
_WRITING = re.compile(
    r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|SAVEPOINT)\b", re.IGNORECASE
)
"""Statements that write: the first one in a unit of work takes the write lock."""

__all__ = [
    "BUSY_TIMEOUT_MS",
    "Database",
    "DatabaseDamaged",
    "DatabaseReadOnly",
    "DatabaseTarget",
    "DatabaseUnusable",
    "SchemaTooNew",
    "check_sqlite_file",
    "head_revision",
    "known_revisions",
    "open_database",
    "resolve_target",
]


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


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # The driver's own transaction handling (an implicit BEGIN before DML only) would leave
    # DDL outside any transaction: a migration killed half-way stayed half-done. Units of
    # work begin in _begin_before_writing instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    # FULL: a change acknowledged to the user survives a power cut, not only a crash.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _set_read_only_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def _begin_before_writing(
    _connection: object,
    cursor: sqlite3.Cursor,
    statement: str,
    _parameters: object,
    _context: object,
    _executemany: bool,
) -> None:
    """Open the unit of work's transaction with BEGIN IMMEDIATE at its first write.

    Reads before it need no lock (WAL readers never wait), and a transaction that takes
    the write lock first never has to upgrade a read snapshot to a write one (which
    fails at once with SQLITE_BUSY instead of waiting). Waiting for another writer is
    bounded by the busy timeout.
    """
    raw = cursor.connection
    if not raw.in_transaction and _WRITING.match(statement):
        cursor.execute("BEGIN IMMEDIATE")


def _alembic_config(connection: object) -> Config:
    # Alembic costs a fifth of a second to import: only creating or upgrading needs it.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


_VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION_LINE = re.compile(r"^revision\s*=\s*[\"'](?P<id>[^\"']+)[\"']", re.MULTILINE)
_DOWN_LINE = re.compile(r"^down_revision\s*=\s*(?P<value>.+)$", re.MULTILINE)


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, tuple[str, ...]]:
    """Each migration's revision id and the ids it revises, read from the version files
    as Alembic reads them (without importing Alembic, which commands that only open a
    database need not pay for)."""
    graph: dict[str, tuple[str, ...]] = {}
    for script in sorted(_VERSIONS.glob("*.py")):
        source = script.read_text(encoding="utf-8")
        revision = _REVISION_LINE.search(source)
        down = _DOWN_LINE.search(source)
        if revision is None or down is None:
            continue
        graph[revision["id"]] = tuple(re.findall(r"[\"']([^\"']+)[\"']", down["value"]))
    return graph


def known_revisions() -> set[str]:
    """Every schema revision this version of the app knows."""
    return set(_revision_graph())


def head_revision() -> str:
    """The newest schema revision this version of the app writes."""
    graph = _revision_graph()
    revised = {parent for parents in graph.values() for parent in parents}
    heads = sorted(set(graph) - revised)
    assert len(heads) == 1, f"migrations have {len(heads)} heads: {heads}"
    return heads[0]


def _stored_schema_revision(target: DatabaseTarget, uri: str | None = None) -> str | None:
    """The schema revision in a SQLite file, read through a connection that writes nothing."""
    assert target.path is not None
    if not target.path.exists() or target.path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(
            uri or f"{target.path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
        )
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
        translated = failures.translate(error, target.path)
        if isinstance(translated, DatabaseDamaged | failures.DatabaseBusy):
            raise translated from None
        raise DatabaseUnusable(f"{target.path} cannot be read as a database: {error}") from None
    return None if row is None else str(row[0])


class Database:
    """An open database: its engine and a factory of short-lived sessions."""

    def __init__(
        self,
        target: DatabaseTarget,
        engine: Engine,
        *,
        new_file: bool = False,
        read_only_reason: str | None = None,
        session_tag: str = "",
    ) -> None:
        self.target = target
        self.session_tag = session_tag
        """PostgreSQL: the ``application_name`` of these sessions, which their change
        notices end with; empty on SQLite."""
        self.engine = engine
        self.new_file = new_file
        """True when opening created the SQLite file: discard_new_file may remove it."""
        self.read_only_reason = read_only_reason
        """Why the database was opened read-only (None: it can be written)."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def read_only(self) -> bool:
        """True when the file could not be written and was opened for reading only."""
        return self.read_only_reason is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on any error.

        A busy lock, a read-only file, a full disk, a damaged file or a row changed by
        another program meanwhile come out as EditorError subclasses, never as driver
        errors.
        """
        try:
            with self._sessions() as session, session.begin():
                yield session
        except StaleDataError:
            raise ConflictError(
                "the item was changed by someone else meanwhile; nothing was overwritten: "
                "reload it and try again"
            ) from None
        except (DBAPIError, sqlite3.Error) as error:
            translated = self.translate(error)
            if translated is None:
                raise
            if isinstance(translated, DatabaseReadOnly) and self.read_only:
                translated = DatabaseReadOnly(self.read_only_message())
            raise translated from None

    def translate(self, error: BaseException) -> EditorError | None:
        """The one-line EditorError for a driver error about the file, if it is one."""
        if not self.target.is_sqlite:
            return None
        return failures.translate(error, self.target.path)

    def read_only_message(self) -> str:
        return (
            f"{_describe(self.target)} is open read-only ({self.read_only_reason}); "
            "changes cannot be saved: copy it somewhere writable or fix its permissions"
        )

    def quick_check(self, *, full: bool = False) -> list[str]:
        """SQLite's own check of the file (``quick_check``, or ``integrity_check`` when
        ``full``): the problems it found, none when the database is sound."""
        if not self.target.is_sqlite:
            return []
        pragma = "integrity_check" if full else "quick_check"
        try:
            with self.engine.connect() as connection:
                rows = connection.exec_driver_sql(f"PRAGMA {pragma}").fetchall()
        except (DBAPIError, sqlite3.Error) as error:
            translated = self.translate(error)
            if isinstance(translated, DatabaseDamaged):
                return [str(getattr(error, "orig", error))]
            if translated is not None:
                raise translated from None
            raise
        problems = [
            line.strip()
            for row in rows
            for line in str(row[0]).splitlines()
            if line.strip() and not line.startswith("***")  # "*** in database main ***"
        ]
        return [] if problems == ["ok"] else problems

    def verify(self) -> None:
        """Refuse a damaged database, naming the way out (the newest automatic backup)."""
        problems = self.quick_check()
        if problems:
            more = f" and {len(problems) - 1} more problems" if len(problems) > 1 else ""
            raise failures.damaged(self.target.path, f"{problems[0]}{more}")

    def schema_revision(self) -> str | None:
        """The revision in Alembic's version table; None for a database without one."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        if len(rows) > 1:
            raise EditorError(f"{_describe(self.target)} has {len(rows)} schema revisions")
        return str(rows[0][0]) if rows else None

    def migrate(self) -> bool:
        """Create or upgrade the schema to this app's head; True when anything changed."""
        before = self.schema_revision()
        if before is not None and before not in known_revisions():
            raise SchemaTooNew(_too_new_message(self.target, before))
        if before == head_revision():
            return False
        from alembic import command

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


def open_database(
    location: str | os.PathLike[str],
    *,
    create: bool = False,
    allow_read_only: bool = False,
    verify: bool = False,
) -> Database:
    """Open the database at a path or URL after checking it can be used safely.

    Without ``create`` the database must exist with this app's current schema. A file
    that is not a usable SQLite database, or one from a newer app, is never modified.
    With ``allow_read_only`` a file (or folder) that cannot be written is opened for
    reading (``Database.read_only``) instead of refused; with ``verify`` SQLite's
    quick_check must find the file sound.
    """
    target = resolve_target(location)
    new_file = False
    read_only_reason: str | None = None
    if target.is_sqlite and target.path is not None:
        new_file = not target.path.exists()
        read_only_reason = check_sqlite_file(
            target.path, must_exist=not create, allow_read_only=allow_read_only and not create
        )
        uri = read_only_uri(target.path) if read_only_reason else None
        with no_new_side_files(target.path):
            stored = _stored_schema_revision(target, uri)
            if stored is not None and stored not in known_revisions():
                raise SchemaTooNew(_too_new_message(target, stored))
            if stored is None and not create:
                raise NotFound(f"{target.path} has no CSTO Editor data; run `csto-editor init`")
    session_tag = _session_tag(target)
    engine = _create_engine(target, read_only=read_only_reason is not None, session_tag=session_tag)
    database = Database(
        target,
        engine,
        new_file=new_file,
        read_only_reason=read_only_reason,
        session_tag=session_tag,
    )
    try:
        if not create:
            database.require_current_schema()
        if verify:
            database.verify()
    except (DBAPIError, sqlite3.Error) as error:
        engine.dispose()
        translated = database.translate(error)
        if translated is None:
            raise
        raise translated from None
    except BaseException:
        engine.dispose()
        raise
    return database


def _session_tag(target: DatabaseTarget) -> str:
    """The ``application_name`` of this open's sessions on PostgreSQL: change notices end
    with it, so an app tells its own changes from other editors' (store.change_notices)."""
    if target.url.get_backend_name() != "postgresql":
        return ""
    given = target.url.query.get("application_name")
    return given if isinstance(given, str) else f"csto-editor {secrets.token_hex(6)}"


def _create_engine(
    target: DatabaseTarget, *, read_only: bool = False, session_tag: str = ""
) -> Engine:
    if target.is_sqlite and read_only:
        assert target.path is not None
        uri = read_only_uri(target.path)
        engine = create_engine(
            "sqlite+pysqlite://",
            poolclass=QueuePool,
            creator=lambda: sqlite3.connect(
                uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            ),
        )
        event.listen(engine, "connect", _set_read_only_pragmas)
        return engine
    if target.is_sqlite:
        engine = create_engine(
            target.url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, pool_pre_ping=False
        )
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _begin_before_writing)
        return engine
    connect_args = {"application_name": session_tag} if session_tag else {}
    try:
        return create_engine(target.url, pool_pre_ping=True, connect_args=connect_args)
    except (ArgumentError, ImportError) as error:  # a missing driver or a malformed URL
        raise DatabaseUnusable(f"cannot use {_describe(target)}: {error}") from None
