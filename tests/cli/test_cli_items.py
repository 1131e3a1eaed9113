"""list, show, history and edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Runner, query, sha256_of, table_counts

NewItem = Callable[..., int]

# --------------------------------------------------------------------------------------
# list


@pytest.fixture
def listed(cli: Runner, world: Path, new_item: NewItem) -> dict[str, int]:
    """Four items in two sections and languages, in three states."""
    ids = {
        "statement": new_item(
            "Заявление министров иностранных дел",
            section="statements",
            lang="ru",
            place="Минск",
            date="2024-11-27",
            body="Министры заявляют.",
        ),
        "news-en": new_item("Seminar for press officers", date="2025-03-13"),
        "news-ru": new_item(
            "Семинар для пресс-служб", lang="ru", date="2025-03-14", body="Семинар открылся."
        ),
        "speech": new_item(
            "Speech at the Minsk conference",
            type="speech",
            speaker="Secretary General",
            date="2025-10-29",
            body="A statement of principles on Eurasian security.",
        ),
    }
    cli("submit", str(ids["news-en"]), str(ids["statement"]), user="anna").assert_ok()
    cli("approve", str(ids["news-en"]), user="roman").assert_ok()
    return ids


def _ids(result_json: list[dict[str, object]]) -> list[object]:
    return [item["id"] for item in result_json]


def test_list_json_shape_and_order(cli: Runner, listed: dict[str, int]) -> None:
    items = cli("list", "--json", user="erik").assert_ok().json()
    assert isinstance(items, list)
    assert len(items) == 4
    for item in items:
        assert item.keys() >= {"id", "title", "section", "lang", "type", "status", "date"}
        assert item.keys() >= {"updated_at"}
        assert isinstance(item["id"], int)
        assert item["updated_at"].endswith("Z")
    # newest event first
    dates = [item["date"] for item in items]
    assert dates == sorted(dates, reverse=True)


def test_list_text(cli: Runner, listed: dict[str, int]) -> None:
    out = cli("list").assert_ok().out
    assert "Заявление министров иностранных дел" in out
    assert "in_review" in out


def test_list_on_an_empty_database(cli: Runner, world: Path) -> None:
    assert cli("list", "--json").assert_ok().json() == []
    assert cli("list").assert_ok().out.strip() == "no items"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--section", "statements"), ["statement"]),
        (("--section", "news"), ["speech", "news-ru", "news-en"]),
        (("--status", "draft"), ["speech", "news-ru"]),
        (("--status", "IN_REVIEW"), ["statement"]),
        (("--status", "approved"), ["news-en"]),
        (("--status", "published"), []),
        (("--lang", "ru"), ["news-ru", "statement"]),
        (("--lang", "en", "--section", "news", "--status", "draft"), ["speech"]),
        (("--query", "заявление"), ["statement"]),
        (("--query", "ЗАЯВЛЕНИЕ"), ["statement"]),
        (("--query", "министры"), ["statement"]),
        (("--query", "семинар"), ["news-ru"]),
        (("--query", "Seminar"), ["news-en"]),
        (("--query", "statement"), ["speech"]),  # the body of the speech
        (("--query", "minsk conference"), ["speech"]),
        (("--query", "semin", "--lang", "en"), ["news-en"]),
        (("--query", "nothing-like-this"), []),
    ],
)
def test_list_filters(
    cli: Runner, listed: dict[str, int], args: tuple[str, ...], expected: list[str]
) -> None:
    items = cli("list", *args, "--json").assert_ok().json()
    assert _ids(items) == [listed[name] for name in expected]


def test_list_query_finds_an_edited_title(cli: Runner, listed: dict[str, int]) -> None:
    item = listed["speech"]
    cli("edit", str(item), "--title", "Выступление Генерального секретаря", user="anna").assert_ok()
    assert _ids(cli("list", "--query", "выступление", "--json").json()) == [item]
    assert _ids(cli("list", "--query", "minsk conference", "--json").json()) == []


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("--status", "finished"), 2, "status"),
        (("--lang", "fr"), 2, "language"),
        (("--section", "nowhere"), 4, "nowhere"),
        (("--query", "!!! ???"), 2, "search"),
    ],
)
def test_list_bad_filters(
    cli: Runner, listed: dict[str, int], args: tuple[str, ...], code: int, fragment: str
) -> None:
    result = cli("list", *args, "--json").assert_error(code, fragment)
    assert result.out == ""


# --------------------------------------------------------------------------------------
# show, history


def test_show(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item(
        "Заявление министров",
        section="statements",
        lang="ru",
        place="Минск",
        lead="Краткое содержание.",
        body="Текст **заявления**.",
    )
    shown = cli("show", str(item), "--json", user="roman").assert_ok().json()
    assert shown["id"] == item
    assert shown["title"] == "Заявление министров"
    assert shown["place"] == "Минск"
    assert shown["lead"] == "Краткое содержание."
    assert shown["body"] == "Текст **заявления**."
    assert shown["status"] == "draft"
    assert shown["author"] == "anna"
    assert len(shown["content_sha256"]) == 64
    text = cli("show", f"#{item}").assert_ok().out
    assert text.startswith(f"#{item} Заявление министров")
    assert "place: Минск" in text


def test_history(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item("First title")
    cli("edit", str(item), "--title", "Second title", user="anna").assert_ok()
    history = cli("history", str(item), "--json").assert_ok().json()
    assert history.keys() >= {"item", "revisions", "reviews", "events"}
    assert [r["number"] for r in history["revisions"]] == [1, 2]
    assert [r["title"] for r in history["revisions"]] == ["First title", "Second title"]
    assert [r["author"] for r in history["revisions"]] == ["anna", "anna"]
    assert history["reviews"] == []
    assert [event["action"] for event in history["events"]] == ["import", "edit"]
    assert history["item"]["revision"] == history["revisions"][-1]["id"]
    assert "r2" in cli("history", str(item)).assert_ok().out


@pytest.mark.parametrize("command", ["show", "history", "edit", "submit", "approve", "check"])
def test_unknown_item(cli: Runner, world: Path, new_item: NewItem, command: str) -> None:
    new_item()
    extra = ("--title", "New") if command == "edit" else ()
    before = sha256_of(world)
    cli(command, "999", *extra, user="elena").assert_error(4, "999")
    assert sha256_of(world) == before


@pytest.mark.parametrize("command", ["show", "history", "edit", "submit", "approve"])
@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", ""])
def test_non_numeric_item(cli: Runner, world: Path, command: str, value: str) -> None:
    cli(command, value, user="elena").assert_error(2)


# --------------------------------------------------------------------------------------
# edit


def test_edit_title(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item("Old title")
    before = cli("show", str(item), "--json").json()
    edited = cli("edit", str(item), "--title", "New title", "--json", user="anna").assert_ok()
    summary = edited.json()
    assert summary["title"] == "New title"
    assert summary["status"] == "draft"
    assert summary["revision"] != before["revision"]
    assert summary["version"] > before["version"]
    after = cli("show", str(item), "--json").json()
    assert after["title"] == "New title"
    assert after["body"] == before["body"]
    assert after["slug"] == before["slug"]  # not renamed behind the author's back
    assert after["content_sha256"] != before["content_sha256"]


def test_edit_body_file(cli: Runner, world: Path, new_item: NewItem, tmp_path: Path) -> None:
    item = new_item()
    body = tmp_path / "body.md"
    body.write_text("Новый текст — с «кавычками».\n\n* пункт\n", encoding="utf-8")
    cli("edit", str(item), "--body-file", str(body), user="anna").assert_ok()
    assert cli("show", str(item), "--json").json()["body"] == (
        "Новый текст — с «кавычками».\n\n* пункт"
    )


def test_edit_body_file_not_utf8(
    cli: Runner, world: Path, new_item: NewItem, tmp_path: Path
) -> None:
    item = new_item()
    body = tmp_path / "body-cp1251.md"
    body.write_bytes("Новый текст заявления".encode("cp1251"))
    before = table_counts(world)
    cli("edit", str(item), "--body-file", str(body), user="anna").assert_error(
        2, "body-cp1251.md", "UTF-8"
    )
    assert table_counts(world) == before
    assert cli("show", str(item), "--json").json()["body"] == "The seminar opened in Moscow."


def test_edit_body_file_missing(
    cli: Runner, world: Path, new_item: NewItem, tmp_path: Path
) -> None:
    item = new_item()
    before = table_counts(world)
    result = cli("edit", str(item), "--body-file", str(tmp_path / "gone.md"), user="anna")
    assert result.code in (2, 4)
    result.assert_error(result.code, "gone.md")
    assert table_counts(world) == before


def test_edit_with_nothing_to_change(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item()
    before = sha256_of(world)
    cli("edit", str(item), user="anna").assert_error(2, "nothing to change")
    assert sha256_of(world) == before


@pytest.mark.parametrize("login", ["roman", "erik", "ghost"])
def test_edit_by_a_non_author_is_refused(
    cli: Runner, world: Path, new_item: NewItem, login: str
) -> None:
    item = new_item("Untouched")
    before = table_counts(world)
    cli("edit", str(item), "--title", "Touched", user=login).assert_error(3)
    assert table_counts(world) == before
    assert cli("show", str(item), "--json").json()["title"] == "Untouched"


def test_edit_by_an_admin_is_allowed(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item()
    cli("edit", str(item), "--title", "Fixed by the admin").assert_ok()


def test_editing_an_approved_item_starts_a_draft(
    cli: Runner, world: Path, new_item: NewItem
) -> None:
    item = new_item("Approved text")
    cli("submit", str(item), user="anna").assert_ok()
    approved = cli("approve", str(item), "--json", user="roman").assert_ok().json()[0]
    approved_revision = approved["approved_revision"]
    assert approved_revision == approved["revision"]

    edited = cli("edit", str(item), "--title", "Newer text", "--json", user="anna").json()
    assert edited["status"] == "draft"
    assert edited["approved_revision"] == approved_revision
    assert edited["revision"] != approved_revision
    shown = cli("show", str(item), "--json").json()
    assert shown["status"] == "draft"
    assert shown["approved_revision"] == approved_revision
    # the approved revision itself is unchanged
    assert query(world, "SELECT title FROM revisions WHERE id = ?", approved_revision) == [
        ("Approved text",)
    ]


def test_editing_an_item_in_review_returns_it_to_draft(
    cli: Runner, world: Path, new_item: NewItem, status_of: Callable[[int], str]
) -> None:
    item = new_item()
    cli("submit", str(item), user="anna").assert_ok()
    assert status_of(item) == "in_review"
    cli("edit", str(item), "--title", "Second thoughts", user="anna").assert_ok()
    assert status_of(item) == "draft"


def test_edit_with_a_stale_version_is_refused(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item()
    version = cli("show", str(item), "--json").json()["version"]
    cli("edit", str(item), "--title", "Mine", "--expect-version", str(version), user="anna")
    before = table_counts(world)
    result = cli(
        "edit", str(item), "--title", "Theirs", "--expect-version", str(version), user="boris"
    )
    result.assert_error(1, "changed")
    assert table_counts(world) == before
    assert cli("show", str(item), "--json").json()["title"] == "Mine"


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("--lang", "fr"), 2, "language"),
        (("--type", "poem"), 2, "type"),
        (("--date", "2024-02-30"), 2, "date"),
        (("--slug", "Not A Slug"), 2, "slug"),
        (("--section", "nowhere"), 4, "nowhere"),
        (("--title", "   "), 2, "title"),
        (("--place", "Minsk\nBishkek"), 2, "place"),
    ],
)
def test_edit_bad_values(
    cli: Runner,
    world: Path,
    new_item: NewItem,
    args: tuple[str, ...],
    code: int,
    fragment: str,
) -> None:
    item = new_item()
    before = table_counts(world)
    cli("edit", str(item), *args, user="anna").assert_error(code, fragment)
    assert table_counts(world) == before


@pytest.mark.parametrize("move", [("--section", "news"), ("--lang", "en")], ids=["section", "lang"])
def test_edit_onto_a_taken_slug_is_bad_input(
    cli: Runner, world: Path, new_item: NewItem, move: tuple[str, str]
) -> None:
    new_item("Seminar", lang="en")
    other = (
        new_item("Seminar", section="statements", lang="en", place="Minsk")
        if move[0] == "--section"
        else new_item("Seminar", lang="ru")
    )
    slugs = {item["slug"] for item in cli("list", "--json").json()}
    assert slugs == {"seminar"}
    before = table_counts(world)
    cli("edit", str(other), *move, user="anna").assert_error(2, "slug")
    assert table_counts(world) == before


def test_edit_lang_cannot_match_the_translation(
    cli: Runner, world: Path, new_item: NewItem
) -> None:
    source = new_item("Seminar for press officers", lang="en")
    translation = new_item("Семинар для пресс-служб", lang="ru", translation_of=source)
    assert cli("show", str(source), "--json").json()["translations"] == [translation]
    before = table_counts(world)
    cli("edit", str(translation), "--lang", "en", user="anna").assert_error(2, "translation")
    assert table_counts(world) == before
    assert cli("show", str(translation), "--json").json()["lang"] == "ru"
