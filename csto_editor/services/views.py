"""Plain, frozen results of the services: what the ui and the command line display."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field


def iso_utc(moment: dt.datetime | None) -> str | None:
    """A stored (naive UTC) timestamp in ISO 8601 with its zone."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    name: str
    roles: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "login": self.login, "name": self.name, "roles": list(self.roles)}


@dataclass(frozen=True)
class SectionView:
    id: int
    slug: str
    name_en: str
    name_ru: str
    parent: str | None
    path: str
    depth: int
    position: int
    default_type: str
    item_count: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ItemSummary:
    id: int
    title: str
    section: str
    lang: str
    type: str
    status: str
    date: str | None
    slug: str
    author: str
    updated_at: str | None
    revision: int | None
    approved_revision: int | None
    published_revision: int | None
    version: int
    translation_group: int | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ItemDetail:
    summary: ItemSummary
    lead: str
    body: str
    place: str
    speaker: str
    occasion: str
    outlet: str
    interviewee: str
    created_at: str | None
    translations: tuple[int, ...]
    content_sha256: str

    def to_json(self) -> dict[str, object]:
        data = self.summary.to_json()
        data.update(
            lead=self.lead,
            body=self.body,
            place=self.place,
            speaker=self.speaker,
            occasion=self.occasion,
            outlet=self.outlet,
            interviewee=self.interviewee,
            created_at=self.created_at,
            translations=list(self.translations),
            content_sha256=self.content_sha256,
        )
        return data


@dataclass(frozen=True)
class ReviewView:
    id: int
    revision: int
    revision_number: int
    decision: str
    reviewer: str
    comment: str
    content_sha256: str
    created_at: str | None

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class RevisionView:
    id: int
    number: int
    reason: str
    author: str
    created_at: str | None
    content_sha256: str
    title: str
    reviews: tuple[ReviewView, ...] = field(default=())

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["reviews"] = [review.to_json() for review in self.reviews]
        return data


@dataclass(frozen=True)
class AuditView:
    at: str | None
    user: str
    action: str
    revision: int | None
    detail: dict[str, object]

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ItemHistory:
    item: ItemSummary
    revisions: tuple[RevisionView, ...]
    reviews: tuple[ReviewView, ...]
    events: tuple[AuditView, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "item": self.item.to_json(),
            "revisions": [revision.to_json() for revision in self.revisions],
            "reviews": [review.to_json() for review in self.reviews],
            "events": [event.to_json() for event in self.events],
        }


@dataclass(frozen=True)
class Finding:
    item: int | None
    severity: str
    code: str
    message: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class CheckReport:
    items: tuple[int, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity == "warning")

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.errors == 0,
            "errors": self.errors,
            "warnings": self.warnings,
            "items": list(self.items),
            "findings": [finding.to_json() for finding in self.findings],
        }


@dataclass(frozen=True)
class InitResult:
    created: bool
    upgraded: bool
    admin: str | None
    demo_items: int
    schema: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class BackupResult:
    path: str
    size: int
    assets: int

    def to_json(self) -> dict[str, object]:
        return asdict(self)
