"""What an export will publish, read from the database in one go into plain values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor.core import bundle
from csto_editor.core.checks import Reference, references_from_json
from csto_editor.core.content import ContentType, ItemContent, Language, parse_language
from csto_editor.core.errors import InvalidInput
from csto_editor.services.sections import descendant_ids, load_section
from csto_editor.services.views import iso_utc
from csto_editor.store import export_queries
from csto_editor.store.models import Asset, Section, Setting

ASSET_REFERENCE = re.compile(r"(?i:asset):([0-9a-f]{64})")


@dataclass(frozen=True)
class ExportOptions:
    out: str
    as_zip: bool = False
    sections: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since_last: bool = False
    base_url: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    force: bool = False
    """Export even when the pre-publication checks report errors."""


@dataclass(frozen=True)
class SectionInfo:
    id: int
    slug: str
    path: str
    names: dict[Language, str]
    position: tuple[int, ...]


@dataclass(frozen=True)
class PublishedItem:
    """One approved revision to publish, with where it goes and who approved it.

    Only what index pages, feeds and the sitemap show is read for every item. The body,
    ``rendered_html``, ``rendered_links``, the fields of the item's own page (place,
    speaker, occasion, outlet, interviewee), ``content_sha256`` and the approval are
    read only for the items the bundle carries (``ExportPlan.in_bundle``); for the
    others they are empty.
    """

    item_id: int
    revision_id: int
    content: ItemContent
    content_sha256: str
    section: SectionInfo
    path: str
    approved_by: str
    approved_at: str | None
    revised: dt.datetime | None
    """When the revision was made (stored naive UTC); ``revised_at`` says it in ISO 8601."""
    translation_group: int | None
    rendered_html: str | None
    change: str
    """'added', 'updated' or '' (unchanged since the last export)."""
    current_revision_id: int | None = None
    """The item's newest revision: newer than this one when changes wait beside it."""
    rendered_links: list[Reference] | None = None
    """The links of ``rendered_html``, kept with it; None until read once."""

    @property
    def revised_at(self) -> str | None:
        # Formatted where shown (the feeds' newest items), not for every listed item.
        return iso_utc(self.revised)


@dataclass(frozen=True)
class RemovedItem:
    item_id: int
    lang: Language
    path: str
    revision_id: int


@dataclass(frozen=True)
class AssetInfo:
    sha256: str
    file_name: str
    mime_type: str
    width: int | None
    height: int | None
    alt_text: str
    caption: str
    credit: str


@dataclass
class ExportPlan:
    options: ExportOptions
    base_url: str
    items: list[PublishedItem]
    removed: list[RemovedItem]
    sections: dict[int, SectionInfo]
    assets: dict[str, AssetInfo] = field(default_factory=dict)
    paths_by_item: dict[int, str] = field(default_factory=dict)
    """Every publishable item's page, in or out of scope: targets of item: links."""
    in_scope: Callable[[int, str, dt.date | None], bool] = lambda _s, _l, _d: True
    """Whether a revision in (section id, language, date) falls in the export's scope."""

    @property
    def languages(self) -> list[Language]:
        present = {item.content.lang for item in self.items}
        return [lang for lang in Language if lang in present] or list(Language)

    def in_bundle(self) -> list[PublishedItem]:
        """The item pages this bundle carries: all, or only the changes with --since-last."""
        if self.options.since_last:
            return [item for item in self.items if item.change]
        return self.items


def _section_infos(session: Session) -> dict[int, SectionInfo]:
    rows = {section.id: section for section in session.scalars(select(Section))}

    def chain(section: Section) -> list[Section]:
        seen: list[Section] = []
        current: Section | None = section
        while current is not None and current not in seen:
            seen.insert(0, current)
            current = rows.get(current.parent_id) if current.parent_id else None
        return seen

    infos = {}
    for section in rows.values():
        lineage = chain(section)
        infos[section.id] = SectionInfo(
            id=section.id,
            slug=section.slug,
            path="/".join(s.slug for s in lineage),
            names={Language.EN: section.name_en, Language.RU: section.name_ru},
            position=tuple(s.position for s in lineage),
        )
    return infos


def _languages(values: Sequence[str]) -> set[Language]:
    try:
        return {parse_language(value) for value in values}
    except ValueError as error:
        raise InvalidInput(str(error)) from None


def build_plan(session: Session, options: ExportOptions, base_url: str) -> ExportPlan:
    """Read everything the export needs, in one transaction, as plain values.

    Every approved item is listed (indexes, feeds and item links need them all), but the
    body, its cached HTML and links, the approval and the fields only an item's own page
    shows are read only for the items the bundle carries: with ``--since-last``, the few
    that changed.
    """
    sections = _section_infos(session)
    scope_sections: set[int] | None = None
    if options.sections:
        scope_sections = set()
        for slug in options.sections:
            scope_sections.update(descendant_ids(session, load_section(session, slug)))
    languages = _languages(options.languages) if options.languages else set(Language)

    def in_scope(section_id: int, lang: str, day: dt.date | None) -> bool:
        if scope_sections is not None and section_id not in scope_sections:
            return False
        if Language(lang) not in languages:
            return False
        if options.date_from and (day is None or day < options.date_from):
            return False
        return not (options.date_to and (day is None or day > options.date_to))

    items: list[PublishedItem] = []
    paths: dict[int, str] = {}
    languages_by_code = {lang.value: lang for lang in Language}
    types_by_code = {kind.value: kind for kind in ContentType}
    folders: dict[tuple[Language, int], str] = {}
    for row in export_queries.approved_listing(session):
        (  # export_queries.LISTING_COLUMNS, in its order
            item_id,
            group,
            published_id,
            current_id,
            revision_id,
            section_id,
            kind,
            code,
            title,
            lead,
            day,
            slug,
            created_at,
        ) = row
        lang = languages_by_code[code]
        section = sections[section_id]
        folder = folders.get((lang, section_id))
        if folder is None:
            folder = folders[lang, section_id] = bundle.item_folder(lang, section.path)
        path = bundle.item_page_in(folder, slug)
        paths[item_id] = path
        if not in_scope(section_id, code, day):
            continue
        if published_id is None:
            change = "added"
        elif published_id != revision_id:
            change = "updated"
        else:
            change = ""
        items.append(
            PublishedItem(
                item_id=item_id,
                revision_id=revision_id,
                content=ItemContent(
                    type=types_by_code[kind],
                    lang=lang,
                    title=title,
                    lead=lead,
                    body="",
                    event_date=day,
                    slug=slug,
                ),
                content_sha256="",
                section=section,
                path=path,
                approved_by="",
                approved_at=None,
                revised=created_at,
                translation_group=group,
                rendered_html=None,
                change=change,
                current_revision_id=current_id,
            )
        )
    removed = []
    for gone in export_queries.unapproved_published(session):
        item_id, revision_id, section_id, code, slug, day = gone
        if in_scope(section_id, code, day):
            section = sections[section_id]
            removed.append(
                RemovedItem(
                    item_id,
                    Language(code),
                    bundle.item_page(Language(code), section.path, slug),
                    revision_id,
                )
            )
    plan = ExportPlan(
        options, base_url, items, removed, sections, paths_by_item=paths, in_scope=in_scope
    )
    _complete_carried(session, plan)
    wanted = {
        sha for item in plan.in_bundle() for sha in ASSET_REFERENCE.findall(item.content.body)
    }
    for asset in session.scalars(select(Asset).where(Asset.sha256.in_(wanted))):
        plan.assets[asset.sha256] = AssetInfo(
            asset.sha256,
            asset.file_name,
            asset.mime_type,
            asset.width,
            asset.height,
            asset.alt_text,
            asset.caption,
            asset.credit,
        )
    return plan


def _complete_carried(session: Session, plan: ExportPlan) -> None:
    """Read the rest of each carried revision (body, kept HTML and links, the fields of its
    own page, its approval) into the plan's items."""
    carried_ids = [item.revision_id for item in plan.in_bundle()]
    if not carried_ids:
        return
    rows = {row.id: row for row in export_queries.carried_revisions(session, carried_ids)}
    approvals = export_queries.approvals(session, carried_ids if plan.options.since_last else None)
    completed = []
    for item in plan.items:
        row = rows.get(item.revision_id)
        if row is None:
            completed.append(item)
            continue
        approval = approvals.get(item.revision_id)
        completed.append(
            replace(
                item,
                content=replace(
                    item.content,
                    body=row.body,
                    place=row.place,
                    speaker=row.speaker,
                    occasion=row.occasion,
                    outlet=row.outlet,
                    interviewee=row.interviewee,
                ),
                content_sha256=row.content_sha256,
                approved_by=approval[0] if approval else "",
                approved_at=iso_utc(approval[1]) if approval else None,
                rendered_html=row.rendered_html,
                rendered_links=references_from_json(row.rendered_links)
                if row.rendered_html is not None
                else None,
            )
        )
    plan.items = completed


def stored_base_url(session: Session) -> str | None:
    setting = session.get(Setting, "base_url")
    return setting.value if setting else None
