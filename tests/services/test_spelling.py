"""Which words are prose to check, in which language; what the dictionaries say of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from csto_editor.core.spelling import Script, prose_words
from csto_editor.services.spelling import SpellChecker


def words(line: str) -> list[tuple[str, str]]:
    return [(word.text, word.script.value) for word in prose_words(line)]


def test_prose_words_leave_out_code_links_addresses_and_capitals() -> None:
    line = (
        "Пресс-релиз ОДКБ и CSTO's `wrod код` [сайт ОДКБ](https://odkb.org/путь) "
        "<span>тег</span> https://x.org/слово press@odkb-csto.org, PySide; it's ok &nbsp; я"
    )
    assert words(line) == [
        ("Пресс-релиз", "ru"),
        ("сайт", "ru"),
        ("тег", "ru"),
        ("it's", "en"),
        ("ok", "en"),
    ]


def test_a_word_mixing_scripts_is_always_reported() -> None:
    [word] = prose_words("Oдкб")  # a Latin O
    assert word.script is Script.MIXED
    assert not SpellChecker().is_known("Oдкб")


def test_the_positions_are_the_word_in_the_line() -> None:
    line = "**Заявление** министров"
    for word in prose_words(line):
        assert line[word.start : word.end] == word.text


@pytest.fixture(scope="module")
def checker() -> SpellChecker:
    return SpellChecker()


@pytest.mark.parametrize(
    "word",
    [
        "заявлении",
        "министрами",
        "Бишкеке",
        "государств-членов",
        "кибербезопасности",
        "наркотрафика",
        "statement",
        "ministers'",
        "Yerevan",
    ],
)
def test_known_words_in_any_form(checker: SpellChecker, word: str) -> None:
    assert checker.is_known(word)


@pytest.mark.parametrize("word", ["заявленее", "безопастности", "statment", "goverment"])
def test_misspelled_words(checker: SpellChecker, word: str) -> None:
    assert not checker.is_known(word)


def test_suggestions_in_the_words_case(checker: SpellChecker) -> None:
    assert checker.suggestions("Заявленее")[0] == "Заявление"
    assert checker.suggestions("безопастности")[0] == "безопасности"
    assert checker.suggestions("statment")[0] == "statement"
    assert checker.suggestions("Oдкб") == []


def test_the_personal_word_list_is_kept_in_a_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "personal-words.txt"
    first = SpellChecker(path)
    assert not first.is_known("Имангали")
    first.add_to_personal("Имангали")
    assert first.is_known("Имангали")
    assert path.read_text(encoding="utf-8") == "имангали\n"
    assert SpellChecker(path).is_known("имангали")
