"""The section tree: adding, listing, finding sections."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csto_editor.core import validation
from csto_editor.core.content import ContentType, parse_content_type
from csto_editor.core.errors import InvalidInput, NotFound, WorkflowRefused
from csto_editor.core.slugs import RESERVED_SLUGS, is_valid_slug
from csto_editor.core.workflow import Role
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import SectionView
from csto_editor.store.models import Item, Revision, Section


def load_section(session: Session, slug: str) -> Section:
    section = session.scalar(select(Section).where(Section.slug == slug))
    if section is None:
        raise NotFound(f"no section {slug!r}")
    return section


def add_section_in_session(
    session: Session,
    slug: str,
    name_en: str,
    name_ru: str,
    parent: str | None = None,
    default_type: ContentType | str = ContentType.NEWS,
) -> Section:
    if not is_valid_slug(slug) or slug in RESERVED_SLUGS:
        raise InvalidInput(
            f"invalid section slug {slug!r}: use lowercase Latin letters, digits and hyphens"
            + (" (that name is reserved)" if slug in RESERVED_SLUGS else "")
        )
    try:
        kind = parse_content_type(str(default_type))
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    english = validation.clean_line(name_en, "English name", required=True, limit=200)
    russian = validation.clean_line(name_ru, "Russian name", required=True, limit=200)
    if session.scalar(select(Section.id).where(Section.slug == slug)) is not None:
        raise InvalidInput(f"section {slug!r} already exists")
    parent_section = load_section(session, parent) if parent else None
    siblings = select(func.count(Section.id)).where(
        Section.parent_id == parent_section.id if parent_section else Section.parent_id.is_(None)
    )
    section = Section(
        slug=slug,
        name_en=english,
        name_ru=russian,
        parent=parent_section,
        position=session.scalar(siblings) or 0,
        default_type=kind.value,
    )
    session.add(section)
    session.flush()
    return section


def add_section(
    ctx: ServiceContext,
    slug: str,
    name_en: str,
    name_ru: str,
    parent: str | None = None,
    default_type: ContentType | str = ContentType.NEWS,
) -> SectionView:
    """Add a section under ``parent`` (or at the top); only an admin may."""
    with ctx.database.session() as session:
        ctx.require(session, (Role.ADMIN,), "add sections")
        section = add_section_in_session(session, slug, name_en, name_ru, parent, default_type)
        ctx.audit(session, "section_add", slug=slug, parent=parent)
        return _tree(session, only=section.id)[0]


def list_sections(ctx: ServiceContext) -> list[SectionView]:
    """Every section in tree order: each parent followed by its children by position."""
    with ctx.database.session() as session:
        return _tree(session)


def _tree(session: Session, only: int | None = None) -> list[SectionView]:
    sections = session.scalars(select(Section).order_by(Section.position, Section.id)).all()
    counts: dict[int, int] = {
        section_id: count
        for section_id, count in session.execute(
            select(Item.section_id, func.count(Item.id))
            .where(Item.deleted_at.is_(None))
            .group_by(Item.section_id)
        )
    }
    children: dict[int | None, list[Section]] = {}
    for section in sections:
        children.setdefault(section.parent_id, []).append(section)
    by_id = {section.id: section for section in sections}
    result: list[SectionView] = []

    def walk(parent_id: int | None, depth: int, prefix: str) -> None:
        for section in children.get(parent_id, []):
            path = f"{prefix}{section.slug}"
            if only is None or section.id == only:
                result.append(
                    SectionView(
                        id=section.id,
                        slug=section.slug,
                        name_en=section.name_en,
                        name_ru=section.name_ru,
                        parent=by_id[section.parent_id].slug if section.parent_id else None,
                        path=path,
                        depth=depth,
                        position=section.position,
                        default_type=section.default_type,
                        item_count=counts.get(section.id, 0),
                    )
                )
            walk(section.id, depth + 1, path + "/")

    walk(None, 0, "")
    return result


def descendant_ids(session: Session, section: Section) -> list[int]:
    """The section's id and those of every section below it."""
    rows = session.execute(select(Section.id, Section.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for section_id, parent_id in rows:
        children.setdefault(parent_id, []).append(section_id)
    found, stack = [], [section.id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def rename_section(ctx: ServiceContext, slug: str, name_en: str, name_ru: str) -> SectionView:
    """Give a section new English and Russian names; its slug (and paths) stay."""
    with ctx.database.session() as session:
        ctx.require(session, (Role.ADMIN,), "rename sections")
        section = load_section(session, slug)
        section.name_en = validation.clean_line(name_en, "English name", required=True, limit=200)
        section.name_ru = validation.clean_line(name_ru, "Russian name", required=True, limit=200)
        ctx.audit(session, "section_rename", slug=slug, name_en=name_en, name_ru=name_ru)
        session.flush()
        return _tree(session, only=section.id)[0]


def move_section(
    ctx: ServiceContext, slug: str, parent: str | None, position: int | None = None
) -> SectionView:
    """Put a section under another parent (None: the top) at a position among its siblings."""
    with ctx.database.session() as session:
        ctx.require(session, (Role.ADMIN,), "move sections")
        section = load_section(session, slug)
        new_parent = load_section(session, parent) if parent else None
        if new_parent is not None and new_parent.id in descendant_ids(session, section):
            raise InvalidInput(f"cannot move section {slug!r} into itself or below itself")
        siblings = [
            s
            for s in session.scalars(
                select(Section)
                .where(
                    Section.parent_id == new_parent.id
                    if new_parent
                    else Section.parent_id.is_(None)
                )
                .order_by(Section.position, Section.id)
            )
            if s.id != section.id
        ]
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, section)
        section.parent_id = new_parent.id if new_parent else None
        for order, sibling in enumerate(siblings):
            sibling.position = order
        ctx.audit(session, "section_move", slug=slug, parent=parent, position=index)
        session.flush()
        return _tree(session, only=section.id)[0]


def delete_section(ctx: ServiceContext, slug: str) -> None:
    """Remove an empty section; one with items or subsections is refused with the reason."""
    with ctx.database.session() as session:
        ctx.require(session, (Role.ADMIN,), "delete sections")
        section = load_section(session, slug)
        items = session.scalar(select(func.count(Item.id)).where(Item.section_id == section.id))
        children = session.scalar(
            select(func.count(Section.id)).where(Section.parent_id == section.id)
        )
        if items:
            raise WorkflowRefused(
                f"section {slug!r} still holds {items} items (deleted ones included); "
                "move them first"
            )
        if children:
            raise WorkflowRefused(f"section {slug!r} still has {children} subsections")
        if session.scalar(select(func.count(Revision.id)).where(Revision.section_id == section.id)):
            raise WorkflowRefused(
                f"section {slug!r} is named in the history of items moved away from it"
            )
        session.delete(section)
        ctx.audit(session, "section_delete", slug=slug)
