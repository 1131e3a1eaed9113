"""The item list: ids first, rows fetched lazily by page; filters, search, sorting, selection."""

from __future__ import annotations

import sqlite3
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from csto_editor.services import accounts, queries, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.queries import ItemFilter
from csto_editor.store.database import open_database
from csto_editor.ui.item_list_panel import ItemListPanel
from csto_editor.ui.item_table_model import (
    CACHED_PAGES,
    COLUMNS,
    PAGE_SIZE,
    ItemIdRole,
    ItemTableModel,
    StatusRole,
)

Contexts = Callable[[str], ServiceContext]
BIG = 100_000


def ids_of(model: ItemTableModel) -> list[int]:
    return [model.item_id(row) for row in range(model.rowCount())]


def cell(model: ItemTableModel, row: int, key: str) -> object:
    return model.index(row, COLUMNS.index(key)).data(Qt.ItemDataRole.DisplayRole)


def test_the_model_lists_what_the_service_lists(context_for: Contexts) -> None:
    ctx = context_for("ivanova")
    model = ItemTableModel(ctx)
    expected = queries.item_ids(ctx)
    assert ids_of(model) == expected and len(expected) >= 10
    first = queries.item_summaries(ctx, [expected[0]])[expected[0]]
    assert cell(model, 0, "title") == first.title
    assert cell(model, 0, "lang") == first.lang
    assert cell(model, 0, "author") == "ivanova"
    assert model.index(0, 0).data(ItemIdRole) == first.id
    assert model.index(0, 0).data(StatusRole) == first.status
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Title"
    assert model.columnCount() == 7


def test_sorting_goes_through_the_service(context_for: Contexts) -> None:
    ctx = context_for("ivanova")
    model = ItemTableModel(ctx)
    model.sort(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    assert ids_of(model) == queries.item_ids(ctx, sort="title", descending=False)
    assert model.sort_order() == ("title", False)
    model.sort(COLUMNS.index("status"), Qt.SortOrder.DescendingOrder)
    assert ids_of(model) == queries.item_ids(ctx, sort="status", descending=True)


def test_filters_and_full_text_search(context_for: Contexts) -> None:
    ctx = context_for("ivanova")
    model = ItemTableModel(ctx)
    model.set_filters(ItemFilter(lang="ru"))
    assert model.rowCount() > 0
    assert {cell(model, row, "lang") for row in range(model.rowCount())} == {"ru"}
    model.set_filters(ItemFilter(query="Бишкек"))
    assert 0 < model.rowCount() == len(queries.item_ids(ctx, ItemFilter(query="Бишкек")))
    model.set_filters(ItemFilter(status="in_review"))
    statuses = {model.index(r, 0).data(StatusRole) for r in range(model.rowCount())}
    assert statuses == {"in_review"}


@pytest.fixture(scope="module")
def big_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with one section of 100,000 items, filled by SQL inserts."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    database = open_database(path, create=True)
    ctx = ServiceContext(database, "admin")
    setup.initialize(ctx)
    sections.add_section(ctx, "archive", "Archive", "Архив")
    database.dispose()
    connection = sqlite3.connect(path)
    section = connection.execute("SELECT id FROM sections WHERE slug = 'archive'").fetchone()[0]
    user = connection.execute("SELECT id FROM users WHERE login = 'admin'").fetchone()[0]
    stamp = "2024-01-01 00:00:00"
    with connection:
        connection.executemany(
            "INSERT INTO items (section_id, type, lang, title, event_date, slug, state,"
            " created_by_id, created_at, updated_at, updated_by_id,"
            " lead, body, place, speaker, occasion, outlet, interviewee, version)"
            " VALUES (:section, 'news', :lang, :title, :date, :slug, 'draft',"
            " :user, :stamp, :stamp, :user, '', '', '', '', '', '', '', 1)",
            (
                {
                    "section": section,
                    "lang": "ru" if n % 2 else "en",
                    "title": f"News item {n}",
                    "date": f"2020-{1 + n % 12:02d}-01",
                    "slug": f"item-{n}",
                    "user": user,
                    "stamp": stamp,
                }
                for n in range(BIG)
            ),
        )
    connection.close()
    return path


@pytest.fixture
def big_context(big_database: Path) -> Iterator[ServiceContext]:
    database = open_database(big_database)
    yield ServiceContext(database, "admin")
    database.dispose()


def test_a_section_of_100000_items_opens_at_once(qtbot: QtBot, big_context: ServiceContext) -> None:
    started = time.perf_counter()
    model = ItemTableModel(big_context, ItemFilter(section="archive"))
    elapsed = time.perf_counter() - started
    assert model.rowCount() == BIG
    assert elapsed < 0.8, f"took {elapsed:.2f} s"
    assert model.fetched_rows == 0

    panel = ItemListPanel(big_context, section="archive")
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.model.fetched_rows > 0)
    assert panel.model.rowCount() == BIG
    assert panel.model.fetched_rows <= PAGE_SIZE
    assert cell(panel.model, 0, "title").startswith("News item")  # type: ignore[union-attr]

    # Jumping to the end fetches the last page, and nothing in between.
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.fetched_rows > PAGE_SIZE)
    assert panel.model.fetched_rows <= 2 * PAGE_SIZE


def test_a_word_query_reads_one_page_of_ids_before_its_first_rows(
    big_context: ServiceContext,
) -> None:
    model = ItemTableModel(big_context, ItemFilter(query="news"), read_rest_in_background=False)
    assert model.fetched_ids == PAGE_SIZE + 1  # one more, to know that more follow
    assert model.rowCount() == PAGE_SIZE and not model.is_complete()
    assert model.total_count() == BIG  # from the full-text index, before the ids
    assert model.item_id(0) == queries.item_ids(big_context, ItemFilter(query="news"))[0]
    assert cell(model, 0, "title").startswith("News item")  # type: ignore[union-attr]
    assert model.fetched_rows == PAGE_SIZE

    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.is_complete() and not model.canFetchMore(QModelIndex())
    assert model.rowCount() == model.total_count() == BIG
    assert ids_of(model) == queries.item_ids(big_context, ItemFilter(query="news"))
    assert model.fetched_rows == PAGE_SIZE  # the rows already read are kept


def test_a_query_under_another_filter_is_counted_once_its_ids_are_read(
    qtbot: QtBot, big_context: ServiceContext
) -> None:
    model = ItemTableModel(big_context, ItemFilter(query="news", lang="ru"))
    assert model.rowCount() == PAGE_SIZE and model.total_count() is None
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.count_found, timeout=10_000) as found:
        pass  # the rest is read on a worker thread once the event loop runs
    assert found.args == [BIG // 2]
    assert inserted == [(PAGE_SIZE, BIG // 2 - 1)]  # an insertion: the first rows stay
    assert model.total_count() == model.rowCount() == BIG // 2
    assert model.fetched_ids == PAGE_SIZE + 1 + BIG // 2


def test_scrolling_a_searched_list_to_the_end_reads_the_rest(
    qtbot: QtBot, big_context: ServiceContext
) -> None:
    panel = ItemListPanel(big_context, section="archive")
    qtbot.addWidget(panel)
    panel.resize(700, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.model.set_filters(replace(panel.model.filters(), query="item"))
    assert panel.model.rowCount() == PAGE_SIZE and not panel.model.is_complete()
    assert panel.model.total_count() is None  # a section applies: counted with the ids
    assert "counting" in panel.count_label.text()
    panel.table.scrollToBottom()  # before the worker's ids arrive: read at once
    assert panel.model.is_complete() and panel.model.rowCount() == BIG
    assert "counting" not in panel.count_label.text()
    assert panel.model.fetched_rows <= 2 * PAGE_SIZE


def test_the_current_item_is_selected_when_a_query_lists_it_later(
    qtbot: QtBot, big_context: ServiceContext
) -> None:
    panel = ItemListPanel(big_context)
    qtbot.addWidget(panel)
    last = queries.item_ids(big_context, ItemFilter(query="news"))[-1]
    assert panel.select_item(last)
    with qtbot.waitSignal(panel.model.count_found, timeout=10_000):
        panel.model.set_filters(ItemFilter(query="news"))
        assert panel.model.rowCount() == PAGE_SIZE
        assert not panel.table.selectionModel().hasSelection()
    assert panel.table.currentIndex().data(ItemIdRole) == last
    assert str(BIG) in panel.count_label.text().replace(",", "").replace("\xa0", "")


def test_searching_waits_for_a_pause_in_typing(qtbot: QtBot, context_for: Contexts) -> None:
    panel = ItemListPanel(context_for("ivanova"))
    qtbot.addWidget(panel)
    everything = panel.model.rowCount()
    with qtbot.waitSignal(panel.model.modelReset, timeout=2000):
        qtbot.keyClicks(panel.search, "Bishkek")
        assert panel.model.rowCount() == everything  # not yet: still typing
    assert 0 < panel.model.rowCount() < everything
    assert panel.model.filters().query == "Bishkek"
    assert "item" in panel.count_label.text()
    panel.clear_filters()
    assert panel.model.rowCount() == everything


def test_status_and_language_filters(qtbot: QtBot, context_for: Contexts) -> None:
    panel = ItemListPanel(context_for("ivanova"))
    qtbot.addWidget(panel)
    panel.status_box.setCurrentIndex(panel.status_box.findData("draft"))
    panel.lang_box.setCurrentIndex(panel.lang_box.findData("en"))
    assert panel.model.filters() == ItemFilter(status="draft", lang="en")
    statuses = {panel.model.index(r, 0).data(StatusRole) for r in range(panel.model.rowCount())}
    assert statuses <= {"draft"}


def test_waiting_for_my_review_is_a_reviewers_view(qtbot: QtBot, context_for: Contexts) -> None:
    author = ItemListPanel(context_for("ivanova"), is_reviewer=False)
    qtbot.addWidget(author)
    assert author.awaiting.isHidden()

    ctx = context_for("petrov")
    reviewer = ItemListPanel(ctx, is_reviewer=True)
    qtbot.addWidget(reviewer)
    assert not reviewer.awaiting.isHidden()
    reviewer.awaiting.setChecked(True)
    assert reviewer.model.filters().awaiting_review_by == "petrov"
    expected = queries.item_ids(ctx, ItemFilter(awaiting_review_by="petrov"))
    assert ids_of(reviewer.model) == expected and expected


def test_selection_survives_a_refresh_and_activation_is_announced(
    qtbot: QtBot, context_for: Contexts
) -> None:
    panel = ItemListPanel(context_for("ivanova"))
    qtbot.addWidget(panel)
    panel.show()
    third = panel.model.item_id(2)
    with qtbot.waitSignal(panel.item_activated) as activated:
        panel.table.setCurrentIndex(panel.model.index(2, 1))
    assert activated.args == [third]
    assert panel.current_item_id() == third

    with qtbot.assertNotEmitted(panel.item_activated):
        panel.refresh()
        panel.model.sort(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    current = panel.table.currentIndex()
    assert current.isValid() and current.data(ItemIdRole) == third
    assert panel.table.selectionModel().isRowSelected(current.row(), QModelIndex())

    first = panel.model.item_id(0)
    with qtbot.assertNotEmitted(panel.item_activated):
        assert panel.select_item(first)
    assert panel.table.currentIndex().data(ItemIdRole) == first
    assert not panel.select_item(999_999)


def test_a_saved_item_updates_its_row_only(qtbot: QtBot, context_for: Contexts) -> None:
    ctx = context_for("ivanova")
    panel = ItemListPanel(ctx)
    qtbot.addWidget(panel)
    item_id = panel.model.item_id(1)
    summary = panel.model.summary(1)
    assert summary is not None
    fetched = panel.model.fetched_rows
    with (
        qtbot.waitSignal(panel.model.dataChanged),
        qtbot.assertNotEmitted(panel.model.modelReset),
    ):
        assert panel.apply_saved(replace(summary, title="A new title"))
    assert cell(panel.model, 1, "title") == "A new title"
    assert panel.model.fetched_rows == fetched
    assert panel.model.row_of(item_id) == 1
    assert not panel.apply_saved(replace(summary, id=999_999))


def test_filters_and_sort_round_trip_through_settings(
    qtbot: QtBot, context_for: Contexts, tmp_path: Path
) -> None:
    from csto_editor.ui.settings import Settings

    settings = Settings(tmp_path / "settings.ini")
    panel = ItemListPanel(context_for("petrov"), is_reviewer=True)
    qtbot.addWidget(panel)
    panel.lang_box.setCurrentIndex(panel.lang_box.findData("ru"))
    panel.awaiting.setChecked(True)
    panel.model.sort(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    panel.save_state(settings)
    settings.sync()

    again = ItemListPanel(
        context_for("petrov"), is_reviewer=True, settings=Settings(tmp_path / "settings.ini")
    )
    qtbot.addWidget(again)
    assert again.model.filters() == ItemFilter(lang="ru", awaiting_review_by="petrov")
    assert again.model.sort_order() == ("title", False)
    header = again.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMNS.index("title")


def test_users_without_accounts_still_get_a_list(qtbot: QtBot, context_for: Contexts) -> None:
    ctx = context_for("nobody")
    assert accounts.current_user(ctx) is None
    panel = ItemListPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == len(queries.item_ids(ctx))


def test_the_list_keeps_at_most_its_cached_pages_of_rows(big_context: ServiceContext) -> None:
    model = ItemTableModel(big_context, ItemFilter(section="archive"))
    pages = CACHED_PAGES + 5
    for page in range(pages):
        assert model.summary(page * PAGE_SIZE) is not None
    assert model.fetched_rows == pages * PAGE_SIZE
    cached = [row for row in range(pages * PAGE_SIZE) if model.cached(model.item_id(row))]
    assert len(cached) == CACHED_PAGES * PAGE_SIZE
    assert cached[0] == (pages - CACHED_PAGES) * PAGE_SIZE  # the oldest pages were dropped

    # The newest page stays; the first page, dropped, is read again.
    model.summary((pages - 1) * PAGE_SIZE)
    assert model.fetched_rows == pages * PAGE_SIZE
    model.summary(0)
    assert model.fetched_rows == (pages + 1) * PAGE_SIZE


def test_a_list_of_100000_ids_holds_8_bytes_an_id(big_context: ServiceContext) -> None:
    ItemTableModel(big_context, ItemFilter(section="archive"))  # warm the service's caches
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        model = ItemTableModel(big_context, ItemFilter(section="archive"))
        last = model.item_id(BIG - 1)
        assert model.row_of(last) == BIG - 1
        assert model.row_of(-1) is None
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # 800 kB of ids; a list of int objects would be 3.6 MB, with a dict of rows 12 MB.
    assert held < 1.5 * 1024 * 1024, f"{held / 1024 / 1024:.1f} MB"
