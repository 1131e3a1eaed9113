"""Running the pre-publication checks over items as they would be published."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from csto_editor.core.checks import CheckSubject, Reference, check_subject, link_targets
from csto_editor.core.content import ItemContent, Language
from csto_editor.core.errors import NotFound
from csto_editor.core.validation import check_id
from csto_editor.core.workflow import State
from csto_editor.services.context import ServiceContext
from csto_editor.services.revisions import content_of
from csto_editor.services.views import CheckReport, Finding
from csto_editor.store.models import Asset, Item, Revision

BATCH = 5_000
"""Ids per IN (...) list: SQLite limits the parameters of one statement."""
T = TypeVar("T")
K = TypeVar("K", int, str)


def run_checks(
    ctx: ServiceContext, item_ids: Sequence[int] = (), bodies: Mapping[int, str] | None = None
) -> CheckReport:
    """Check the named items, or every item that the next export would publish.

    ``bodies`` maps item ids to their body already rendered (an export has them), so
    links and images are read from it instead of rendering the Markdown again.
    """
    with ctx.database.session() as session:
        if item_ids:
            wanted = list(dict.fromkeys(check_id(item_id) for item_id in item_ids))
            found = {
                item.id: item
                for item in _batched(
                    session, wanted, lambda ids: select(Item).where(Item.id.in_(ids))
                )
                if item.deleted_at is None
            }
            missing = [item_id for item_id in wanted if item_id not in found]
            if missing:
                raise NotFound(f"no item {missing[0]}")
            items = [found[item_id] for item_id in wanted]
        else:
            items = list(
                session.scalars(
                    select(Item)
                    .where(Item.deleted_at.is_(None), Item.approved_revision_id.is_not(None))
                    .order_by(Item.id)
                )
            )
        publishable = _publishable(session)
        assets = set(session.scalars(select(Asset.sha256)))
        approved = {
            revision.id: revision
            for revision in _batched(
                session,
                [item.approved_revision_id for item in items if item.approved_revision_id],
                lambda ids: select(Revision).where(Revision.id.in_(ids)),
            )
        }
        groups = _translation_groups(session, items)
        findings: list[Finding] = []
        for item in items:
            subject = _subject(item, approved, groups, (bodies or {}).get(item.id))
            for problem in check_subject(subject, publishable, assets):
                findings.append(
                    Finding(item.id, problem.severity.value, problem.code, problem.message)
                )
        return CheckReport(tuple(item.id for item in items), tuple(findings))


@dataclass(frozen=True)
class PublishedSubject:
    """An approved revision as an export carries it: what the checks need of it."""

    item_id: int
    content: ItemContent
    revision_id: int
    current_revision_id: int | None
    translation_group: int | None
    links: Sequence[Reference]


def check_published(session: Session, subjects: Sequence[PublishedSubject]) -> CheckReport:
    """The checks of ``run_checks`` over approved revisions an export has already read
    (content and the links of their rendered bodies), without reading them again.

    Only the items and assets these links name are looked up, so checking the few items
    of a ``--since-last`` export reads a few rows, not every item and asset.
    """
    linked_items: set[int] = set()
    linked_assets: set[str] = set()
    for subject in subjects:
        items, assets_named = link_targets(subject.links)
        linked_items |= items
        linked_assets |= assets_named
    publishable = _publishable(session, sorted(linked_items))
    assets = set(
        _batched(
            session,
            sorted(linked_assets),
            lambda shas: select(Asset.sha256).where(Asset.sha256.in_(shas)),
        )
    )
    groups = _groups(
        session, sorted({s.translation_group for s in subjects if s.translation_group})
    )
    findings: list[Finding] = []
    for subject in subjects:
        context = _context(
            subject.item_id,
            subject.content.lang.value,
            subject.translation_group,
            subject.current_revision_id,
            groups,
        )
        checked = CheckSubject(
            content=subject.content,
            pending_changes=subject.current_revision_id != subject.revision_id,
            missing_translations=context[0],
            older_than_source=context[1],
            links=subject.links,
        )
        for problem in check_subject(checked, publishable, assets):
            findings.append(
                Finding(subject.item_id, problem.severity.value, problem.code, problem.message)
            )
    return CheckReport(tuple(s.item_id for s in subjects), tuple(findings))


def _publishable(session: Session, among: list[int] | None = None) -> set[int]:
    """The items a link may point to: all of them, or those of ``among``."""
    statement = select(Item.id).where(
        Item.deleted_at.is_(None),
        Item.state != State.WITHDRAWN.value,
        or_(
            Item.approved_revision_id.is_not(None),
            Item.published_revision_id.is_not(None),
        ),
    )
    if among is None:
        return set(session.scalars(statement))
    return set(_batched(session, among, lambda ids: statement.where(Item.id.in_(ids))))


def _batched(
    session: Session, ids: list[K], statement: Callable[[list[K]], Select[T]]
) -> Iterator[T]:
    for start in range(0, len(ids), BATCH):
        yield from session.scalars(statement(ids[start : start + BATCH]))


def _translation_groups(
    session: Session, items: list[Item]
) -> dict[int, list[tuple[int, str, int]]]:
    """For each translation group: (item id, language, latest revision id) of its items."""
    wanted = sorted({item.translation_group for item in items if item.translation_group})
    return _groups(session, wanted)


def _groups(session: Session, wanted: list[int]) -> dict[int, list[tuple[int, str, int]]]:
    groups: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for start in range(0, len(wanted), BATCH):
        rows = session.execute(
            select(Item.id, Item.lang, Item.current_revision_id, Item.translation_group).where(
                Item.translation_group.in_(wanted[start : start + BATCH]),
                Item.deleted_at.is_(None),
            )
        )
        for item_id, lang, revision_id, group in rows:
            if group is not None:
                groups[group].append((item_id, lang, revision_id or 0))
    return groups


def _subject(
    item: Item,
    approved: Mapping[int, Revision],
    groups: Mapping[int, list[tuple[int, str, int]]],
    body_html: str | None,
) -> CheckSubject:
    """The approved revision when there is one, else the working copy, and its context."""
    revision = approved.get(item.approved_revision_id or 0)
    content = content_of(revision) if revision is not None else content_of(item)
    pending = revision is not None and item.current_revision_id != revision.id
    missing, older_than = _context(
        item.id, item.lang, item.translation_group, item.current_revision_id, groups
    )
    return CheckSubject(
        content=content,
        pending_changes=pending,
        missing_translations=missing,
        older_than_source=older_than,
        body_html=body_html if revision is not None else None,
    )


def _context(
    item_id: int,
    lang: str,
    group: int | None,
    current_revision_id: int | None,
    groups: Mapping[int, list[tuple[int, str, int]]],
) -> tuple[frozenset[Language], int | None]:
    """The languages an item lacks a translation into, and the source it has fallen behind."""
    siblings = [s for s in groups.get(group or 0, []) if s[0] != item_id]
    present = {Language(other) for _, other, _ in siblings} | {Language(lang)}
    older_than: int | None = None
    source = next((s for s in siblings if s[0] == group), None)
    # Revision ids grow with time across all items: a lower id is an older text.
    if source is not None and (current_revision_id or 0) < source[2]:
        older_than = source[0]
    return frozenset(Language) - present, older_than
