"""Hostile content: the XSS corpus in every field, then the preview and every bundle file.

One database is built for the module: each vector of ``xss_vectors.txt`` becomes an
item whose title, lead, body, place, speaker, occasion, outlet and interviewee carry it;
its section's English and Russian names carry it; an image's alt text, caption and
credit carry it, and so does an attachment's file name; the body also uses it as a link
URL, an image URL and a raw ``href``. Pairs of items are linked as translations.
Everything is approved and exported once; the tests then read the preview of each item
and every file of the bundle the way a browser, a feed reader and a script would.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import html5lib
import pytest
from PIL import Image

from csto_editor.core import bundle
from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.typography import typographic
from csto_editor.paths import resources_dir
from csto_editor.services import accounts, assets, editing, queries, review, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions
from csto_editor.services.export_writer import EXPORT_CSP
from csto_editor.services.pages import PREVIEW_CSP, PagePreviewer
from csto_editor.store.database import open_database
from tests.hostile.corpus import (
    ATOM,
    FEED_ELEMENTS,
    SITEMAP,
    SITEMAP_ELEMENTS,
    check_page,
    load_vectors,
    one_line,
    strict_parse_errors,
    url_scheme,
    xml_problems,
)

VECTORS = load_vectors()
TYPES = (ContentType.NEWS, ContentType.STATEMENT, ContentType.SPEECH, ContentType.INTERVIEW)
BASE_URL = "https://odkb-csto.org/"


@dataclass(frozen=True)
class Placed:
    """One vector and the item that carries it."""

    vector: str
    item_id: int
    content: ItemContent
    section: str
    section_names: tuple[str, str]
    image_texts: tuple[str, str, str]


@dataclass(frozen=True)
class World:
    out: Path
    placed: list[Placed]
    previews: list[str]
    preview_assets: str


def _png(index: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (3, 2), (index % 256, index // 256, 77)).save(buffer, "PNG")
    return buffer.getvalue()


def _file_name(vector: str, index: int) -> str:
    """The vector as a file name: no '/', at most 150 bytes, always a .pdf."""
    name = one_line(vector, 150).replace("/", "∕")
    while len(name.encode("utf-8")) > 150:
        name = name[:-1]
    return f"{index}-{name}.pdf"


def _body(vector: str, image: assets.AssetView, attachment: assets.AssetView | None) -> str:
    url = one_line(vector, 500)
    # The images come first: an unclosed <script> or <!-- in the vector swallows the
    # rest of a body in the sanitiser as in a browser, and they must stay checkable.
    parts = [
        image.markdown(),
        f"Inline {image.markdown()} image.",
        attachment.markdown() if attachment else "",
        f"| {one_line(vector, 200).replace('|', '/')} | b |\n|:--|--:|\n| x | y |",
        f"[a link]({url}) and <{url}>",
        f'<a href="{url}">raw link</a> <img src="{url}" alt="{url}">',
        f"![{one_line(vector, 200)}]({url})",
        vector,
    ]
    return "\n\n".join(part for part in parts if part)


def _build(folder: Path) -> Iterator[World]:
    database = open_database(folder / "hostile.sqlite3", create=True)
    admin = ServiceContext(database, "admin")
    setup.initialize(admin, base_url=BASE_URL)
    accounts.add_user(admin, "anna", "Anna Author", ["author"])
    accounts.add_user(admin, "rita", "Rita Reviewer", ["reviewer"])
    accounts.add_user(admin, "erik", "Erik Exporter", ["exporter"])
    sections.add_section(admin, "news", "News", "Новости")
    anna = ServiceContext(database, "anna")
    files = folder / "files"
    files.mkdir()
    placed: list[Placed] = []
    for index, vector in enumerate(VECTORS):
        names = (one_line(vector, 200), one_line(vector[::-1], 200))
        section = f"s{index}"
        sections.add_section(admin, section, *names, default_type=TYPES[index % 4].value)
        source = files / f"{index}.png"
        source.write_bytes(_png(index))
        texts = (one_line(vector, 500), one_line(vector, 1000), one_line(vector, 300))
        image = assets.add_asset(anna, source, alt_text=texts[0], caption=texts[1], credit=texts[2])
        attachment = None
        if index % 4 == 0:
            document = files / _file_name(vector, index)
            document.write_bytes(b"%PDF-1.4 " + vector.encode("utf-8"))
            attachment = assets.add_asset(anna, document)
        line = one_line(vector, 300)
        content = ItemContent(
            type=TYPES[index % 4],
            lang=Language.EN if index % 2 == 0 else Language.RU,
            title=one_line(vector, 500),
            lead=vector[:5000],
            body=_body(vector, image, attachment),
            event_date=dt.date(2020, 1, 1) + dt.timedelta(days=index),
            place=line,
            speaker=line,
            occasion=line[::-1],
            outlet=line,
            interviewee=line[::-1],
        )
        partner = placed[-1].item_id if index % 2 == 1 else None
        summary = editing.create_item(
            anna, editing.NewItem(section, content, translation_of=partner)
        )
        stored = queries.working_copy(anna, summary.id)[0]
        placed.append(Placed(vector, summary.id, stored, section, names, texts))
    ids = [entry.item_id for entry in placed]
    review.submit(anna, ids)
    review.approve(ServiceContext(database, "rita"), ids, "Approved")
    previewer = PagePreviewer(anna, resources_dir())
    previews = []
    for entry in placed:
        around = previewer.surroundings(entry.item_id, entry.section)
        previews.append(previewer.render(entry.content, around))
        previews.append(previewer.render(entry.content, around, source_lines=False))
    out = folder / "bundle"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bundle, "FEED_SIZE", 10_000)
        patch.setattr(bundle, "HOME_SIZE", 10_000)
        export(ServiceContext(database, "erik"), ExportOptions(out=str(out), force=True))
    store = database.target.assets_dir
    assert store is not None
    yield World(out, placed, previews, store.as_uri())
    database.dispose()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from _build(tmp_path_factory.mktemp("hostile-world"))


def files_of(root: Path, suffix: str) -> list[Path]:
    return sorted(path for path in root.rglob(f"*{suffix}") if path.is_file())


# --------------------------------------------------------------------------- the corpus


def test_the_corpus_has_over_a_hundred_distinct_vectors() -> None:
    assert len(VECTORS) >= 100
    assert len(set(VECTORS)) == len(VECTORS)


def test_every_field_kept_its_hostile_text_exactly(world: World) -> None:
    for entry in world.placed:
        content = entry.content
        assert content.title == one_line(entry.vector, 500)
        assert content.lead == entry.vector[:5000].strip("\n")
        assert content.place == one_line(entry.vector, 300)
        assert entry.vector in content.body


# --------------------------------------------------------------------------- the preview


def test_every_preview_is_safe_and_carries_the_preview_csp(world: World) -> None:
    assert len(world.previews) == 2 * len(VECTORS)
    for page, entry in zip(world.previews, [e for e in world.placed for _ in (1, 2)], strict=True):
        report = check_page(page, preview_assets=world.preview_assets + "/")
        assert report.problems == [], (entry.vector, report.problems)
        assert report.csp == [PREVIEW_CSP], entry.vector
        assert report.inline_styles == [], (entry.vector, report.inline_styles)


def test_the_preview_shows_hostile_text_as_text(world: World) -> None:
    for page, entry in zip(world.previews[::2], world.placed, strict=True):
        tree = html5lib.parse(page, namespaceHTMLElements=False)
        lang = entry.content.lang
        assert _text(tree.find(".//h1")) == typographic(entry.content.title, lang)
        lead = tree.find(".//p[@class='lead']")
        if entry.content.lead.strip():
            assert _text(lead) == typographic(entry.content.lead, lang).strip()


# --------------------------------------------------------------------------- exported HTML


def test_every_exported_page_is_safe_with_a_strict_csp_and_no_inline_style(
    world: World,
) -> None:
    pages = files_of(world.out, ".html")
    assert len(pages) > 3 * len(VECTORS)
    for page in pages:
        report = check_page(page.read_text(encoding="utf-8"))
        where = page.relative_to(world.out).as_posix()
        assert report.problems == [], (where, report.problems)
        assert report.csp == [EXPORT_CSP], where
        assert report.inline_styles == [], (where, report.inline_styles)


def test_item_pages_parse_without_errors(world: World) -> None:
    manifest = _manifest(world)
    for entry in manifest["items"]:
        text = (world.out / entry["path"]).read_text(encoding="utf-8")
        assert strict_parse_errors(text) == [], (entry["path"], entry["title"])


def _text(element: ET.Element | None) -> str:
    assert element is not None
    return "".join(element.itertext()).strip()


def test_exported_pages_show_hostile_text_as_text(world: World) -> None:
    paths = {entry["id"]: entry["path"] for entry in _manifest(world)["items"]}
    for entry in world.placed:
        tree = html5lib.parse(
            (world.out / paths[entry.item_id]).read_bytes(), namespaceHTMLElements=False
        )
        lang = entry.content.lang
        names = dict(zip(Language, entry.section_names, strict=True))
        assert _text(tree.find(".//h1")) == typographic(entry.content.title, lang)
        assert _text(tree.find(".//p[@class='section-name']")) == names[lang]
        if entry.content.lead.strip():
            lead = typographic(entry.content.lead, lang).strip()
            assert _text(tree.find(".//p[@class='lead']")) == lead
        title = tree.find(".//title")
        assert _text(title).startswith(typographic(entry.content.title, lang))
        captions = [_text(caption) for caption in tree.iter("figcaption")]
        assert captions == [" — ".join(entry.image_texts[1:])], entry.vector
        # Markdown expands a tab into spaces; nothing else in an alt text changes.
        alts = {" ".join((img.get("alt") or "").split()) for img in tree.iter("img")}
        assert " ".join(entry.image_texts[0].split()) in alts


GENERATED = re.compile(r"(\.\./)*(assets/[a-z]+/[0-9a-f]{64}(-web)?\.[a-z0-9]+|assets/site\.css)")
"""What the export writes for an image, an attachment or the stylesheet."""


def test_links_are_resolved_relative_and_stay_inside(world: World) -> None:
    """Every asset: and item: address became a file of the bundle (or #missing); what
    authors typed as a relative URL is theirs, but it never carries a scheme."""
    assets_seen = 0
    for page in files_of(world.out, ".html"):
        relative = page.relative_to(world.out).as_posix()
        tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        for element in tree.iter():
            for name in ("href", "src"):
                value = element.get(name)
                if value is None or value.startswith("#"):
                    continue
                scheme = url_scheme(value)
                assert scheme in (None, "http", "https", "mailto", "tel"), (relative, value)
                if GENERATED.fullmatch(value) or element.get("class") in ("back", "translation"):
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), value))
                    assert not target.startswith(".."), (relative, value)
                    assert (world.out / target).is_file(), (relative, value)
                    assets_seen += target.startswith("assets/images/")
    assert assets_seen >= 2 * len(VECTORS)


# --------------------------------------------------------------------------- feeds, sitemap


def test_feeds_are_well_formed_and_carry_the_text_exactly(world: World) -> None:
    by_lang = {lang: [e for e in world.placed if e.content.lang is lang] for lang in Language}
    for lang, placed in by_lang.items():
        data = (world.out / bundle.feed_path(lang)).read_bytes()
        assert xml_problems(data, FEED_ELEMENTS) == []
        root = ET.fromstring(data)
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == len(placed)
        titles = sorted(_text(entry.find(f"{ATOM}title")) for entry in entries)
        assert titles == sorted(typographic(e.content.title, lang) for e in placed)
        summaries = sorted(
            (summary.text or "")
            for entry in entries
            if (summary := entry.find(f"{ATOM}summary")) is not None
        )
        assert summaries == sorted(e.content.lead for e in placed if e.content.lead)
        for entry in entries:
            for link in entry.iter(f"{ATOM}link"):
                assert link.get("href", "").startswith(BASE_URL)


def test_the_sitemap_is_well_formed_and_lists_only_bundle_addresses(world: World) -> None:
    data = (world.out / bundle.SITEMAP).read_bytes()
    assert xml_problems(data, SITEMAP_ELEMENTS) == []
    root = ET.fromstring(data)
    locations = [_text(loc) for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locations) == len(VECTORS) + len(Language)
    for location in locations:
        assert re.fullmatch(
            re.escape(BASE_URL) + r"[a-z]{2}/[a-z0-9/_-]*(index|[a-z0-9-]+)\.html", location
        )


# --------------------------------------------------------------------------- JSON


def _manifest(world: World) -> dict[str, Any]:
    data = json.loads((world.out / bundle.MANIFEST).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_manifest_round_trips_the_hostile_titles_exactly(world: World) -> None:
    raw = (world.out / bundle.MANIFEST).read_text(encoding="utf-8")
    manifest = json.loads(raw)
    assert json.loads(json.dumps(manifest, ensure_ascii=False)) == manifest
    titles = {entry["id"]: entry["title"] for entry in manifest["items"]}
    assert titles == {entry.item_id: entry.content.title for entry in world.placed}
    for path, digest in manifest["files"].items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9/_.-]*", path) and ".." not in path, path
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
    changes = json.loads((world.out / bundle.CHANGES).read_text(encoding="utf-8"))
    assert {entry["id"] for entry in changes["added"]} == set(titles)
    assert changes["updated"] == changes["removed"] == []


def test_every_bundle_file_is_inside_with_a_plain_name(world: World) -> None:
    root = world.out.resolve()
    for path in world.out.rglob("*"):
        assert path.resolve().is_relative_to(root)
        relative = path.relative_to(world.out).as_posix()
        assert re.fullmatch(r"[a-z0-9][a-z0-9/_.-]*", relative), relative


# --------------------------------------------------------------------------- the policies


def _directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            assert words[0] not in found, f"{words[0]} given twice"
            found[words[0]] = words[1:]
    return found


def test_the_export_csp_allows_nothing_inline_and_nothing_from_elsewhere() -> None:
    policy = _directives(EXPORT_CSP)
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy  # so scripts fall back to 'none'
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    for sources in policy.values():
        for source in sources:
            assert source in ("'none'", "'self'"), source


def test_the_preview_csp_runs_no_script_and_loads_nothing_remote() -> None:
    policy = _directives(PREVIEW_CSP)
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy
    assert policy["img-src"] == ["file:", "data:"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'none'"]
    assert not any("http" in source or "*" in source for s in policy.values() for source in s)


def test_table_alignment_reaches_the_page_as_classes_styled_by_the_stylesheet(
    world: World,
) -> None:
    css = (world.out / bundle.STYLESHEET).read_text(encoding="utf-8")
    for side in ("left", "center", "right", "justify"):
        assert f".align-{side} {{ text-align: {side}; }}" in css
    entry = _manifest(world)["items"][0]
    text = (world.out / entry["path"]).read_text(encoding="utf-8")
    assert '<th class="align-left">' in text and '<td class="align-right">' in text
    assert " style=" not in text
