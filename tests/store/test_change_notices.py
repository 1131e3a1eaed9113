"""Change notices on PostgreSQL: another session's change is announced, one's own is not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from csto_editor.store.change_notices import ChangeNotices
from csto_editor.store.database import Database, open_database


@pytest.fixture
def server_database(postgres_database: str) -> Iterator[Database]:
    database = open_database(postgres_database, create=True)
    database.migrate()
    yield database
    database.dispose()


def _add_section(database: Database, slug: str) -> None:
    with database.session() as session:
        session.execute(
            text(
                "INSERT INTO sections (slug, name_en, name_ru, position, default_type)"
                " VALUES (:slug, :slug, :slug, 0, 'news')"
            ),
            {"slug": slug},
        )


def test_only_other_sessions_changes_are_announced(
    server_database: Database, postgres_database: str
) -> None:
    notices = ChangeNotices(server_database)
    other = open_database(postgres_database)
    try:
        assert server_database.session_tag != other.session_tag
        assert not notices.wait(0.2)
        _add_section(server_database, "own")
        assert not notices.wait(0.5)  # this app's own change: no refresh
        _add_section(other, "theirs")
        assert notices.wait(5)
        assert not notices.wait(0.2)  # consumed
        with pytest.raises(RuntimeError), other.session() as session:
            session.execute(text("UPDATE sections SET name_en = 'x'"))
            raise RuntimeError("rolled back")
        assert not notices.wait(0.5)  # a rolled-back change announces nothing
    finally:
        other.dispose()
        notices.close()
