"""Hostile input: control characters, overlong and odd Unicode text, search syntax."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Runner, table_counts

NewItem = Callable[..., int]

RTL_AND_EMOJI = "بيان وزراء الخارجية 🕊️ הודעה לעיתונות 🇺🇳 ОДКБ"


@pytest.mark.parametrize(
    "title",
    [
        "Before\x00after",
        "x" * 600,
        "Line one\nline two",
        "Bell\x07",
        "Escape \x1b[31mred\x1b[0m",
        "",
        " \t ",
    ],
    ids=["nul", "600-chars", "newline", "bell", "ansi-escape", "empty", "blank"],
)
def test_bad_titles_are_refused_by_edit(
    cli: Runner, world: Path, new_item: NewItem, title: str
) -> None:
    item = new_item("Untouched title")
    before = table_counts(world)
    cli("edit", str(item), "--title", title, user="anna").assert_error(2, "title")
    assert table_counts(world) == before
    assert cli("show", str(item), "--json").json()["title"] == "Untouched title"


def test_a_500_character_title_is_the_limit(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item()
    cli("edit", str(item), "--title", "я" * 500, user="anna").assert_ok()
    cli("edit", str(item), "--title", "я" * 501, user="anna").assert_error(2, "500")


def test_right_to_left_text_and_emoji_in_a_title(
    cli: Runner, world: Path, new_item: NewItem
) -> None:
    item = new_item()
    slug = cli("show", str(item), "--json").json()["slug"]
    edited = cli("edit", str(item), "--title", RTL_AND_EMOJI, "--json", user="anna").assert_ok()
    assert edited.json()["title"] == RTL_AND_EMOJI
    shown = cli("show", str(item), "--json").json()
    assert shown["title"] == RTL_AND_EMOJI
    assert shown["slug"] == slug
    assert RTL_AND_EMOJI in cli("show", str(item)).assert_ok().out
    assert RTL_AND_EMOJI in cli("list").assert_ok().out
    assert [i["id"] for i in cli("list", "--query", "ОДКБ", "--json").json()] == [item]
    history = cli("history", str(item), "--json").json()
    assert history["revisions"][-1]["title"] == RTL_AND_EMOJI


@pytest.mark.parametrize(
    "title",
    [RTL_AND_EMOJI, "🕊️🇺🇳", "../../etc/passwd", "<script>alert(1)</script>", "CON", "a/b\\c"],
    ids=["rtl-emoji", "emoji-only", "traversal", "script", "device-name", "slashes"],
)
def test_imported_odd_titles_get_safe_slugs(
    cli: Runner, world: Path, md: Callable[..., Path], title: str
) -> None:
    path = md("odd.md", title=f"'{title}'", section="news")
    (item,) = cli("import", str(path), "--json", user="anna").assert_ok().json()
    assert item["title"] == title
    slug = item["slug"]
    assert slug
    assert slug.isascii()
    assert all(ch.islower() or ch.isdigit() or ch == "-" for ch in slug), slug
    assert len(slug) <= 100


@pytest.mark.parametrize(
    "text",
    ['a" OR "b', "NEAR(seminar press)", "title:seminar", "seminar*", "-seminar", "((( AND", "OR"],
)
def test_search_syntax_is_not_interpreted(
    cli: Runner, world: Path, new_item: NewItem, text: str
) -> None:
    new_item("Seminar for press officers", body="Press officers met.")
    result = cli("list", f"--query={text}", "--json")
    assert result.code == 0, result.err
    assert isinstance(result.json(), list)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("user", "add", "анна", "--name", "Anna", "--role", "author"), "login"),
        (("user", "add", "a" * 65, "--name", "Anna", "--role", "author"), "login"),
        (("user", "add", "olga", "--name", "Olga\x00", "--role", "author"), "name"),
        (("user", "add", "olga", "--name", "x" * 201, "--role", "author"), "name"),
        (("section", "add", "docs", "--name-en", "Docs\n", "--name-ru", "Д\x1b"), "name"),
        (("section", "add", "a" * 101, "--name-en", "Docs", "--name-ru", "Д"), "slug"),
    ],
    ids=["cyrillic-login", "long-login", "nul-name", "long-name", "control-names", "long-slug"],
)
def test_hostile_account_and_section_input(
    cli: Runner, world: Path, args: tuple[str, ...], fragment: str
) -> None:
    before = table_counts(world)
    cli(*args).assert_error(2, fragment)
    assert table_counts(world) == before


def test_a_body_with_control_characters_is_refused(
    cli: Runner, world: Path, new_item: NewItem, tmp_path: Path
) -> None:
    item = new_item()
    body = tmp_path / "body.md"
    body.write_bytes(b"Text with a NUL \x00 byte\n")
    before = table_counts(world)
    cli("edit", str(item), "--body-file", str(body), user="anna").assert_error(2)
    assert table_counts(world) == before


def test_search_text_without_words(cli: Runner, world: Path) -> None:
    cli("list", "--query", "((( *** )))").assert_error(2, "no words")


def test_an_overlong_body_is_refused(
    cli: Runner, world: Path, new_item: NewItem, tmp_path: Path
) -> None:
    item = new_item()
    body = tmp_path / "huge.md"
    body.write_text("Текст. " * 300_000, encoding="utf-8")  # 2.1 million characters
    before = table_counts(world)
    cli("edit", str(item), "--body-file", str(body), user="anna").assert_error(2, "body")
    assert table_counts(world) == before


def test_an_import_with_a_nul_byte_is_refused(cli: Runner, world: Path, tmp_path: Path) -> None:
    path = tmp_path / "nul.md"
    path.write_bytes(b"---\ntitle: Before\x00after\nsection: news\n---\nBody\n")
    before = table_counts(world)
    cli("import", str(path), user="anna").assert_error(2, "nul.md")
    assert table_counts(world) == before
