"""The metadata form: per-type fields, invalid values marked at the field, never dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.ui.item_form import ItemForm

STATEMENT = ItemContent(
    ContentType.STATEMENT,
    Language.EN,
    "Statement of the Ministers",
    lead="On the 80th anniversary of the United Nations.",
    body="ignored by the form",
    event_date=dt.date(2025, 9, 26),
    place="New York",
    slug="statement-of-the-ministers",
)


@pytest.fixture
def form(qtbot: QtBot) -> ItemForm:
    widget = ItemForm()
    qtbot.addWidget(widget)
    widget.set_values(STATEMENT)
    widget.show()
    return widget


def test_values_round_trip(form: ItemForm) -> None:
    values = form.values()
    assert values == {
        "title": "Statement of the Ministers",
        "lead": "On the 80th anniversary of the United Nations.",
        "type": "statement",
        "lang": "en",
        "event_date": dt.date(2025, 9, 26),
        "place": "New York",
        "speaker": "",
        "occasion": "",
        "outlet": "",
        "interviewee": "",
        "slug": "statement-of-the-ministers",
    }
    assert form.errors() == {}


def test_each_type_shows_its_own_fields(form: ItemForm) -> None:
    def shown() -> set[str]:
        names = ("place", "speaker", "occasion", "outlet", "interviewee")
        return {name for name in names if getattr(form, name).isVisibleTo(form)}

    assert shown() == {"place"}
    form.type_box.setCurrentIndex(form.type_box.findData("speech"))
    assert shown() == {"speaker", "occasion", "place"}
    form.type_box.setCurrentIndex(form.type_box.findData("interview"))
    assert shown() == {"outlet", "interviewee"}
    form.type_box.setCurrentIndex(form.type_box.findData("article"))
    assert shown() == set()
    # A hidden field keeps its value: switching back loses nothing.
    assert form.values()["place"] == "New York"


def test_a_bad_date_is_marked_and_kept_on_screen(qtbot: QtBot, form: ItemForm) -> None:
    form.date.clear()
    qtbot.keyClicks(form.date, "2025-02-30")
    assert form.date.text() == "2025-02-30"
    assert form.date.property("invalid") is True
    assert "2025-02-30" in form.date.toolTip()
    assert "event_date" not in form.values()
    assert "event_date" in form.errors()
    form.date.clear()
    qtbot.keyClicks(form.date, "2025-02-28")
    assert form.date.property("invalid") is False
    assert form.date.toolTip() == ""
    assert form.values()["event_date"] == dt.date(2025, 2, 28)


def test_a_date_in_another_format_is_explained(qtbot: QtBot, form: ItemForm) -> None:
    form.date.clear()
    qtbot.keyClicks(form.date, "26.09.2025")
    assert "YYYY-MM-DD" in form.errors()["event_date"]


def test_no_date_is_a_valid_choice(form: ItemForm) -> None:
    form.date.clear()
    assert form.values()["event_date"] is None
    assert form.errors() == {}


def test_an_empty_title_is_marked_not_saved(qtbot: QtBot, form: ItemForm) -> None:
    form.title.selectAll()
    qtbot.keyClick(form.title, "\b")
    assert form.title.property("invalid") is True
    assert "title" not in form.values()
    assert "must not be empty" in form.errors()["title"]


def test_a_bad_slug_is_marked(qtbot: QtBot, form: ItemForm) -> None:
    form.slug.clear()
    qtbot.keyClicks(form.slug, "Not A Slug")
    assert form.slug.text() == "Not A Slug"
    assert "slug" not in form.values()
    assert "lowercase Latin letters" in form.slug.toolTip()


def test_a_title_with_a_line_break_is_refused(form: ItemForm) -> None:
    form.title.setText("two\nlines")
    form.title.textEdited.emit(form.title.text())
    assert "title" in form.errors()


def test_user_edits_signal_changed_but_loading_does_not(qtbot: QtBot, form: ItemForm) -> None:
    changes: list[None] = []
    form.changed.connect(lambda: changes.append(None))
    form.set_values(STATEMENT.with_changes(title="Another"))
    assert changes == []
    qtbot.keyClicks(form.place, "!")
    qtbot.keyClicks(form.lead, "!")
    form.language_box.setCurrentIndex(form.language_box.findData("ru"))
    assert len(changes) == 3
    assert form.values()["lang"] == "ru"


def test_loading_clears_earlier_marks(qtbot: QtBot, form: ItemForm) -> None:
    form.slug.clear()
    qtbot.keyClicks(form.slug, "BAD")
    form.set_values(STATEMENT)
    assert form.errors() == {}
    assert form.slug.property("invalid") is False


def test_read_only_form(form: ItemForm) -> None:
    form.set_read_only(True)
    assert form.title.isReadOnly() and form.lead.isReadOnly()
    assert not form.type_box.isEnabled()
    form.set_read_only(False)
    assert not form.title.isReadOnly() and form.type_box.isEnabled()
