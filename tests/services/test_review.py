"""The workflow through the services: submit, approve, request changes, withdraw, edit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, text

from csto_editor.core.errors import (
    ConflictError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    WorkflowRefused,
)
from csto_editor.core.hashing import content_sha256
from csto_editor.services import editing, queries, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.revisions import content_of
from csto_editor.services.views import ItemSummary
from csto_editor.store.models import AuditEvent, Item, Revision

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]


def test_submit_and_approve_pins_the_revision_and_its_hash(as_user: As, new_item: New) -> None:
    item = new_item()
    [submitted] = review.submit(as_user("author"), [item.id])
    assert submitted.status == "in_review"
    [approved] = review.approve(as_user("reviewer"), [item.id], comment="Fine.")
    assert approved.status == "approved"
    assert approved.approved_revision == submitted.revision
    history = queries.history(as_user("author"), item.id)
    [approval] = history.reviews
    assert approval.decision == "approve"
    assert approval.revision == submitted.revision
    with as_user("author").database.session() as session:
        revision = session.get(Revision, approval.revision)
        assert revision is not None
        assert approval.content_sha256 == revision.content_sha256
        assert content_sha256(content_of(revision)) == revision.content_sha256


def test_author_cannot_approve(as_user: As, new_item: New) -> None:
    item = new_item()
    review.submit(as_user("author"), [item.id])
    with pytest.raises(PermissionDenied):
        review.approve(as_user("author"), [item.id])
    assert queries.get_item(as_user("author"), item.id).summary.status == "in_review"


def test_admin_without_the_reviewer_role_cannot_approve(as_user: As, new_item: New) -> None:
    item = new_item()
    review.submit(as_user("author"), [item.id])
    with pytest.raises(PermissionDenied):
        review.approve(as_user("admin"), [item.id])


def test_four_eyes_refuses_a_reviewer_who_edited_the_text(as_user: As, new_item: New) -> None:
    item = new_item(by="editor")
    review.submit(as_user("editor"), [item.id])
    with pytest.raises(WorkflowRefused, match="four eyes"):
        review.approve(as_user("editor"), [item.id])
    review.approve(as_user("reviewer"), [item.id])


def test_four_eyes_counts_only_changes_since_the_last_approval(as_user: As, new_item: New) -> None:
    item = new_item(by="editor")
    review.submit(as_user("editor"), [item.id])
    review.approve(as_user("reviewer"), [item.id])
    editing.edit_item(as_user("author"), item.id, {"title": "A corrected title"})
    review.submit(as_user("author"), [item.id])
    [approved] = review.approve(as_user("editor"), [item.id])
    assert approved.status == "approved"


def test_editing_an_approved_item_keeps_the_approved_revision(as_user: As, new_item: New) -> None:
    item = new_item()
    review.submit(as_user("author"), [item.id])
    [approved] = review.approve(as_user("reviewer"), [item.id])
    edited = editing.edit_item(as_user("author"), item.id, {"body": "A new paragraph."})
    assert edited.status == "draft"
    assert edited.approved_revision == approved.approved_revision
    assert edited.revision != approved.approved_revision


def test_editing_in_review_starts_a_new_draft(as_user: As, new_item: New) -> None:
    item = new_item()
    review.submit(as_user("author"), [item.id])
    edited = editing.edit_item(as_user("author"), item.id, {"title": "Retitled"})
    assert edited.status == "draft"
    with pytest.raises(WorkflowRefused):
        review.approve(as_user("reviewer"), [item.id])


def test_request_changes_then_edit_then_submit(as_user: As, new_item: New) -> None:
    item = new_item()
    review.submit(as_user("author"), [item.id])
    with pytest.raises(InvalidInput):
        review.request_changes(as_user("reviewer"), item.id, "  ")
    sent_back = review.request_changes(as_user("reviewer"), item.id, "Add the place line.")
    assert sent_back.status == "changes_requested"
    with pytest.raises(WorkflowRefused):
        review.submit(as_user("author"), [item.id])
    editing.edit_item(as_user("author"), item.id, {"place": "Bishkek"})
    [again] = review.submit(as_user("author"), [item.id])
    assert again.status == "in_review"


def test_submitting_several_items_is_all_or_nothing(as_user: As, new_item: New) -> None:
    first, second = new_item("First"), new_item("Second")
    review.submit(as_user("author"), [second.id])
    with pytest.raises(WorkflowRefused):
        review.submit(as_user("author"), [first.id, second.id])
    assert queries.get_item(as_user("author"), first.id).summary.status == "draft"


def test_withdraw_needs_a_published_item(as_user: As, new_item: New) -> None:
    item = new_item()
    with pytest.raises(WorkflowRefused):
        review.withdraw(as_user("reviewer"), item.id, "Retracted.")
    with as_user("admin").database.session() as session:
        row = session.get(Item, item.id)
        assert row is not None
        row.state, row.published_revision_id = "published", row.current_revision_id
    withdrawn = review.withdraw(as_user("reviewer"), item.id, "Retracted at the author's request.")
    assert withdrawn.status == "withdrawn"
    assert withdrawn.approved_revision is None


def test_unknown_items_and_users(as_user: As, new_item: New) -> None:
    with pytest.raises(NotFound):
        review.submit(as_user("author"), [999])
    item = new_item()
    with pytest.raises(PermissionDenied, match="no account"):
        review.submit(as_user("stranger"), [item.id])


def test_every_step_is_audited_and_the_log_refuses_changes(as_user: As, new_item: New) -> None:
    item = new_item()
    review.submit(as_user("author"), [item.id])
    review.approve(as_user("reviewer"), [item.id])
    ctx = as_user("admin")
    with ctx.database.session() as session:
        actions = [
            (e.user_login, e.action)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.item_id == item.id))
        ]
    assert actions == [("author", "create"), ("author", "submit"), ("reviewer", "approve")]
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(Exception, match="append-only"), ctx.database.session() as session:
            session.execute(text(statement))


def test_optimistic_lock_reports_a_conflict(as_user: As, new_item: New) -> None:
    item = new_item()
    editing.edit_item(as_user("author"), item.id, {"title": "One"}, expected_version=item.version)
    with pytest.raises(ConflictError, match="someone else"):
        editing.edit_item(
            as_user("author2"), item.id, {"title": "Two"}, expected_version=item.version
        )
