"""The export's reads, column by column: every approved item is listed with what index
pages, feeds and the sitemap show of it; the rest of a revision (its body, rendered HTML,
links and the fields only its own page shows) is read only for the pages a bundle carries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any, TypeAlias

from sqlalchemy import Row, and_, select
from sqlalchemy.orm import Session

from csto_editor.store.models import Item, Review, Revision, User

ListingRow: TypeAlias = Row[*tuple[Any, ...]]
"""A row of some of the columns below, read by name."""

ID_BATCH = 5_000
"""Ids per IN (...) list: SQLite limits the number of parameters in one statement."""

LISTING_COLUMNS = (
    Item.id,
    Item.translation_group,
    Item.published_revision_id,
    Item.current_revision_id,
    Revision.id,
    Revision.section_id,
    Revision.type,
    Revision.lang,
    Revision.title,
    Revision.lead,
    Revision.event_date,
    Revision.slug,
    Revision.created_at,
)
"""What every approved item contributes to an export, carried or not."""

CARRIED_COLUMNS = (
    Revision.id,
    Revision.place,
    Revision.speaker,
    Revision.occasion,
    Revision.outlet,
    Revision.interviewee,
    Revision.content_sha256,
    Revision.body,
    Revision.rendered_html,
    Revision.rendered_links,
)
"""What only a carried revision's own page, its checks and the manifest need."""


def approved_listing(session: Session) -> Sequence[ListingRow]:
    """``LISTING_COLUMNS`` of each live item's approved revision, newest event first
    (undated last), then the higher item id."""
    return session.execute(
        select(*LISTING_COLUMNS)
        .join(
            Revision,
            # Matched through item_id, with "+ 0" keeping SQLite off the primary key: the
            # revision's columns then come from ix_revisions_export_listing alone, not
            # from rows whose bodies spill onto overflow pages.
            and_(Revision.item_id == Item.id, Revision.id + 0 == Item.approved_revision_id),
        )
        .where(Item.deleted_at.is_(None))
        .order_by(Revision.event_date.desc().nulls_last(), Item.id.desc())
    ).all()


def carried_revisions(session: Session, revision_ids: Sequence[int]) -> Iterator[ListingRow]:
    """``CARRIED_COLUMNS`` of these revisions."""
    for start in range(0, len(revision_ids), ID_BATCH):
        yield from session.execute(
            select(*CARRIED_COLUMNS).where(Revision.id.in_(revision_ids[start : start + ID_BATCH]))
        )


def approvals(
    session: Session, revision_ids: Sequence[int] | None
) -> dict[int, tuple[str, dt.datetime]]:
    """Who approved each revision and when (the last approval wins); ``None``: the
    approved revisions of every live item."""
    statement = (
        select(Review.id, Review.revision_id, User.login, Review.created_at)
        .join(User, User.id == Review.reviewer_id)
        .where(Review.decision == "approve")
        .order_by(Review.id)
    )
    if revision_ids is None:
        rows = session.execute(
            statement.join(Item, Item.approved_revision_id == Review.revision_id).where(
                Item.deleted_at.is_(None)
            )
        ).all()
    else:
        rows = []
        for start in range(0, len(revision_ids), ID_BATCH):
            rows += session.execute(
                statement.where(Review.revision_id.in_(revision_ids[start : start + ID_BATCH]))
            ).all()
        rows.sort(key=lambda row: row[0])
    return {revision_id: (login, created_at) for _, revision_id, login, created_at in rows}


def unapproved_published(
    session: Session,
) -> Sequence[Row[int, int, int, str, str, dt.date | None]]:
    """(item id, revision id, section id, lang, slug, event date) of the published revision
    of each item that no longer has an approved one: the pages an export removes."""
    return session.execute(
        select(
            Item.id,
            Revision.id,
            Revision.section_id,
            Revision.lang,
            Revision.slug,
            Revision.event_date,
        )
        .join(Revision, Revision.id == Item.published_revision_id)
        .where(Item.approved_revision_id.is_(None))
    ).all()
