"""The SQLAlchemy 2.0 mapping of every entity in the design: typed, dialect-neutral."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """The current time in UTC, stored naive: every timestamp in the database is UTC."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[str] = mapped_column(String(200), default="")
    """Space-separated role names; see core.workflow.Role."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    default_type: Mapped[str] = mapped_column(String(20), default="news")

    parent: Mapped[Section | None] = relationship(remote_side=[id])


class Item(Base):
    """The working copy of one text in one language, with its workflow state."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("section_id", "lang", "slug", name="uq_items_section_lang_slug"),
        Index("ix_items_section_state", "section_id", "state"),
        # The list's order and the section counts (migration 0003_list_order).
        Index("ix_items_live_order", "deleted_at", "event_date", "id", "section_id"),
        Index("ix_items_live_section_order", "deleted_at", "section_id", "event_date", "id"),
        # The export's listing of approved items (migration 0005_export_listing).
        Index(
            "ix_items_export_listing",
            "deleted_at",
            "approved_revision_id",
            "id",
            "translation_group",
            "published_revision_id",
            "current_revision_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"))
    type: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(5))
    translation_group: Mapped[int | None] = mapped_column(Integer, index=True)
    """The id of the first item of a group of translations of one text."""
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    event_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    speaker: Mapped[str] = mapped_column(String(200), default="")
    occasion: Mapped[str] = mapped_column(String(300), default="")
    outlet: Mapped[str] = mapped_column(String(200), default="")
    interviewee: Mapped[str] = mapped_column(String(200), default="")
    slug: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    approved_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True)
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    section: Mapped[Section] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Revision(Base):
    """An immutable snapshot of an item's content, pinned by its SHA-256."""

    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("item_id", "number", name="uq_revisions_item_number"),
        # The export's listing of approved revisions (migration 0005_export_listing).
        Index(
            "ix_revisions_export_listing",
            "item_id",
            "id",
            "section_id",
            "type",
            "lang",
            "event_date",
            "slug",
            "created_at",
            "title",
            "lead",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"))
    type: Mapped[str] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(5))
    title: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    speaker: Mapped[str] = mapped_column(String(200))
    occasion: Mapped[str] = mapped_column(String(300))
    outlet: Mapped[str] = mapped_column(String(200))
    interviewee: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(100))
    content_sha256: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    rendered_html: Mapped[str | None] = mapped_column(Text)
    """The body rendered once; an approved revision's HTML never changes."""
    rendered_links: Mapped[list[list[str | None]] | None] = mapped_column(JSON)
    """The links and images of ``rendered_html`` as [tag, target, alt], read once with it
    for the pre-publication checks (see ``core.checks.references_to_json``)."""

    author: Mapped[User] = relationship()


class Review(Base):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    content_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    reviewer: Mapped[User] = relationship()
    revision: Mapped[Revision] = relationship()


class Asset(Base):
    """An image or attachment, stored content-addressed beside the database."""

    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(Text, default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class AssetContent(Base):
    """An asset's bytes, kept in the database where editors share a server (team mode);
    beside a SQLite file they live in its assets folder instead."""

    __tablename__ = "asset_contents"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ExportRun(Base):
    __tablename__ = "export_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    scope: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    output: Mapped[str] = mapped_column(Text)
    revision_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """The revisions this run published, in item order."""


class AuditEvent(Base):
    """Append-only: the schema refuses UPDATE and DELETE on this table."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    user_login: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    revision_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Database-wide settings such as the site's base URL."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
