"""An exported demo database, and helpers that read a bundle as web staff would."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from csto_editor.services import setup
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

_TEMPLATE: dict[str, Path] = {}


@pytest.fixture
def demo(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], ServiceContext]]:
    """Contexts on a fresh copy of the demo database, by login."""
    if "demo" not in _TEMPLATE:
        folder = tmp_path_factory.mktemp("export-demo")
        database = open_database(folder / "demo.sqlite3", create=True)
        setup.initialize(ServiceContext(database, "admin"), demo=True)
        database.dispose()
        _TEMPLATE["demo"] = folder / "demo.sqlite3"
    copy = tmp_path / "demo.sqlite3"
    shutil.copyfile(_TEMPLATE["demo"], copy)
    database = open_database(copy)
    base = ServiceContext(database, "nurlanov")
    yield lambda login: replace(base, login=login)
    database.dispose()


class PageReader(HTMLParser):
    """Tags, attributes and links of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def links(self) -> list[str]:
        found = []
        for tag, attrs in self.tags:
            for name in ("href", "src"):
                value = attrs.get(name)
                if value and tag in ("a", "img", "link"):
                    found.append(value)
        return found


def read_page(path: Path) -> PageReader:
    reader = PageReader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader


def manifest(root: Path) -> dict[str, object]:
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
