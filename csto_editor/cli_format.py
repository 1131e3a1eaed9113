"""How the command line prints results for people (``--json`` prints them for scripts)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Protocol, TextIO

from csto_editor.services.views import (
    CheckReport,
    ItemDetail,
    ItemHistory,
    ItemSummary,
    SectionView,
    UserView,
)


class JsonView(Protocol):
    def to_json(self) -> dict[str, object]: ...


def print_json(data: object, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    """One JSON document on stdout."""
    encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
    json.dump(data, out, ensure_ascii=encoding not in ("utf8", "utf8sig"), indent=2)
    out.write("\n")


def views_json(views: Sequence[JsonView]) -> list[dict[str, object]]:
    return [view.to_json() for view in views]


def _table(rows: list[list[str]], out: TextIO) -> None:
    if not rows:
        return
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


def print_items(items: Sequence[ItemSummary], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if not items:
        out.write("no items\n")
        return
    rows = [["ID", "STATUS", "LANG", "TYPE", "DATE", "SECTION", "TITLE"]]
    rows += [
        [str(i.id), i.status, i.lang, i.type, i.date or "-", i.section, i.title] for i in items
    ]
    _table(rows, out)


def print_users(users: Sequence[UserView], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    rows = [["LOGIN", "ROLES", "NAME"]]
    rows += [[u.login, ",".join(u.roles), u.name] for u in users]
    _table(rows, out)


def print_sections(sections: Sequence[SectionView], out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if not sections:
        out.write("no sections\n")
        return
    rows = [["PATH", "ITEMS", "TYPE", "NAMES"]]
    rows += [
        [s.path, str(s.item_count), s.default_type, f"{s.name_en} / {s.name_ru}"] for s in sections
    ]
    _table(rows, out)


def print_item(detail: ItemDetail, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    s = detail.summary
    lines = [
        f"#{s.id} {s.title}",
        f"status: {s.status}   type: {s.type}   lang: {s.lang}   section: {s.section}",
        f"date: {s.date or '-'}   slug: {s.slug}   author: {s.author}",
        f"revision: {s.revision}   approved revision: {s.approved_revision or '-'}",
    ]
    for label, value in (
        ("place", detail.place),
        ("speaker", detail.speaker),
        ("occasion", detail.occasion),
        ("outlet", detail.outlet),
        ("interviewee", detail.interviewee),
    ):
        if value:
            lines.append(f"{label}: {value}")
    if detail.translations:
        lines.append("translations: " + ", ".join(str(t) for t in detail.translations))
    if detail.lead:
        lines += ["", detail.lead]
    lines += ["", detail.body]
    out.write("\n".join(lines).rstrip() + "\n")


def print_history(history: ItemHistory, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    out.write(f"#{history.item.id} {history.item.title} ({history.item.status})\n")
    for revision in history.revisions:
        out.write(
            f"  r{revision.number} (id {revision.id}) {revision.created_at} {revision.author} "
            f"{revision.reason} sha256 {revision.content_sha256[:12]}\n"
        )
        for review in revision.reviews:
            comment = f": {review.comment}" if review.comment else ""
            out.write(
                f"      {review.decision} by {review.reviewer} {review.created_at}{comment}\n"
            )


def print_check(report: CheckReport, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    for finding in report.findings:
        out.write(f"item {finding.item}: {finding.severity}: {finding.message} [{finding.code}]\n")
    out.write(
        f"{len(report.items)} items checked: {report.errors} errors, {report.warnings} warnings\n"
    )
