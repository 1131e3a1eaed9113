"""Which words of a line of Markdown are prose to spell-check, and in which language.

A word is a run of letters, with inner hyphens and apostrophes (``пресс-релиз``,
``it's``). Its language is its script: Cyrillic is Russian, Latin is English. Not
checked: code spans, link targets and bare URLs, e-mail addresses, HTML tags and
entities, reference definitions, words in capitals (ОДКБ, CSTO), words with a capital
inside (PySide), one-letter words. A word that mixes Cyrillic and Latin letters is
always reported: it is a typo no dictionary can see (a Latin "о" in a Russian word).

Fenced code blocks are the caller's to skip: it knows the state of the lines before.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

__all__ = [
    "DICTIONARY_PREFIXES",
    "RUSSIAN_PREFIXES",
    "Script",
    "Word",
    "prose_words",
    "script_of",
    "should_check",
]


RUSSIAN_PREFIXES = ("кибер", "медиа", "интернет", "онлайн", "видео", "пресс", "веб", "эко")
"""Prefixes of new compound words that the dictionary cannot know yet (кибератака)."""

DICTIONARY_PREFIXES = (
    "авиа",
    "авто",
    "аква",
    "анти",
    "анти-",
    "антропо",
    "архи",
    "арт",
    "арт-",
    "астро",
    "аудио",
    "аэро",
    "без",
    "бес",
    "био",
    "вело",
    "взаимо",
    "вне",
    "внутри",
    "видео",
    "вице-",
    "вперед",
    "впереди",
    "гекто",
    "гелио",
    "гео",
    "гетеро",
    "гига",
    "гигро",
    "гипер",
    "гипо",
    "гомо",
    "дву",
    "двух",
    "де",
    "дез",
    "дека",
    "деци",
    "дис",
    "до",
    "евро",
    "за",
    "зоо",
    "интер",
    "инфра",
    "квази",
    "квази-",
    "кило",
    "кино",
    "контр",
    "контр-",
    "космо",
    "космо-",
    "крипто",
    "лейб-",
    "лже",
    "лже-",
    "макро",
    "макси",
    "макси-",
    "мало",
    "меж",
    "медиа",
    "медиа-",
    "мега",
    "мета",
    "мета-",
    "метео",
    "метро",
    "микро",
    "милли",
    "мини",
    "мини-",
    "моно",
    "мото",
    "много",
    "мульти",
    "нано",
    "нарко",
    "не",
    "небез",
    "недо",
    "нейро",
    "нео",
    "низко",
    "обер-",
    "обще",
    "одно",
    "около",
    "орто",
    "палео",
    "пан",
    "пара",
    "пента",
    "пере",
    "пиро",
    "поли",
    "полу",
    "после",
    "пост",
    "пост-",
    "порно",
    "пра",
    "пра-",
    "пред",
    "пресс-",
    "противо",
    "противо-",
    "прото",
    "псевдо",
    "псевдо-",
    "радио",
    "разно",
    "ре",
    "ретро",
    "ретро-",
    "само",
    "санти",
    "сверх",
    "сверх-",
    "спец",
    "суб",
    "супер",
    "супер-",
    "супра",
    "теле",
    "тетра",
    "топ-",
    "транс",
    "транс-",
    "ультра",
    "унтер-",
    "штаб-",
    "экзо",
    "эко",
    "эндо",
    "эконом-",
    "экс",
    "экс-",
    "экстра",
    "экстра-",
    "электро",
    "энерго",
    "этно",
)
"""pymorphy3's ``KNOWN_PREFIXES`` for Russian (prefixes that leave a word's parse as it
is), copied: importing pymorphy3 for them cost the window 2 MB and some 40 ms. A test
compares the copy with the installed pymorphy3."""


class Script(Enum):
    CYRILLIC = "ru"
    LATIN = "en"
    MIXED = "mixed"


class Word(NamedTuple):
    """A word of a line: ``line[start:end] == text`` (Python indexes, not UTF-16)."""

    start: int
    end: int
    text: str
    script: Script


_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SKIPPED = re.compile(
    r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)"  # code span
    r"|\]\([^)]*\)"  # link or image target
    r"|^ {0,3}\[[^\]]+\]:\s*\S+.*$"  # reference definition
    r"|<[^>\n]*>"  # HTML tag or autolink
    r"|&#?\w+;"  # entity
    r"|\b(?:https?|ftp|mailto|asset|item):\S+"  # bare URL or our own link
    r"|\bwww\.\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\{[#.:][^}]*\}",  # attribute list
    re.IGNORECASE,
)


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff'’\-]+")
_LATIN_WORD = re.compile(r"[A-Za-z'’\-]+")


def script_of(word: str) -> Script:
    """Cyrillic, Latin, or mixed: letters of both (or of another script)."""
    if _CYRILLIC_WORD.fullmatch(word):
        return Script.CYRILLIC
    if _LATIN_WORD.fullmatch(word):
        return Script.LATIN
    return Script.MIXED


def should_check(word: str) -> bool:
    """False for words no dictionary should judge: capitals, inner capitals, one letter."""
    if len(word) < 2 or word.isupper():
        return False
    rest = word[1:]
    return rest == rest.lower()


def prose_words(line: str) -> list[Word]:
    """The words of one line of Markdown that a spell checker should judge."""
    skipped = [(match.start(), match.end()) for match in _SKIPPED.finditer(line)]
    words: list[Word] = []
    skip_index = 0
    for match in _WORD.finditer(line):
        start, end = match.span()
        while skip_index < len(skipped) and skipped[skip_index][1] <= start:
            skip_index += 1
        if skip_index < len(skipped) and skipped[skip_index][0] < end:
            continue
        text = match.group()
        script = script_of(text)
        if script is Script.MIXED or should_check(text):
            words.append(Word(start, end, text, script))
    return words
