"""Pre-publication checks on one item, without a database."""

from __future__ import annotations

import datetime as dt

from csto_editor.core.checks import (
    CheckSubject,
    Reference,
    Severity,
    check_subject,
    link_targets,
)
from csto_editor.core.content import ContentType, ItemContent, Language

STATEMENT = ItemContent(
    type=ContentType.STATEMENT,
    lang=Language.EN,
    title="Statement of the Ministers",
    body="We, the Ministers of Foreign Affairs…",
    event_date=dt.date(2025, 6, 24),
    place="Bishkek",
)
SHA = "a" * 64


def codes(content: ItemContent, **context: object) -> dict[str, Severity]:
    subject = CheckSubject(content=content, **context)  # type: ignore[arg-type]
    return {p.code: p.severity for p in check_subject(subject, {5}, {SHA})}


def test_a_complete_statement_passes() -> None:
    assert codes(STATEMENT) == {}


def test_missing_title_date_and_place_are_errors() -> None:
    found = codes(STATEMENT.with_changes(title=" ", event_date=None, place=""))
    assert found == {
        "missing-title": Severity.ERROR,
        "missing-date": Severity.ERROR,
        "missing-place": Severity.ERROR,
    }


def test_links_and_images() -> None:
    body = (
        "See [the earlier statement](item:5) and [a lost one](item:6).\n\n"
        f"![Delegations in Bishkek](asset:{SHA})\n\n![](asset:{SHA})\n\n"
        f"![Hall](asset:{'b' * 64})\n\n![Desk](file:///C:/Users/press/photo.jpg)\n\n"
        "[notes](C:/Users/press/notes.docx)"
    )
    found = codes(STATEMENT.with_changes(body=body))
    assert found == {
        "broken-link": Severity.ERROR,
        "image-without-alt": Severity.WARNING,
        "missing-image": Severity.ERROR,
        "image-outside-bundle": Severity.ERROR,
        "link-outside-bundle": Severity.ERROR,
    }


def test_translation_and_pending_changes_are_warnings() -> None:
    found = codes(
        STATEMENT,
        missing_translations=frozenset({Language.RU}),
        older_than_source=3,
        pending_changes=True,
    )
    assert found == {
        "missing-translation": Severity.WARNING,
        "translation-outdated": Severity.WARNING,
        "pending-changes": Severity.WARNING,
    }


def test_link_targets_name_all_that_the_checks_look_up() -> None:
    """The checks of an export look up only these targets; they must judge as with all."""
    found = [
        Reference("a", " item:5#top ", None),
        Reference("a", "item:6", None),
        Reference("a", "item:x", None),
        Reference("img", f"asset:{SHA}", "Hall"),
        Reference("a", f"asset:{'b' * 64}", None),
        Reference("img", "item:7", "Not an item link"),
        Reference("a", "https://odkb-csto.org/", None),
    ]
    items, assets = link_targets(found)
    assert (items, assets) == ({5, 6}, {SHA, "b" * 64})
    subject = CheckSubject(content=STATEMENT, links=found)
    everything = check_subject(subject, {5, 7, 8, 9}, {SHA, "c" * 64})
    narrowed = check_subject(subject, {5, 7, 8, 9} & items, {SHA, "c" * 64} & assets)
    assert narrowed == everything
    assert {p.code for p in everything} == {"broken-link", "image-outside-bundle"}
