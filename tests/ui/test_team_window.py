"""The main window on a PostgreSQL server (team mode): it works unchanged, and another
editor's change shows in its list after a refresh and, through LISTEN/NOTIFY, by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.paths import resources_dir
from csto_editor.services import accounts, editing, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.views import ItemSummary
from csto_editor.store.database import open_database
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.settings import Settings


@pytest.fixture
def server_admin(postgres_database: str) -> Iterator[ServiceContext]:
    database = open_database(postgres_database, create=True)
    ctx = ServiceContext(database, "admin")
    setup.initialize(ctx)
    accounts.add_user(ctx, "anna", "Anna Author", ["author"])
    accounts.add_user(ctx, "boris", "Boris Author", ["author"])
    sections.add_section(ctx, "news", "News", "Новости")
    yield ctx
    database.dispose()


@pytest.fixture
def other_editor(postgres_database: str, server_admin: ServiceContext) -> Iterator[ServiceContext]:
    """Boris, on another laptop: a connection pool of his own."""
    database = open_database(postgres_database)
    yield ServiceContext(database, "boris")
    database.dispose()


def draft(ctx: ServiceContext, title: str) -> ItemSummary:
    content = ItemContent(
        type=ContentType.NEWS,
        lang=Language.EN,
        title=title,
        body="The seminar opened in Moscow.",
        event_date=dt.date(2025, 3, 13),
    )
    return editing.create_item(ctx, editing.NewItem("news", content))


@pytest.fixture
def window(server_admin: ServiceContext, qtbot: QtBot) -> MainWindow:
    ctx = replace(server_admin, login="anna")
    shown = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_the_window_works_on_a_server(
    server_admin: ServiceContext, qtbot: QtBot, window: MainWindow
) -> None:
    own = draft(replace(server_admin, login="anna"), "Anna's own draft")
    window.refresh_all()
    assert window.items.model.row_of(own.id) is not None
    assert window.open_item(own.id)
    assert window.panel.current_item_id() == own.id
    assert window.team_refresh is not None


def test_another_editors_change_shows_after_a_refresh(
    other_editor: ServiceContext, qtbot: QtBot, window: MainWindow
) -> None:
    assert window.team_refresh is not None
    window.team_refresh.stop()  # no notices: only the Refresh action
    theirs = draft(other_editor, "Boris's draft")
    qtbot.wait(REFRESH_WAIT_MS)
    assert window.items.model.row_of(theirs.id) is None
    window.refresh_all()
    assert window.items.model.row_of(theirs.id) is not None


REFRESH_WAIT_MS = 1500


def test_another_editors_change_shows_by_itself(
    other_editor: ServiceContext, qtbot: QtBot, window: MainWindow
) -> None:
    assert window.team_refresh is not None
    assert window.team_refresh.listening.wait(10)
    theirs = draft(other_editor, "Boris's draft, announced")
    qtbot.waitUntil(lambda: window.items.model.row_of(theirs.id) is not None, timeout=5000)
    editing.edit_item(other_editor, theirs.id, {"title": "Boris's draft, retitled"})
    qtbot.waitUntil(
        lambda: "retitled" in _title_shown(window, theirs.id),
        timeout=5000,
    )


def _title_shown(window: MainWindow, item_id: int) -> str:
    row = window.items.model.row_of(item_id)
    if row is None:
        return ""
    summary = window.items.model.summary(row)
    return summary.title if summary is not None else ""
