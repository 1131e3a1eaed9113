"""Compact, read-only word lists for spell checking, mapped from files in the user cache.

pyspellchecker keeps its word frequency lists as Python dicts: the English one alone
takes some 33 MB. Here each list is written once, per pyspellchecker version, to a file
in the platformdirs user cache folder: the words sorted as UTF-8 bytes, their offsets
and their frequencies, searched by bisection. The file is opened with ``mmap``, so only
the pages a lookup reads are resident, and they are the page cache's to drop.

pymorphy3's word DAWG (the only part of its dictionary that judging a word needs) is
mapped the same way instead of read into arrays.

A file that is damaged, cut short or written by another version is rebuilt; the build
runs in a child process so the dicts it reads never enlarge the editor's own memory.

File layout: magic, header length (uint32 LE), CRC-32 of the rest; the header (JSON);
padding to 8 bytes; ``count + 1`` absolute word offsets (uint32, native order);
``count`` frequencies (uint64, native order); the words.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

__all__ = ["CompactWordList", "WordListError", "build_word_list", "open_word_list", "words_dawg"]

_MAGIC = b"CSTOWL1\n"
_PREFIX = struct.Struct("<8sII")
_OFFSET: Final = "I"
_FREQUENCY: Final = "Q"


class WordListError(Exception):
    """A word list file that cannot be used: damaged, cut short or stale."""


@dataclass(frozen=True)
class _Header:
    source: str
    language: str
    count: int
    total_words: int
    longest_word_length: int
    letters: str


def _source() -> str:
    return f"pyspellchecker {version('pyspellchecker')}"


class CompactWordList:
    """pyspellchecker's frequency list for one language, answered from a mapped file.

    Answers like ``spellchecker.SpellChecker(language, distance=1)`` does: membership,
    frequency, ``word_usage_frequency`` and ``candidates``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as stream:
            self._map = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            self._header, self._offsets, self._frequencies = _parse(self._map, path)
        except Exception:
            self._map.close()
            raise
        self.letters = frozenset(self._header.letters)
        self._word_at: Callable[[int], bytes] = self._word_bytes

    @property
    def language(self) -> str:
        return self._header.language

    @property
    def total_words(self) -> int:
        return self._header.total_words

    def __len__(self) -> int:
        return self._header.count

    def _word_bytes(self, index: int) -> bytes:
        return self._map[self._offsets[index] : self._offsets[index + 1]]

    def _index(self, word: str) -> int | None:
        target = word.lower().encode("utf-8")
        count = self._header.count
        index = bisect_left(range(count), target, key=self._word_at)
        if index < count and self._word_bytes(index) == target:
            return index
        return None

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._index(word) is not None

    def __getitem__(self, word: str) -> int:
        """The word's count in the corpus, 0 for a word not in the list."""
        index = self._index(word)
        return 0 if index is None else int(self._frequencies[index])

    def words(self) -> list[str]:
        """Every word, in UTF-8 byte order (reads the whole file: for tests and tools)."""
        return [self._word_bytes(index).decode("utf-8") for index in range(len(self))]

    def word_usage_frequency(self, word: str) -> float:
        return self[word] / self._header.total_words

    def candidates(self, word: str) -> set[str] | None:
        """pyspellchecker's ``candidates`` at distance 1: the word, or its known edits."""
        if word.lower() in self:
            return {word}
        if not self._should_check(word):
            return {word}
        known = {
            edit for edit in self._edits(word.lower()) if edit in self and self._should_check(edit)
        }
        return known or None

    def _should_check(self, word: str) -> bool:
        if len(word) == 1 and word in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~":
            return False
        if len(word) > self._header.longest_word_length + 3:
            return False
        if word.lower() in ("nan", "inf", "infinity"):
            return True
        try:
            float(word)
        except ValueError:
            return True
        return False

    def _edits(self, word: str) -> set[str]:
        if not self._should_check(word):
            return {word}
        letters = self.letters
        splits = [(word[:index], word[index:]) for index in range(len(word) + 1)]
        deletes = [left + right[1:] for left, right in splits if right]
        swaps = [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
        replaces = [left + char + right[1:] for left, right in splits if right for char in letters]
        inserts = [left + char + right for left, right in splits for char in letters]
        return set(deletes + swaps + replaces + inserts)

    def close(self) -> None:
        self._offsets.release()
        self._frequencies.release()
        self._map.close()


def _parse(mapped: mmap.mmap, path: Path) -> tuple[_Header, memoryview, memoryview]:
    size = len(mapped)
    if size < _PREFIX.size:
        raise WordListError(f"{path}: cut short")
    magic, header_length, checksum = _PREFIX.unpack_from(mapped, 0)
    if magic != _MAGIC:
        raise WordListError(f"{path}: not a word list")
    if _file_checksum(path) != checksum:
        raise WordListError(f"{path}: damaged")
    try:
        fields = json.loads(mapped[_PREFIX.size : _PREFIX.size + header_length])
        header = _Header(**fields)
    except (ValueError, TypeError) as error:
        raise WordListError(f"{path}: unreadable header") from error
    if header.source != _source():
        raise WordListError(f"{path}: made by {header.source}, not {_source()}")
    start = _aligned(_PREFIX.size + header_length)
    offsets_size = (header.count + 1) * array(_OFFSET).itemsize
    frequencies_size = header.count * array(_FREQUENCY).itemsize
    if size < start + offsets_size + frequencies_size:
        raise WordListError(f"{path}: cut short")
    view = memoryview(mapped)
    offsets = view[start : start + offsets_size].cast(_OFFSET)
    frequencies = view[start + offsets_size : start + offsets_size + frequencies_size].cast(
        _FREQUENCY
    )
    view.release()
    if offsets[-1] != size:
        offsets.release()
        frequencies.release()
        raise WordListError(f"{path}: inconsistent")
    return header, offsets, frequencies


def _file_checksum(path: Path) -> int:
    """CRC-32 of all but the prefix, read with plain reads: nothing stays mapped."""
    checksum = 0
    with path.open("rb") as stream:
        stream.seek(_PREFIX.size)
        while chunk := stream.read(1 << 20):
            checksum = zlib.crc32(chunk, checksum)
    return checksum


def _aligned(position: int) -> int:
    return (position + 7) // 8 * 8


def build_word_list(language: str, path: Path) -> None:
    """Write pyspellchecker's list for ``language`` to ``path`` (atomically)."""
    from spellchecker import SpellChecker as FrequencyList

    frequency = FrequencyList(language=language, distance=1).word_frequency
    entries = sorted((word.encode("utf-8"), count) for word, count in frequency.items())
    header = json.dumps(
        {
            "source": _source(),
            "language": language,
            "count": len(entries),
            "total_words": frequency.total_words,
            "longest_word_length": frequency.longest_word_length,
            "letters": "".join(sorted(frequency.letters)),
        },
        ensure_ascii=False,
    ).encode("utf-8")
    start = _aligned(_PREFIX.size + len(header))
    offsets = array(_OFFSET)
    position = start + (len(entries) + 1) * offsets.itemsize
    position += len(entries) * array(_FREQUENCY).itemsize
    for word, _count in entries:
        offsets.append(position)
        position += len(word)
    offsets.append(position)
    body = b"".join(
        [
            header,
            bytes(start - _PREFIX.size - len(header)),
            offsets.tobytes(),
            array(_FREQUENCY, [count for _word, count in entries]).tobytes(),
            *(word for word, _count in entries),
        ]
    )
    prefix = _PREFIX.pack(_MAGIC, len(header), zlib.crc32(body))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as stream:
        stream.write(prefix + body)
    os.replace(stream.name, path)


def word_list_path(language: str) -> Path:
    """The list's file in the platformdirs user cache folder, named for its source."""
    from platformdirs import user_cache_path

    from csto_editor.paths import APP_NAME

    name = f"words-{language}-{_source().replace(' ', '-')}.bin"
    return user_cache_path(APP_NAME, appauthor=False) / name


def open_word_list(language: str, path: Path | None = None) -> CompactWordList:
    """The list for ``language``, built first if its file is missing, damaged or stale."""
    path = path or word_list_path(language)
    try:
        return CompactWordList(path)
    except (OSError, ValueError, WordListError):
        pass
    try:
        if getattr(sys, "frozen", False):  # the packaged app's executable is no Python
            raise OSError("no interpreter to run a child with")
        _build_in_child(language, path)
    except (OSError, subprocess.SubprocessError):
        build_word_list(language, path)
    return CompactWordList(path)


def _build_in_child(language: str, path: Path) -> None:
    """Build in a child process, whose dicts leave with it."""
    subprocess.run(
        [sys.executable, "-m", "csto_editor.services.word_list", language, str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )


WORDS_DAWG_FORMAT = ">HH"
"""The record of each word in pymorphy3's DAWG (``WordsDawg.DATA_FORMAT``)."""


@cache
def words_dawg() -> Any:
    """pymorphy3's Russian word DAWG, mapped from its file: read only where a lookup goes."""
    import pymorphy3_dicts_ru  # type: ignore[import-untyped]
    from dawg_python import RecordDAWG  # type: ignore[import-untyped]
    from dawg_python.wrapper import Dictionary, Guide  # type: ignore[import-untyped]

    path = Path(pymorphy3_dicts_ru.get_path()) / "words.dawg"
    with path.open("rb") as stream:
        mapped = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    (units_count,) = struct.unpack_from("=I", mapped, 0)
    units_end = 4 + units_count * 4
    (guide_count,) = struct.unpack_from("=I", mapped, units_end)
    dawg = RecordDAWG(WORDS_DAWG_FORMAT)  # pymorphy3's WordsDawg, without importing pymorphy3
    dawg.dct, dawg.guide = Dictionary(), Guide()  # as its load(), but mapped
    dawg.dct._units = view[4:units_end].cast("I")
    dawg.guide._units = view[units_end + 4 : units_end + 4 + guide_count * 2]
    return dawg


if __name__ == "__main__":
    build_word_list(sys.argv[1], Path(sys.argv[2]))
