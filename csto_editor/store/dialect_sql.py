"""The SQL that only one database dialect understands: full-text search and audit guards.

Everything else in the store is dialect-neutral SQLAlchemy; a PostgreSQL version of these
functions lives beside the SQLite one, chosen by the connection's dialect name.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, Integer, column, text
from sqlalchemy.sql.selectable import TextualSelect


def _folded(column: str) -> str:
    # unicode61 folds case but keeps ё apart from е; Russian readers treat them as one.
    return f"replace(replace({column}, 'ё', 'е'), 'Ё', 'Е')"


_NEW_VALUES = ", ".join(_folded(f"new.{c}") for c in ("title", "lead", "body"))
_OLD_VALUES = ", ".join(_folded(f"old.{c}") for c in ("title", "lead", "body"))

SQLITE_SEARCH_DDL = (
    """
    CREATE VIRTUAL TABLE item_search USING fts5(
        title, lead, body,
        content='',
        tokenize="unicode61 remove_diacritics 2"
    )
    """,
    f"""
    CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN
        INSERT INTO item_search(rowid, title, lead, body) VALUES (new.id, {_NEW_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN
        INSERT INTO item_search(item_search, rowid, title, lead, body)
        VALUES ('delete', old.id, {_OLD_VALUES});
    END
    """,
    f"""
    CREATE TRIGGER items_search_update AFTER UPDATE OF title, lead, body ON items BEGIN
        INSERT INTO item_search(item_search, rowid, title, lead, body)
        VALUES ('delete', old.id, {_OLD_VALUES});
        INSERT INTO item_search(rowid, title, lead, body) VALUES (new.id, {_NEW_VALUES});
    END
    """,
)

SQLITE_FILL_SEARCH = f"""
    INSERT INTO item_search(rowid, title, lead, body)
    SELECT id, {_folded("title")}, {_folded("lead")}, {_folded("body")} FROM items
"""

SQLITE_AUDIT_GUARD_DDL = (
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events BEGIN
        SELECT RAISE(ABORT, 'the audit log is append-only');
    END
    """,
)

_TERM = re.compile(r"\w+", re.UNICODE)


def install_search(connection: Connection) -> None:
    """Create the full-text index and the guards that keep the audit log append-only."""
    if connection.dialect.name != "sqlite":
        raise NotImplementedError(f"no full-text search for {connection.dialect.name} yet")
    for statement in SQLITE_SEARCH_DDL + SQLITE_AUDIT_GUARD_DDL:
        connection.execute(text(statement))
    connection.execute(text(SQLITE_FILL_SEARCH))


def remove_search(connection: Connection) -> None:
    """Undo install_search (for downgrades)."""
    for name in (
        "items_search_insert",
        "items_search_delete",
        "items_search_update",
        "audit_events_no_update",
        "audit_events_no_delete",
    ):
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    connection.execute(text("DROP TABLE IF EXISTS item_search"))


def fts_query(user_text: str) -> str | None:
    """A safe FTS5 query: every word of the user's text, each as a quoted prefix."""
    terms = _TERM.findall(user_text.replace("ё", "е").replace("Ё", "Е"))
    if not terms:
        return None
    return " AND ".join(f'"{term}"*' for term in terms)


def matching_item_ids(dialect: str, user_text: str) -> TextualSelect | None:
    """A SELECT of the ids of items whose title, lead or body match every word given."""
    query = fts_query(user_text)
    if query is None:
        return None
    if dialect != "sqlite":
        raise NotImplementedError(f"no full-text search for {dialect} yet")
    return (
        text("SELECT rowid FROM item_search WHERE item_search MATCH :query")
        .bindparams(query=query)
        .columns(column("rowid", Integer))
    )
