"""Spell checking of Russian and English words, with a personal word list.

Dictionaries come from PyPI packages and need no network: pymorphy3 with its Russian
dictionary knows every inflected form of a Russian word (заявлении, министрами);
pyspellchecker supplies English words and the frequencies that rank suggestions in
both languages. Both are read from mapped files (``word_list``), not loaded into
Python objects: together they add a few megabytes, not sixty. Each word is judged
once and remembered, so re-checking a line while typing costs a dictionary lookup at
most.

The personal word list is a UTF-8 file, one word per line, in the user data folder.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from csto_editor.core.spelling import (
    DICTIONARY_PREFIXES,
    RUSSIAN_PREFIXES,
    Script,
    script_of,
    should_check,
)
from csto_editor.services.word_list import CompactWordList, open_word_list, words_dawg

__all__ = ["SpellChecker", "personal_words_path"]

_PREFIXES = tuple(sorted({*DICTIONARY_PREFIXES, *RUSSIAN_PREFIXES}))

YO_SUBSTITUTES = {"е": "ё"}
"""pymorphy3's ``CHAR_SUBSTITUTES`` for Russian: е written where ё is meant."""

_RUSSIAN_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_ENGLISH_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_APOSTROPHES = "'’"


def personal_words_path() -> Path:
    """The personal word list in the platformdirs user data folder."""
    from platformdirs import user_data_path

    from csto_editor.paths import APP_NAME

    return user_data_path(APP_NAME, appauthor=False) / "personal-words.txt"


class SpellChecker:
    """Judges words and proposes corrections; not thread-safe (one per GUI thread)."""

    def __init__(self, personal_path: Path | None = None) -> None:
        self._personal_path = personal_path
        self._personal: set[str] = set()
        self._known: dict[str, bool] = {}
        if personal_path is not None:
            try:
                text = personal_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._personal = {line.strip().lower() for line in text.splitlines() if line.strip()}

    @property
    def _morphology(self) -> _RussianWords:
        return _dictionaries().morphology

    @property
    def _russian(self) -> CompactWordList:
        return _dictionaries().russian

    @property
    def _english(self) -> CompactWordList:
        return _dictionaries().english

    @staticmethod
    def loaded() -> bool:
        """True once the dictionaries are open: judging a word costs lookups, no loading."""
        return _loaded is not None

    def load(self) -> None:
        """Open the dictionaries now (they open on first use otherwise); once per process."""
        _dictionaries()

    def is_known(self, word: str) -> bool:
        """True for a correct word (or one in the personal list, or one not to judge)."""
        key = word.lower()
        known = self._known.get(key)
        if known is None:
            known = self._judge(word, key)
            self._known[key] = known
        return known

    def _judge(self, word: str, key: str) -> bool:
        if key in self._personal:
            return True
        parts = key.replace("’", "'").split("-")
        if len(parts) > 1:
            if self._known_word(key.replace("’", "'")):
                return True
            return all(self._part_is_known(part) for part in word.split("-"))
        return self._known_word(parts[0])

    def _part_is_known(self, part: str) -> bool:
        """A part of a hyphenated word (пресс-релиз, COVID-вакцина): judged on its own."""
        if script_of(part) is Script.MIXED:
            return False
        return not should_check(part) or self.is_known(part)

    def _known_word(self, key: str) -> bool:
        script = script_of(key)
        if script is Script.CYRILLIC:
            return self._known_russian(key)
        if script is Script.LATIN:
            if key in self._english:
                return True
            for suffix in ("'s", "'"):  # possessives: the CSTO's, the ministers'
                if key.endswith(suffix) and key[: -len(suffix)] in self._english:
                    return True
            return False
        return False

    def _known_russian(self, key: str) -> bool:
        morphology = self._morphology
        if morphology.word_is_known(key) or key in self._russian:
            return True
        # A known prefix on a dictionary word (нарко|трафик, кибер|безопасность); a
        # lookup per prefix, not pymorphy3's full parse, which takes a millisecond.
        for prefix in _PREFIXES:
            rest = key.removeprefix(prefix)
            if rest != key and len(rest) >= 3 and morphology.word_is_known(rest):
                return True
        return False

    def suggestions(self, word: str, limit: int = 6) -> list[str]:
        """Likely corrections, the likeliest first, in the word's own capitalisation."""
        key = word.lower().replace("’", "'")
        script = script_of(key)
        if script is Script.CYRILLIC:
            frequency = self._russian.word_usage_frequency
            found = {edit for edit in _edits(key, _RUSSIAN_LETTERS) if self._known_word(edit)}
        elif script is Script.LATIN:
            frequency = self._english.word_usage_frequency
            found = set(self._english.candidates(key) or ()) - {key}
        else:
            return []
        ranked = sorted(found, key=lambda candidate: (-frequency(candidate), candidate))
        return [_same_case(word, candidate) for candidate in ranked[:limit]]

    def add_to_personal(self, word: str) -> None:
        """Accept ``word`` from now on, and keep it in the personal word list."""
        key = word.lower()
        self._personal.add(key)
        self._known[key] = True
        if self._personal_path is None:
            return
        path = self._personal_path
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(f"{entry}\n" for entry in sorted(self._personal))
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as stream:
            stream.write(text)
        os.replace(stream.name, path)


class _RussianWords:
    """pymorphy3's ``MorphAnalyzer.word_is_known``, without the rest of its dictionary."""

    def __init__(self) -> None:
        self._words = words_dawg()
        self._substitutes = self._words.compile_replaces(YO_SUBSTITUTES)

    def word_is_known(self, word: str) -> bool:
        """Known in any form, with е standing for ё (as pymorphy3 allows by default)."""
        return bool(self._words.similar_keys(word.lower(), self._substitutes))


class _Dictionaries:
    def __init__(self) -> None:
        self.morphology = _RussianWords()
        self.russian = open_word_list("ru")
        self.english = open_word_list("en")


_loaded: _Dictionaries | None = None
_loading = threading.Lock()


def _dictionaries() -> _Dictionaries:
    """The dictionaries, opened once per process by whichever thread asks first."""
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                _loaded = _Dictionaries()
    return _loaded


def _edits(word: str, letters: str) -> set[str]:
    """Every word one deletion, swap, replacement or insertion away."""
    splits = [(word[:index], word[index:]) for index in range(len(word) + 1)]
    deletes = [left + right[1:] for left, right in splits if right]
    swaps = [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
    replaces = [left + char + right[1:] for left, right in splits if right for char in letters]
    inserts = [left + char + right for left, right in splits for char in letters]
    return set(deletes + swaps + replaces + inserts) - {word}


def _same_case(original: str, candidate: str) -> str:
    if original[:1].isupper():
        return candidate[:1].upper() + candidate[1:]
    return candidate
