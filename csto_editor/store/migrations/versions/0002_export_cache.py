"""export cache: the links of each rendered body, kept beside its HTML

Revision ID: 0002_export_cache
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_export_cache"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column without a default: an ALTER TABLE both SQLite and PostgreSQL do in
    # place. Rows rendered before it get their links at the next export.
    op.add_column("revisions", sa.Column("rendered_links", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("rendered_links")
