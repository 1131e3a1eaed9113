"""A real database (a SQLite file in tmp_path, or PostgreSQL), with an admin, users and sections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.services import accounts, editing, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.store.database import open_database


@pytest.fixture
def admin(database_location: str) -> Iterator[ServiceContext]:
    """An initialised database acted on by its admin, with users and sections added."""
    database = open_database(database_location, create=True)
    ctx = ServiceContext(database, "admin")
    setup.initialize(ctx)
    accounts.add_user(ctx, "author", "Anna Author", ["author"])
    accounts.add_user(ctx, "author2", "Boris Author", ["author"])
    accounts.add_user(ctx, "reviewer", "Roman Reviewer", ["reviewer"])
    accounts.add_user(ctx, "reviewer2", "Rita Reviewer", ["reviewer"])
    accounts.add_user(ctx, "editor", "Elena Both", ["author", "reviewer"])
    accounts.add_user(ctx, "exporter", "Erik Exporter", ["exporter"])
    sections.add_section(ctx, "news", "News", "Новости")
    sections.add_section(ctx, "statements", "Statements", "Заявления", default_type="statement")
    yield ctx
    database.dispose()


@pytest.fixture
def as_user(admin: ServiceContext) -> Callable[[str], ServiceContext]:
    """The same database acted on by another login."""
    return lambda login: replace(admin, login=login)


@pytest.fixture
def new_item(as_user: Callable[[str], ServiceContext]) -> Callable[..., ItemSummary]:
    """Create a draft as ``author`` (or ``by``) with sensible defaults."""

    def create(
        title: str = "CSTO Secretariat hosts a seminar",
        *,
        by: str = "author",
        section: str = "news",
        lang: Language = Language.EN,
        type: ContentType = ContentType.NEWS,
        body: str = "The seminar opened in Moscow.",
        translation_of: int | None = None,
        **fields: object,
    ) -> ItemSummary:
        fields.setdefault("event_date", dt.date(2025, 3, 13))
        content = ItemContent(type=type, lang=lang, title=title, body=body, **fields)  # type: ignore[arg-type]
        return editing.create_item(
            as_user(by), editing.NewItem(section, content, translation_of=translation_of)
        )

    return create
