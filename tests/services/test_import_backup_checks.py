"""Import (all or nothing), backups while the database is in use, checks, demo content."""

from __future__ import annotations

import sqlite3
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, text

from csto_editor.core.content import ContentType, Language
from csto_editor.core.errors import InvalidInput, NotFound
from csto_editor.services import backup, checks, editing, importing, queries, review, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.store.database import open_database

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]

GOOD = """---
title: Заседание Совета министров иностранных дел ОДКБ
section: news
date: 2025-06-24
place: Бишкек
---
В Бишкеке прошло заседание Совета министров иностранных дел.
"""


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_import_guesses_the_language_and_uses_the_section_type(as_user: As, tmp_path: Path) -> None:
    good = write(tmp_path, "good.md", GOOD)
    statement = write(
        tmp_path, "statement.md", "---\ntitle: Statement\ndate: 2025-06-24\n---\nWe, the Ministers…"
    )
    first, second = importing.import_files(as_user("author"), [good, statement], "statements")
    assert (first.lang, first.section, first.type) == ("ru", "news", "news")
    assert (second.lang, second.section, second.type) == ("en", "statements", "statement")
    assert first.status == second.status == "draft"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("---\ntitle: Good\ndate: 2024-02-30\n---\nBody", "impossible date"),
        ("---\ndate: 2024-02-03\n---\nBody", "no title"),
        ("---\ntitle: Good\nsection: archive\n---\nBody", "unknown section 'archive'"),
        ("---\ntitle: Good\nlang: de\n---\nBody", "unknown language"),
        ("---\ntitle: Good\ntype: memo\n---\nBody", "unknown type"),
        ("---\ntitle: Good\ntranslation_of: 999\n---\nBody", "no item 999"),
        ("Заявление".encode("cp1251"), "not UTF-8"),
    ],
)
def test_one_bad_file_and_nothing_is_imported(
    as_user: As, tmp_path: Path, content: str | bytes, problem: str
) -> None:
    good = write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "bad.md", content)
    with pytest.raises(InvalidInput) as caught:
        importing.import_files(as_user("author"), [good, bad], "news")
    assert f"{bad}: " in str(caught.value) and problem in str(caught.value)
    assert str(good) not in str(caught.value)
    assert queries.list_items(as_user("author")) == []


def test_missing_files_are_not_found(as_user: As, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such file"):
        importing.import_files(as_user("author"), [tmp_path / "absent.md"])


@pytest.mark.sqlite_only  # a backup is a copy of the SQLite file
def test_backup_while_another_connection_writes(as_user: As, new_item: New, tmp_path: Path) -> None:
    new_item("Committed before the backup")
    ctx = as_user("admin")
    writer = sqlite3.connect(ctx.database.target.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE items SET title = 'Uncommitted' WHERE id = 1")
    result: list[object] = []
    thread = threading.Thread(
        target=lambda: result.append(backup.backup(ctx, tmp_path / "copy.sqlite3"))
    )
    thread.start()
    thread.join(timeout=30)
    writer.execute("ROLLBACK")
    writer.close()
    assert result, "the backup did not finish while another connection was writing"
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert copy.execute("SELECT title FROM items").fetchall() == [("Committed before the backup",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    reopened = open_database(tmp_path / "copy.sqlite3")
    assert [i.title for i in queries.list_items(ServiceContext(reopened, "admin"))] == [
        "Committed before the backup"
    ]
    reopened.dispose()


@pytest.mark.sqlite_only  # a backup is a copy of the SQLite file
def test_zip_backup_holds_the_database_and_assets(
    as_user: As, new_item: New, tmp_path: Path
) -> None:
    new_item()
    ctx = as_user("admin")
    assets = ctx.database.target.assets_dir
    assert assets is not None
    (assets / "ab").mkdir(parents=True)
    (assets / "ab" / ("ab" + "0" * 62)).write_bytes(b"\x89PNG fake image bytes")
    result = backup.backup(ctx, tmp_path / "backup.zip")
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
    assert "csto-editor.sqlite3" in names and f"assets/ab/ab{'0' * 62}" in names
    assert result.assets == 1
    assert not list(tmp_path.glob(".csto-backup-*"))


@pytest.mark.sqlite_only  # a backup is a copy of the SQLite file
def test_backup_refuses_to_overwrite_the_database(as_user: As) -> None:
    ctx = as_user("admin")
    assert ctx.database.target.path is not None
    with pytest.raises(InvalidInput, match="database itself"):
        backup.backup(ctx, ctx.database.target.path)


def test_checks_cover_approved_items_by_default(as_user: As, new_item: New) -> None:
    clean = new_item("Clean news")
    faulty = new_item("Statement without a place", section="statements", type=ContentType.STATEMENT)
    draft = new_item("Still a draft", event_date=None)
    review.submit(as_user("author"), [clean.id, faulty.id])
    review.approve(as_user("reviewer"), [clean.id, faulty.id])
    report = checks.run_checks(as_user("exporter"))
    assert set(report.items) == {clean.id, faulty.id}
    assert [(f.item, f.code) for f in report.findings if f.severity == "error"] == [
        (faulty.id, "missing-place")
    ]
    named = checks.run_checks(as_user("exporter"), [draft.id])
    assert [f.code for f in named.findings if f.severity == "error"] == ["missing-date"]


def test_checks_warn_about_pending_changes_and_translations(as_user: As, new_item: New) -> None:
    english = new_item("Seminar for press officers")
    russian = new_item("Семинар для пресс-служб", lang=Language.RU, translation_of=english.id)
    review.submit(as_user("author"), [english.id, russian.id])
    review.approve(as_user("reviewer"), [english.id, russian.id])
    editing.edit_item(as_user("author"), english.id, {"body": "An updated text."})
    report = checks.run_checks(as_user("exporter"))
    codes = {(f.item, f.code) for f in report.findings}
    assert (english.id, "pending-changes") in codes
    assert (russian.id, "translation-outdated") in codes
    assert report.errors == 0


def test_demo_content(tmp_path: Path) -> None:
    database = open_database(tmp_path / "demo.sqlite3", create=True)
    ctx = ServiceContext(database, "admin")
    result = setup.initialize(ctx, demo=True)
    assert result.admin == "admin" and result.demo_items >= 10
    items = queries.list_items(ctx)
    assert {i.lang for i in items} == {"en", "ru"}
    assert {"approved", "in_review", "draft"} <= {i.status for i in items}
    assert any(queries.get_item(ctx, i.id).translations for i in items)
    with database.session() as session:
        assert session.execute(text("SELECT count(*) FROM users")).scalar() == 4
    with pytest.raises(InvalidInput, match="without items"):
        setup.initialize(ctx, demo=True)
    assert setup.initialize(ctx, demo=True, demo_only_if_empty=True).demo_items == 0
    assert checks.run_checks(ctx).errors == 0
    database.dispose()


def test_an_import_reads_each_sections_slugs_once_and_keeps_them_unique(
    as_user: As, tmp_path: Path
) -> None:
    """Counted, not timed: reading the slugs per file made a big import quadratic."""
    files = [
        write(tmp_path, f"{n:02}.md", "---\ntitle: Same title\nlang: en\n---\nBody")
        for n in range(12)
    ]
    ctx = as_user("author")
    slug_reads: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("SELECT ITEMS.SLUG"):
            slug_reads.append(statement)

    event.listen(ctx.database.engine, "before_cursor_execute", note)
    try:
        created = importing.import_files(ctx, files, "news")
    finally:
        event.remove(ctx.database.engine, "before_cursor_execute", note)
    assert len(slug_reads) == 1
    assert len({item.slug for item in created}) == 12
