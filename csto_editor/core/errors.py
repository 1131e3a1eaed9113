"""Errors the services raise, each carrying the exit code the command line reports."""

from __future__ import annotations


class EditorError(Exception):
    """Something the user must be told about in one line; exit code 1."""

    exit_code = 1


class InvalidInput(EditorError):
    """Bad usage or bad input: a malformed value, an unusable file."""

    exit_code = 2


class Refused(EditorError):
    """A permission or workflow step that the rules refuse."""

    exit_code = 3


class PermissionDenied(Refused):
    """The acting user lacks the role the step needs."""


class WorkflowRefused(Refused):
    """The item's state or history does not allow the step."""


class NotFound(EditorError):
    """A user, section, item or file that does not exist."""

    exit_code = 4


class ConflictError(EditorError):
    """Someone else changed the item since it was read (optimistic lock)."""
