"""What an export will publish, read from the database in one go into plain values."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from csto_editor.core import bundle
from csto_editor.core.content import ItemContent, Language, parse_language
from csto_editor.core.errors import InvalidInput
from csto_editor.services.revisions import content_of
from csto_editor.services.sections import descendant_ids, load_section
from csto_editor.services.views import iso_utc
from csto_editor.store.models import Asset, Item, Review, Revision, Section, Setting

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
    """One approved revision to publish, with where it goes and who approved it."""

    item_id: int
    revision_id: int
    content: ItemContent
    content_sha256: str
    section: SectionInfo
    path: str
    approved_by: str
    approved_at: str | None
    revised_at: str | None
    translation_group: int | None
    rendered_html: str | None
    change: str
    """'added', 'updated' or '' (unchanged since the last export)."""


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
    """Read everything the export needs, in one transaction, as plain values."""
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

    rows = session.execute(
        select(Item, Revision)
        .join(Revision, Revision.id == Item.approved_revision_id)
        .where(Item.deleted_at.is_(None))
        .order_by(Revision.event_date.desc().nulls_last(), Item.id.desc())
    ).all()
    approvals = {
        review.revision_id: review
        for review in session.scalars(
            select(Review)
            .options(joinedload(Review.reviewer))
            .join(Item, Item.approved_revision_id == Review.revision_id)
            .where(Review.decision == "approve", Item.deleted_at.is_(None))
            .order_by(Review.id)
        )
    }
    items: list[PublishedItem] = []
    paths: dict[int, str] = {}
    for item, revision in rows:
        section = sections[revision.section_id]
        path = bundle.item_page(Language(revision.lang), section.path, revision.slug)
        paths[item.id] = path
        if not in_scope(revision.section_id, revision.lang, revision.event_date):
            continue
        approval = approvals.get(revision.id)
        if item.published_revision_id is None:
            change = "added"
        elif item.published_revision_id != revision.id:
            change = "updated"
        else:
            change = ""
        items.append(
            PublishedItem(
                item_id=item.id,
                revision_id=revision.id,
                content=content_of(revision),
                content_sha256=revision.content_sha256,
                section=section,
                path=path,
                approved_by=approval.reviewer.login if approval else "",
                approved_at=iso_utc(approval.created_at) if approval else None,
                revised_at=iso_utc(revision.created_at),
                translation_group=item.translation_group,
                rendered_html=revision.rendered_html,
                change=change,
            )
        )
    removed = []
    for item, revision in session.execute(
        select(Item, Revision)
        .join(Revision, Revision.id == Item.published_revision_id)
        .where(Item.approved_revision_id.is_(None))
    ).all():
        if in_scope(revision.section_id, revision.lang, revision.event_date):
            section = sections[revision.section_id]
            removed.append(
                RemovedItem(
                    item.id,
                    Language(revision.lang),
                    bundle.item_page(Language(revision.lang), section.path, revision.slug),
                    revision.id,
                )
            )
    plan = ExportPlan(options, base_url, items, removed, sections, paths_by_item=paths)
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


def stored_base_url(session: Session) -> str | None:
    setting = session.get(Setting, "base_url")
    return setting.value if setting else None
