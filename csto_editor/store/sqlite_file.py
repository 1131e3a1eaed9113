"""The SQLite file itself, looked at before SQLite opens it: is it a database, is it
whole, can it be written, and how to read it without writing anything beside it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from csto_editor.core.errors import NotFound
from csto_editor.store import failures
from csto_editor.store.failures import DatabaseReadOnly, DatabaseUnusable

SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(path: Path, *, must_exist: bool, allow_read_only: bool = False) -> str | None:
    """Refuse, without touching it, a file SQLite cannot safely open for writing.

    With ``allow_read_only`` a database that cannot be written is accepted for reading:
    the reason it is read-only is returned (None when it can be written).
    """
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a folder, not a database file")
    if not path.exists():
        if must_exist:
            raise NotFound(f"no database at {path}; create it with `csto-editor init`")
        if not path.parent.is_dir():
            raise DatabaseUnusable(f"folder {path.parent} does not exist")
        if not _writable(path.parent):
            raise DatabaseUnusable(f"folder {path.parent} is read-only; cannot create a database")
        return None
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
                raise failures.damaged(path, "the file is truncated")
            raise DatabaseUnusable(f"{path} is not a SQLite database")
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        page_count = int.from_bytes(header[28:32], "big")
        counter_valid = header[24:28] == header[92:96]
        if page_size < 512 or page_size & (page_size - 1):
            raise failures.damaged(path, "its SQLite header is damaged")
        if size % page_size or (counter_valid and size < page_count * page_size):
            raise failures.damaged(path, "the file is truncated")
    reason = read_only_reason(path)
    if reason is not None and not (allow_read_only and size > 0):
        raise DatabaseReadOnly(
            f"{path} is read-only ({reason}) and this command changes it; copy it somewhere "
            "writable or fix its permissions"
        )
    return reason


def read_only_reason(path: Path) -> str | None:
    if not _writable(path):
        return "the file cannot be written"
    if not _writable(path.parent):
        return f"its folder {path.parent} cannot be written"
    return None


def _writable(path: Path) -> bool:
    """Writable for us, and not marked read-only (which root would otherwise ignore);
    os.access also sees the immutable attribute (``chattr +i``), even for root."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


@contextmanager
def no_new_side_files(path: Path) -> Iterator[None]:
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


def read_only_uri(path: Path) -> str:
    """How to open a database that cannot be written, without writing anything beside it.

    Without a -wal file the file alone holds every change, and ``immutable`` reads it
    with no -shm file and no locks (neither could be made in a read-only folder). A -wal
    file with content holds changes not yet copied into the file; SQLite reads it with
    ``mode=ro`` (which needs the -shm file or a folder to make it in).
    """
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return f"{path.as_uri()}?mode=ro"
    return f"{path.as_uri()}?immutable=1"
