"""Bad input at the services: every field refused with its name, nothing stored half-way."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from csto_editor.core import validation
from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.errors import EditorError, InvalidInput, NotFound
from csto_editor.core.markdown_render import render_markdown
from csto_editor.services import accounts, editing, queries, review, sections, setup
from csto_editor.services.views import ItemSummary
from tests.hostile.conftest import As

Counts = Callable[[], dict[str, int]]

TEN_MB = "Текст пресс-релиза. " * 500_000  # 10,000,000 characters
RTL_MIXED = "بيان وزراء الخارجية 🕊️ הודעה לעיתונות 🇺🇳 ОДКБ CSTO 👩🏽‍💼"


def new_item(
    as_user: As, title: str = "Seminar for press officers", **fields: object
) -> ItemSummary:
    content = ItemContent(
        ContentType.NEWS,
        Language.EN,
        title,
        body="The seminar opened.",
        **fields,  # type: ignore[arg-type]
    )
    return editing.create_item(as_user("anna"), editing.NewItem("news", content))


def snapshot(as_user: As, item_id: int) -> tuple[object, ...]:
    detail = queries.get_item(as_user("anna"), item_id)
    content, section, version = queries.working_copy(as_user("anna"), item_id)
    return (content, section, version, detail.summary.revision)


# --------------------------------------------------------------------------- item fields

BAD_EDITS: list[tuple[dict[str, object], type[EditorError], str]] = [
    # wrong types
    ({"title": 1945}, InvalidInput, "title must be text"),
    ({"title": None}, InvalidInput, "title must be text"),
    ({"lead": b"bytes"}, InvalidInput, "lead must be text"),
    ({"body": ["a", "list"]}, InvalidInput, "body must be text"),
    ({"place": 3.14}, InvalidInput, "place must be text"),
    ({"event_date": "2025-02-30"}, InvalidInput, "event_date must be a date"),
    ({"event_date": 20250101}, InvalidInput, "event_date must be a date"),
    ({"event_date": dt.datetime(2025, 1, 1, 12)}, InvalidInput, "not a date and time"),
    ({"type": None}, InvalidInput, "unknown type"),
    ({"lang": 7}, InvalidInput, "unknown language"),
    ({"colour": "red"}, InvalidInput, "unknown field 'colour'"),
    # impossible or absurd dates
    ({"event_date": dt.date(1, 1, 1)}, InvalidInput, "event_date 0001-01-01 is outside"),
    ({"event_date": dt.date(202, 5, 22)}, InvalidInput, "check the year"),
    ({"event_date": dt.date(9999, 12, 31)}, InvalidInput, "1900-2100"),
    # empty where a value is needed
    ({"title": ""}, InvalidInput, "title must not be empty"),
    ({"title": " \t\u3000 "}, InvalidInput, "title must not be empty"),
    ({"slug": ""}, InvalidInput, "slug must not be empty"),
    # too long
    ({"title": "Я" * 5_000}, InvalidInput, "title is 5,000 characters long; at most 500"),
    ({"title": "x" * 501}, InvalidInput, "at most 500"),
    ({"lead": "л" * 5_001}, InvalidInput, "lead is 5,001 characters long"),
    ({"place": "p" * 301}, InvalidInput, "place is 301 characters long"),
    ({"speaker": "s" * 10_000}, InvalidInput, "speaker is 10,000 characters long"),
    ({"slug": "a" * 101}, InvalidInput, "at most 100"),
    # control characters, NUL, lone surrogates, noncharacters, line breaks
    ({"title": "Before\x00after"}, InvalidInput, "title contains a NUL character"),
    ({"title": "Escape \x1b[31mred"}, InvalidInput, "title contains a control character U+001B"),
    ({"title": "C1 \x9b control"}, InvalidInput, "U+009B"),
    ({"title": "Bad bytes \udcff\udcfe"}, InvalidInput, "title contains a lone surrogate"),
    ({"title": "Non\ufffecharacter"}, InvalidInput, "noncharacter U+FFFE"),
    ({"title": "Line\nbreak"}, InvalidInput, "title must be one line"),
    ({"title": "Line\u2028separator"}, InvalidInput, "title must be one line"),
    ({"outlet": "Next\x85line"}, InvalidInput, "outlet must be one line"),
    ({"lead": "Lead\x00"}, InvalidInput, "lead contains a NUL character"),
    ({"body": "Para one.\n\nPara \x07two."}, InvalidInput, "body contains a control character"),
    ({"body": "Surrogate \ud83d alone"}, InvalidInput, "body contains a lone surrogate"),
    ({"body": "x\U0010ffff"}, InvalidInput, "noncharacter U+10FFFF"),
    ({"interviewee": "tab\x0bvertical"}, InvalidInput, "interviewee"),
    # slugs that are not page addresses
    ({"slug": "../../etc/passwd"}, InvalidInput, "invalid slug"),
    ({"slug": "index"}, InvalidInput, "reserved"),
    ({"slug": "Seminar"}, InvalidInput, "invalid slug"),
    ({"slug": "семинар"}, InvalidInput, "invalid slug"),
    ({"slug": "a--b"}, InvalidInput, "invalid slug"),
    ({"slug": "a\\b"}, InvalidInput, "invalid slug"),
    ({"slug": "a\x00b"}, InvalidInput, "invalid slug"),
    # unknown choices
    ({"type": "poem"}, InvalidInput, "unknown type 'poem'"),
    ({"lang": "de"}, InvalidInput, "unknown language 'de'"),
]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    BAD_EDITS,
    ids=[f"{next(iter(c))}-{i}" for i, (c, _e, _m) in enumerate(BAD_EDITS)],
)
def test_a_bad_field_is_refused_by_name_and_nothing_changes(
    as_user: As, counts: Counts, changes: dict[str, object], error: type[Exception], message: str
) -> None:
    item = new_item(as_user)
    before, rows = snapshot(as_user, item.id), counts()
    with pytest.raises(error) as raised:
        editing.edit_item(as_user("anna"), item.id, changes)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert snapshot(as_user, item.id) == before
    assert counts() == rows


@pytest.mark.parametrize(("changes", "error", "message"), BAD_EDITS[:20])
def test_autosave_refuses_the_same_and_keeps_the_working_copy(
    as_user: As, counts: Counts, changes: dict[str, object], error: type[Exception], message: str
) -> None:
    item = new_item(as_user)
    before, rows = snapshot(as_user, item.id), counts()
    with pytest.raises(error, match=message.split("'")[0][:20]):
        editing.autosave(as_user("anna"), item.id, changes, expected_version=item.version)
    assert snapshot(as_user, item.id) == before
    assert counts() == rows


def test_one_bad_field_among_good_ones_stores_none_of_them(as_user: As, counts: Counts) -> None:
    item = new_item(as_user)
    before, rows = snapshot(as_user, item.id), counts()
    with pytest.raises(InvalidInput, match="place"):
        editing.edit_item(
            as_user("anna"),
            item.id,
            {"title": "A good new title", "body": "A good new body.", "place": "Минск\x00"},
        )
    assert snapshot(as_user, item.id) == before
    assert counts() == rows


@pytest.mark.parametrize(
    "content",
    [
        ItemContent(ContentType.NEWS, Language.EN, ""),
        ItemContent(ContentType.NEWS, Language.EN, "x" * 5_000),
        ItemContent(ContentType.NEWS, Language.EN, "T", body="\x00"),
        ItemContent(ContentType.NEWS, Language.EN, "T", event_date=dt.date(3000, 1, 1)),
        ItemContent(ContentType.NEWS, Language.EN, "T", slug="../x"),
        ItemContent(ContentType.NEWS, Language.EN, "T", lead="\udcff"),
    ],
    ids=["empty-title", "long-title", "nul-body", "year-3000", "bad-slug", "surrogate-lead"],
)
def test_a_bad_new_item_is_not_created(as_user: As, counts: Counts, content: ItemContent) -> None:
    rows = counts()
    with pytest.raises(InvalidInput):
        editing.create_item(as_user("anna"), editing.NewItem("news", content))
    assert counts() == rows


@pytest.mark.parametrize(
    ("section", "translation_of", "error"),
    [
        ("../news", None, NotFound),
        ("news\x00", None, NotFound),
        ("news", 0, NotFound),
        ("news", -5, NotFound),
        ("news", 2**64, NotFound),
        ("news", "1", InvalidInput),
    ],
)
def test_bad_section_and_translation_references(
    as_user: As, counts: Counts, section: str, translation_of: object, error: type[Exception]
) -> None:
    rows = counts()
    content = ItemContent(ContentType.NEWS, Language.RU, "Семинар")
    with pytest.raises(error):
        editing.create_item(
            as_user("anna"),
            editing.NewItem(section, content, translation_of=translation_of),  # type: ignore[arg-type]
        )
    assert counts() == rows


@pytest.mark.parametrize("item_id", [0, -1, 2**63, 10**30])
def test_ids_no_row_can_have_are_not_found(as_user: As, item_id: int) -> None:
    """An id beyond SQLite's 64-bit integers once crashed with OverflowError."""
    with pytest.raises(NotFound, match=f"no item {item_id}"):
        queries.get_item(as_user("anna"), item_id)
    with pytest.raises(NotFound):
        editing.edit_item(as_user("anna"), item_id, {"title": "x"})
    with pytest.raises(NotFound):
        review.submit(as_user("anna"), [item_id])
    with pytest.raises(NotFound):
        editing.restore_revision(as_user("anna"), 1, item_id)


# --------------------------------------------------------------------------- huge pastes


def test_a_ten_megabyte_body_is_refused_at_once(as_user: As, counts: Counts) -> None:
    item = new_item(as_user)
    before, rows = snapshot(as_user, item.id), counts()
    started = time.perf_counter()
    with pytest.raises(
        InvalidInput, match=r"body is 10,000,000 characters long; at most 2,000,000"
    ):
        editing.autosave(as_user("anna"), item.id, {"body": TEN_MB}, expected_version=item.version)
    assert time.perf_counter() - started < 1.0
    assert snapshot(as_user, item.id) == before
    assert counts() == rows


def test_a_ten_megabyte_paste_is_not_rendered_for_the_preview() -> None:
    started = time.perf_counter()
    html = render_markdown(TEN_MB, "ru")
    assert time.perf_counter() - started < 1.0
    assert "слишком длинный" in html and "10\u00a0000\u00a0000" in html
    english = render_markdown("x" * (validation.MAX_BODY + 1), "en")
    assert (
        english == "<p>This text is too long to show: 2,000,001 characters, at most 2,000,000.</p>"
    )


def test_a_body_at_the_limit_is_stored(as_user: As) -> None:
    item = new_item(as_user)
    body = ("Абзац текста. " * 40 + "\n\n") * (validation.MAX_BODY // 562)
    assert len(body) <= validation.MAX_BODY
    edited = editing.edit_item(as_user("anna"), item.id, {"body": body})
    assert edited.revision == (item.revision or 0) + 1
    assert queries.working_copy(as_user("anna"), item.id)[0].body == body.strip("\n")


def test_decomposed_text_is_stored_composed() -> None:
    """NFC: й typed as и + combining breve is one letter, and counts as one."""
    decomposed = "Заявление министров: и\u0306" * 20
    assert validation.clean_line(decomposed, "title", limit=500) == decomposed.replace(
        "и\u0306", "й"
    )
    assert validation.clean_line("и\u0306" * 500, "title", limit=500) == "й" * 500


# --------------------------------------------------------------------------- text that is fine


@pytest.mark.parametrize(
    "title",
    [
        RTL_MIXED,
        "‮Right-to-left override‬ and ‫embedding‬",
        "Zero\u200bwidth\u200djoiner\u2060word",
        "🕊️🇺🇳👩🏽‍💼",
        "Tab\tinside",
        "«Ёлки» — „лапки“ – ‘quotes’",
        "ѓ ќ ѕ ђ ћ џ ә ғ қ ң ө ұ ү һ ҳ ҷ ӣ ӯ",
        "中文标题 日本語 한국어",
    ],
)
def test_right_to_left_mixed_scripts_and_emoji_are_kept_exactly(as_user: As, title: str) -> None:
    item = new_item(as_user)
    editing.edit_item(
        as_user("anna"), item.id, {"title": title, "place": title[:300], "lead": title}
    )
    content = queries.working_copy(as_user("anna"), item.id)[0]
    assert (content.title, content.place, content.lead) == (title, title[:300], title)
    assert content.slug == item.slug


# --------------------------------------------------------------------------- other services


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: accounts.add_user(c, "анна", "Anna", ["author"]), "login"),
        (lambda c: accounts.add_user(c, "", "Anna", ["author"]), "login"),
        (lambda c: accounts.add_user(c, "a" * 65, "Anna", ["author"]), "login"),
        (lambda c: accounts.add_user(c, "a\x00b", "Anna", ["author"]), "login"),
        (lambda c: accounts.add_user(c, "olga", "Olga\udcff", ["author"]), "name"),
        (lambda c: accounts.add_user(c, "olga", "", ["author"]), "name must not be empty"),
        (lambda c: accounts.add_user(c, "olga", "x" * 201, ["author"]), "name is 201"),
        (lambda c: accounts.add_user(c, "olga", "Olga", ["god"]), "unknown role"),
        (lambda c: accounts.add_user(c, "olga", "Olga", []), "role"),
        (lambda c: sections.add_section(c, "../x", "X", "Х"), "section slug"),
        (lambda c: sections.add_section(c, "feed", "X", "Х"), "reserved"),
        (lambda c: sections.add_section(c, "docs", "Docs\x1b", "Д"), "English name"),
        (lambda c: sections.add_section(c, "docs", "Docs", "Д" * 201), "Russian name"),
        (lambda c: sections.add_section(c, "docs", "Docs", ""), "Russian name"),
        (lambda c: sections.add_section(c, "docs", "D", "Д", default_type="poem"), "type"),
        (lambda c: sections.rename_section(c, "news", "News\u2028Extra", "Н"), "English name"),
        (lambda c: setup.initialize(c, base_url="javascript:alert(1)"), "base URL"),
        (lambda c: setup.initialize(c, base_url="https://exa mple.org/"), "base URL"),
        (lambda c: setup.initialize(c, base_url='https://x.org/"><script>'), "base URL"),
        (lambda c: setup.initialize(c, base_url="https://x.org/?page=1"), "base URL"),
        (lambda c: setup.initialize(c, base_url="https://"), "base URL"),
    ],
)
def test_accounts_sections_and_settings_refuse_bad_values(
    as_user: As, counts: Counts, call: Callable[..., object], message: str
) -> None:
    rows = counts()
    with pytest.raises(InvalidInput, match=message):
        call(as_user("admin"))
    assert counts() == rows


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("NUL\x00", "comment contains a NUL"),
        ("x" * 10_001, "comment is 10,001 characters long"),
        ("\udcff", "comment contains a lone surrogate"),
        ("   \n\n ", "must not be empty"),
    ],
)
def test_review_comments_are_checked(
    as_user: As, counts: Counts, comment: str, message: str
) -> None:
    item = new_item(as_user)
    review.submit(as_user("anna"), [item.id])
    rows = counts()
    with pytest.raises(InvalidInput, match=message):
        review.request_changes(as_user("rita"), item.id, comment)
    assert counts() == rows
    assert queries.get_item(as_user("anna"), item.id).summary.status == "in_review"


def test_a_login_that_is_not_text(as_user: As, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="login must be text"):
        validation.clean_login(None)  # type: ignore[arg-type]
