"""Workflow steps: submit, approve, request changes, withdraw."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor.core import validation
from csto_editor.core.errors import EditorError, InvalidInput
from csto_editor.core.hashing import content_sha256
from csto_editor.core.workflow import State, Step, check_four_eyes, next_state
from csto_editor.services.context import ServiceContext, load_item, user_roles
from csto_editor.services.export_cache import render_for_export
from csto_editor.services.revisions import content_of, cut_revision, summarize
from csto_editor.services.views import ItemSummary
from csto_editor.store.models import Item, Review, Revision, User, utc_now

APPROVE = "approve"
REQUEST_CHANGES = "request_changes"

StepResult = tuple[int | None, dict[str, object]]
"""The revision a step concerns, and details for the audit log."""
StepFunction = Callable[[Session, User, Item], StepResult]


def run_step(
    ctx: ServiceContext, session: Session, item_ids: Sequence[int], action: str, apply: StepFunction
) -> list[ItemSummary]:
    """Apply one step to several items inside an open unit of work; audit each."""
    if not item_ids:
        raise InvalidInput("name at least one item")
    actor = ctx.actor(session)
    results = []
    for item_id in dict.fromkeys(item_ids):
        item = load_item(session, item_id)
        revision_id, detail = apply(session, actor, item)
        item.updated_at = utc_now()
        item.updated_by_id = actor.id
        session.flush()
        ctx.audit(session, action, item_id=item.id, revision_id=revision_id, **detail)
        results.append(summarize(item))
    return results


def _in_one_unit(
    ctx: ServiceContext, item_ids: Sequence[int], action: str, apply: StepFunction
) -> list[ItemSummary]:
    """All items take the step, or none does."""
    with ctx.database.session() as session:
        return run_step(ctx, session, item_ids, action, apply)


def submit_one(session: Session, actor: User, item: Item) -> StepResult:
    state = next_state(Step.SUBMIT, State(item.state), user_roles(actor), what=f"item {item.id}")
    cut_revision(session, item, actor, "submit")
    item.state = state.value
    return item.current_revision_id, {}


def approver(comment: str) -> StepFunction:
    """A step that approves the submitted revision, pinned to its content hash."""
    note = validation.clean_text(comment, "comment", limit=10_000)

    def approve_one(session: Session, actor: User, item: Item) -> StepResult:
        state = next_state(
            Step.APPROVE, State(item.state), user_roles(actor), what=f"item {item.id}"
        )
        check_four_eyes(actor.id, _editors_since_last_approval(session, item))
        revision = _submitted_revision(session, item)
        _record_review(session, item, revision, actor, APPROVE, note)
        item.approved_revision_id = revision.id
        item.state = state.value
        render_for_export(revision)
        return revision.id, {"content_sha256": revision.content_sha256}

    return approve_one


def changes_requester(comment: str) -> StepFunction:
    """A step that sends the submitted revision back with a comment."""
    note = _required_comment(comment, "say what should change")

    def request_one(session: Session, actor: User, item: Item) -> StepResult:
        state = next_state(
            Step.REQUEST_CHANGES, State(item.state), user_roles(actor), what=f"item {item.id}"
        )
        revision = _submitted_revision(session, item)
        _record_review(session, item, revision, actor, REQUEST_CHANGES, note)
        item.state = state.value
        return revision.id, {"comment": note}

    return request_one


def withdrawer(comment: str) -> StepFunction:
    """A step that retracts a published text; the next bundle lists it as removed."""
    note = _required_comment(comment, "say why the text is withdrawn")

    def withdraw_one(session: Session, actor: User, item: Item) -> StepResult:
        state = State(item.state)
        if item.published_revision_id is not None and state != State.WITHDRAWN:
            state = State.PUBLISHED  # a published text being edited can still be retracted
        item.state = next_state(
            Step.WITHDRAW, state, user_roles(actor), what=f"item {item.id}"
        ).value
        item.approved_revision_id = None
        return item.published_revision_id, {"comment": note}

    return withdraw_one


def submit(ctx: ServiceContext, item_ids: Sequence[int]) -> list[ItemSummary]:
    """Send drafts to review, cutting a revision of any unsaved working copy."""
    return _in_one_unit(ctx, item_ids, "submit", submit_one)


def approve(ctx: ServiceContext, item_ids: Sequence[int], comment: str = "") -> list[ItemSummary]:
    """Approve the submitted revision of each item; only a reviewer, never their own text."""
    return _in_one_unit(ctx, item_ids, "approve", approver(comment))


def request_changes(ctx: ServiceContext, item_id: int, comment: str) -> ItemSummary:
    """Send an item back to its author with a comment saying what to change."""
    return _in_one_unit(ctx, [item_id], "request_changes", changes_requester(comment))[0]


def withdraw(ctx: ServiceContext, item_id: int, comment: str) -> ItemSummary:
    """Retract a published text."""
    return _in_one_unit(ctx, [item_id], "withdraw", withdrawer(comment))[0]


def _required_comment(comment: str, hint: str) -> str:
    note = validation.clean_text(comment, "comment", limit=10_000).strip()
    if not note:
        raise InvalidInput(f"{hint}: --comment must not be empty")
    return note


def _record_review(
    session: Session, item: Item, revision: Revision, actor: User, decision: str, note: str
) -> None:
    session.add(
        Review(
            item_id=item.id,
            revision_id=revision.id,
            reviewer_id=actor.id,
            decision=decision,
            comment=note,
            content_sha256=revision.content_sha256,
            created_at=utc_now(),
        )
    )


def _editors_since_last_approval(session: Session, item: Item) -> set[int]:
    last_approved = session.scalar(
        select(Review.revision_id)
        .where(Review.item_id == item.id, Review.decision == APPROVE)
        .order_by(Review.id.desc())
        .limit(1)
    )
    query = select(Revision.author_id).where(Revision.item_id == item.id)
    if last_approved is not None:
        query = query.where(Revision.id > last_approved)
    return set(session.scalars(query))


def _submitted_revision(session: Session, item: Item) -> Revision:
    """The revision under review, after proving its stored hash matches its content."""
    revision = session.get(Revision, item.current_revision_id)
    if revision is None:
        raise EditorError(f"item {item.id} has no revision to review")
    if content_sha256(content_of(revision)) != revision.content_sha256:
        raise EditorError(
            f"revision {revision.id} of item {item.id} does not match its content hash; "
            "restore the database from a backup"
        )
    return revision
