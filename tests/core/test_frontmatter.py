"""Markdown files with YAML front matter: what parses, and every way a file is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csto_editor.core.content import ContentType, Language
from csto_editor.core.frontmatter import (
    TITLE_MAX_LENGTH,
    DocumentError,
    ImportedDocument,
    parse_document,
)

STATEMENT = """\
---
title: Заявление министров иностранных дел государств – членов ОДКБ
section: statements
lang: ru
type: statement
date: 2024-11-27
place: Минск
speaker: Секретарь ОДКБ
occasion: Заседание Совета министров иностранных дел
outlet: ТАСС
interviewee: Имангали Тасмагамбетов
lead: Министры подтвердили приверженность Договору о коллективной безопасности.
slug: zayavlenie-smid-2024
translation_of: 42
status: approved
pair: statement-2024
---

Министры иностранных дел государств – членов ОДКБ **заявляют**:

1. первое;
2. второе.
"""


def doc(front: str, body: str = "Текст.") -> bytes:
    """A UTF-8 file with the given front matter lines and body."""
    return f"---\n{front}\n---\n{body}\n".encode()


def error_of(data: bytes) -> str:
    """The message parse_document refuses ``data`` with."""
    with pytest.raises(DocumentError) as info:
        parse_document(data)
    message = str(info.value)
    assert "\n" not in message
    return message


# --- well-formed files -------------------------------------------------------


def test_every_key() -> None:
    result = parse_document(STATEMENT.encode())
    assert result == ImportedDocument(
        title="Заявление министров иностранных дел государств – членов ОДКБ",
        body=(
            "Министры иностранных дел государств – членов ОДКБ **заявляют**:\n\n"
            "1. первое;\n2. второе."
        ),
        section="statements",
        lang=Language.RU,
        type=ContentType.STATEMENT,
        event_date=dt.date(2024, 11, 27),
        place="Минск",
        speaker="Секретарь ОДКБ",
        occasion="Заседание Совета министров иностранных дел",
        outlet="ТАСС",
        interviewee="Имангали Тасмагамбетов",
        lead="Министры подтвердили приверженность Договору о коллективной безопасности.",
        slug="zayavlenie-smid-2024",
        translation_of=42,
    )
    assert dict(result.extra) == {"status": "approved", "pair": "statement-2024"}


def test_only_title() -> None:
    result = parse_document(b"---\ntitle: CSTO Secretary General\n---\n")
    assert result.title == "CSTO Secretary General"
    assert result.body == ""
    assert result.section is None
    assert result.lang is None
    assert result.type is None
    assert result.event_date is None
    assert (result.place, result.speaker, result.occasion, result.lead) == ("", "", "", "")
    assert (result.outlet, result.interviewee) == ("", "")
    assert result.slug is None
    assert result.translation_of is None
    assert dict(result.extra) == {}


def test_bom_and_crlf() -> None:
    data = "\ufeff" + STATEMENT.replace("\n", "\r\n")
    result = parse_document(data.encode())
    assert result == parse_document(STATEMENT.encode())
    assert "\r" not in result.body
    assert result.title.startswith("Заявление")


def test_old_mac_line_ends() -> None:
    result = parse_document(b"---\rtitle: Old\r---\rbody\r")
    assert (result.title, result.body) == ("Old", "body")


def test_body_keeps_inner_layout_and_first_indent() -> None:
    body = "\n\n   \n    code block\n\nText with a hard break  \nnext line\n\n\n  \n"
    result = parse_document(doc("title: T", body))
    assert result.body == "    code block\n\nText with a hard break  \nnext line"


def test_body_with_horizontal_rule_after_front_matter() -> None:
    result = parse_document(doc("title: T", "one\n\n---\n\ntwo"))
    assert result.body == "one\n\n---\n\ntwo"


def test_fence_may_have_trailing_spaces() -> None:
    assert parse_document(b"---  \ntitle: T\n--- \t\nbody").body == "body"


def test_values_are_text_not_yaml_types() -> None:
    result = parse_document(doc("title: 1945\nplace: yes\nspeaker: 0123\nstatus: no\npair: 1.10"))
    assert result.title == "1945"
    assert result.place == "yes"
    assert result.speaker == "0123"
    assert dict(result.extra) == {"status": "no", "pair": "1.10"}


def test_whitespace_is_stripped() -> None:
    result = parse_document(doc("title: '  Секретарь ОДКБ  '\nplace: '  Бишкек '"))
    assert result.title == "Секретарь ОДКБ"
    assert result.place == "Бишкек"


def test_folded_title_is_one_line() -> None:
    result = parse_document(doc("title: >\n  Заявление министров\n  иностранных дел"))
    assert result.title == "Заявление министров иностранных дел"


def test_plain_multi_line_title_is_folded_by_yaml() -> None:
    result = parse_document(doc("title: Заявление министров\n  иностранных дел"))
    assert result.title == "Заявление министров иностранных дел"


def test_lead_may_have_several_lines() -> None:
    result = parse_document(doc("title: T\nlead: |\n  Первая строка.\n  Вторая строка.\n"))
    assert result.lead == "Первая строка.\nВторая строка."


def test_empty_and_null_values_mean_absent() -> None:
    result = parse_document(doc("title: T\nlang:\ntype: ~\ndate: null\nslug: ''\nsection:"))
    assert result.lang is None
    assert result.type is None
    assert result.event_date is None
    assert result.slug is None
    assert result.section is None


def test_quoted_null_is_text() -> None:
    assert parse_document(doc("title: 'null'")).title == "null"


def test_event_date_key() -> None:
    result = parse_document(doc("title: T\nevent_date: 2024-02-29"))
    assert result.event_date == dt.date(2024, 2, 29)


def test_quoted_date() -> None:
    assert parse_document(doc("title: T\ndate: '2024-05-15'")).event_date == dt.date(2024, 5, 15)


def test_language_and_type_case_insensitive() -> None:
    result = parse_document(doc("title: T\nlang: EN\ntype: Interview"))
    assert result.lang is Language.EN
    assert result.type is ContentType.INTERVIEW


def test_keys_case_insensitive() -> None:
    result = parse_document(doc("Title: T\nLANG: en\nStatus: draft"))
    assert result.title == "T"
    assert result.lang is Language.EN
    assert dict(result.extra) == {"status": "draft"}


def test_extra_is_read_only() -> None:
    result = parse_document(doc("title: T\nstatus: draft"))
    with pytest.raises(TypeError):
        result.extra["status"] = "published"  # type: ignore[index]


def test_document_is_frozen_and_hashable() -> None:
    result = parse_document(doc("title: T\nstatus: draft"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.title = "U"  # type: ignore[misc]
    assert hash(result) == hash(parse_document(doc("title: T")))


def test_title_at_the_limit() -> None:
    title = "Я" * TITLE_MAX_LENGTH
    assert parse_document(doc(f"title: {title}")).title == title


def test_control_characters_in_body_are_kept() -> None:
    result = parse_document(doc("title: T", "bell\x07 and\x1b escape"))
    assert result.body == "bell\x07 and\x1b escape"


def test_translation_of_with_leading_zero() -> None:
    assert parse_document(doc("title: T\ntranslation_of: '007'")).translation_of == 7


# --- refused files -----------------------------------------------------------


def test_empty_file() -> None:
    assert error_of(b"") == "empty file"
    assert error_of(b"\xef\xbb\xbf") == "empty file"
    assert error_of(b" \r\n\n\t") == "empty file"


def test_windows_1251() -> None:
    data = STATEMENT.encode("cp1251")
    assert error_of(data) == "not UTF-8 text (looks like Windows-1251)"


def test_koi8r() -> None:
    assert error_of(STATEMENT.encode("koi8-r", "replace")) == "not UTF-8 text (looks like KOI8-R)"


def test_latin1() -> None:
    data = "---\ntitle: Déclaration des ministres\n---\nTexte.\n".encode("latin-1")
    assert error_of(data) == "not UTF-8 text (looks like Windows-1252 or Latin-1)"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16(encoding: str) -> None:
    assert error_of(STATEMENT.encode(encoding)) == "not UTF-8 text (looks like UTF-16)"


def test_utf32() -> None:
    assert error_of(STATEMENT.encode("utf-32")) == "not UTF-8 text (looks like UTF-32)"


def test_invalid_utf8_without_a_guess() -> None:
    message = error_of(b"---\ntitle: T\n---\n\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89")
    assert message.startswith("not UTF-8 text")
    assert "line 4" in message


def test_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    assert error_of(png) == "binary data, not text (contains NUL bytes)"
    assert error_of(doc("title: T", "a\x00b")) == "binary data, not text (contains NUL bytes)"


def test_no_front_matter() -> None:
    message = "no front matter: the file must start with a '---' line"
    assert error_of("# Заявление\n\nТекст".encode()) == message
    assert error_of(b"title: T\n---\nbody") == message
    assert error_of(b"\n---\ntitle: T\n---\n") == message
    assert error_of(b"----\ntitle: T\n---\n") == message


def test_unterminated_front_matter() -> None:
    message = "front matter not closed: no '---' line after the first one"
    assert error_of(b"---\ntitle: T\nbody") == message
    assert error_of(b"---") == message


def test_yaml_syntax_error_gives_line() -> None:
    message = error_of(doc("title: T\nplace: Минск\nspeaker: Секретарь: ОДКБ"))
    assert (
        message
        == "YAML syntax error in front matter on line 4: mapping values are not allowed here"
    )


def test_yaml_unclosed_quote() -> None:
    message = error_of(doc("title: 'Заявление\nlang: ru"))
    assert message.startswith("YAML syntax error in front matter on line ")


def test_yaml_tab_indent() -> None:
    message = error_of(doc("title: T\n\tlang: ru"))
    assert message.startswith("YAML syntax error in front matter on line 3")


def test_control_character_in_front_matter() -> None:
    message = error_of(doc("title: T\nplace: a\x01b"))
    assert message == "front matter line 3: character U+0001 is not allowed in YAML"


def test_deep_nesting() -> None:
    assert error_of(doc("title: " + "[" * 5000)) in (
        "front matter is nested too deeply",
        "YAML syntax error in front matter on line 3: expected ',' or ']', but got '<stream end>'",
    )
    assert error_of(doc("x: " + "[" * 5000 + "]" * 5000)) == "front matter is nested too deeply"


def test_duplicate_key() -> None:
    assert error_of(doc("title: T\ntitle: U")) == "front matter line 3: key 'title' given twice"
    assert error_of(doc("title: T\nTitle: U")) == "key 'title' given twice ('title' and 'Title')"


def test_nul_escape_in_value() -> None:
    assert error_of(doc('title: "a\\0b"')) == "'title' contains a NUL character"
    assert error_of(doc('title: T\nstatus: "\\x00"')) == "'status' contains a NUL character"


def test_empty_key() -> None:
    assert error_of(doc("title: T\n~: x")) == "front matter line 3: an empty key"


def test_front_matter_not_a_mapping() -> None:
    assert error_of(doc("- title\n- T")) == "front matter must be 'key: value' lines, not a list"
    assert error_of(doc("Заявление")) == "front matter must be 'key: value' lines, not plain text"


def test_empty_front_matter() -> None:
    assert error_of(b"---\n---\nbody") == "front matter is empty: it needs at least a title"
    assert error_of(b"---\n\n  \n---\nbody") == "front matter is empty: it needs at least a title"


@pytest.mark.parametrize("front", ["lang: ru", "title:", "title: '   '", "title: ~", "titel: T"])
def test_no_title(front: str) -> None:
    assert error_of(doc(front)) == "no title: the front matter needs a 'title' line"


def test_title_too_long() -> None:
    title = "Я" * (TITLE_MAX_LENGTH + 1)
    assert error_of(doc(f"title: {title}")) == "title is 501 characters long (at most 500)"


@pytest.mark.parametrize(
    "value", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "0000-01-01"]
)
def test_impossible_date(value: str) -> None:
    assert error_of(doc(f"title: T\ndate: {value}")) == f"impossible date '{value}'"


@pytest.mark.parametrize(
    "value", ["27.11.2024", "2024-1-5", "2024/11/27", "2024-11-27T10:00", "завтра"]
)
def test_wrong_date_format(value: str) -> None:
    assert error_of(doc(f"title: T\ndate: '{value}'")) == f"date must be YYYY-MM-DD, not '{value}'"


def test_wrong_event_date_format_names_the_key() -> None:
    message = error_of(doc("title: T\nevent_date: 27.11.2024"))
    assert message == "event_date must be YYYY-MM-DD, not '27.11.2024'"


def test_impossible_event_date() -> None:
    assert error_of(doc("title: T\nevent_date: 2024-02-30")) == "impossible date '2024-02-30'"


def test_both_date_keys() -> None:
    message = error_of(doc("title: T\ndate: 2024-01-01\nevent_date: 2024-01-01"))
    assert message == "both 'date' and 'event_date' given; use one"


def test_unknown_language() -> None:
    assert error_of(doc("title: T\nlang: de")) == "unknown language 'de' (one of: en, ru)"
    assert error_of(doc("title: T\nlang: no")) == "unknown language 'no' (one of: en, ru)"


def test_unknown_type() -> None:
    assert error_of(doc("title: T\ntype: memo")) == (
        "unknown type 'memo' (one of: news, statement, speech, interview, article, document)"
    )


@pytest.mark.parametrize(
    "value", ["0", "-3", "abc", "1.5", "+4", "0x1F", "12 13", "99999999999999999999", "١٢"]
)
def test_translation_of_not_positive_integer(value: str) -> None:
    message = error_of(doc(f"title: T\ntranslation_of: '{value}'"))
    assert message == f"translation_of must be a positive integer (an item id), not '{value}'"


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: [a, b]", "'title' must be text, not a list"),
        ("title: T\nplace: {city: Минск}", "'place' must be text, not a mapping"),
        ("title: T\nlead:\n  - one\n  - two", "'lead' must be text, not a list"),
        ("title: T\ndate: [2024-01-01]", "'date' must be text, not a list"),
        ("title: T\ntags: [ОДКБ, МИД]", "'tags' must be text, not a list"),
        ("title: T\nstatus:\n  code: draft", "'status' must be text, not a mapping"),
    ],
)
def test_list_or_mapping_where_text_expected(front: str, message: str) -> None:
    assert error_of(doc(front)) == message


@pytest.mark.parametrize("key", ["title", "place", "speaker", "slug", "section", "outlet"])
def test_line_break_in_one_line_field(key: str) -> None:
    front = f'title: T\n{key}: "one\\ntwo"' if key != "title" else 'title: "one\\ntwo"'
    assert error_of(doc(front)) == f"'{key}' must be one line (it contains a line break)"


def test_literal_block_title_is_refused() -> None:
    message = error_of(doc("title: |\n  Заявление\n  министров"))
    assert message == "'title' must be one line (it contains a line break)"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("index", "slug 'index' is reserved for a bundle file; choose another"),
        ("Foo Bar", "slug 'Foo Bar' is not valid: use lowercase Latin letters and digits"),
        ("../etc", "slug '../etc' is not valid"),
        ("заявление", "slug 'заявление' is not valid"),
        ("a" * 101, "slug is 101 characters long (at most 100)"),
    ],
)
def test_bad_slug(slug: str, message: str) -> None:
    assert error_of(doc(f"title: T\nslug: '{slug}'")).startswith(message)


# --- properties --------------------------------------------------------------


@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    try:
        result = parse_document(data)
    except DocumentError as error:
        assert str(error)
        assert "\n" not in str(error)
    else:
        assert isinstance(result, ImportedDocument)


_YAMLISH = st.sampled_from(
    [
        "---",
        "\n",
        "\r\n",
        ":",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        '"',
        "|",
        ">",
        "&a ",
        "*a",
        "!!",
        "!!int ",
        "!!binary ",
        "? ",
        "#",
        "~",
        "null",
        "\t",
        "  ",
        "title",
        "date",
        "lang",
        "type",
        "slug",
        "translation_of",
        "event_date",
        "lead",
        "status",
        "2024-02-30",
        "2024-02-29",
        "ru",
        "en",
        "news",
        "12",
        "-1",
        "yes",
        "index",
        "Секретарь ОДКБ",
        "\ufeff",
        "\x00",
        "\x01",
        "\x85",
        "\u2028",
        "😀",
        "<<",
        "...",
        "%YAML 1.1",
        "\\n",
    ]
)


@given(st.lists(_YAMLISH | st.text(max_size=5), max_size=60))
def test_arbitrary_yamlish_text(parts: list[str]) -> None:
    data = ("---\ntitle: T\n" + "".join(parts) + "\n---\nbody").encode("utf-8", "surrogatepass")
    try:
        result = parse_document(data)
    except DocumentError as error:
        assert "\n" not in str(error)
    else:
        assert result.title
        assert "\n" not in result.title
        assert len(result.title) <= TITLE_MAX_LENGTH


@given(st.lists(_YAMLISH | st.text(max_size=5), max_size=60))
def test_arbitrary_front_matter_lines(parts: list[str]) -> None:
    data = ("---\n" + "".join(parts) + "\n---\n").encode("utf-8", "surrogatepass")
    try:
        parse_document(data)
    except DocumentError as error:
        assert "\n" not in str(error)


@given(
    title=st.text(min_size=1, max_size=80).filter(lambda s: s.strip()),
    body=st.text(max_size=200),
)
def test_quoted_title_round_trip(title: str, body: str) -> None:
    quoted = '"' + "".join(f"\\U{ord(ch):08x}" for ch in title) + '"'
    data = f"---\ntitle: {quoted}\n---\n{body}".encode("utf-8", "surrogatepass")
    try:
        result = parse_document(data)
    except DocumentError as error:
        message = str(error)
        assert message.startswith(("'title' must be one line", "'title' contains a NUL", "binary"))
    else:
        assert result.title == title.strip()
