"""Every allowed and refused transition of the workflow, by role and by state."""

from __future__ import annotations

import pytest

from csto_editor.core.errors import InvalidInput, PermissionDenied, WorkflowRefused
from csto_editor.core.workflow import (
    STEP_ROLES,
    TRANSITIONS,
    Role,
    State,
    Step,
    check_four_eyes,
    next_state,
    parse_roles,
)

ALLOWED = {(Step.EDIT, state): State.DRAFT for state in State} | {
    (Step.SUBMIT, State.DRAFT): State.IN_REVIEW,
    (Step.APPROVE, State.IN_REVIEW): State.APPROVED,
    (Step.REQUEST_CHANGES, State.IN_REVIEW): State.CHANGES_REQUESTED,
    (Step.PUBLISH, State.APPROVED): State.PUBLISHED,
    (Step.WITHDRAW, State.PUBLISHED): State.WITHDRAWN,
}


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("state", list(State))
def test_each_step_from_each_state(step: Step, state: State) -> None:
    roles = STEP_ROLES[step]
    if (step, state) in ALLOWED:
        assert next_state(step, state, roles) == ALLOWED[(step, state)]
    else:
        with pytest.raises(WorkflowRefused, match=state.value):
            next_state(step, state, roles)


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("role", list(Role))
def test_each_step_by_each_role(step: Step, role: Role) -> None:
    start = next(iter(TRANSITIONS[step][0]))
    if role in STEP_ROLES[step]:
        next_state(step, start, {role})
    else:
        with pytest.raises(PermissionDenied, match="role"):
            next_state(step, start, {role})


def test_only_a_reviewer_approves_and_an_admin_is_no_exception() -> None:
    with pytest.raises(PermissionDenied):
        next_state(Step.APPROVE, State.IN_REVIEW, {Role.ADMIN, Role.AUTHOR, Role.EXPORTER})
    assert next_state(Step.APPROVE, State.IN_REVIEW, {Role.ADMIN, Role.REVIEWER}) is State.APPROVED


def test_the_role_is_checked_before_the_state() -> None:
    with pytest.raises(PermissionDenied):
        next_state(Step.APPROVE, State.DRAFT, {Role.AUTHOR})


def test_four_eyes_refuses_an_editor_of_the_text() -> None:
    check_four_eyes(7, {3, 4})
    with pytest.raises(WorkflowRefused, match="four eyes"):
        check_four_eyes(3, {3, 4})


def test_roles_parse_and_unknown_roles_are_named() -> None:
    assert parse_roles(["Author", " reviewer "]) == {Role.AUTHOR, Role.REVIEWER}
    with pytest.raises(InvalidInput, match="'editor'"):
        parse_roles(["editor"])
