"""Full-text search kept in sync by the store, case-insensitive in Cyrillic and Latin.

The same tests run on SQLite (FTS5) and PostgreSQL (tsvector, Russian and English).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from csto_editor.store.database import Database, open_database
from csto_editor.store.dialect_sql import fts_query, matching_item_ids
from csto_editor.store.models import Item, Section, User


@pytest.fixture
def database(database_location: str) -> Iterator[Database]:
    database = open_database(database_location, create=True)
    database.migrate()
    with database.session() as session:
        user = User(login="a", display_name="A", roles="author")
        section = Section(slug="news", name_en="News", name_ru="Новости")
        session.add_all([user, section])
        session.flush()
        for title, body in [
            ("Заявление министров", "Мы, министры иностранных дел…"),
            ("Statement of the Ministers", "We, the Ministers of Foreign Affairs"),
            ("Встреча в Бишкеке", "Ёлки и ежи"),
        ]:
            session.add(
                Item(
                    section_id=section.id,
                    type="news",
                    lang="ru",
                    title=title,
                    lead="",
                    body=body,
                    slug=title[:5],
                    created_by_id=user.id,
                    updated_by_id=user.id,
                )
            )
    yield database
    database.dispose()


def search(database: Database, words: str) -> set[str]:
    matches = matching_item_ids(database.dialect, words)
    assert matches is not None
    with database.session() as session:
        return set(session.scalars(select(Item.title).where(Item.id.in_(matches))))


def test_cyrillic_search_ignores_case(database: Database) -> None:
    assert search(database, "заявление") == {"Заявление министров"}
    assert search(database, "ЗАЯВЛЕНИЕ") == {"Заявление министров"}
    assert search(database, "министр") == {"Заявление министров"}
    assert search(database, "ministers") == {"Statement of the Ministers"}


def test_yo_matches_ye(database: Database) -> None:
    assert search(database, "елки") == {"Встреча в Бишкеке"}


def test_every_word_must_match(database: Database) -> None:
    assert search(database, "statement foreign") == {"Statement of the Ministers"}
    assert search(database, "statement бишкек") == set()


def test_updates_and_deletes_reach_the_index(database: Database) -> None:
    with database.session() as session:
        session.execute(
            update(Item).where(Item.title == "Встреча в Бишкеке").values(title="Встреча в Минске")
        )
    assert search(database, "минске") == {"Встреча в Минске"}
    assert search(database, "бишкеке") == set()
    with database.session() as session:
        session.delete(session.scalars(select(Item).where(Item.title == "Встреча в Минске")).one())
    assert search(database, "минске") == set()


@pytest.mark.parametrize(
    "hostile", ['"', "NEAR(", "a OR", "*", "-x", "title:x", "'; DROP TABLE items; --"]
)
def test_query_syntax_from_users_is_neutralised(database: Database, hostile: str) -> None:
    matches = matching_item_ids(database.dialect, hostile)
    if matches is not None:
        with database.session() as session:
            session.scalars(select(Item.id).where(Item.id.in_(matches))).all()
    assert fts_query("") is None
