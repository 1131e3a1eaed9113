"""Shared test set-up: Qt offscreen, and no test near the real user folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres_support import (
    PostgresServer,
    StartedServer,
    no_server,
    remember_why_no_server,
    start_private_server,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TESTS = Path(__file__).parent
BOTH_DATABASES_IN = ("store", "services", "cli")
"""Test folders whose database tests also run on PostgreSQL (when a server is given)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only: about SQLite files themselves (file checks, WAL, file backups, "
        "fingerprints); never run on PostgreSQL",
    )
    config.addinivalue_line(
        "markers",
        "postgresql_only: about a PostgreSQL server itself (pg_dump backups, server-side "
        "assets); run on PostgreSQL only",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that opens a database on SQLite and, in BOTH_DATABASES_IN, PostgreSQL."""
    if "database_kind" not in metafunc.fixturenames:
        return
    folder = metafunc.definition.path.relative_to(TESTS).parts[0]
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        metafunc.parametrize("database_kind", ["postgresql"], indirect=True)
    elif (
        folder in BOTH_DATABASES_IN
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    ):
        metafunc.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: the database this run of the test uses."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer | None]:
    """The server named by CSTO_TEST_PG_URL, else a private one started for this session
    (when PostgreSQL is installed and may be run here), else None."""
    server = PostgresServer.from_environment()
    started: StartedServer | None = None
    if server is None:
        outcome = start_private_server()
        if isinstance(outcome, StartedServer):
            started = outcome
            server = PostgresServer(started.url)
        else:
            remember_why_no_server(outcome)
    yield server
    if server is not None:
        server.dispose()
    if started is not None:
        started.stop()


@pytest.fixture
def postgres_database(postgres_server: PostgresServer | None) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    if postgres_server is None:
        no_server()
    name = postgres_server.take()
    yield postgres_server.url_of(name)
    postgres_server.give_back(name)


@pytest.fixture
def database_location(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where this test's database goes: a SQLite file in tmp_path, or a fresh PostgreSQL URL."""
    if database_kind == "postgresql":
        return str(request.getfixturevalue("postgres_database"))
    return str(tmp_path / "editor.sqlite3")


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point every per-user folder at the test's own temporary folder."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("CSTO_EDITOR_DB", raising=False)
    monkeypatch.delenv("CSTO_EDITOR_USER", raising=False)
    yield


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Delete every window left by the tests while the QApplication still lives.

    A QWebEnginePage that outlives the application's default profile makes the
    interpreter crash on its way out (exit 139 after every test passed).
    """
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
