"""Running the pre-publication checks over items as they would be published."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from csto_editor.core.checks import CheckSubject, check_subject
from csto_editor.core.content import Language
from csto_editor.core.workflow import State
from csto_editor.services.context import ServiceContext, load_item
from csto_editor.services.revisions import content_of
from csto_editor.services.views import CheckReport, Finding
from csto_editor.store.models import Asset, Item, Revision


def run_checks(ctx: ServiceContext, item_ids: Sequence[int] = ()) -> CheckReport:
    """Check the named items, or every item that the next export would publish."""
    with ctx.database.session() as session:
        if item_ids:
            items = [load_item(session, item_id) for item_id in dict.fromkeys(item_ids)]
        else:
            items = list(
                session.scalars(
                    select(Item)
                    .where(Item.deleted_at.is_(None), Item.approved_revision_id.is_not(None))
                    .order_by(Item.id)
                )
            )
        publishable = set(
            session.scalars(
                select(Item.id).where(
                    Item.deleted_at.is_(None),
                    Item.state != State.WITHDRAWN.value,
                    or_(
                        Item.approved_revision_id.is_not(None),
                        Item.published_revision_id.is_not(None),
                    ),
                )
            )
        )
        assets = set(session.scalars(select(Asset.sha256)))
        findings: list[Finding] = []
        for item in items:
            subject = _subject(session, item)
            for problem in check_subject(subject, publishable, assets):
                findings.append(
                    Finding(item.id, problem.severity.value, problem.code, problem.message)
                )
        return CheckReport(tuple(item.id for item in items), tuple(findings))


def _subject(session: Session, item: Item) -> CheckSubject:
    """The approved revision when there is one, else the working copy, and its context."""
    approved = (
        session.get(Revision, item.approved_revision_id) if item.approved_revision_id else None
    )
    content = content_of(approved) if approved is not None else content_of(item)
    pending = approved is not None and item.current_revision_id != approved.id
    siblings: list[Item] = []
    if item.translation_group is not None:
        siblings = list(
            session.scalars(
                select(Item)
                .options(joinedload(Item.section))
                .where(
                    Item.translation_group == item.translation_group,
                    Item.id != item.id,
                    Item.deleted_at.is_(None),
                )
            )
        )
    present = {Language(sibling.lang) for sibling in siblings} | {Language(item.lang)}
    missing = frozenset(Language) - present
    older_than: int | None = None
    source = next((s for s in siblings if s.id == item.translation_group), None)
    # Revision ids grow with time across all items: a lower id is an older text.
    if source is not None and (item.current_revision_id or 0) < (source.current_revision_id or 0):
        older_than = source.id
    return CheckSubject(
        content=content,
        pending_changes=pending,
        missing_translations=missing,
        older_than_source=older_than,
    )
