"""import: Markdown files with front matter become drafts, all of them or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Runner, query, table_counts

MakeFile = Callable[..., Path]


def _bad_file(kind: str, md: MakeFile) -> tuple[Path, str]:
    """A file with one problem, and a fragment the error must show for it."""
    if kind == "not-utf8":
        path = md("cp1251.md")
        path.write_bytes(
            "---\ntitle: Заявление министров\nsection: news\n---\nТекст заявления.\n".encode(
                "cp1251"
            )
        )
        return path, "not UTF-8"
    if kind == "no-title":
        return md("untitled.md", section="news", date="2025-01-10"), "no title"
    if kind == "impossible-date":
        return md("feb30.md", title="Leap", section="news", date="2024-02-30"), "impossible date"
    if kind == "unknown-section":
        return md("lost.md", title="Lost", section="nowhere"), "unknown section"
    if kind == "unknown-language":
        return md("french.md", title="Bonjour", section="news", lang="fr"), "unknown language"
    if kind == "unknown-type":
        return md("poem.md", title="Ode", section="news", type="poem"), "unknown type"
    raise AssertionError(kind)


BAD_KINDS = [
    "not-utf8",
    "no-title",
    "impossible-date",
    "unknown-section",
    "unknown-language",
    "unknown-type",
]


def test_import_creates_drafts(cli: Runner, world: Path, md: MakeFile) -> None:
    russian = md(
        "a.md",
        "Министры иностранных дел заявляют следующее.",
        title="Заявление министров иностранных дел",
        section="statements",
        date="2024-11-27",
        place="Минск",
    )
    english = md("b.md", "Body.", title="Seminar for press officers", section="news")
    items = cli("import", str(russian), str(english), "--json", user="anna").assert_ok().json()
    assert len(items) == 2
    first, second = items
    assert first["title"] == "Заявление министров иностранных дел"
    assert first["lang"] == "ru"  # guessed from the Cyrillic text
    assert first["type"] == "statement"  # the section's default type
    assert first["status"] == "draft"
    assert first["date"] == "2024-11-27"
    assert first["slug"].startswith("zayavlenie-ministrov")
    assert first["slug"].isascii()
    assert second["lang"] == "en"
    assert second["type"] == "news"
    assert second["date"] is None
    assert query(world, "SELECT count(*) FROM revisions")[0][0] == 2
    text = cli("list", user="anna").assert_ok().out
    assert "Заявление министров иностранных дел" in text


def test_import_with_a_default_section_crlf_and_bom(
    cli: Runner, world: Path, tmp_path: Path
) -> None:
    path = tmp_path / "windows.md"
    path.write_bytes("\ufeff---\r\ntitle: Windows file\r\n---\r\nBody line.\r\n".encode())
    (item,) = cli("import", str(path), "--section", "statements", "--json", user="anna").json()
    assert item["section"] == "statements"
    assert item["title"] == "Windows file"
    assert cli("show", str(item["id"]), "--json").json()["body"] == "Body line."


def test_import_text_output(cli: Runner, world: Path, md: MakeFile) -> None:
    path = md("a.md", title="Plain output", section="news")
    out = cli("import", str(path), user="anna").assert_ok().out
    assert "Plain output" in out


def test_import_a_translation(cli: Runner, world: Path, md: MakeFile) -> None:
    (source,) = cli(
        "import", str(md("en.md", title="Seminar", section="news", lang="en")), "--json",
        user="anna",
    ).json()  # fmt: skip
    path = md("ru.md", title="Семинар", section="news", lang="ru", translation_of=source["id"])
    (translation,) = cli("import", str(path), "--json", user="anna").assert_ok().json()
    assert translation["translation_group"] == source["id"]
    # a second Russian translation of the same item is refused
    again = md("ru2.md", title="Семинар 2", section="news", lang="ru", translation_of=source["id"])
    before = table_counts(world)
    cli("import", str(again), user="anna").assert_error(2, "ru2.md", "translation")
    # and so is a translation of an item that does not exist
    ghost = md("ru3.md", title="Призрак", section="news", lang="ru", translation_of=999)
    cli("import", str(ghost), user="anna").assert_error(2, "ru3.md", "999")
    assert table_counts(world) == before


@pytest.mark.parametrize("kind", BAD_KINDS)
@pytest.mark.parametrize("where", [0, 1, 2], ids=["first", "middle", "last"])
def test_one_bad_file_of_three_imports_nothing(
    cli: Runner, world: Path, md: MakeFile, kind: str, where: int
) -> None:
    bad, fragment = _bad_file(kind, md)
    files = [
        md("good1.md", title="Good one", section="news", date="2025-01-10"),
        md("good2.md", title="Хороший текст", section="news", lang="ru"),
    ]
    files.insert(where, bad)
    before = table_counts(world)
    result = cli("import", *map(str, files), "--json", user="anna")
    result.assert_error(2, bad.name, fragment, "nothing imported")
    assert result.out == ""
    assert "good1.md" not in result.err
    assert "good2.md" not in result.err
    assert table_counts(world) == before


def test_every_bad_file_is_named_with_its_problem(cli: Runner, world: Path, md: MakeFile) -> None:
    parse_problems = [_bad_file(kind, md) for kind in BAD_KINDS if kind != "unknown-section"]
    good = md("good.md", title="Good", section="news")
    before = table_counts(world)
    result = cli("import", str(good), *(str(path) for path, _ in parse_problems), user="anna")
    result.assert_error(2, "nothing imported")
    for path, fragment in parse_problems:
        assert f"{path.name}: {fragment}".lower() in result.err.lower(), (fragment, result.err)

    lost = md("lost1.md", title="Lost", section="nowhere")
    lost2 = md("lost2.md", title="Lost too", section="elsewhere")
    result = cli("import", str(lost), str(good), str(lost2), user="anna")
    result.assert_error(2, "lost1.md: unknown section 'nowhere'", "lost2.md: unknown section")
    assert table_counts(world) == before


def test_import_of_a_missing_file(cli: Runner, world: Path, tmp_path: Path, md: MakeFile) -> None:
    good = md("good.md", title="Good", section="news")
    missing = tmp_path / "missing.md"
    before = table_counts(world)
    cli("import", str(good), str(missing), user="anna").assert_error(4, "missing.md")
    cli("import", str(missing), user="anna").assert_error(4, "missing.md", "no such file")
    cli("import", str(tmp_path), user="anna").assert_error(2, "folder")
    assert table_counts(world) == before


def test_import_with_an_unknown_default_section(cli: Runner, world: Path, md: MakeFile) -> None:
    path = md("a.md", title="No section of its own")
    before = table_counts(world)
    cli("import", str(path), "--section", "nowhere", user="anna").assert_error(4, "nowhere")
    assert table_counts(world) == before


def test_import_without_any_section_when_there_are_several(
    cli: Runner, world: Path, md: MakeFile
) -> None:
    path = md("a.md", title="No section of its own")
    cli("import", str(path), user="anna").assert_error(2, "a.md", "section")


@pytest.mark.parametrize("login", ["roman", "erik", "ghost"])
def test_import_by_a_non_author_is_refused(
    cli: Runner, world: Path, md: MakeFile, login: str
) -> None:
    path = md("a.md", title="Not mine to import", section="news")
    before = table_counts(world)
    cli("import", str(path), user=login).assert_error(3)
    assert table_counts(world) == before


def test_import_needs_a_file(cli: Runner, world: Path) -> None:
    cli("import", user="anna").assert_error(2)
