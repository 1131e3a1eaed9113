"""Snapshots: an item's content, cutting revisions, and the summaries shown for items."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.hashing import content_sha256
from csto_editor.services.views import ItemSummary, iso_utc
from csto_editor.store.models import Item, Revision, User, utc_now

CONTENT_FIELDS = (
    "type",
    "lang",
    "title",
    "lead",
    "body",
    "event_date",
    "place",
    "speaker",
    "occasion",
    "outlet",
    "interviewee",
    "slug",
)


def content_of(row: Item | Revision) -> ItemContent:
    """The publishable content of a working copy or of a revision."""
    return ItemContent(
        type=ContentType(row.type),
        lang=Language(row.lang),
        title=row.title,
        lead=row.lead,
        body=row.body,
        event_date=row.event_date,
        place=row.place,
        speaker=row.speaker,
        occasion=row.occasion,
        outlet=row.outlet,
        interviewee=row.interviewee,
        slug=row.slug,
    )


def apply_content(item: Item, content: ItemContent) -> None:
    """Write content into the working copy."""
    for name in CONTENT_FIELDS:
        value = getattr(content, name)
        setattr(item, name, value.value if name in ("type", "lang") else value)


def cut_revision(session: Session, item: Item, author: User, reason: str) -> Revision | None:
    """Snapshot the working copy as a new revision, unless it equals the current one."""
    content = content_of(item)
    digest = content_sha256(content)
    if item.current_revision_id is not None:
        current = session.get(Revision, item.current_revision_id)
        if (
            current is not None
            and current.content_sha256 == digest
            and current.section_id == item.section_id
        ):
            return None
    number = session.scalar(select(func.max(Revision.number)).where(Revision.item_id == item.id))
    revision = Revision(
        item_id=item.id,
        number=(number or 0) + 1,
        reason=reason,
        section_id=item.section_id,
        content_sha256=digest,
        author_id=author.id,
        created_at=utc_now(),
        **{name: getattr(item, name) for name in CONTENT_FIELDS},
    )
    session.add(revision)
    session.flush()
    item.current_revision_id = revision.id
    return revision


def summarize(item: Item) -> ItemSummary:
    return ItemSummary(
        id=item.id,
        title=item.title,
        section=item.section.slug,
        lang=item.lang,
        type=item.type,
        status=item.state,
        date=item.event_date.isoformat() if item.event_date else None,
        slug=item.slug,
        author=item.created_by.login,
        updated_at=iso_utc(item.updated_at),
        revision=item.current_revision_id,
        approved_revision=item.approved_revision_id,
        published_revision=item.published_revision_id,
        version=item.version,
        translation_group=item.translation_group,
    )
