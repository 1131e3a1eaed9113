"""Side-by-side comparison of two texts, line by line with the changed words marked."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Change(StrEnum):
    EQUAL = "equal"
    REPLACE = "replace"
    DELETE = "delete"
    INSERT = "insert"
    SKIP = "skip"
    """Unchanged lines left out (only when a context size is asked for)."""


@dataclass(frozen=True)
class Segment:
    """A piece of one line; ``changed`` when it differs from the other side."""

    text: str
    changed: bool = False


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side view: the old line on the left, the new on the right.

    A side without a line (an insertion's left, a deletion's right) has no number and
    no segments. A SKIP row stands for ``skipped`` unchanged lines.
    """

    kind: Change
    old_number: int | None
    new_number: int | None
    old: tuple[Segment, ...] = ()
    new: tuple[Segment, ...] = ()
    skipped: int = 0

    @property
    def old_text(self) -> str:
        return "".join(segment.text for segment in self.old)

    @property
    def new_text(self) -> str:
        return "".join(segment.text for segment in self.new)


_TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
_SIMILAR_ENOUGH = 0.35
"""Below this likeness two paired lines are shown as wholly changed, not word by word."""


def _tokens(line: str) -> list[str]:
    return _TOKENS.findall(line)


def _merge(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].changed == segment.changed:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.changed)
        else:
            merged.append(segment)
    return tuple(merged)


def changed_words(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both lines cut into segments, the words that differ marked as changed."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    if matcher.ratio() < _SIMILAR_ENOUGH:
        return _merge([Segment(old, True)]), _merge([Segment(new, True)])
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        left.append(Segment("".join(old_tokens[i1:i2]), changed))
        right.append(Segment("".join(new_tokens[j1:j2]), changed))
    return _merge(left), _merge(right)


def side_by_side(old: str, new: str, *, context: int | None = None) -> list[DiffRow]:
    """The rows of a side-by-side diff of two texts.

    With ``context``, runs of unchanged lines longer than twice the context are cut
    down to ``context`` lines on each side of a change, the rest shown as one SKIP row.
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                line_old, line_new = old_lines[i1 + offset], new_lines[j1 + offset]
                rows.append(
                    DiffRow(
                        Change.EQUAL,
                        i1 + offset + 1,
                        j1 + offset + 1,
                        _merge([Segment(line_old)]),
                        _merge([Segment(line_new)]),
                    )
                )
            continue
        for offset in range(max(i2 - i1, j2 - j1)):
            has_old, has_new = i1 + offset < i2, j1 + offset < j2
            line_old = old_lines[i1 + offset] if has_old else ""
            line_new = new_lines[j1 + offset] if has_new else ""
            if has_old and has_new:
                left, right = changed_words(line_old, line_new)
                rows.append(DiffRow(Change.REPLACE, i1 + offset + 1, j1 + offset + 1, left, right))
            elif has_old:
                rows.append(
                    DiffRow(Change.DELETE, i1 + offset + 1, None, _merge([Segment(line_old, True)]))
                )
            else:
                rows.append(
                    DiffRow(
                        Change.INSERT, None, j1 + offset + 1, (), _merge([Segment(line_new, True)])
                    )
                )
    return rows if context is None else _collapse(rows, context)


def _collapse(rows: list[DiffRow], context: int) -> list[DiffRow]:
    result: list[DiffRow] = []
    run: list[DiffRow] = []

    def close_run(at_start: bool, at_end: bool) -> None:
        keep_before = 0 if at_start else context
        keep_after = 0 if at_end else context
        if len(run) <= keep_before + keep_after + 1:
            result.extend(run)
            return
        result.extend(run[:keep_before])
        hidden = run[keep_before : len(run) - keep_after]
        first = hidden[0]
        result.append(DiffRow(Change.SKIP, first.old_number, first.new_number, skipped=len(hidden)))
        result.extend(run[len(run) - keep_after :])

    seen_change = False
    for row in rows:
        if row.kind is Change.EQUAL:
            run.append(row)
            continue
        close_run(at_start=not seen_change, at_end=False)
        run = []
        seen_change = True
        result.append(row)
    close_run(at_start=not seen_change, at_end=True)
    return result


def has_changes(rows: Sequence[DiffRow]) -> bool:
    return any(row.kind not in (Change.EQUAL, Change.SKIP) for row in rows)


@dataclass(frozen=True)
class DiffColours:
    """Colours of the HTML table (inline styles, so a QTextBrowser shows them too)."""

    removed_line: str = "#fdecea"
    removed_word: str = "#f5b7b1"
    added_line: str = "#e8f5e9"
    added_word: str = "#a5d6a7"
    number: str = "#8a8f98"
    skip: str = "#f1f3f5"


def _cell_html(segments: tuple[Segment, ...], word_colour: str) -> str:
    parts = []
    for segment in segments:
        text = html.escape(segment.text)
        if segment.changed and segment.text.strip():
            parts.append(
                f'<span style="background-color:{word_colour};font-weight:600">{text}</span>'
            )
        else:
            parts.append(text)
    return "".join(parts) or "&nbsp;"


def diff_html(
    rows: Sequence[DiffRow],
    *,
    old_label: str,
    new_label: str,
    skipped_label: str = "{count} unchanged lines",
    no_changes_label: str = "No differences.",
    colours: DiffColours = DiffColours(),
) -> str:
    """A two-column HTML table of the rows; every text is escaped."""
    head = (
        '<table width="100%" cellspacing="0" cellpadding="4" '
        'style="border-collapse:collapse;font-size:10pt">'
        f'<tr><th width="4%"></th><th align="left" width="46%">{html.escape(old_label)}</th>'
        f'<th width="4%"></th><th align="left" width="46%">{html.escape(new_label)}</th></tr>'
    )
    body = []
    if not has_changes(rows):
        body.append(
            f'<tr><td colspan="4" style="color:{colours.number}">'
            f"{html.escape(no_changes_label)}</td></tr>"
        )
    for row in rows:
        if row.kind is Change.SKIP:
            label = html.escape(skipped_label.format(count=row.skipped))
            body.append(
                f'<tr><td colspan="4" align="center" bgcolor="{colours.skip}" '
                f'style="color:{colours.number}">⋯ {label} ⋯</td></tr>'
            )
            continue
        old_bg = colours.removed_line if row.kind in (Change.REPLACE, Change.DELETE) else ""
        new_bg = colours.added_line if row.kind in (Change.REPLACE, Change.INSERT) else ""
        old_number = "" if row.old_number is None else str(row.old_number)
        new_number = "" if row.new_number is None else str(row.new_number)
        old_attr = f' bgcolor="{old_bg}"' if old_bg else ""
        new_attr = f' bgcolor="{new_bg}"' if new_bg else ""
        number_style = f'align="right" valign="top" style="color:{colours.number}"'
        body.append(
            f"<tr><td {number_style}>{old_number}</td>"
            f'<td valign="top"{old_attr}>{_cell_html(row.old, colours.removed_word)}</td>'
            f"<td {number_style}>{new_number}</td>"
            f'<td valign="top"{new_attr}>{_cell_html(row.new, colours.added_word)}</td></tr>'
        )
    return head + "".join(body) + "</table>"
