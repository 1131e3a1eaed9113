"""Listing for the window: ids in order, rows on demand, the reviewer's queue."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_editor.core.content import Language
from csto_editor.core.errors import InvalidInput
from csto_editor.services import editing, queries, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.queries import ItemFilter
from csto_editor.services.views import ItemSummary

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]


def test_ids_in_order_then_rows_on_demand(as_user: As, new_item: New) -> None:
    ctx = as_user("author")
    a, b, c = new_item("Bravo"), new_item("Alpha"), new_item("Charlie", lang=Language.RU)
    assert queries.item_ids(ctx, sort="title", descending=False) == [b.id, a.id, c.id]
    assert queries.item_ids(ctx, sort="title") == [c.id, a.id, b.id]
    assert queries.item_ids(ctx, ItemFilter(lang="ru")) == [c.id]
    rows = queries.item_summaries(ctx, [a.id, c.id])
    assert set(rows) == {a.id, c.id} and rows[c.id].title == "Charlie"


def test_waiting_for_my_review(as_user: As, new_item: New) -> None:
    mine = new_item("Written by the editor", by="editor")
    theirs = new_item("Written by an author")
    draft = new_item("Still a draft")
    review.submit(as_user("editor"), [mine.id])
    review.submit(as_user("author"), [theirs.id])
    queue = queries.item_ids(as_user("editor"), ItemFilter(awaiting_review_by="editor"))
    assert queue == [theirs.id]
    assert draft.id not in queries.item_ids(
        as_user("reviewer"), ItemFilter(awaiting_review_by="reviewer")
    )


def test_a_word_query_is_counted_from_the_index_without_the_deleted(
    as_user: As, new_item: New
) -> None:
    ctx = as_user("author")
    kept = [new_item(f"Summit in Minsk {n}") for n in range(3)]
    gone = new_item("Summit in Minsk, deleted")
    new_item("Seminar in Astana")
    assert queries.count_search_matches(ctx, "Minsk") == 4
    editing.delete_item(ctx, gone.id)
    assert set(queries.item_ids(ctx, ItemFilter(query="Minsk"))) == {item.id for item in kept}
    assert queries.count_search_matches(ctx, "Minsk") == 3
    assert queries.count_search_matches(ctx, "summ minsk") == 3  # words are prefixes
    assert queries.count_search_matches(ctx, "Tashkent") == 0
    with pytest.raises(InvalidInput):
        queries.count_search_matches(ctx, " ,. ")
