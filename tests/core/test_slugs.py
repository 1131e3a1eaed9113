"""Slugs: transliteration, length, uniqueness, reserved names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csto_editor.core.slugs import (
    DEFAULT_MAX_LENGTH,
    FALLBACK_SLUG,
    MIN_MAX_LENGTH,
    RESERVED_SLUGS,
    SLUG_PATTERN,
    is_valid_slug,
    slugify,
    unique_slug,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Заявление министров иностранных дел", "zayavlenie-ministrov-inostrannykh-del"),
        ("Ёлка и щи", "yolka-i-shchi"),
        ("Секретарь ОДКБ", "sekretar-odkb"),
        (
            "Заявление министров иностранных дел государств – членов ОДКБ",
            "zayavlenie-ministrov-inostrannykh-del-gosudarstv-chlenov-odkb",
        ),
        (
            "Генеральный секретарь ОДКБ Имангали Тасмагамбетов провёл встречу",
            "generalnyy-sekretar-odkb-imangali-tasmagambetov-provyol-vstrechu",
        ),
        (
            "Совместное учение «Взаимодействие-2024» в Республике Беларусь",
            "sovmestnoe-uchenie-vzaimodeystvie-2024-v-respublike-belarus",
        ),
        ("Объявление о подъезде", "obyavlenie-o-podezde"),
        ("Цех, хор, чай, шум, щит, эхо, юг, яма", "tsekh-khor-chay-shum-shchit-ekho-yug-yama"),
        ("Жёлтый ЁЖ", "zhyoltyy-yozh"),
        ("CSTO Secretary General", "csto-secretary-general"),
    ],
)
def test_russian_and_english_titles(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Қазақстан Республикасы", "kazakstan-respublikasy"),
        ("Ұжымдық қауіпсіздік туралы шарт ұйымы", "uzhymdyk-kauipsizdik-turaly-shart-uyymy"),
        ("Әл-Фараби, Өскемен, Үкімет, Ғылым, Һ, Ң", "al-farabi-oskemen-ukimet-gylym-h-ng"),
        ("Кыргыз Республикасынын Өкмөтү", "kyrgyz-respublikasynyn-okmotu"),
        ("Україна, їжак, євро, ґанок", "ukrayina-yizhak-yevro-ganok"),
        ("Беларусь: ўсход", "belarus-uskhod"),
        ("Ҷумҳурии Тоҷикистон", "jumhurii-tojikiston"),
    ],
)
def test_other_cyrillic_alphabets(title: str, slug: str) -> None:
    assert slugify(title) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Café crème brûlée", "cafe-creme-brulee"),
        ("Ærø, Łódź, Straße", "aero-lodz-strasse"),
        ("O’Neill's statement", "oneills-statement"),
        ("моло́ко", "moloko"),  # a stress accent does not split the word
        ("пере\u00adговоры", "peregovory"),  # nor does a soft hyphen
        ("Ё", "yo"),
        ("Е\u0308лка", "yolka"),  # decomposed ё
        ("И\u0306од", "yod"),  # decomposed й
        ("  --Hello,   World!--  ", "hello-world"),
        ("2024 — итоги года", "2024-itogi-goda"),
        ("ＣＳＴＯ １", "csto-1"),  # full-width forms
    ],
)
def test_folding_and_separators(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "   ", "—", "😀🎉", "!!!", "中文", "\x00", "ـ"])
def test_nothing_transliterable_gives_fallback(text: str) -> None:
    assert slugify(text) == FALLBACK_SLUG


def test_long_title_cut_at_word_boundary() -> None:
    title = (
        "Заявление министров иностранных дел государств – членов Организации Договора "
        "о коллективной безопасности в связи с тридцатилетием подписания Договора"
    )
    slug = slugify(title)
    assert len(slug) <= DEFAULT_MAX_LENGTH
    assert is_valid_slug(slug)
    full = slugify(title, max_length=1000)
    assert len(full) > DEFAULT_MAX_LENGTH
    assert full.startswith(slug + "-")  # a whole number of words


def test_custom_max_length_cuts_at_word() -> None:
    assert slugify("Секретарь ОДКБ провёл встречу", max_length=21) == "sekretar-odkb-provyol"
    assert slugify("Секретарь ОДКБ провёл встречу", max_length=20) == "sekretar-odkb"
    assert slugify("Секретарь ОДКБ провёл встречу", max_length=15) == "sekretar-odkb"


def test_single_long_word_is_cut_hard() -> None:
    slug = slugify("а" * 300)
    assert slug == "a" * DEFAULT_MAX_LENGTH
    assert slugify("x-" + "b" * 50, max_length=20) == "x-" + "b" * 18


def test_max_length_too_small() -> None:
    with pytest.raises(ValueError, match="at least"):
        slugify("abc", max_length=MIN_MAX_LENGTH - 1)
    with pytest.raises(ValueError, match="at least"):
        unique_slug("abc", [], max_length=3)


@pytest.mark.parametrize("name", sorted(RESERVED_SLUGS))
def test_reserved_names_are_never_returned(name: str) -> None:
    assert slugify(name) == f"{name}-item"
    assert slugify(name.upper()) == f"{name}-item"
    assert not is_valid_slug(name)
    assert unique_slug(name, []) == f"{name}-item"
    assert unique_slug(name, [f"{name}-item"]) == f"{name}-item-2"
    short = slugify(name, max_length=MIN_MAX_LENGTH)
    assert short not in RESERVED_SLUGS
    assert is_valid_slug(short, MIN_MAX_LENGTH)


def test_reserved_reached_by_cutting_is_avoided() -> None:
    slug = slugify("Index of documents", max_length=8)
    assert slug not in RESERVED_SLUGS
    assert is_valid_slug(slug, 8)


def test_expected_reserved_names() -> None:
    assert {"index", "feed", "assets", "sitemap", "manifest", "changes"} <= RESERVED_SLUGS


def test_unique_slug_free_base() -> None:
    assert unique_slug("sekretar-odkb", {"other"}) == "sekretar-odkb"


def test_unique_slug_counts_up() -> None:
    taken = ["sekretar-odkb", "sekretar-odkb-2", "sekretar-odkb-3"]
    assert unique_slug("sekretar-odkb", taken) == "sekretar-odkb-4"
    assert unique_slug("sekretar-odkb", frozenset(taken[:1])) == "sekretar-odkb-2"


def test_unique_slug_slugifies_base() -> None:
    assert unique_slug("Секретарь ОДКБ", {"sekretar-odkb"}) == "sekretar-odkb-2"
    assert unique_slug("", set()) == FALLBACK_SLUG
    assert unique_slug("", {FALLBACK_SLUG}) == "item-2"


def test_unique_slug_trims_base_for_suffix() -> None:
    base = "a" * DEFAULT_MAX_LENGTH
    slug = unique_slug(base, {base})
    assert slug == "a" * (DEFAULT_MAX_LENGTH - 2) + "-2"
    words = "-".join(["slovo"] * 20)[:DEFAULT_MAX_LENGTH].rstrip("-")
    assert len(words) <= DEFAULT_MAX_LENGTH
    taken = {words} | {f"{words}-{n}" for n in range(2, 12)}
    slug = unique_slug(words, taken)
    assert len(slug) <= DEFAULT_MAX_LENGTH
    assert slug.endswith("-2")
    assert slug not in taken
    assert is_valid_slug(slug)


def test_unique_slug_many_taken() -> None:
    taken = {"news"} | {f"news-{n}" for n in range(2, 999)}
    assert unique_slug("news", taken, max_length=8) == "news-999"
    taken.add("news-999")
    assert unique_slug("news", taken, max_length=8) == "new-1000"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("sekretar-odkb", True),
        ("a", True),
        ("2024", True),
        ("a-1-b", True),
        ("", False),
        ("-a", False),
        ("a-", False),
        ("a--b", False),
        ("A", False),
        ("a_b", False),
        ("a b", False),
        ("a/b", False),
        ("../a", False),
        ("a.html", False),
        ("abc\n", False),
        ("ё", False),
        ("index", False),
        ("a" * 100, True),
        ("a" * 101, False),
    ],
)
def test_is_valid_slug(value: str, valid: bool) -> None:
    assert is_valid_slug(value) is valid


def test_is_valid_slug_max_length() -> None:
    assert is_valid_slug("abcdef", max_length=6)
    assert not is_valid_slug("abcdefg", max_length=6)


def test_slug_pattern() -> None:
    assert SLUG_PATTERN.fullmatch("zayavlenie-mid")
    assert not SLUG_PATTERN.fullmatch("zayavlenie--mid")


@given(st.text(), st.integers(min_value=MIN_MAX_LENGTH, max_value=300))
def test_slugify_always_valid(text: str, max_length: int) -> None:
    slug = slugify(text, max_length)
    assert is_valid_slug(slug, max_length)
    assert slug not in RESERVED_SLUGS


@given(
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "C"))
        | st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіїєў😀\u200f\u202e\x00"),
        max_size=400,
    ),
)
def test_slugify_unusual_text(text: str) -> None:
    slug = slugify(text)
    assert is_valid_slug(slug)
    assert slugify(slug) == slug  # idempotent on its own output


@given(
    st.text(),
    st.sets(st.text(alphabet="ab-2", min_size=1, max_size=12), max_size=30),
    st.integers(min_value=MIN_MAX_LENGTH, max_value=40),
)
def test_unique_slug_always_free_and_valid(base: str, taken: set[str], max_length: int) -> None:
    slug = unique_slug(base, taken, max_length)
    assert slug not in taken
    assert is_valid_slug(slug, max_length)


@given(st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,5}", fullmatch=True))
def test_valid_slug_is_kept(value: str) -> None:
    if value not in RESERVED_SLUGS:
        assert slugify(value) == value
        assert unique_slug(value, []) == value
