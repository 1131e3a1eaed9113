"""Side-by-side diffs: rows, changed words, collapsed context, escaped HTML."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from csto_editor.core.diff import Change, DiffRow, changed_words, diff_html, side_by_side


def kinds(rows: list[DiffRow]) -> list[Change]:
    return [row.kind for row in rows]


def test_equal_texts_give_only_equal_rows() -> None:
    rows = side_by_side("one\ntwo", "one\ntwo")
    assert kinds(rows) == [Change.EQUAL, Change.EQUAL]
    assert [(row.old_number, row.new_number) for row in rows] == [(1, 1), (2, 2)]
    assert rows[1].old_text == rows[1].new_text == "two"


def test_a_changed_word_is_marked_on_both_sides() -> None:
    rows = side_by_side(
        "The ministers met in Minsk.\nSecond line.", "The ministers met in Bishkek.\nSecond line."
    )
    assert kinds(rows) == [Change.REPLACE, Change.EQUAL]
    left = [segment.text for segment in rows[0].old if segment.changed]
    right = [segment.text for segment in rows[0].new if segment.changed]
    assert left == ["Minsk"]
    assert right == ["Bishkek"]
    assert rows[0].old_text == "The ministers met in Minsk."
    assert rows[0].new_text == "The ministers met in Bishkek."


def test_cyrillic_words_are_whole_tokens() -> None:
    old, new = changed_words("Совещание в Минске", "Совещание в Бишкеке")
    assert [s.text for s in old if s.changed] == ["Минске"]
    assert [s.text for s in new if s.changed] == ["Бишкеке"]


def test_unlike_lines_are_marked_whole() -> None:
    old, new = changed_words("abc def", "xyz uvw qrs")
    assert len(old) == len(new) == 1
    assert old[0].changed and new[0].changed


def test_insertions_and_deletions_leave_the_other_side_empty() -> None:
    rows = side_by_side("a\nb\nc", "a\nc\nd")
    assert kinds(rows) == [Change.EQUAL, Change.DELETE, Change.EQUAL, Change.INSERT]
    deleted, inserted = rows[1], rows[3]
    assert (deleted.old_number, deleted.new_number, deleted.new) == (2, None, ())
    assert (inserted.old_number, inserted.new_number, inserted.old) == (None, 3, ())
    assert inserted.new_text == "d"


def test_replaced_blocks_of_different_sizes_pair_lines_then_pad() -> None:
    rows = side_by_side("x\nold one\nold two\ny", "x\nnew one\ny")
    assert kinds(rows) == [Change.EQUAL, Change.REPLACE, Change.DELETE, Change.EQUAL]


def test_empty_texts() -> None:
    assert side_by_side("", "") == []
    rows = side_by_side("", "first")
    assert kinds(rows) == [Change.INSERT]


def test_context_collapses_long_unchanged_runs() -> None:
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 10", "line ten")
    rows = side_by_side(old, new, context=2)
    assert kinds(rows) == [
        Change.SKIP,
        Change.EQUAL,
        Change.EQUAL,
        Change.REPLACE,
        Change.EQUAL,
        Change.EQUAL,
        Change.SKIP,
    ]
    assert rows[0].skipped == 7
    assert rows[-1].skipped == 8
    assert rows[-1].old_number == 13


def test_html_escapes_text_and_marks_changes() -> None:
    rows = side_by_side("<script>alert(1)</script> Minsk", "<script>alert(1)</script> Bishkek")
    page = diff_html(rows, old_label="Revision 1 <a>", new_label="Revision 2")
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "Revision 1 &lt;a&gt;" in page
    assert 'font-weight:600">Bishkek</span>' in page
    assert 'font-weight:600">Minsk</span>' in page


def test_html_says_when_nothing_differs() -> None:
    page = diff_html(side_by_side("same", "same"), old_label="a", new_label="b")
    assert "No differences." in page


@given(st.text(max_size=200), st.text(max_size=200))
def test_the_rows_rebuild_both_texts(old: str, new: str) -> None:
    rows = side_by_side(old, new)
    assert [row.old_text for row in rows if row.old_number is not None] == old.splitlines()
    assert [row.new_text for row in rows if row.new_number is not None] == new.splitlines()
