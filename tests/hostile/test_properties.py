"""Property tests: slugs, front matter, renderer and bundle paths under arbitrary input.

These extend the properties in tests/core (slugify is always a valid slug, arbitrary
bytes and YAML-ish text never crash the reader, rendering is always safe) with what
those do not cover: slugs feeding bundle paths, text with lone surrogates, front matter
built from arbitrary mappings and encodings, rendered pages and feeds from arbitrary
field values, and every path builder of core/bundle.py.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from csto_editor.core import bundle, validation
from csto_editor.core.content import ContentType, Language
from csto_editor.core.errors import InvalidInput
from csto_editor.core.frontmatter import KNOWN_KEYS, DocumentError, parse_document
from csto_editor.core.links import resolve_links
from csto_editor.core.markdown_render import render_markdown, sanitize_html
from csto_editor.core.pages import Feed, ItemPage, Link, ListedItem, PageRenderer
from csto_editor.core.slugs import is_valid_slug, slugify, transliterate, unique_slug
from csto_editor.paths import resources_dir
from tests.hostile.corpus import FEED_ELEMENTS, check_page, load_vectors, xml_problems

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_TEXT = st.text(
    alphabet=st.characters(codec=None, categories=None)  # every code point, surrogates too
    | st.sampled_from(list("/\\.:\x00\n\t <>\"'&#%?ёЯ🕊\u202e\u200b\ufffe")),
    max_size=120,
)
HOSTILE = st.sampled_from(load_vectors())
TEXTS = ANY_TEXT | HOSTILE
PATH_NAMES = st.lists(
    st.sampled_from(["", ".", "..", "a", "b-c", "index", "news", "%2e%2e", "~", "C:", "\\"])
    | ANY_TEXT,
    max_size=6,
).map("/".join)
SLUG = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,4}", fullmatch=True).filter(is_valid_slug)
SECTION_PATH = st.lists(SLUG, min_size=1, max_size=4).map("/".join)
LANGUAGES = st.sampled_from(list(Language))
BUNDLE_PATH = re.compile(r"[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*")


def assert_bundle_path(path: str) -> None:
    """A normalised relative path of plain ASCII names that cannot leave the bundle."""
    assert BUNDLE_PATH.fullmatch(path), path
    assert posixpath.normpath(path) == path
    assert not path.startswith(("..", "/")) and "\x00" not in path and "\\" not in path
    assert ".." not in path.split("/")


# --------------------------------------------------------------------------- slugs


@SETTINGS
@given(text=TEXTS, lang=LANGUAGES, section=SECTION_PATH)
def test_any_title_gives_a_slug_whose_page_stays_inside(
    text: str, lang: Language, section: str
) -> None:
    slug = slugify(text)
    assert is_valid_slug(slug)
    assert slugify(slug) == slug
    assert_bundle_path(bundle.item_page(lang, section, slug))
    assert_bundle_path(bundle.item_page(lang, section, unique_slug(text, {slug})))


@SETTINGS
@given(text=ANY_TEXT)
def test_transliteration_never_raises_even_on_lone_surrogates(text: str) -> None:
    folded = transliterate(text)
    assert set(folded) <= set(string.ascii_lowercase + string.digits + "-")


# --------------------------------------------------------------------------- front matter

VALUES = st.none() | TEXTS | st.lists(st.text(max_size=5), max_size=3) | st.integers()
KEYS = st.sampled_from(sorted(KNOWN_KEYS)) | st.text(min_size=1, max_size=12)


@SETTINGS
@given(front=st.dictionaries(KEYS, VALUES, max_size=8), body=TEXTS)
def test_front_matter_from_any_mapping_parses_or_says_why_in_one_line(
    front: dict[str, object], body: str
) -> None:
    try:
        dumped = yaml.safe_dump(front, allow_unicode=True)
    except yaml.YAMLError:
        assume(False)
        return
    data = f"---\n{dumped}---\n{body}".encode("utf-8", "surrogatepass")
    try:
        document = parse_document(data)
    except DocumentError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert document.title and "\n" not in document.title
        assert len(document.title) <= validation.MAX_TITLE
        assert document.slug is None or is_valid_slug(document.slug)
        assert document.translation_of is None or 0 < document.translation_of <= 2**63 - 1
        if document.slug is not None:
            assert_bundle_path(bundle.item_page(Language.EN, "news", document.slug))


RUSSIAN_WORDS = [
    *("Заявление", "министров", "иностранных", "дел", "государств", "членов", "Организации"),
    *("Договора", "о", "коллективной", "безопасности", "ОДКБ", "Генеральный", "секретарь"),
    *("провёл", "встречу", "с", "делегацией", "Совет", "принял", "решение", "заседание"),
    *("состоялось", "в", "Бишкеке", "Минске", "Москве", "Ереване", "Душанбе", "ЗАЯВЛЕНИЕ"),
    *("СОВМЕСТНОЕ", "пресс-служба", "сообщает", "что", "стороны", "обсудили", "вопросы"),
    *("сотрудничества", "и", "укрепления", "мира", "стабильности", "региона"),
]
CYRILLIC_TEXT = st.sampled_from(RUSSIAN_WORDS)
EIGHT_BIT = {
    "cp1251": "Windows-1251",
    "koi8_r": "KOI8-R",
    "iso8859_5": "ISO-8859-5",
    "cp866": "CP866 (DOS)",
}


@SETTINGS
@given(
    words=st.lists(CYRILLIC_TEXT, min_size=6, max_size=14, unique=True),
    encoding=st.sampled_from([*EIGHT_BIT, "utf_16", "utf_16_le", "utf_16_be", "utf_32"]),
)
def test_russian_text_in_another_encoding_is_named(words: list[str], encoding: str) -> None:
    """Any six or more different words of a press release, in any Cyrillic code page."""
    text = f"---\ntitle: {words[0]}\n---\n" + " ".join(words) + "\n"
    with pytest.raises(DocumentError) as raised:
        parse_document(text.encode(encoding))
    message = str(raised.value)
    expected = EIGHT_BIT.get(encoding, "UTF-32" if "32" in encoding else "UTF-16")
    assert message == f"not UTF-8 text (looks like {expected})"


# --------------------------------------------------------------------------- renderer

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@SETTINGS
@given(text=TEXTS, lang=st.sampled_from(["en", "ru"]), lines=st.booleans())
def test_rendered_bodies_are_sanitised_stable_and_resolvable(
    text: str, lang: str, lines: bool
) -> None:
    html = render_markdown(text, lang, source_lines=lines)
    assert sanitize_html(html, source_lines=lines) == html
    assert not _CONTROLS.search(html)
    assert " style=" not in html
    report = check_page(_page(html), editor_schemes=True)
    assert report.problems == [] and report.inline_styles == [], report
    for target in ("../x.html#part", '"><script>alert(1)</script>'):

        def resolver(_scheme: str, _reference: str, target: str = target) -> str:
            return target

        resolved = resolve_links(html, resolver)
        assert check_page(_page(resolved)).problems == [], resolved


@SETTINGS
@given(text=TEXTS)
def test_raw_html_is_sanitised_in_one_pass(text: str) -> None:
    once = sanitize_html(text)
    assert sanitize_html(once) == once
    assert check_page(_page(once), editor_schemes=True).problems == []


def _page(body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        f"<body><main>{body}</main></body></html>"
    )


def _line(text: str, limit: int) -> str:
    """``text`` as the services would store it in a one-line field, or skip the example."""
    try:
        return validation.clean_line(text, "field", limit=limit)
    except InvalidInput:
        assume(False)
        raise


_RENDERER = PageRenderer(resources_dir() / "templates")


@FEW
@given(
    title=TEXTS,
    lead=TEXTS,
    place=TEXTS,
    section=TEXTS,
    body=TEXTS,
    kind=st.sampled_from(list(ContentType)),
    lang=LANGUAGES,
)
def test_pages_from_any_stored_values_are_safe(
    title: str, lead: str, place: str, section: str, body: str, kind: ContentType, lang: Language
) -> None:
    title = _line(title, 500) or "t"
    try:
        lead = validation.clean_text(lead, "lead", limit=5000)
    except InvalidInput:
        assume(False)
    page = ItemPage(
        lang=lang,
        type=kind,
        title=title,
        lead=lead,
        body_html=render_markdown(body, lang),
        section_name=_line(section, 200) or "s",
        event_date=dt.date(2025, 5, 22),
        place=_line(place, 300),
        speaker=_line(place, 300),
        outlet=_line(place, 300),
        back_to_section=Link("index.html", "x"),
        canonical_url="https://odkb-csto.org/en/news/x.html",
        description=lead,
        content_security_policy="default-src 'none'",
    )
    report = check_page(_RENDERER.item_page(page), editor_schemes=True)
    assert report.problems == [] and report.inline_styles == []
    assert report.csp == ["default-src 'none'"]


@FEW
@given(titles=st.lists(TEXTS, min_size=1, max_size=5), leads=st.lists(TEXTS, max_size=5))
def test_feeds_from_any_stored_values_are_well_formed(titles: list[str], leads: list[str]) -> None:
    entries = []
    for number, raw in enumerate(titles):
        try:
            lead = validation.clean_text(
                leads[number] if number < len(leads) else "", "l", limit=5000
            )
        except InvalidInput:
            lead = ""
        entries.append(
            ListedItem(
                title=_line(raw, 500) or "t",
                href=f"https://odkb-csto.org/en/news/{number}.html",
                lead=lead,
                event_date=None,
                lang=Language.EN,
                updated="2025-01-01T00:00:00Z",
            )
        )
    feed = Feed(
        Language.EN, "CSTO", "https://odkb-csto.org/en/feed.xml", "https://odkb-csto.org/en/",
        "2025-01-01T00:00:00Z", tuple(entries),
    )  # fmt: skip
    data = _RENDERER.feed(feed).encode("utf-8")
    assert xml_problems(data, FEED_ELEMENTS) == []
    root = ET.fromstring(data)
    summaries = [e.text or "" for e in root.iter("{http://www.w3.org/2005/Atom}summary")]
    assert summaries == [entry.lead for entry in entries if entry.lead]


# --------------------------------------------------------------------------- bundle paths


@SETTINGS
@given(lang=LANGUAGES | ANY_TEXT, section=PATH_NAMES, slug=PATH_NAMES)
def test_item_pages_are_inside_or_refused(lang: Language, section: str, slug: str) -> None:
    try:
        path = bundle.item_page(lang, section, slug)
    except bundle.UnsafePath:
        return
    assert_bundle_path(path)
    assert path.endswith(".html")


@SETTINGS
@given(
    lang=LANGUAGES,
    section=PATH_NAMES | SECTION_PATH,
    page=st.integers(min_value=-3, max_value=10**6) | st.sampled_from([True, 1.5, "2"]),
)
def test_section_indexes_are_inside_or_refused(lang: Language, section: str, page: object) -> None:
    try:
        path = bundle.section_index(lang, section, page)  # type: ignore[arg-type]
    except bundle.UnsafePath:
        return
    assert_bundle_path(path)
    assert re.search(r"/index(_[2-9]|_[1-9][0-9]+)?\.html$", path)


@SETTINGS
@given(
    sha=st.sampled_from(["a" * 64, "0f" * 32, "A" * 64, "a" * 63, "g" * 64]) | ANY_TEXT,
    extension=st.sampled_from(["png", "JPG", "", "p/g", "../x", "ｐｎｇ", "²", "a" * 11])
    | ANY_TEXT,
    web=st.booleans(),
)
def test_asset_files_are_inside_or_refused(sha: str, extension: str, web: bool) -> None:
    try:
        path = bundle.asset_file(sha, extension, web=web)
    except bundle.UnsafePath:
        return
    assert_bundle_path(path)
    assert re.fullmatch(r"assets/images/[0-9a-f]{64}(-web)?\.[a-z0-9]{1,10}", path)


VALID_PATHS = st.one_of(
    st.builds(bundle.item_page, LANGUAGES, SECTION_PATH, SLUG),
    st.builds(bundle.section_index, LANGUAGES, SECTION_PATH, st.integers(1, 50)),
    st.builds(bundle.asset_file, st.just("ab" * 32), st.sampled_from(["png", "jpg"])),
    st.sampled_from([bundle.ROOT_INDEX, bundle.STYLESHEET, bundle.SITEMAP, "en/feed.xml"]),
)


@SETTINGS
@given(source=VALID_PATHS, target=VALID_PATHS)
def test_relative_links_land_on_their_target(source: str, target: str) -> None:
    link = bundle.relative(source, target)
    assert "\x00" not in link and "\\" not in link and not link.startswith("/")
    landed = posixpath.normpath(posixpath.join(posixpath.dirname(source), link))
    assert landed == target


@SETTINGS
@given(source=PATH_NAMES, target=PATH_NAMES)
def test_relative_refuses_what_is_not_a_bundle_path(source: str, target: str) -> None:
    try:
        link = bundle.relative(source, target)
    except bundle.UnsafePath:
        return
    landed = posixpath.normpath(posixpath.join(posixpath.dirname(source) or ".", link))
    assert not landed.startswith(("..", "/"))


@SETTINGS
@given(path=PATH_NAMES | VALID_PATHS | ANY_TEXT)
def test_inside_never_leaves_the_root(tmp_path_factory: pytest.TempPathFactory, path: str) -> None:
    root = _root(tmp_path_factory)
    try:
        target = bundle.inside(root, path)
    except bundle.UnsafePath:
        return
    assert "\x00" not in str(target) and "\\" not in path
    assert root.resolve() in target.resolve().parents


_ROOTS: dict[str, Path] = {}


def _root(factory: pytest.TempPathFactory) -> Path:
    """One bundle root for every example, with a symlink that points out of it."""
    if "root" not in _ROOTS:
        root = factory.mktemp("bundle-root") / "bundle"
        root.mkdir()
        (root / "en").mkdir()
        (root / "escape").symlink_to(root.parent)
        _ROOTS["root"] = root
    return _ROOTS["root"]


def test_inside_refuses_a_symlink_out_and_the_classic_escapes(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = _root(tmp_path_factory)
    for path in ("escape/x.html", "../x", "/etc/passwd", "", ".", "a\x00b", "a\\..\\b", "en/\n"):
        with pytest.raises(bundle.UnsafePath):
            bundle.inside(root, path)
    assert bundle.inside(root, "en/news/x.html") == root / "en" / "news" / "x.html"
