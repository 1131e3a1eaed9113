"""submit, approve, request-changes, withdraw, check: every allowed and refused step."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Runner, count, table_counts

NewItem = Callable[..., int]
StatusOf = Callable[[int], str]


@pytest.fixture
def in_review(cli: Runner, world: Path, new_item: NewItem) -> int:
    item = new_item("Ready for review")
    cli("submit", str(item), user="anna").assert_ok()
    return item


@pytest.fixture
def approved(cli: Runner, in_review: int) -> int:
    cli("approve", str(in_review), user="roman").assert_ok()
    return in_review


# --------------------------------------------------------------------------------------
# submit


def test_submit(cli: Runner, world: Path, new_item: NewItem) -> None:
    first, second = new_item("One"), new_item("Two")
    result = cli("submit", str(first), str(second), "--json", user="anna").assert_ok()
    assert [(item["id"], item["status"]) for item in result.json()] == [
        (first, "in_review"),
        (second, "in_review"),
    ]
    assert "submitted" in cli("submit", str(new_item("Three")), user="boris").assert_ok().out


def test_submit_by_admin_and_by_another_author(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf
) -> None:
    first, second = new_item("One"), new_item("Two")
    cli("submit", str(first)).assert_ok()
    cli("submit", str(second), user="boris").assert_ok()
    assert status_of(first) == status_of(second) == "in_review"


@pytest.mark.parametrize("login", ["roman", "erik", "ghost"])
def test_submit_by_a_non_author_is_refused(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf, login: str
) -> None:
    item = new_item()
    before = table_counts(world)
    cli("submit", str(item), user=login).assert_error(3)
    assert status_of(item) == "draft"
    assert table_counts(world) == before


def test_submit_from_in_review_is_refused(cli: Runner, in_review: int, world: Path) -> None:
    before = table_counts(world)
    cli("submit", str(in_review), user="anna").assert_error(3, "in_review")
    assert table_counts(world) == before


def test_submit_from_approved_is_refused(cli: Runner, approved: int, status_of: StatusOf) -> None:
    cli("submit", str(approved), user="anna").assert_error(3, "approved")
    assert status_of(approved) == "approved"


def test_submit_several_where_one_is_refused_submits_none(
    cli: Runner, world: Path, new_item: NewItem, in_review: int, status_of: StatusOf
) -> None:
    drafts = [new_item("One"), new_item("Two")]
    cli("edit", str(drafts[1]), "--title", "Two, edited", user="anna").assert_ok()
    before = table_counts(world)
    result = cli("submit", str(drafts[0]), str(in_review), str(drafts[1]), user="anna")
    result.assert_error(3, str(in_review))
    assert result.out == ""
    assert [status_of(item) for item in drafts] == ["draft", "draft"]
    assert table_counts(world) == before
    # and a missing item among them: also none
    cli("submit", str(drafts[0]), "999", user="anna").assert_error(4, "999")
    assert status_of(drafts[0]) == "draft"
    assert table_counts(world) == before


# --------------------------------------------------------------------------------------
# approve


def test_approve(cli: Runner, in_review: int, world: Path) -> None:
    (item,) = cli("approve", str(in_review), "--comment", "Fine.", "--json", user="roman").json()
    assert item["status"] == "approved"
    assert item["approved_revision"] == item["revision"]
    (review,) = cli("history", str(in_review), "--json").json()["reviews"]
    assert (review["decision"], review["reviewer"], review["comment"]) == (
        "approve",
        "roman",
        "Fine.",
    )


@pytest.mark.parametrize(
    "login", ["anna", "boris", "admin", "erik", "ghost"], ids=lambda login: login
)
def test_approve_without_the_reviewer_role_is_refused(
    cli: Runner, in_review: int, world: Path, status_of: StatusOf, login: str
) -> None:
    before = table_counts(world)
    cli("approve", str(in_review), user=login).assert_error(3)
    assert status_of(in_review) == "in_review"
    assert table_counts(world) == before


def test_approve_outside_review_is_refused(
    cli: Runner, world: Path, new_item: NewItem, approved: int, status_of: StatusOf
) -> None:
    draft = new_item()
    cli("approve", str(draft), user="roman").assert_error(3, "draft")
    cli("approve", str(approved), user="rita").assert_error(3, "approved")
    assert status_of(draft) == "draft"
    assert count(world, "reviews") == 1


def test_approve_several_where_one_is_refused_approves_none(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf
) -> None:
    items = [new_item("One"), new_item("Two"), new_item("Three")]
    cli("submit", str(items[0]), str(items[2]), user="anna").assert_ok()
    before = table_counts(world)
    cli("approve", *map(str, items), user="roman").assert_error(3, str(items[1]))
    assert [status_of(item) for item in items] == ["in_review", "draft", "in_review"]
    assert table_counts(world) == before


def test_four_eyes_an_author_reviewer_cannot_approve_what_they_changed(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf
) -> None:
    item = new_item("Anna's text")
    cli("edit", str(item), "--title", "Anna's text, polished by Elena", user="elena").assert_ok()
    cli("submit", str(item), user="anna").assert_ok()
    before = table_counts(world)
    cli("approve", str(item), user="elena").assert_error(3, "four eyes")
    assert status_of(item) == "in_review"
    assert table_counts(world) == before
    cli("approve", str(item), user="rita").assert_ok()
    assert status_of(item) == "approved"


def test_four_eyes_an_author_reviewer_cannot_approve_their_own_item(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf
) -> None:
    item = new_item("Elena's own text", by="elena")
    cli("submit", str(item), user="elena").assert_ok()
    cli("approve", str(item), user="elena").assert_error(3)
    cli("approve", str(item), user="roman").assert_ok()


def test_four_eyes_counts_changes_since_the_last_approval(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf
) -> None:
    item = new_item("Version one")
    cli("edit", str(item), "--title", "Version one, by Elena", user="elena").assert_ok()
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="roman").assert_ok()
    # Elena's edit is older than the last approval: she may approve Anna's new change
    cli("edit", str(item), "--title", "Version two", user="anna").assert_ok()
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="elena").assert_ok()
    # but not a text she changed after it
    cli("edit", str(item), "--title", "Version three, by Elena", user="elena").assert_ok()
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="elena").assert_error(3)
    cli("approve", str(item), user="roman").assert_ok()
    reviews = cli("history", str(item), "--json").json()["reviews"]
    assert [review["reviewer"] for review in reviews] == ["roman", "elena", "roman"]


def test_approval_is_pinned_to_the_submitted_revision(
    cli: Runner, approved: int, world: Path
) -> None:
    history = cli("history", str(approved), "--json").json()
    (review,) = history["reviews"]
    revision = next(r for r in history["revisions"] if r["id"] == review["revision"])
    assert revision["content_sha256"] == review["content_sha256"]
    shown = cli("show", str(approved), "--json").json()
    assert shown["content_sha256"] == review["content_sha256"]
    # a later edit does not move the approval
    cli("edit", str(approved), "--title", "Changed afterwards", user="anna").assert_ok()
    later = cli("history", str(approved), "--json").json()
    assert later["item"]["approved_revision"] == review["revision"]
    assert later["reviews"] == history["reviews"]
    assert cli("show", str(approved), "--json").json()["content_sha256"] != review["content_sha256"]


def test_approve_comment_with_a_nul_byte(cli: Runner, in_review: int, world: Path) -> None:
    before = table_counts(world)
    cli("approve", str(in_review), "--comment", "ok\x00", user="roman").assert_error(2, "comment")
    assert table_counts(world) == before


# --------------------------------------------------------------------------------------
# request-changes


def test_request_changes_round_trip(
    cli: Runner, in_review: int, world: Path, status_of: StatusOf
) -> None:
    result = cli(
        "request-changes", str(in_review), "--comment", "Check the date line.", "--json",
        user="roman",
    ).assert_ok()  # fmt: skip
    assert [item["status"] for item in result.json()] == ["changes_requested"]
    assert status_of(in_review) == "changes_requested"
    (review,) = cli("history", str(in_review), "--json").json()["reviews"]
    assert (review["decision"], review["comment"]) == ("request_changes", "Check the date line.")

    cli("submit", str(in_review), user="anna").assert_error(3, "changes_requested")
    cli("approve", str(in_review), user="rita").assert_error(3)
    cli("edit", str(in_review), "--date", "2025-03-14", user="anna").assert_ok()
    assert status_of(in_review) == "draft"
    cli("submit", str(in_review), user="anna").assert_ok()
    assert status_of(in_review) == "in_review"
    cli("approve", str(in_review), user="roman").assert_ok()
    assert status_of(in_review) == "approved"


@pytest.mark.parametrize(
    ("args", "code", "login"),
    [
        ((), 2, "roman"),
        (("--comment", ""), 2, "roman"),
        (("--comment", "   "), 2, "roman"),
        (("--comment", "Please fix."), 3, "anna"),
        (("--comment", "Please fix."), 3, "admin"),
        (("--comment", "Please fix."), 3, "erik"),
    ],
    ids=["no-comment", "empty", "blank", "author", "admin", "exporter"],
)
def test_request_changes_refused(
    cli: Runner,
    in_review: int,
    world: Path,
    status_of: StatusOf,
    args: tuple[str, ...],
    code: int,
    login: str,
) -> None:
    before = table_counts(world)
    cli("request-changes", str(in_review), *args, user=login).assert_error(code)
    assert status_of(in_review) == "in_review"
    assert table_counts(world) == before


def test_request_changes_on_a_draft_is_refused(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item()
    cli("request-changes", str(item), "--comment", "No.", user="roman").assert_error(3, "draft")
    cli("request-changes", "999", "--comment", "No.", user="roman").assert_error(4, "999")


# --------------------------------------------------------------------------------------
# withdraw


@pytest.mark.parametrize("login", ["roman", "admin"])
def test_withdraw_of_an_unpublished_item_is_refused(
    cli: Runner,
    world: Path,
    new_item: NewItem,
    approved: int,
    status_of: StatusOf,
    login: str,
) -> None:
    draft = new_item()
    before = table_counts(world)
    for item, state in ((draft, "draft"), (approved, "approved")):
        cli("withdraw", str(item), "--comment", "Retracted.", user=login).assert_error(3, state)
        assert status_of(item) == state
    assert table_counts(world) == before


def test_withdraw_refusals(cli: Runner, world: Path, approved: int) -> None:
    cli("withdraw", str(approved), "--comment", "Retracted.", user="anna").assert_error(3)
    cli("withdraw", str(approved), user="roman").assert_error(2, "--comment")
    cli("withdraw", str(approved), "--comment", "", user="roman").assert_error(2, "comment")
    cli("withdraw", "999", "--comment", "Retracted.", user="roman").assert_error(4, "999")


# --------------------------------------------------------------------------------------
# check


def test_check_finds_a_statement_without_a_place(
    cli: Runner, world: Path, new_item: NewItem
) -> None:
    item = new_item("STATEMENT of the ministers", section="statements", body="We state.")
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="roman").assert_ok()
    for args in ((str(item),), ()):
        result = cli("check", *args, "--json", user="erik")
        assert result.code == 1, result.err
        assert result.err == ""
        report = result.json()
        assert report["ok"] is False
        assert report["errors"] >= 1
        assert item in report["items"]
        codes = {(f["item"], f["code"], f["severity"]) for f in report["findings"]}
        assert (item, "missing-place", "error") in codes
    text = cli("check", str(item))
    assert text.code == 1
    assert "missing-place" in text.out


def test_check_passes_a_clean_item(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item(
        "STATEMENT of the ministers", section="statements", place="Minsk", body="We state."
    )
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="roman").assert_ok()
    result = cli("check", str(item), "--json", user="erik").assert_ok()
    report = result.json()
    assert report["ok"] is True
    assert report["errors"] == 0
    assert report["items"] == [item]
    assert all(finding["severity"] != "error" for finding in report["findings"])
    assert "1 items checked: 0 errors" in cli("check").assert_ok().out


def test_check_looks_at_the_approved_revision_not_the_newer_draft(
    cli: Runner, world: Path, new_item: NewItem, status_of: StatusOf
) -> None:
    item = new_item("STATEMENT", section="statements", place="Minsk", body="We state.")
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="roman").assert_ok()
    cli("edit", str(item), "--place", "", user="anna").assert_ok()
    assert status_of(item) == "draft"
    report = cli("check", "--json").assert_ok().json()
    assert report["items"] == [item]
    codes = {finding["code"] for finding in report["findings"]}
    assert "missing-place" not in codes
    assert "pending-changes" in codes


def test_check_with_nothing_approved(cli: Runner, world: Path) -> None:
    report = cli("check", "--json").assert_ok().json()
    assert report == {"ok": True, "errors": 0, "warnings": 0, "items": [], "findings": []}


def test_check_writes_nothing(cli: Runner, world: Path, new_item: NewItem) -> None:
    item = new_item("No place", section="statements")
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="roman").assert_ok()
    before = table_counts(world)
    assert cli("check", "--json").code == 1
    assert table_counts(world) == before
