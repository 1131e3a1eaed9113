"""The item list's order and the section counts are answered from indexes (0003_list_order).

Without them both read every row of ``items`` (whose bodies spill over several pages
each): about 0.4 s each for 100,000 items at every start of the window.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.sql import Select

from csto_editor.store.database import open_database
from csto_editor.store.models import Item

LIVE = Item.deleted_at.is_(None)
NEWEST_FIRST = (Item.event_date.desc().nulls_last(), Item.id.desc())


@pytest.mark.parametrize(
    ("statement", "index"),
    [
        (select(Item.id).where(LIVE).order_by(*NEWEST_FIRST), "ix_items_live_order"),
        (
            select(Item.id).where(LIVE, Item.section_id.in_([2, 3])).order_by(*NEWEST_FIRST),
            "ix_items_live_order",
        ),
        (
            select(Item.id).where(LIVE, Item.section_id.in_([2])).order_by(*NEWEST_FIRST),
            "ix_items_live_section_order",
        ),
        (
            select(Item.section_id, func.count(Item.id)).where(LIVE).group_by(Item.section_id),
            "ix_items_live_section_order",
        ),
    ],
    ids=["all items", "several sections", "one section", "counts per section"],
)
def test_the_list_reads_a_covering_index_and_sorts_nothing(
    tmp_path: Path, statement: Select[tuple[int]], index: str
) -> None:
    database = open_database(tmp_path / "editor.sqlite3", create=True)
    try:
        database.migrate()
        compiled = statement.compile(database.engine, compile_kwargs={"literal_binds": True})
        with database.engine.connect() as connection:
            plan = [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
    finally:
        database.dispose()
    assert any(f"USING COVERING INDEX {index} " in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
