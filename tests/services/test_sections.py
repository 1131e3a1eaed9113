"""The section tree: add, rename, move, delete."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from csto_editor.core.errors import InvalidInput, NotFound, PermissionDenied, WorkflowRefused
from csto_editor.services import sections
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]


def paths(ctx: ServiceContext) -> list[str]:
    return [s.path for s in sections.list_sections(ctx)]


def test_add_rename_move_delete(as_user: As) -> None:
    admin = as_user("admin")
    sections.add_section(admin, "secretary-general", "Secretary General", "Генеральный секретарь")
    sections.add_section(admin, "speeches", "Speeches", "Выступления", parent="secretary-general")
    assert paths(admin) == ["news", "statements", "secretary-general", "secretary-general/speeches"]
    renamed = sections.rename_section(admin, "speeches", "Speeches and addresses", "Выступления")
    assert renamed.name_en == "Speeches and addresses"
    sections.move_section(admin, "speeches", None, 0)
    assert paths(admin) == ["speeches", "news", "statements", "secretary-general"]
    with pytest.raises(InvalidInput, match="itself"):
        sections.move_section(admin, "secretary-general", "secretary-general")
    sections.delete_section(admin, "speeches")
    assert "speeches" not in paths(admin)
    with pytest.raises(NotFound):
        sections.delete_section(admin, "speeches")


def test_a_section_with_items_or_children_is_not_deleted(as_user: As, new_item: New) -> None:
    admin = as_user("admin")
    new_item(section="news")
    with pytest.raises(WorkflowRefused, match="holds 1 items"):
        sections.delete_section(admin, "news")
    sections.add_section(admin, "archive", "Archive", "Архив", parent="statements")
    with pytest.raises(WorkflowRefused, match="subsections"):
        sections.delete_section(admin, "statements")


def test_only_an_admin_changes_the_tree(as_user: As) -> None:
    for action in (
        lambda ctx: sections.add_section(ctx, "x", "X", "Х"),
        lambda ctx: sections.rename_section(ctx, "news", "X", "Х"),
        lambda ctx: sections.move_section(ctx, "news", None, 1),
        lambda ctx: sections.delete_section(ctx, "news"),
    ):
        with pytest.raises(PermissionDenied):
            action(as_user("author"))


@pytest.mark.parametrize("slug", ["News", "news items", "index", "", "-x", "новости"])
def test_bad_section_slugs(as_user: As, slug: str) -> None:
    with pytest.raises(InvalidInput):
        sections.add_section(as_user("admin"), slug, "X", "Х")
