"""Which list pages a ``--since-last`` bundle must carry: those that changed.

A section index page shows a slice of its section's items, newest first. It changes when
an item on it was added, updated or removed, when an insertion or a removal above it
shifts the slice, or when the number of pages changes ("Page 3 of 21"). Comparing the
slices of the listing as the last export left it with the listing now finds exactly
those pages, without writing the others. Anything the listing does not say (section
names, the base URL, the app's templates) is folded into a layout digest recorded with
each export run: when it differs from the last run's, every index page is written.
The language homes, feeds, root index and sitemap are in every bundle (DESIGN's layout),
so a ``--since-last`` bundle always carries them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor import __version__
from csto_editor.core import bundle
from csto_editor.core.content import Language
from csto_editor.services.export_plan import ExportPlan, SectionInfo
from csto_editor.store.export_queries import ID_BATCH
from csto_editor.store.models import ExportRun, Item, Revision

LAYOUT_KEY = "layout"
"""The key of the layout digest in an export run's recorded scope."""


@dataclass(frozen=True)
class Listed:
    """What a section index shows of one item, and where the item sorts."""

    item_id: int
    lang: Language
    section_path: str
    path: str
    title: str
    lead: str
    event_date: dt.date | None


def layout_digest(plan: ExportPlan) -> str:
    """What every index page depends on besides its items."""
    sections = sorted(
        (s.path, s.position, s.names[Language.EN], s.names[Language.RU])
        for s in plan.sections.values()
    )
    described = {
        "version": __version__,
        "base_url": plan.base_url,
        "languages": [lang.value for lang in plan.languages],
        "sections": sections,
    }
    return hashlib.sha256(json.dumps(described, default=str).encode("utf-8")).hexdigest()


def index_slices(
    sections: Sequence[SectionInfo], languages: Sequence[Language], listing: Sequence[Listed]
) -> Iterator[tuple[str, Language, SectionInfo, int, int, list[Listed]]]:
    """Every section index page: (path, language, section, page number, pages, its items)."""
    for lang in languages:
        inside = _by_section(sections, [entry for entry in listing if entry.lang is lang])
        for section in sections:
            shown = inside[section.path]
            total = bundle.page_count(len(shown))
            for number in range(1, total + 1):
                chunk = shown[(number - 1) * bundle.PAGE_SIZE : number * bundle.PAGE_SIZE]
                path = bundle.section_index(lang, section.path, number)
                yield path, lang, section, number, total, chunk


def _by_section(sections: Sequence[SectionInfo], listing: list[Listed]) -> dict[str, list[Listed]]:
    """Each section's items, its subsections' included, in the listing's order."""
    inside: dict[str, list[Listed]] = {section.path: [] for section in sections}
    lists_of: dict[str, list[list[Listed]]] = {}
    for entry in listing:
        lists = lists_of.get(entry.section_path)
        if lists is None:
            parts = entry.section_path.split("/")
            ancestors = ("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
            lists = lists_of[entry.section_path] = [
                inside[path] for path in ancestors if path in inside
            ]
        for shown in lists:
            shown.append(entry)
    return inside


def changed_index_pages(session: Session, plan: ExportPlan) -> set[str] | None:
    """The section index pages that differ from the last export's, with the language
    homes, feeds, root index and sitemap; None: write them all.

    Only for a bundle of every section and language: a scoped one cannot see items that
    left its scope since, so it writes every index page of its scope.
    """
    options = plan.options
    if options.sections or options.languages or options.date_from or options.date_to:
        return None
    last = session.scalar(select(ExportRun).order_by(ExportRun.id.desc()).limit(1))
    if last is None or not isinstance(last.scope, dict):
        return None
    if last.scope.get(LAYOUT_KEY) != layout_digest(plan):
        return None
    sections = sorted(plan.sections.values(), key=lambda s: s.position)
    listing_now = current_listing(plan)
    listing_before = previous_listing(session, plan, listing_now)
    # Entries compare equal when they show the same (a path is one item's): the unchanged
    # items' entries are the same objects in both listings, compared by identity first.
    now = {
        path: (total, chunk)
        for path, _, _, _, total, chunk in index_slices(sections, plan.languages, listing_now)
    }
    before = {
        path: (total, chunk)
        for path, _, _, _, total, chunk in index_slices(sections, plan.languages, listing_before)
    }
    changed = {path for path, shown in now.items() if before.get(path) != shown}
    # The bundle layout has these in every bundle: a --since-last one carries them too.
    changed.update(front_pages(plan.languages))
    changed.add(bundle.SITEMAP)
    return changed


def front_pages(languages: Sequence[Language]) -> list[str]:
    """The pages of the site's newest items: each language's home and feed, and the root
    index."""
    pages = [
        page for lang in languages for page in (bundle.language_home(lang), bundle.feed_path(lang))
    ]
    return [*pages, bundle.ROOT_INDEX]


def current_listing(plan: ExportPlan) -> list[Listed]:
    return [
        Listed(
            item.item_id,
            item.content.lang,
            item.section.path,
            item.path,
            item.content.title,
            item.content.lead,
            item.content.event_date,
        )
        for item in plan.items
    ]


def previous_listing(
    session: Session, plan: ExportPlan, listing_now: Sequence[Listed] | None = None
) -> list[Listed]:
    """The listing as the last bundles left it: published revisions, in scope; the
    unchanged items' entries taken from ``listing_now`` when given."""
    if listing_now is None:
        listing_now = current_listing(plan)
    unchanged = [
        entry for entry, item in zip(listing_now, plan.items, strict=True) if not item.change
    ]
    wanted = [item.item_id for item in plan.items if item.change == "updated"]
    wanted += [removed.item_id for removed in plan.removed]
    scope = plan.in_scope
    older: list[Listed] = []
    for start in range(0, len(wanted), ID_BATCH):
        rows = session.execute(
            select(
                Item.id,
                Revision.lang,
                Revision.section_id,
                Revision.slug,
                Revision.title,
                Revision.lead,
                Revision.event_date,
            )
            .join(Revision, Revision.id == Item.published_revision_id)
            .where(Item.id.in_(wanted[start : start + ID_BATCH]))
        )
        for item_id, lang, section_id, slug, title, lead, day in rows:
            section = plan.sections.get(section_id)
            if section is None or not scope(section_id, lang, day):
                continue
            language = Language(lang)
            path = bundle.item_page(language, section.path, slug)
            older.append(Listed(item_id, language, section.path, path, title, lead, day))
    return _newest_first(unchanged + older)


def _newest_first(listing: list[Listed]) -> list[Listed]:
    """The plan's order: the newest event first, undated items last, then the higher id."""
    dated = sorted(
        (e for e in listing if e.event_date is not None),
        key=lambda e: (e.event_date, e.item_id),
        reverse=True,
    )
    undated = sorted((e for e in listing if e.event_date is None), key=lambda e: -e.item_id)
    return dated + undated
