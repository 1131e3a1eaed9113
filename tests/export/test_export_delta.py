"""Section index slices: each section lists its own and its subsections' items."""

from __future__ import annotations

import datetime as dt

from csto_editor.core import bundle
from csto_editor.core.content import Language
from csto_editor.services.export_delta import Listed, index_slices
from csto_editor.services.export_plan import SectionInfo


def section(id_: int, path: str) -> SectionInfo:
    return SectionInfo(id_, path.rsplit("/", 1)[-1], path, {}, (id_,))


def test_a_section_lists_its_subsections_items_in_the_listings_order() -> None:
    sections = [section(1, "news"), section(2, "news/council"), section(3, "newsletters")]
    paths = ["news", "news/council", "newsletters", "news/council", "news"] * 9
    listing = [
        Listed(
            number,
            Language.EN if number % 3 else Language.RU,
            path,
            f"{Language.EN.value}/{path}/item-{number}.html",
            f"Item {number}",
            "",
            dt.date(2025, 1, 1) - dt.timedelta(days=number),
        )
        for number, path in enumerate(paths)
    ]
    pages = {
        path: (lang, info.path, number, total, [entry.item_id for entry in chunk])
        for path, lang, info, number, total, chunk in index_slices(
            sections, list(Language), listing
        )
    }
    expected = {}
    for lang in Language:
        for info in sections:
            inside = [
                entry.item_id
                for entry in listing
                if entry.lang is lang
                and (
                    entry.section_path == info.path
                    or entry.section_path.startswith(f"{info.path}/")
                )
            ]
            total = bundle.page_count(len(inside))
            for number in range(1, total + 1):
                chunk = inside[(number - 1) * bundle.PAGE_SIZE : number * bundle.PAGE_SIZE]
                expected[bundle.section_index(lang, info.path, number)] = (
                    lang,
                    info.path,
                    number,
                    total,
                    chunk,
                )
    assert pages == expected
    assert pages["en/news/index_2.html"][4], "news holds council's items too: two pages"
    assert all(
        listing[item].section_path == "newsletters"
        for item in pages["en/newsletters/index.html"][4]
    )
