"""Creating and editing items: the working copy, its slug, its translations, revisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor.core import validation
from csto_editor.core.content import ItemContent, parse_content_type, parse_language
from csto_editor.core.errors import ConflictError, InvalidInput, NotFound, WorkflowRefused
from csto_editor.core.slugs import (
    DEFAULT_MAX_LENGTH,
    RESERVED_SLUGS,
    is_valid_slug,
    slugify,
    unique_slug,
)
from csto_editor.core.workflow import Role, State, Step, next_state
from csto_editor.services.context import ServiceContext, load_item, user_roles
from csto_editor.services.revisions import (
    CONTENT_FIELDS,
    apply_content,
    content_of,
    cut_revision,
    summarize,
)
from csto_editor.services.sections import load_section
from csto_editor.services.views import ItemSummary
from csto_editor.store.models import Item, Revision, User, utc_now

AUTHOR_ROLES = (Role.AUTHOR, Role.ADMIN)
SAVE_POINT_INTERVAL = dt.timedelta(minutes=5)
"""While someone types, autosave cuts a revision at most this often."""
TEXT_LIMITS = {"lead": validation.MAX_LEAD, "body": validation.MAX_BODY}


@dataclass(frozen=True)
class NewItem:
    """What an author gives to create an item; the slug is derived when empty."""

    section: str
    content: ItemContent
    translation_of: int | None = None


def clean_content(content: ItemContent) -> ItemContent:
    """The content with every field checked and normalised; InvalidInput names the field."""
    changes: dict[str, object] = {
        "title": validation.clean_line(
            content.title, "title", required=True, limit=validation.MAX_TITLE
        )
    }
    for name in ("place", "speaker", "occasion", "outlet", "interviewee"):
        changes[name] = validation.clean_line(getattr(content, name), name)
    for name, limit in TEXT_LIMITS.items():
        changes[name] = validation.clean_text(getattr(content, name), name, limit=limit)
    changes["event_date"] = validation.clean_date(content.event_date)
    if content.slug and not is_valid_slug(content.slug):
        raise InvalidInput(_slug_problem(content.slug))
    return content.with_changes(**changes)


def _slug_problem(slug: str) -> str:
    """Why ``slug`` cannot be a page address."""
    if slug in RESERVED_SLUGS:
        return f"invalid slug {slug!r}: that name is reserved for a bundle file; choose another"
    if len(slug) > DEFAULT_MAX_LENGTH:
        return f"invalid slug: it is {len(slug):,} characters long; at most {DEFAULT_MAX_LENGTH}"
    return f"invalid slug {slug!r}: use lowercase Latin letters, digits and hyphens"


def _taken_slugs(session: Session, section_id: int, lang: str, exclude: int | None) -> set[str]:
    query = select(Item.slug).where(Item.section_id == section_id, Item.lang == lang)
    if exclude is not None:
        query = query.where(Item.id != exclude)
    return set(session.scalars(query))


def _translation_languages(session: Session, item: Item) -> set[str]:
    """The languages of the item's live translations (not its own)."""
    return set(
        session.scalars(
            select(Item.lang).where(
                Item.translation_group == item.translation_group,
                Item.id != item.id,
                Item.deleted_at.is_(None),
            )
        )
    )


def _link_translation(session: Session, item: Item, translation_of: int) -> None:
    source = session.get(Item, validation.check_id(translation_of))
    if source is None or source.deleted_at is not None:
        raise NotFound(f"translation_of: no item {translation_of}")
    group = source.translation_group or source.id
    if source.lang == item.lang:
        raise InvalidInput(
            f"translation_of: item {translation_of} is in the same language ({item.lang})"
        )
    siblings = session.scalars(select(Item).where(Item.translation_group == group)).all()
    if any(s.lang == item.lang and s.id != item.id and s.deleted_at is None for s in siblings):
        raise InvalidInput(f"item {translation_of} already has a translation in {item.lang}")
    source.translation_group = group
    item.translation_group = group


def create_item_in_session(
    ctx: ServiceContext,
    session: Session,
    author: User,
    new: NewItem,
    *,
    reason: str = "create",
    taken_slugs: dict[tuple[int, str], set[str]] | None = None,
) -> Item:
    """Create an item and its first revision inside an open unit of work.

    ``taken_slugs`` lets a caller that creates many items in one unit of work (an
    import) read each section's slugs once: it is filled on first use and kept current.
    """
    content = clean_content(new.content)
    section = load_section(session, new.section)
    if taken_slugs is None:
        occupied = _taken_slugs(session, section.id, content.lang.value, None)
    else:
        key = (section.id, content.lang.value)
        if key not in taken_slugs:
            taken_slugs[key] = _taken_slugs(session, section.id, content.lang.value, None)
        occupied = taken_slugs[key]
    if content.slug:
        if content.slug in occupied:
            raise InvalidInput(
                f"slug {content.slug!r} is already used in section {section.slug} ({content.lang})"
            )
        slug = content.slug
    else:
        slug = unique_slug(slugify(content.title), occupied)
    now = utc_now()
    item = Item(
        section_id=section.id,
        section=section,
        state=State.DRAFT.value,
        created_by_id=author.id,
        created_by=author,
        updated_by_id=author.id,
        created_at=now,
        updated_at=now,
    )
    apply_content(item, content.with_changes(slug=slug))
    session.add(item)
    session.flush()
    occupied.add(item.slug)
    if new.translation_of is not None:
        _link_translation(session, item, new.translation_of)
    revision = cut_revision(session, item, author, reason)
    session.flush()
    ctx.audit(
        session,
        reason,
        item_id=item.id,
        revision_id=revision.id if revision else None,
        title=item.title,
    )
    return item


def create_item(ctx: ServiceContext, new: NewItem) -> ItemSummary:
    """A new draft with its first revision."""
    with ctx.database.session() as session:
        author = ctx.require(session, AUTHOR_ROLES, "create items")
        return summarize(create_item_in_session(ctx, session, author, new))


FIELD_PARSERS: dict[str, Callable[[str], object]] = {
    "type": parse_content_type,
    "lang": parse_language,
}


def edit_item(
    ctx: ServiceContext,
    item_id: int,
    changes: Mapping[str, object],
    *,
    expected_version: int | None = None,
    section: str | None = None,
    reason: str = "edit",
) -> ItemSummary:
    """Change fields of an item and cut a revision: editing always leaves a draft.

    Editing an item that is in review or approved starts a new draft; the approved
    revision stays publishable until a newer one is approved. A change that leaves
    the content as it was does nothing.
    """
    with ctx.database.session() as session:
        item = _edit(ctx, session, item_id, changes, expected_version, section)
        if item.changed:
            _save_revision(ctx, session, item.row, reason, fields=sorted(changes))
        return summarize(item.row)


def autosave(
    ctx: ServiceContext,
    item_id: int,
    changes: Mapping[str, object],
    *,
    expected_version: int | None,
) -> ItemSummary:
    """Store the working copy as typed; a revision is cut only every few minutes.

    ``expected_version`` is the version the editor last saw: a different one means
    someone else saved meanwhile, and ConflictError lets the user choose. None
    overwrites (the user chose "keep mine"), which always cuts a revision.
    """
    with ctx.database.session() as session:
        edit = _edit(ctx, session, item_id, changes, expected_version, None)
        if not edit.changed:
            return summarize(edit.row)
        latest = session.get(Revision, edit.row.current_revision_id)
        stale = latest is None or utc_now() - latest.created_at >= SAVE_POINT_INTERVAL
        if expected_version is None or stale:
            _save_revision(ctx, session, edit.row, "autosave", fields=sorted(changes))
        session.flush()
        return summarize(edit.row)


def save_point(ctx: ServiceContext, item_id: int) -> ItemSummary:
    """Cut a revision of the working copy now (Ctrl+S), if it differs from the last one."""
    with ctx.database.session() as session:
        author = ctx.require(session, AUTHOR_ROLES, "save items")
        item = load_item(session, item_id)
        revision = cut_revision(session, item, author, "save_point")
        if revision is not None:
            ctx.audit(session, "save_point", item_id=item.id, revision_id=revision.id)
        return summarize(item)


def restore_revision(ctx: ServiceContext, item_id: int, revision_id: int) -> ItemSummary:
    """Make an old revision's content the working copy again, as a new draft revision."""
    with ctx.database.session() as session:
        old = session.get(Revision, validation.check_id(revision_id, "revision"))
        if old is None or old.item_id != item_id:
            raise NotFound(f"item {item_id} has no revision {revision_id}")
        restored = content_of(old)
        changes = {
            name: getattr(restored, name) for name in CONTENT_FIELDS if name not in ("slug",)
        }
        edit = _edit(ctx, session, item_id, changes, None, None)
        if edit.changed:
            _save_revision(ctx, session, edit.row, "restore", restored_from=old.number)
        return summarize(edit.row)


def delete_item(ctx: ServiceContext, item_id: int) -> None:
    """Move a never-published item to the bin (a soft delete, kept in the database)."""
    with ctx.database.session() as session:
        ctx.require(session, AUTHOR_ROLES, "delete items")
        item = load_item(session, item_id)
        if item.published_revision_id is not None:
            raise WorkflowRefused("a published item cannot be deleted; withdraw it instead")
        item.deleted_at = utc_now()
        ctx.audit(session, "delete", item_id=item.id, title=item.title)


@dataclass
class _Edit:
    row: Item
    changed: bool


def _edit(
    ctx: ServiceContext,
    session: Session,
    item_id: int,
    changes: Mapping[str, object],
    expected_version: int | None,
    section: str | None,
) -> _Edit:
    author = ctx.require(session, AUTHOR_ROLES, "edit items")
    item = load_item(session, item_id)
    if expected_version is not None and item.version != expected_version:
        raise ConflictError(
            f"item {item_id} was changed by someone else ({item.updated_by.login}) meanwhile "
            f"(version {item.version}, you had {expected_version})"
        )
    content = _changed_content(item, changes)
    target = load_section(session, section) if section is not None else item.section
    if content == content_of(item) and target.id == item.section_id:
        return _Edit(item, False)
    state = next_state(Step.EDIT, State(item.state), user_roles(author))
    if content.slug != item.slug and item.published_revision_id is not None:
        raise WorkflowRefused("the slug of a published item cannot change")
    moved = (content.slug, content.lang.value, target.id) != (item.slug, item.lang, item.section_id)
    if moved and content.slug in _taken_slugs(session, target.id, content.lang.value, item.id):
        raise InvalidInput(
            f"slug {content.slug!r} is already used in section {target.slug} ({content.lang})"
        )
    relinked = content.lang.value != item.lang and item.translation_group is not None
    if relinked and content.lang.value in _translation_languages(session, item):
        raise InvalidInput(
            f"item {item.id} already has a translation in {content.lang}; "
            "linked translations must differ in language"
        )
    if target.id != item.section_id:
        if item.published_revision_id is not None:
            raise WorkflowRefused("a published item cannot move to another section")
        item.section_id, item.section = target.id, target
    apply_content(item, content)
    item.state = state.value
    item.updated_at = utc_now()
    item.updated_by_id = author.id
    item.updated_by = author
    return _Edit(item, True)


def _save_revision(
    ctx: ServiceContext, session: Session, item: Item, reason: str, **detail: object
) -> None:
    revision = cut_revision(session, item, item.updated_by, reason)
    session.flush()
    ctx.audit(
        session,
        reason,
        item_id=item.id,
        revision_id=revision.id if revision else None,
        **detail,
    )


def _changed_content(item: Item, changes: Mapping[str, object]) -> ItemContent:
    current = content_of(item)
    unknown = set(changes) - set(current.as_dict())
    if unknown:
        raise InvalidInput(f"unknown field {sorted(unknown)[0]!r}")
    parsed: dict[str, object] = {}
    for name, value in changes.items():
        if name in FIELD_PARSERS:
            try:
                parsed[name] = FIELD_PARSERS[name](str(value))
            except ValueError as error:
                raise InvalidInput(str(error)) from None
        elif name == "event_date":
            parsed[name] = validation.clean_date(value)
        elif name == "slug" and isinstance(value, str) and not value.strip():
            raise InvalidInput(
                "slug must not be empty: give the page address in lowercase Latin letters, "
                "digits and hyphens"
            )
        else:
            if not isinstance(value, str):
                raise InvalidInput(f"{name} must be text")
            parsed[name] = value
    return clean_content(current.with_changes(**parsed))
