"""Demo content for `init --demo`: a section tree, three users and sample items."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor.core.errors import InvalidInput
from csto_editor.core.frontmatter import parse_document
from csto_editor.paths import resources_dir
from csto_editor.services.accounts import add_user_in_session
from csto_editor.services.context import ServiceContext
from csto_editor.services.editing import create_item_in_session
from csto_editor.services.importing import new_item_from_document
from csto_editor.services.review import approver, changes_requester, run_step, submit_one
from csto_editor.services.sections import add_section_in_session
from csto_editor.store.models import Item, Section, User

DEMO_SECTIONS = (
    # slug, English name, Russian name, parent, default type
    ("news", "News", "Новости", None, "news"),
    ("statements", "Statements and other documents", "Заявления и документы", None, "statement"),
    (
        "statutory-bodies",
        "Meetings of statutory bodies",
        "Заседания уставных органов",
        None,
        "news",
    ),
    ("secretary-general", "Secretary General", "Генеральный секретарь", None, "news"),
    ("speeches", "Speeches", "Выступления", "secretary-general", "speech"),
    ("interviews", "Interviews", "Интервью", "secretary-general", "interview"),
)

DEMO_USERS = (
    ("ivanova", "Anna Ivanova", "author"),
    ("petrov", "Sergei Petrov", "reviewer"),
    ("nurlanov", "Aibek Nurlanov", "exporter"),
)
AUTHOR, REVIEWER, _EXPORTER = (login for login, _, _ in DEMO_USERS)


def add_demo_content(ctx: ServiceContext, session: Session) -> int:
    """Add what is missing of the demo sections and users, then the demo items."""
    existing_sections = set(session.scalars(select(Section.slug)))
    for slug, name_en, name_ru, parent, default_type in DEMO_SECTIONS:
        if slug not in existing_sections:
            add_section_in_session(session, slug, name_en, name_ru, parent, default_type)
    author_ctx = replace(ctx, login=AUTHOR)
    reviewer_ctx = replace(ctx, login=REVIEWER)
    existing_users = set(session.scalars(select(User.login)))
    for login, name, role in DEMO_USERS:
        if login not in existing_users:
            add_user_in_session(session, login, name, [role])
    author = author_ctx.actor(session)
    sections = {section.slug: section for section in session.scalars(select(Section))}
    first_of_pair: dict[str, int] = {}
    files = sorted((resources_dir() / "demo" / "items").glob("*.md"))
    if not files:
        raise InvalidInput(f"no demo items in {resources_dir() / 'demo' / 'items'}")
    for path in files:
        document = parse_document(path.read_bytes())
        new = new_item_from_document(document, sections, None)
        pair = document.extra.get("pair")
        if pair and pair in first_of_pair:
            new = replace(new, translation_of=first_of_pair[pair])
        item = create_item_in_session(author_ctx, session, author, new, reason="import")
        if pair:
            first_of_pair.setdefault(pair, item.id)
        _reach_status(
            author_ctx, reviewer_ctx, session, item, document.extra.get("status", "draft")
        )
    return len(files)


def _reach_status(
    author_ctx: ServiceContext,
    reviewer_ctx: ServiceContext,
    session: Session,
    item: Item,
    status: str,
) -> None:
    if status == "draft":
        return
    run_step(author_ctx, session, [item.id], "submit", submit_one)
    if status == "approved":
        run_step(
            reviewer_ctx, session, [item.id], "approve", approver("Checked against the source.")
        )
    elif status == "changes_requested":
        note = "Please check the date line and shorten the lead."
        run_step(reviewer_ctx, session, [item.id], "request_changes", changes_requester(note))
    elif status != "in_review":
        raise InvalidInput(f"demo item {item.title!r} has an unknown status {status!r}")
