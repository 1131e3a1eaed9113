"""Window tests: a real demo database in a temporary folder, acted on by chosen logins."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from csto_editor.services import accounts, setup
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

_TEMPLATE: dict[str, Path] = {}


def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the demo database once per session; each test gets its own copy."""
    if "demo" not in _TEMPLATE:
        folder = tmp_path_factory.mktemp("demo-template")
        database = open_database(folder / "demo.sqlite3", create=True)
        ctx = ServiceContext(database, "admin")
        setup.initialize(ctx, demo=True)
        accounts.add_user(ctx, "editor", "Elena Editor", ["author", "reviewer"])
        database.dispose()
        _TEMPLATE["demo"] = folder / "demo.sqlite3"
    return _TEMPLATE["demo"]


@pytest.fixture
def demo_db(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo database (admin; ivanova author; petrov reviewer; nurlanov
    exporter; editor author+reviewer) in this test's folder."""
    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(_demo_template(tmp_path_factory), target)
    return target


@pytest.fixture
def context_for(demo_db: Path) -> Iterator[Callable[[str], ServiceContext]]:
    """Service contexts on the demo copy, one database per test, by login."""
    database = open_database(demo_db)
    base = ServiceContext(database, "ivanova")
    yield lambda login: replace(base, login=login)
    database.dispose()


@pytest.fixture(autouse=True)
def empty_clipboard_afterwards(qapp: object) -> Iterator[None]:
    """Offscreen Qt crashes at exit over clipboard data a test left behind."""
    yield
    from PySide6.QtWidgets import QApplication

    clipboard = QApplication.clipboard()
    if clipboard is not None:
        clipboard.clear()
