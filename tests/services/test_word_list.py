"""The compact word lists answer like pyspellchecker, survive damage, and stay small."""

from __future__ import annotations

import random
import subprocess
import sys
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from spellchecker import SpellChecker as FrequencyList

from csto_editor.core.spelling import DICTIONARY_PREFIXES
from csto_editor.services import spelling, word_list
from csto_editor.services.word_list import CompactWordList, WordListError, open_word_list


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("word-lists")
    paths = {language: folder / f"{language}.bin" for language in ("en", "ru")}
    for language, path in paths.items():
        word_list.build_word_list(language, path)
    return paths


@pytest.fixture(scope="module")
def originals() -> dict[str, FrequencyList]:
    return {language: FrequencyList(language=language, distance=1) for language in ("en", "ru")}


@pytest.fixture
def compact(built: dict[str, Path]) -> Iterator[dict[str, CompactWordList]]:
    lists = {language: CompactWordList(path) for language, path in built.items()}
    yield lists
    for opened in lists.values():
        opened.close()


def _non_words(words: list[str], rng: random.Random) -> list[str]:
    """Words with a letter dropped or doubled, some of which are words again."""
    made = []
    for word in words:
        index = rng.randrange(len(word))
        made += [word[:index] + word[index + 1 :], word[:index] + word[index] + word[index:]]
    return [*made, "", "zzqx", "ъъъ", "Statement", "СТАТЬЯ", "42", "nan"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_membership_and_frequency_as_pyspellchecker(
    language: str, originals: dict[str, FrequencyList], compact: dict[str, CompactWordList]
) -> None:
    original, ours = originals[language], compact[language]
    everything = list(original.word_frequency.dictionary)
    assert len(ours) == len(everything)
    assert ours.total_words == original.word_frequency.total_words
    rng = random.Random(language)
    sample = [*rng.sample(everything, 2000), min(everything), max(everything)]
    for word in sample + _non_words(sample[:500], rng):
        assert (word in ours) == (word in original), word
        assert ours[word] == original[word], word
        assert ours.word_usage_frequency(word) == original.word_usage_frequency(word), word


@pytest.mark.parametrize(
    ("language", "typos"),
    [
        ("en", ["statment", "goverment", "ministr", "secutiry", "qzxv", "the"]),
        ("ru", ["заявленее", "безопастности", "министрв", "щщщщ", "и"]),
    ],
)
def test_candidates_as_pyspellchecker(
    language: str,
    typos: list[str],
    originals: dict[str, FrequencyList],
    compact: dict[str, CompactWordList],
) -> None:
    for typo in typos:
        assert compact[language].candidates(typo) == originals[language].candidates(typo), typo


def _damaged_copies(source: Path, folder: Path) -> list[Path]:
    data = source.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    source = word_list._source().encode()
    body = data[word_list._PREFIX.size :].replace(source, b"0".rjust(len(source), b" "), 1)
    magic, header_length, _checksum = word_list._PREFIX.unpack_from(data)
    stale = word_list._PREFIX.pack(magic, header_length, zlib.crc32(body)) + body
    copies = {
        "flipped": bytes(flipped),
        "cut": data[: len(data) // 3],
        "empty": b"",
        "garbage": b"\x00" * 4096,
        "stale": stale,
    }
    paths = []
    for name, content in copies.items():
        path = folder / f"{name}.bin"
        path.write_bytes(content)
        paths.append(path)
    return paths


def test_a_damaged_or_stale_file_is_refused_then_rebuilt(
    built: dict[str, Path], tmp_path: Path
) -> None:
    for path in _damaged_copies(built["ru"], tmp_path):
        with pytest.raises((WordListError, ValueError)):
            CompactWordList(path)
        rebuilt = open_word_list("ru", path)
        assert "заявление" in rebuilt and "заявленее" not in rebuilt
        assert path.read_bytes() == built["ru"].read_bytes()
        rebuilt.close()


def test_a_missing_file_is_built_in_the_user_cache_folder(tmp_path: Path) -> None:
    path = word_list.word_list_path("en")
    assert path.is_relative_to(tmp_path)  # the test's own cache folder
    assert not path.exists()
    opened = open_word_list("en")
    assert opened.path == path and "statement" in opened
    opened.close()


def test_opened_dictionaries_hold_no_python_copy_of_the_lists(
    built: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyspellchecker's English dict alone is some 33 MB of Python objects, its Russian one
    over 2 MB; ours hold less than 0.5 MB (modules imported first: code is not data)."""
    import dawg_python.wrapper  # noqa: F401
    import pymorphy3_dicts_ru  # noqa: F401

    monkeypatch.setattr(word_list, "word_list_path", lambda language: built[language])
    word_list.words_dawg.cache_clear()
    tracemalloc.start()
    try:
        dictionaries = spelling._Dictionaries()
        checker = spelling.SpellChecker()
        assert [checker.is_known(word) for word in ("заявлении", "statement", "statment")] == [
            True,
            True,
            False,
        ]
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 500_000, f"{held} bytes of Python objects"
    assert len(dictionaries.english) > 100_000


def test_the_dawg_judges_as_pymorphy3(originals: dict[str, FrequencyList]) -> None:
    import pymorphy3

    analyzer = pymorphy3.MorphAnalyzer(lang="ru")
    ours = spelling._RussianWords()
    rng = random.Random(3)
    sample = rng.sample(list(originals["ru"].word_frequency.dictionary), 300)
    for word in [*sample, *_non_words(sample, rng), "еж", "ёж", "Заявлении"]:
        assert ours.word_is_known(word) == analyzer.word_is_known(word), word


def test_what_is_copied_from_pymorphy3_matches_the_installed_one() -> None:
    """The prefixes, the е/ё substitution and the DAWG's record format are copied so that
    the window never imports pymorphy3; a new pymorphy3 that changes them fails here."""
    from pymorphy3.dawg import WordsDawg
    from pymorphy3.lang.ru.config import CHAR_SUBSTITUTES, KNOWN_PREFIXES

    assert tuple(KNOWN_PREFIXES) == DICTIONARY_PREFIXES
    assert spelling.YO_SUBSTITUTES == CHAR_SUBSTITUTES
    assert word_list.WORDS_DAWG_FORMAT == WordsDawg.DATA_FORMAT


_CHECK_WITHOUT_PYMORPHY3 = """
import sys
from pathlib import Path
from csto_editor.core.spelling import DICTIONARY_PREFIXES
from csto_editor.services import spelling, word_list
word_list.word_list_path = lambda language: Path(sys.argv[1 if language == "en" else 2])
checker = spelling.SpellChecker()
words = ("заявлении", "антитеррористической", "киберугрозы", "ёж", "еж", "заявлениии")
print(*[checker.is_known(word) for word in words], "pymorphy3" in sys.modules)
"""


def test_judging_russian_words_never_imports_pymorphy3(built: dict[str, Path]) -> None:
    """Importing pymorphy3 cost the window 2 MB and some 40 ms: only its DAWG is read."""
    result = subprocess.run(
        [sys.executable, "-c", _CHECK_WITHOUT_PYMORPHY3, str(built["en"]), str(built["ru"])],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    judged, imported = result.stdout.split()[:-1], result.stdout.split()[-1]
    assert judged == ["True", "True", "True", "True", "True", "False"]
    assert imported == "False"
