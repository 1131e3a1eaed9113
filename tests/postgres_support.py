"""Throw-away PostgreSQL databases for the tests, on the server named by CSTO_TEST_PG_URL.

`scripts/postgres-for-tests.sh start` starts a private server and prints that variable.
"""

from __future__ import annotations

import os
import secrets

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

PG_URL_VARIABLE = "CSTO_TEST_PG_URL"
SKIP_REASON = (
    f"PostgreSQL half: {PG_URL_VARIABLE} is not set "
    '(eval "$(scripts/postgres-for-tests.sh start)" to run it)'
)


class PostgresServer:
    """A server where the tests may create and drop databases of their own."""

    def __init__(self, url: str) -> None:
        self.url: URL = make_url(url)
        self._engine: Engine = create_engine(
            self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )

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
        self._engine.dispose()
