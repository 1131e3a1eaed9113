"""Alembic environment: always run on a connection handed in by store.migrate."""

from __future__ import annotations

from alembic import context

from csto_editor.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through csto_editor.store.migrate, with a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
