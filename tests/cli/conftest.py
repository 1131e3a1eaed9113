"""Running the command line in-process (and, sparingly, as the real console script).

Every test here works on a real database: a SQLite file in its own ``tmp_path`` or, for the
PostgreSQL half, a database of its own on the test server; nothing is mocked.
The acting login and the database are always passed explicitly, and the per-user
folders and the CSTO_EDITOR_* variables are pointed away from the real ones.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Result, Runner, console_script, front_matter_file

import csto_editor.cli as cli_module
from tests.postgres_support import PostgresServer, no_server

# --------------------------------------------------------------------------------------
# Isolation from the real user folders


@pytest.fixture(autouse=True)
def no_real_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HOME and the XDG folders point into tmp_path; CSTO_EDITOR_* are unset."""
    home = tmp_path / "home"
    for folder in (home, home / ".local" / "share", home / ".config", home / ".cache"):
        folder.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("CSTO_EDITOR_DB", raising=False)
    monkeypatch.delenv("CSTO_EDITOR_USER", raising=False)
    monkeypatch.delenv("CSTO_EDITOR_DEBUG", raising=False)


# --------------------------------------------------------------------------------------
# In-process runs


@pytest.fixture
def db_path(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The test's database: ``x.sqlite3`` in tmp_path, or (PostgreSQL half) a URL string.

    On PostgreSQL a test that uses ``world`` gets its database straight from the template.
    """
    if database_kind == "sqlite":
        return tmp_path / "x.sqlite3"
    server: PostgresServer | None = request.getfixturevalue("postgres_server")
    if server is None:
        no_server()
    template = None
    if "world" in request.fixturenames:
        template = _postgres_world_template(server, request.getfixturevalue("run_cli"))
    name = server.take(template)
    request.addfinalizer(lambda: server.give_back(name))
    return server.url_of(name)  # type: ignore[return-value]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """``run_cli(db, user, *args)``: main(argv) in-process, with output captured.

    The engines the command opened are disposed afterwards, so that SQLite has
    checkpointed and closed the file before the test looks at it.
    """
    opened: list[Any] = []
    real_open_context = cli_module.open_context

    def tracking_open_context(*args: Any, **kwargs: Any) -> Any:
        context = real_open_context(*args, **kwargs)
        opened.append(context)
        return context

    monkeypatch.setattr(cli_module, "open_context", tracking_open_context)

    def run(db: Path | str, user: str, *args: str) -> Result:
        capsys.readouterr()
        try:
            code = cli_module.main(["--db", str(db), "--user", user, *args])
        finally:
            while opened:
                opened.pop().database.dispose()
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli(run_cli: Runner, db_path: Path) -> Runner:
    """``cli(*args, user="admin")`` against the test's database ``x.sqlite3``."""

    def run(*args: str, user: str = "admin") -> Result:
        return run_cli(db_path, user, *args)

    return run


# --------------------------------------------------------------------------------------
# A populated database

USERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("anna", "Anna Author", ("author",)),
    ("boris", "Boris Author", ("author",)),
    ("roman", "Roman Reviewer", ("reviewer",)),
    ("rita", "Rita Reviewer", ("reviewer",)),
    ("elena", "Elena Author-Reviewer", ("author", "reviewer")),
    ("erik", "Erik Exporter", ("exporter",)),
)
SECTIONS: tuple[tuple[str, ...], ...] = (
    ("news", "--name-en", "News", "--name-ru", "Новости"),
    ("statements", "--name-en", "Statements", "--name-ru", "Заявления", "--type", "statement"),
)

_template: dict[str, Path] = {}
_postgres_template: dict[str, str] = {}


def _populate(run_cli: Runner, db: Path | str) -> None:
    run_cli(db, "admin", "init").assert_ok()
    for login, name, roles in USERS:
        role_args = [arg for role in roles for arg in ("--role", role)]
        run_cli(db, "admin", "user", "add", login, "--name", name, *role_args).assert_ok()
    for section in SECTIONS:
        run_cli(db, "admin", "section", "add", *section).assert_ok()


def _postgres_world_template(server: PostgresServer, run_cli: Runner) -> str:
    """The populated PostgreSQL database that every ``world`` copies (built once)."""
    if "db" not in _postgres_template:
        template = server.create()
        server.drop_at_end(template)
        _populate(run_cli, server.url_of(template))
        _postgres_template["db"] = template
    return _postgres_template["db"]


@pytest.fixture
def world(
    cli: Runner,
    run_cli: Runner,
    db_path: Path,
    database_kind: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The test's database initialised by ``admin``, with USERS and SECTIONS, built through
    the CLI.

    Built once per session and copied: on SQLite the copy is a closed, checkpointed file;
    on PostgreSQL the test's database is re-created from a template database.
    """
    if database_kind == "postgresql":
        return db_path  # already a copy of the template: see db_path
    if "db" not in _template:
        template = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _populate(run_cli, template)
        assert not Path(f"{template}-wal").exists()
        _template["db"] = template
    shutil.copyfile(_template["db"], db_path)
    return db_path


@pytest.fixture
def md(tmp_path: Path) -> Callable[..., Path]:
    """``md("name.md", body="...", title=..., section=...)``: a file under tmp_path/md."""
    folder = tmp_path / "md"
    folder.mkdir(exist_ok=True)

    def write(name: str, body: str = "Text of the item.", **fields: object) -> Path:
        return front_matter_file(folder / name, fields, body)

    return write


@pytest.fixture
def new_item(cli: Runner, md: Callable[..., Path]) -> Callable[..., int]:
    """Import one item (as ``anna`` unless ``by``) and return its id."""
    counter = iter(range(1, 10_000))

    def create(
        title: str = "CSTO Secretariat hosts a seminar",
        *,
        by: str = "anna",
        section: str = "news",
        date: str = "2025-03-13",
        body: str = "The seminar opened in Moscow.",
        **fields: object,
    ) -> int:
        path = md(
            f"item-{next(counter)}.md", body, title=title, section=section, date=date, **fields
        )
        result = cli("import", str(path), "--json", user=by).assert_ok()
        (item,) = result.json()
        return int(item["id"])

    return create


@pytest.fixture
def status_of(cli: Runner) -> Callable[[int], str]:
    def status(item: int) -> str:
        return str(cli("show", str(item), "--json").assert_ok().json()["status"])

    return status


@pytest.fixture
def script() -> Iterator[Callable[..., Result]]:
    """``script(*argv)``: the installed console script in a subprocess."""
    executable = console_script()

    def run(*args: str) -> Result:
        completed = subprocess.run(
            [executable, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    yield run
