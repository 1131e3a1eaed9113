"""Workflow states, roles, and which step each role may take from which state."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum

from csto_editor.core.errors import InvalidInput, PermissionDenied, WorkflowRefused


class Role(StrEnum):
    AUTHOR = "author"
    REVIEWER = "reviewer"
    EXPORTER = "exporter"
    ADMIN = "admin"


class State(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class Step(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


EDITABLE_STATES = frozenset(State)
"""Editing is allowed from every state; it always leaves a draft behind."""

TRANSITIONS: dict[Step, tuple[frozenset[State], State]] = {
    Step.EDIT: (EDITABLE_STATES, State.DRAFT),
    Step.SUBMIT: (frozenset({State.DRAFT}), State.IN_REVIEW),
    Step.APPROVE: (frozenset({State.IN_REVIEW}), State.APPROVED),
    Step.REQUEST_CHANGES: (frozenset({State.IN_REVIEW}), State.CHANGES_REQUESTED),
    Step.PUBLISH: (frozenset({State.APPROVED}), State.PUBLISHED),
    Step.WITHDRAW: (frozenset({State.PUBLISHED}), State.WITHDRAWN),
}
"""For each step: the states it may start from, and the state it leads to."""

STEP_ROLES: dict[Step, frozenset[Role]] = {
    Step.EDIT: frozenset({Role.AUTHOR, Role.ADMIN}),
    Step.SUBMIT: frozenset({Role.AUTHOR, Role.ADMIN}),
    # Only a reviewer approves: an admin is no exception.
    Step.APPROVE: frozenset({Role.REVIEWER}),
    Step.REQUEST_CHANGES: frozenset({Role.REVIEWER}),
    Step.PUBLISH: frozenset({Role.EXPORTER, Role.ADMIN}),
    Step.WITHDRAW: frozenset({Role.REVIEWER, Role.ADMIN}),
}

STEP_NAMES: dict[Step, str] = {
    Step.EDIT: "edit",
    Step.SUBMIT: "submit",
    Step.APPROVE: "approve",
    Step.REQUEST_CHANGES: "request changes to",
    Step.PUBLISH: "publish",
    Step.WITHDRAW: "withdraw",
}


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    """Role names as roles; InvalidInput names an unknown one and the choices."""
    roles = set()
    for value in values:
        try:
            roles.add(Role(value.strip().lower()))
        except ValueError:
            choices = ", ".join(role.value for role in Role)
            raise InvalidInput(f"unknown role {value!r} (one of: {choices})") from None
    return frozenset(roles)


def parse_state(value: str) -> State:
    try:
        return State(value.strip().lower())
    except ValueError:
        choices = ", ".join(state.value for state in State)
        raise InvalidInput(f"unknown status {value!r} (one of: {choices})") from None


def require_role(roles: Collection[Role], allowed: Collection[Role], doing: str) -> None:
    """Refuse unless one of ``roles`` is among ``allowed``."""
    if not set(roles) & set(allowed):
        needed = " or ".join(sorted(role.value for role in allowed))
        raise PermissionDenied(f"only a user with the {needed} role may {doing}")


def next_state(step: Step, state: State, roles: Collection[Role], *, what: str = "item") -> State:
    """The state ``step`` leads to, after checking the role and the starting state."""
    require_role(roles, STEP_ROLES[step], f"{STEP_NAMES[step]} an item")
    sources, target = TRANSITIONS[step]
    if state not in sources:
        allowed = ", ".join(sorted(s.value for s in sources))
        raise WorkflowRefused(
            f"cannot {STEP_NAMES[step]} {what}: it is {state.value} (needs {allowed})"
        )
    return target


def check_four_eyes(reviewer_id: int, editor_ids_since_last_approval: Collection[int]) -> None:
    """Refuse an approval by anyone who changed the text since the last approval."""
    if reviewer_id in editor_ids_since_last_approval:
        raise WorkflowRefused(
            "cannot approve a text you changed since its last approval (four eyes); "
            "another reviewer must approve it"
        )
