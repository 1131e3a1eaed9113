"""team mode: asset contents in the database, change notices on PostgreSQL

Revision ID: 0004_team_mode
Revises: 0003_list_order
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from csto_editor.store.dialect_sql import install_change_notices, remove_change_notices

revision = "0004_team_mode"
down_revision = "0003_list_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Editors sharing a server share no folder: there an asset's bytes live in the database.
    op.create_table(
        "asset_contents",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_asset_contents")),
    )
    install_change_notices(op.get_bind())


def downgrade() -> None:
    remove_change_notices(op.get_bind())
    op.drop_table("asset_contents")
