"""indexes for the item list's order and the section counts

Revision ID: 0003_list_order
Revises: 0002_export_cache
Create Date: 2026-11-28

The window lists live items newest event first (``deleted_at IS NULL ORDER BY
event_date DESC, id DESC``) and counts them per section. Without these indexes both
walk every row of ``items``, whose bodies make each row span overflow pages: about
0.4 s each for 100,000 items at every start. With them both read a covering index only
(also for a list filtered to one section or to a section with its subsections).
"""

from __future__ import annotations

from alembic import op

revision = "0003_list_order"
down_revision = "0002_export_cache"
branch_labels = None
depends_on = None

INDEXES: dict[str, list[str]] = {
    # The whole list, and several sections at once (section_id read from the index).
    "ix_items_live_order": ["deleted_at", "event_date", "id", "section_id"],
    # One section's list, and the counts per section.
    "ix_items_live_section_order": ["deleted_at", "section_id", "event_date", "id"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "items", columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="items")
