"""A real database for bad input and hostile content, and the command line run in-process."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

import csto_editor.cli as cli_module
from csto_editor.services import accounts, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

USERS = (
    ("anna", "Anna Author", ["author"]),
    ("rita", "Rita Reviewer", ["reviewer"]),
    ("erik", "Erik Exporter", ["exporter"]),
)
TABLES = ("users", "sections", "items", "revisions", "reviews", "assets", "audit_events")

_TEMPLATE: dict[str, Path] = {}

As = Callable[[str], ServiceContext]


def _template(factory: pytest.TempPathFactory) -> Path:
    """An initialised database with users and two sections, built once per session."""
    if "db" not in _TEMPLATE:
        path = factory.mktemp("hostile-template") / "template.sqlite3"
        database = open_database(path, create=True)
        ctx = ServiceContext(database, "admin")
        setup.initialize(ctx)
        for login, name, roles in USERS:
            accounts.add_user(ctx, login, name, roles)
        sections.add_section(ctx, "news", "News", "Новости")
        sections.add_section(ctx, "statements", "Statements", "Заявления", default_type="statement")
        database.dispose()
        _TEMPLATE["db"] = path
    return _TEMPLATE["db"]


@pytest.fixture
def db_file(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test's own copy of the template database."""
    target = tmp_path / "editor.sqlite3"
    shutil.copyfile(_template(tmp_path_factory), target)
    return target


@pytest.fixture
def as_user(db_file: Path) -> Iterator[As]:
    """Service contexts on the test's database, by login."""
    database = open_database(db_file)
    base = ServiceContext(database, "admin")
    yield lambda login: replace(base, login=login)
    database.dispose()


def table_counts(db: Path) -> dict[str, int]:
    """Rows per table, read through a separate read-only connection."""
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return {
            table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in TABLES
        }
    finally:
        connection.close()


@pytest.fixture
def counts(db_file: Path) -> Callable[[], dict[str, int]]:
    return lambda: table_counts(db_file)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def assert_error(self, code: int, *fragments: str) -> Result:
        """Exit ``code`` with exactly one ``error:`` line naming every fragment."""
        assert self.code == code, f"exit {self.code} (wanted {code}); stderr: {self.err!r}"
        lines = self.err.splitlines()
        assert len(lines) == 1 and self.err.endswith("\n"), f"not one line: {self.err!r}"
        assert lines[0].startswith("error: ") and "Traceback" not in self.err, self.err
        assert "internal error" not in self.err, self.err
        for fragment in fragments:
            assert fragment.lower() in self.err.lower(), (fragment, self.err)
        return self

    def assert_ok(self) -> Result:
        assert self.code == 0, f"exit {self.code}: {self.err!r}"
        return self


Runner = Callable[..., Result]


@pytest.fixture
def cli(
    db_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Runner:
    """``cli(*args, user="admin")``: main(argv) in-process on the test's database."""
    opened: list[Any] = []
    real_open_context = cli_module.open_context

    def tracking(*args: Any, **kwargs: Any) -> Any:
        context = real_open_context(*args, **kwargs)
        opened.append(context)
        return context

    monkeypatch.setattr(cli_module, "open_context", tracking)

    def run(*args: str, user: str = "admin") -> Result:
        capsys.readouterr()
        try:
            code = cli_module.main(["--db", str(db_file), "--user", user, *args])
        finally:
            while opened:
                opened.pop().database.dispose()
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
