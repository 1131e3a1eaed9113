"""Throw-away PostgreSQL databases for the tests, on the server named by CSTO_TEST_PG_URL.

`scripts/postgres-for-tests.sh start` starts a private server and prints that variable.
Without it, the test session starts such a server itself when PostgreSQL is installed and
this process may run it (root, or the ``postgres`` OS user), and stops it at the end
(CSTO_SKIP_POSTGRES=1 prevents that, for a quick local run).
With CSTO_REQUIRE_POSTGRES=1 (CI) a missing server fails the PostgreSQL half instead of
skipping it.
"""

from __future__ import annotations

import glob
import os
import pwd
import queue
import secrets
import shlex
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

PG_URL_VARIABLE = "CSTO_TEST_PG_URL"
REQUIRE_VARIABLE = "CSTO_REQUIRE_POSTGRES"
START_SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "postgres-for-tests.sh"


def postgres_required() -> bool:
    """True where the PostgreSQL half must run (CI): a missing server is a failure."""
    return os.environ.get(REQUIRE_VARIABLE, "").strip() not in ("", "0")


SPARE_DATABASES = 3
"""Databases kept ready, per template, by a background thread: CREATE DATABASE copies its
template (~0.3 s here), so the tests take ready ones and hand them back to be dropped
meanwhile."""


class PostgresServer:
    """A server where the tests may create and drop databases of their own."""

    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url)
        self._engine: Engine = create_engine(
            self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self._ready: dict[str | None, queue.Queue[str]] = {}
        self._ready_lock = threading.Lock()
        self._to_drop: queue.Queue[str] = queue.Queue()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._failed = threading.Event()
        self._at_end: list[str] = []

    def take(self, template: str | None = None) -> str:
        """The name of a new database, empty or a copy of ``template`` (which nobody may be
        connected to from now on), made ahead of time when possible."""
        with self._ready_lock:
            ready = self._ready.setdefault(template, queue.Queue())
        self._start_worker()
        while not self._failed.is_set():
            try:
                return ready.get(timeout=1)
            except queue.Empty:
                continue
        return self.create(template=template)

    def give_back(self, name: str) -> None:
        """Drop a database taken with ``take`` (in the background)."""
        self._to_drop.put(name)
        self._start_worker()

    def _start_worker(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._keep_spares, daemon=True)
            self._worker.start()
        self._wake.set()

    def drop_at_end(self, name: str) -> None:
        """Drop this database when the session ends (a template the tests copy)."""
        self._at_end.append(name)

    def _keep_spares(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.drop(self._to_drop.get_nowait())
                    continue
                except queue.Empty:
                    pass
                with self._ready_lock:
                    short = [(t, q) for t, q in self._ready.items() if q.qsize() < SPARE_DATABASES]
                if short:
                    template, ready = short[0]
                    ready.put(self.create(template=template))
                    continue
                self._wake.wait(0.5)
                self._wake.clear()
        except Exception:  # noqa: BLE001 - take() then creates in the test, which shows why
            self._failed.set()

    @classmethod
    def from_environment(cls) -> PostgresServer | None:
        url = os.environ.get(PG_URL_VARIABLE, "").strip()
        return cls(url) if url else None

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, template: str | None = None, name: str | None = None) -> str:
        """A new database (empty, or a copy of ``template``); its name."""
        name = name or f"test_{secrets.token_hex(6)}"
        copy = f' TEMPLATE "{template}"' if template else ""
        with self._engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        return name

    def drop(self, name: str) -> None:
        with self._engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def dispose(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=30)
        for waiting in (*self._ready.values(), self._to_drop):
            while not waiting.empty():
                self.drop(waiting.get_nowait())
        for name in self._at_end:
            self.drop(name)
        self._engine.dispose()


@dataclass
class StartedServer:
    """A private server this test session started (and stops at its end)."""

    url: str
    folder: str

    def stop(self) -> None:
        subprocess.run(
            [str(START_SCRIPT), "stop", self.folder],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


SKIP_VARIABLE = "CSTO_SKIP_POSTGRES"
"""Set (and CSTO_REQUIRE_POSTGRES not): no private server is started, the half is skipped."""


def why_no_server_can_start() -> str | None:
    """None when PostgreSQL is installed and this process may run a private server."""
    if os.environ.get(SKIP_VARIABLE, "").strip() not in ("", "0") and not postgres_required():
        return f"{SKIP_VARIABLE} is set"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no `postgres` OS user to run a server as"
    if os.geteuid() != 0 and pwd.getpwuid(os.geteuid()).pw_name != "postgres":
        return "only root or the `postgres` OS user can start a private server here"
    return None


def start_private_server() -> StartedServer | str:
    """Start a server with scripts/postgres-for-tests.sh; or why none could be started."""
    reason = why_no_server_can_start()
    if reason is not None:
        return reason
    try:
        started = subprocess.run(
            [str(START_SCRIPT), "start"], capture_output=True, text=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{START_SCRIPT.name} start failed: {error}"
    if started.returncode != 0:
        last = (started.stderr.strip().splitlines() or ["no message"])[-1]
        return f"{START_SCRIPT.name} start failed: {last}"
    exported: dict[str, str] = {}
    for line in started.stdout.splitlines():
        words = shlex.split(line)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            key, value = words[1].split("=", 1)
            exported[key] = value
    if PG_URL_VARIABLE not in exported or "CSTO_TEST_PG_DIR" not in exported:
        return f"{START_SCRIPT.name} start printed no {PG_URL_VARIABLE}"
    return StartedServer(exported[PG_URL_VARIABLE], exported["CSTO_TEST_PG_DIR"])


_why_no_server: list[str] = []
"""Why this session has no server (set once by the ``postgres_server`` fixture)."""


def remember_why_no_server(why: str) -> None:
    _why_no_server[:] = [why]


def no_server() -> NoReturn:
    """Skip the PostgreSQL half of a test, with the reason; fail it where it is required."""
    why = _why_no_server[0] if _why_no_server else f"{PG_URL_VARIABLE} is not set"
    message = (
        f"PostgreSQL half: no server ({why}); "
        f'eval "$(scripts/postgres-for-tests.sh start)" to run it'
    )
    if postgres_required():
        pytest.fail(f"{message}; {REQUIRE_VARIABLE} is set, so it must run")
    pytest.skip(message)
