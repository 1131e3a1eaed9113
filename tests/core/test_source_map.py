"""Source lines on rendered blocks, and the scroll mapping built on them."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csto_editor.core.markdown_render import (
    markdown_to_unsanitised_html,
    render_markdown,
    sanitize_html,
)
from csto_editor.core.source_map import (
    SourceLineExtension,
    block_start_lines,
    clean_anchors,
    line_at_position,
    position_of_line,
)

LINE_RE = re.compile(r' data-source-line="\d+"')


def lines_of(html: str) -> list[tuple[str, int]]:
    """(tag, line) for every element carrying a source line, in document order."""
    return [
        (tag, int(line))
        for tag, line in re.findall(r'<(\w+)\b[^>]*\sdata-source-line="(\d+)"', html)
    ]


def marked(text: str) -> str:
    return markdown_to_unsanitised_html(text, "en", source_lines=True)


def test_blocks_carry_the_line_where_they_start() -> None:
    text = (
        "# Statement\n"  # 0
        "\n"
        "The ministers met\n"  # 2
        "in Minsk.\n"
        "\n"
        "- one\n"  # 5
        "- two\n"
        "\n"
        "> A quote\n"  # 8
        "\n"
        "---\n"  # 10
        "\n"
        "1. first\n"  # 12
        "2. second\n"
        "\n"
        "| a | b |\n"  # 15
        "|---|---|\n"
        "| 1 | 2 |\n"
        "\n"
        "## Closing\n"  # 19
    )
    assert lines_of(marked(text)) == [
        ("h1", 0),
        ("p", 2),
        ("ul", 5),
        ("blockquote", 8),
        ("hr", 10),
        ("ol", 12),
        ("table", 15),
        ("h2", 19),
    ]


def test_the_extension_changes_nothing_else() -> None:
    text = (
        "[TOC]\n\n# One\n\nText[^n] with *HTML*.\n\n- a\n\n- b\n\n    more b\n\n"
        "```python\ncode\n\n\nstill code\n```\n\n    indented code\n\n\n\nterm\n: def\n\n"
        "*[HTML]: Hyper Text\n\n[^n]: A note.\n\n    Its second paragraph.\n\n"
        "<div>\n\nraw\n\n</div>\n\n"
        '<div markdown="1">\n\n*inside*\n\n</div>\n\nLast {: #last }\n'
    )
    plain = markdown_to_unsanitised_html(text, "en")
    assert LINE_RE.sub("", marked(text)) == plain
    assert "source-line:" not in marked(text)


def test_loose_lists_quotes_and_continuations_stay_one_element() -> None:
    text = "- a\n\n- b\n\n    more b\n\n> q1\n\n> q2\n\nafter\n"
    html = marked(text)
    assert lines_of(html) == [("ul", 0), ("blockquote", 6), ("p", 10)]
    assert html.count("<ul") == 1 and html.count("<blockquote") == 1
    assert "<p>more b</p>" in html


def test_fenced_code_and_raw_html_get_the_line_on_their_first_tag() -> None:
    text = 'intro\n\n```\nx = 1\n\n\ny = 2\n```\n\n<div class="box">\n\nraw text\n\n</div>\n\nend\n'
    html = marked(text)
    assert lines_of(html) == [("p", 0), ("pre", 2), ("div", 9), ("p", 15)]
    assert "x = 1\n\n\ny = 2" in html  # the blank lines inside the code survive
    assert "\n\nraw text\n\n" in html  # and inside the raw block


def test_toc_footnotes_and_definition_lists() -> None:
    text = (
        "[TOC]\n"  # 0
        "\n"
        "# One\n"  # 2
        "\n"
        "Said[^1].\n"  # 4
        "\n"
        "term\n"  # 6
        "\n"
        ": its definition\n"
        "\n"
        "[^1]: Source.\n"  # 10
        "\n"
        "Closing words.\n"  # 12
    )
    assert lines_of(marked(text)) == [
        ("div", 0),  # the table of contents replaced its [TOC] paragraph
        ("h1", 2),
        ("p", 4),
        ("dl", 6),  # the paragraph that turned out to be a term
        ("p", 12),
        ("div", 10),  # the footnotes, at the end, from their first definition
    ]


def test_a_paragraph_that_moves_up_is_not_given_a_stale_line() -> None:
    text = "term\n: def\n\nterm2\n\n: def2\n\n*[X]: abbreviation\n\nlast one\n"
    assert lines_of(marked(text)) == [("dl", 0), ("p", 9)]


def test_lines_count_crlf_and_lone_cr_like_an_editor() -> None:
    assert lines_of(marked("a\r\n\r\nb\rc\r\rd")) == [("p", 0), ("p", 2), ("p", 5)]


def test_leading_blank_lines_and_blocks_without_a_blank_line_before() -> None:
    html = marked("\n\n\n# Title\ntext right after\n\nmore")
    assert lines_of(html) == [("h1", 3), ("p", 6)]
    assert "<p>text right after</p>" in html  # only a block's first element is marked


def test_markers_in_the_source_cannot_be_forged() -> None:
    # Python-Markdown strips STX/ETX from the source: the text stays text.
    html = marked("\x02source-line:99\x03\n\ntext")
    assert lines_of(html) == [("p", 0), ("p", 2)]
    assert '<p data-source-line="0">source-line:99</p>' in html


def test_render_markdown_keeps_the_attribute_only_when_asked() -> None:
    text = "# Title\n\nBody"
    assert "data-source-line" not in render_markdown(text, "ru")
    kept = render_markdown(text, "ru", source_lines=True)
    assert lines_of(kept) == [("h1", 0), ("p", 2)]


def test_the_sanitiser_lets_only_numeric_lines_through_and_only_when_asked() -> None:
    raw = (
        '<p data-source-line="3">a</p><p data-source-line="x&quot;">b</p>'
        '<a data-source-line="4">c</a>'
    )
    assert "data-source-line" not in sanitize_html(raw)
    cleaned = sanitize_html(raw, source_lines=True)
    assert '<p data-source-line="3">a</p>' in cleaned
    assert cleaned.count("data-source-line") == 1


def test_converters_are_cached_per_language_and_source_lines() -> None:
    assert "data-source-line" in render_markdown("x", "en", source_lines=True)
    assert "data-source-line" not in render_markdown("x", "en")
    assert "data-source-line" in render_markdown("x", "en", source_lines=True)


def test_the_extension_works_on_a_plain_converter() -> None:
    converter = markdown.Markdown(extensions=[SourceLineExtension()])
    assert lines_of(converter.convert("a\n\nb")) == [("p", 0), ("p", 2)]
    converter.reset()
    assert lines_of(converter.convert("# h")) == [("h1", 0)]


def test_block_start_lines_skip_fences_and_indented_lines() -> None:
    lines = ["a", "", "```", "x", "", "y", "```", "", "    code", "", "b"]
    assert block_start_lines(lines) == [0, 2, 10]


blocks = st.sampled_from(
    [
        "Plain words here.",
        "# Heading",
        "- item\n- item two",
        "1. first\n2. second",
        "> quoted",
        "```\ncode\n\nmore\n```",
        "    indented",
        "| a |\n|---|\n| 1 |",
        "term\n: definition",
        "<div>raw</div>",
        "---",
        "Text with a note[^a].",
        "[^a]: The note.",
        "[TOC]",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(blocks, max_size=8), st.sampled_from(["\n\n", "\n\n\n", "\n"]))
def test_any_document_renders_the_same_apart_from_the_attribute(
    parts: list[str], separator: str
) -> None:
    text = separator.join(parts)
    with_lines = marked(text)
    assert LINE_RE.sub("", with_lines) == markdown_to_unsanitised_html(text, "en")
    assert "\x02" not in with_lines
    numbers = [line for _tag, line in lines_of(with_lines)]
    assert all(0 <= line < max(1, text.count("\n") + 1) for line in numbers)


# --------------------------------------------------------------------------- scrolling


def test_anchors_keep_only_what_goes_down_and_start_at_the_top() -> None:
    raw = [(2, 120.0), (4, 300.0), (3, 280.0), (6, 290.0), (8, 500.0)]
    assert clean_anchors(raw) == [(2, 0.0), (4, 300.0), (8, 500.0)]


@pytest.mark.parametrize(
    ("position", "line"),
    [(0.0, 2), (150.0, 3), (299.0, 3), (300.0, 4), (400.0, 6), (900.0, 8), (-5.0, 2)],
)
def test_line_at_position_interpolates(position: float, line: int) -> None:
    anchors = [(2, 0.0), (4, 300.0), (8, 500.0)]
    assert line_at_position(anchors, position) == line


def test_position_of_line_is_the_inverse() -> None:
    anchors = [(2, 0.0), (4, 300.0), (8, 500.0)]
    assert position_of_line(anchors, 0) == 0.0
    assert position_of_line(anchors, 3) == 150.0
    assert position_of_line(anchors, 6) == 400.0
    assert position_of_line(anchors, 50) == 500.0
    for line in range(2, 9):
        assert line_at_position(anchors, position_of_line(anchors, line)) == line
    assert line_at_position([], 10.0) == 0 and position_of_line([], 3) == 0.0
