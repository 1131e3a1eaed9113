"""The item page template: escaping, date and place lines, navigation, per type."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from jinja2 import Environment

from csto_editor.core.content import ContentType, Language
from csto_editor.core.markdown_render import render_markdown
from csto_editor.core.pages import ItemPage, Link, PageRenderer, SitemapEntry
from csto_editor.paths import resources_dir


class TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> TextOf:
    parser = TextOf()
    parser.feed(html)
    return parser


def test_a_russian_statement_page() -> None:
    page = ItemPage(
        lang=Language.RU,
        type=ContentType.STATEMENT,
        title='ЗАЯВЛЕНИЕ министров <script>alert("x")</script>',
        lead="Министры приняли заявление.",
        body_html=render_markdown('Мы, министры, "подтверждаем"…', "ru"),
        section_name="Заявления",
        event_date=dt.date(2019, 5, 22),
        place="Бишкек",
        back_to_section=Link("../index.html", "Заявления"),
        back_to_all_news=Link("../../news/index.html", "Новости"),
        translation=Link("../../en/statements/statement.html", "English version", "en"),
    )
    html = PageRenderer(resources_dir() / "templates").item_page(page)
    parsed = parse(html)
    text = " ".join(" ".join(parsed.text).split())
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ru">' in html
    assert "Бишкек, 22 мая 2019 года" in text
    assert "«подтверждаем»" in text
    assert "Вернуться в раздел" in text and "Вернуться ко всем новостям" in text
    assert "script" not in parsed.tags
    assert "&lt;script&gt;" in html


def test_a_speech_shows_its_speaker_and_news_shows_only_the_date() -> None:
    renderer = PageRenderer(resources_dir() / "templates")
    speech = ItemPage(
        lang=Language.EN,
        type=ContentType.SPEECH,
        title="Speech at the UN Security Council",
        lead="",
        body_html="<p>Allow me to thank…</p>",
        section_name="Speeches",
        event_date=dt.date(2024, 7, 19),
        place="New York",
        speaker="Imangali Tasmagambetov",
        occasion="UN Security Council debate",
    )
    text = " ".join(" ".join(parse(renderer.item_page(speech)).text).split())
    assert "22" not in text and "19 July 2024" in text and "New York, 19 July 2024" not in text
    assert "Speaker Imangali Tasmagambetov" in text


def test_templates_compiled_once_are_loaded_by_the_next_renderer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = ItemPage(
        lang=Language.EN,
        type=ContentType.NEWS,
        title="Ministers met",
        lead="They met.",
        body_html="<p>They met.</p>",
        section_name="News",
        event_date=dt.date(2024, 5, 22),
        back_to_section=Link("../index.html", "News"),
    )
    templates = resources_dir() / "templates"
    first = PageRenderer(templates, tmp_path).item_page(page)
    assert any(tmp_path.iterdir()), "the compiled templates were not kept"
    compiled: list[str] = []
    real_compile = Environment.compile

    def counted(self: Environment, source: str, name: str | None = None, *a: Any, **k: Any) -> Any:
        compiled.append(str(name))
        return real_compile(self, source, name, *a, **k)

    monkeypatch.setattr(Environment, "compile", counted)
    assert PageRenderer(templates, tmp_path).item_page(page) == first
    assert compiled == []
    PageRenderer(templates).item_page(page)
    assert compiled, "without the folder the templates are compiled again"


def test_the_sitemap_is_escaped_xml_with_its_alternates() -> None:
    entries = [
        SitemapEntry("https://x.org/en/a.html?b=1&c=<2>"),
        SitemapEntry(
            "https://x.org/ru/a.html",
            (
                Link("https://x.org/en/a.html", "English", "en"),
                Link("https://x.org/ru/a.html", "", "ru"),
            ),
        ),
    ]
    text = PageRenderer(resources_dir() / "templates").sitemap(entries)
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    namespaces = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "x": "http://www.w3.org/1999/xhtml",
    }
    root = ElementTree.fromstring(text)
    urls = root.findall("s:url", namespaces)
    assert [url.findtext("s:loc", namespaces=namespaces) for url in urls] == [
        entry.url for entry in entries
    ]
    alternates = urls[1].findall("x:link", namespaces)
    assert [(a.get("hreflang"), a.get("href")) for a in alternates] == [
        ("en", "https://x.org/en/a.html"),
        ("ru", "https://x.org/ru/a.html"),
    ]
    assert not urls[0].findall("x:link", namespaces)
    assert PageRenderer(resources_dir() / "templates").sitemap([]).endswith("</urlset>")
