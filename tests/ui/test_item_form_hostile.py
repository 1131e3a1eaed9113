"""Bad input in the metadata form: marked at the field, kept on screen, never saved.

A paste goes through the clipboard as a user's would (QLineEdit.paste emits textEdited).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.ui.item_form import ItemForm

STATEMENT = ItemContent(
    ContentType.STATEMENT,
    Language.EN,
    "Statement of the Ministers",
    lead="On the 80th anniversary of the United Nations.",
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


def paste_into(line: QLineEdit, text: str) -> None:
    """Replace the field's text by pasting ``text``, as the user would."""
    clipboard = QApplication.clipboard()
    assert clipboard is not None
    clipboard.setText(text)
    line.selectAll()
    line.paste()


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("title", "Я" * 5_000, "at most 500"),
        ("title", "Before\x00after", "NUL"),
        ("title", "Escape \x1b[31mred", "control character U+001B"),
        ("title", "C1\x9bcontrol", "U+009B"),
        ("title", "Non\ufffecharacter", "noncharacter"),
        ("title", "   ", "must not be empty"),
        ("place", "p" * 301, "at most 300"),
        ("speaker", "Bell\x07", "control character"),
        ("slug", "Заявление", "lowercase Latin letters"),
        ("slug", "../../etc/passwd", "lowercase Latin letters"),
        ("slug", "index", "name of a file in every bundle"),
        ("slug", "s" * 101, "lowercase Latin letters"),
        ("date", "2025-02-30", "no day 2025-02-30"),
        ("date", "0001-01-01", "between 1900 and 2100"),
        ("date", "２０２５-０１-０１", "YYYY-MM-DD"),
        ("date", "1e10", "YYYY-MM-DD"),
    ],
)
def test_a_bad_paste_is_marked_at_its_field_and_not_saved(
    form: ItemForm, field: str, text: str, message: str
) -> None:
    line = getattr(form, field)
    name = "event_date" if field == "date" else field
    before = form.values()[name]
    paste_into(line, text)
    assert line.property("invalid") is True, (field, text)
    assert message in line.toolTip(), line.toolTip()
    assert message in form.errors()[name]
    assert name not in form.values()
    assert line.text() != str(before)  # the text stays on screen to be corrected
    paste_into(line, str(before) if field != "date" else "2025-09-26")
    assert line.property("invalid") is False
    assert name not in form.errors()


def test_a_huge_paste_into_the_title_is_cut_by_the_field_and_refused_quickly(
    form: ItemForm,
) -> None:
    started = time.perf_counter()
    paste_into(form.title, "Текст пресс-релиза. " * 500_000)  # 10 million characters
    elapsed = time.perf_counter() - started
    assert len(form.title.text()) == form.title.maxLength() == 32_767
    assert "32,767 characters long; at most 500" in form.errors()["title"]
    assert "title" not in form.values()
    assert elapsed < 5.0


def test_a_long_lead_is_marked(qtbot: QtBot, form: ItemForm) -> None:
    form.lead.setPlainText("л" * 5_001)
    assert form.lead.property("invalid") is True
    assert "5,001 characters long; at most 5,000" in form.errors()["lead"]
    assert "lead" not in form.values()
    form.lead.setPlainText("A lead with\nseveral lines is fine.")
    assert "lead" not in form.errors()


def test_a_lead_with_a_nul_names_the_line(form: ItemForm) -> None:
    form.lead.setPlainText("First line\nsecond \x00 line")
    assert "NUL character on line 2" in form.errors()["lead"]


@pytest.mark.parametrize(
    "text",
    [
        "بيان وزراء الخارجية 🕊️ הודעה לעיתונות 🇺🇳 ОДКБ",
        "‮Right-to-left override‬ and ‫embedding‬",
        "👩🏽‍💼 Zero\u200bwidth\u200djoiner",
        "Tab\tinside",
        "«Ёлки» — „лапки“",
    ],
)
def test_right_to_left_mixed_scripts_and_emoji_are_accepted_exactly(
    form: ItemForm, text: str
) -> None:
    for line in (form.title, form.place):
        paste_into(line, text)
        assert line.property("invalid") is False
    values = form.values()
    assert values["title"] == text and values["place"] == text
    assert form.errors() == {}


def test_several_bad_fields_are_listed_under_the_form(form: ItemForm) -> None:
    paste_into(form.title, "x" * 600)
    paste_into(form.slug, "BAD SLUG")
    paste_into(form.date, "2025-13-01")
    assert set(form.errors()) == {"title", "slug", "event_date"}
    keep = {"type", "lang", "lead", "place", "speaker", "occasion", "outlet", "interviewee"}
    assert set(form.values()) == keep
