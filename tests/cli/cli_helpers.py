"""Helpers for the command-line tests: results, files, the console script."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

# --------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Result:
    """What one run of the command line did."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout as one JSON document (fails the test when it is anything else)."""
        return json.loads(self.out)

    def assert_ok(self) -> Result:
        assert self.code == 0, f"exit {self.code}, stderr: {self.err!r}"
        assert self.err == "", self.err
        return self

    def assert_error(self, code: int, *fragments: str) -> Result:
        """Exit ``code`` with exactly one ``error:`` line naming every fragment."""
        assert self.code == code, f"exit {self.code} (wanted {code}); stderr: {self.err!r}"
        assert_one_error_line(self.err)
        for fragment in fragments:
            assert fragment.lower() in self.err.lower(), (fragment, self.err)
        return self


def assert_one_error_line(err: str) -> None:
    assert err.endswith("\n"), repr(err)
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr is not one line: {err!r}"
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err


Runner = Callable[..., Result]
"""A fixture that runs the command line and returns its Result."""


# --------------------------------------------------------------------------------------
# Markdown files


def front_matter_file(path: Path, fields: Mapping[str, object], body: str = "Text.") -> Path:
    """Write a Markdown file with YAML front matter (values written as given)."""
    lines = ["---", *(f"{key}: {value}" for key, value in fields.items()), "---", body, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------
# Looking at files without the app


def _is_url(db: Path | str) -> bool:
    return isinstance(db, str) and "://" in db


def _postgres_rows(url: str, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
    import psycopg

    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        return [tuple(row) for row in connection.execute(sql.replace("?", "%s"), params)]


def sha256_of(path: Path | str) -> str:
    """A file's SHA-256; for a PostgreSQL URL, a SHA-256 of every row of every table."""
    if _is_url(path):
        digest = hashlib.sha256()
        tables = _postgres_rows(
            str(path),
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
            (),
        )
        for (table,) in tables:
            digest.update(table.encode())
            for row in _postgres_rows(str(path), f'SELECT * FROM "{table}" ORDER BY 1', ()):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    assert isinstance(path, Path)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db: Path | str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows from a SQLite file, read through a read-only connection (or from PostgreSQL)."""
    if _is_url(db):
        return _postgres_rows(str(db), sql, params)
    assert isinstance(db, Path)
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def count(db: Path | str, table: str) -> int:
    return int(query(db, f"SELECT count(*) FROM {table}")[0][0])


def table_counts(db: Path | str) -> dict[str, int]:
    tables = ("users", "sections", "items", "revisions", "reviews", "audit_events")
    return {table: count(db, table) for table in tables}


# --------------------------------------------------------------------------------------
# The real console script (slow: use sparingly)


def console_script() -> str:
    bin_dir = Path(sys.executable).parent
    found = shutil.which("csto-editor", path=str(bin_dir))
    if found is None:
        pytest.skip(f"no csto-editor console script in {bin_dir}")
    return found
