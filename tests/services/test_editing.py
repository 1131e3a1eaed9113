"""Creating and editing items: slugs, translations, revisions, field checks."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_editor.core.content import ContentType, Language
from csto_editor.core.errors import (
    ConflictError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    WorkflowRefused,
)
from csto_editor.services import editing, queries, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.store.models import Item

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]


def test_russian_titles_get_readable_latin_slugs(new_item: New) -> None:
    item = new_item("Заявление министров иностранных дел", lang=Language.RU)
    assert item.slug == "zayavlenie-ministrov-inostrannykh-del"


def test_slugs_are_unique_within_section_and_language(new_item: New) -> None:
    first = new_item("Meeting in Minsk")
    second = new_item("Meeting in Minsk")
    other_language = new_item("Meeting in Minsk", lang=Language.RU)
    other_section = new_item("Meeting in Minsk", section="statements")
    assert first.slug == "meeting-in-minsk"
    assert second.slug == "meeting-in-minsk-2"
    assert other_language.slug == other_section.slug == "meeting-in-minsk"


def test_long_titles_give_slugs_of_at_most_100_characters(new_item: New) -> None:
    item = new_item("Совещание " * 45)
    assert len(item.slug) <= 100


def test_an_explicit_slug_that_is_taken_is_refused(new_item: New) -> None:
    new_item("First", slug="meeting")
    with pytest.raises(InvalidInput, match="already used"):
        new_item("Second", slug="meeting")
    with pytest.raises(InvalidInput, match="invalid slug"):
        new_item("Third", slug="Not A Slug")


def test_slug_is_stable_once_published(as_user: As, new_item: New) -> None:
    item = new_item()
    editing.edit_item(as_user("author"), item.id, {"slug": "renamed-before-publication"})
    with as_user("admin").database.session() as session:
        row = session.get(Item, item.id)
        assert row is not None
        row.published_revision_id = row.current_revision_id
    with pytest.raises(WorkflowRefused, match="slug"):
        editing.edit_item(as_user("author"), item.id, {"slug": "renamed-after"})
    edited = editing.edit_item(as_user("author"), item.id, {"title": "A new title"})
    assert edited.slug == "renamed-before-publication"


def test_translations_are_linked_both_ways(as_user: As, new_item: New) -> None:
    english = new_item("Statement on the anniversary")
    russian = new_item("Заявление к годовщине", lang=Language.RU, translation_of=english.id)
    assert queries.get_item(as_user("author"), english.id).translations == (russian.id,)
    assert queries.get_item(as_user("author"), russian.id).translations == (english.id,)
    with pytest.raises(InvalidInput, match="already has a translation"):
        new_item("Ещё одно заявление", lang=Language.RU, translation_of=english.id)
    with pytest.raises(InvalidInput, match="same language"):
        new_item("Another statement", translation_of=english.id)
    with pytest.raises(NotFound):
        new_item("Orphan", lang=Language.RU, translation_of=9999)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "title must not be empty"),
        ({"title": "x" * 501}, "at most 500"),
        ({"title": "two\nlines"}, "one line"),
        ({"body": "nul\x00byte"}, "control characters"),
        ({"type": "memo"}, "unknown type"),
        ({"lang": "de"}, "unknown language"),
        ({"colour": "red"}, "unknown field"),
    ],
)
def test_bad_field_values_are_refused_and_nothing_changes(
    as_user: As, new_item: New, changes: dict[str, object], message: str
) -> None:
    item = new_item()
    with pytest.raises(InvalidInput, match=message):
        editing.edit_item(as_user("author"), item.id, changes)
    after = queries.get_item(as_user("author"), item.id)
    assert after.summary.title == item.title
    assert after.summary.revision == item.revision


def test_mixed_scripts_rtl_and_emoji_are_kept(as_user: As, new_item: New) -> None:
    title = "ОДКБ and مرحبا 🇰🇬 summit"
    item = new_item(title)
    assert queries.get_item(as_user("author"), item.id).summary.title == title


def test_an_unchanged_edit_cuts_no_revision(as_user: As, new_item: New) -> None:
    item = new_item()
    same = editing.edit_item(as_user("author"), item.id, {"title": item.title})
    assert same.revision == item.revision
    changed = editing.edit_item(as_user("author"), item.id, {"title": "Different"})
    assert changed.revision != item.revision
    assert [r.number for r in queries.history(as_user("author"), item.id).revisions] == [1, 2]


def test_reviewers_and_exporters_cannot_edit(as_user: As, new_item: New) -> None:
    item = new_item()
    for login in ("reviewer", "exporter"):
        with pytest.raises(PermissionDenied):
            editing.edit_item(as_user(login), item.id, {"title": "Changed"})


def test_statement_type_and_place(as_user: As, new_item: New) -> None:
    item = new_item(
        "Statement of the ministers",
        section="statements",
        type=ContentType.STATEMENT,
        place="Bishkek",
    )
    assert queries.get_item(as_user("author"), item.id).place == "Bishkek"
    review.submit(as_user("author"), [item.id])


def test_autosave_keeps_the_working_copy_and_cuts_revisions_sparingly(
    as_user: As, new_item: New, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = new_item()
    ctx = as_user("author")
    first = editing.autosave(ctx, item.id, {"body": "Typed"}, expected_version=item.version)
    second = editing.autosave(ctx, item.id, {"body": "Typed more"}, expected_version=first.version)
    assert second.revision == item.revision
    assert queries.get_item(ctx, item.id).body == "Typed more"
    monkeypatch.setattr(editing, "SAVE_POINT_INTERVAL", editing.dt.timedelta(0))
    third = editing.autosave(ctx, item.id, {"body": "Typed again"}, expected_version=second.version)
    assert third.revision != item.revision
    saved = editing.save_point(ctx, item.id)
    assert saved.revision == third.revision


def test_autosave_detects_a_conflict_and_keep_mine_cuts_a_revision(
    as_user: As, new_item: New
) -> None:
    item = new_item()
    theirs = editing.autosave(
        as_user("author2"), item.id, {"body": "Their text"}, expected_version=item.version
    )
    with pytest.raises(ConflictError, match="author2"):
        editing.autosave(
            as_user("author"), item.id, {"body": "Mine"}, expected_version=item.version
        )
    assert queries.get_item(as_user("author"), item.id).body == "Their text"
    mine = editing.autosave(as_user("author"), item.id, {"body": "Mine"}, expected_version=None)
    assert mine.revision != theirs.revision
    assert queries.get_item(as_user("author"), item.id).body == "Mine"


def test_save_point_then_restore_an_old_revision(as_user: As, new_item: New) -> None:
    item = new_item(body="First version")
    ctx = as_user("author")
    editing.edit_item(ctx, item.id, {"body": "Second version"})
    review.submit(ctx, [item.id])
    review.approve(as_user("reviewer"), [item.id])
    restored = editing.restore_revision(ctx, item.id, item.revision or 0)
    assert restored.status == "draft"
    assert queries.get_item(ctx, item.id).body == "First version"
    assert [r.reason for r in queries.history(ctx, item.id).revisions] == [
        "create",
        "edit",
        "restore",
    ]
    with pytest.raises(NotFound):
        editing.restore_revision(ctx, item.id, 9999)


def test_delete_moves_a_draft_to_the_bin(as_user: As, new_item: New) -> None:
    item = new_item()
    editing.delete_item(as_user("author"), item.id)
    assert queries.list_items(as_user("author")) == []
    with pytest.raises(NotFound):
        queries.get_item(as_user("author"), item.id)
