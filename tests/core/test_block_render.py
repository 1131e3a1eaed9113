"""Block-by-block rendering gives exactly the whole-body render, edit after edit."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csto_editor.core.block_render import BlockRenderer, split_blocks
from csto_editor.core.markdown_render import render_markdown

PIECES = [
    "# Заявление",
    "## Итоги",
    "## Итоги",
    "### Sub heading",
    "Heading\n=======",
    "Plain paragraph with \"quotes\" and 'single' ones, don't -- and ...",
    'Абзац «с кавычками» и "прямыми" кавычками, д\'Ивуар.',
    "A [link](https://csto.org) and *emphasis* and **bold** and `code`.",
    "- one\n- two\n- three",
    "* star item\n\n* loose item",
    "1. first\n2. second",
    "3) third",
    "    indented code",
    "  two spaces in",
    "> quoted\n> more",
    "> another quote",
    "-- attribution",
    "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "```python\nx = 1\n\n# not a heading\n```",
    "~~~\nfence\n~~~",
    "```\nunclosed fence",
    "Term\n: definition",
    ": lone definition",
    "***",
    "---",
    "text\n---",
    "Footnote here[^1].",
    "[^1]: The note.",
    "*[CSTO]: Collective Security Treaty Organization",
    "CSTO is an abbreviation.",
    "[ref link][r]",
    "[r]: https://example.org",
    "[TOC]",
    "## Heading with id {: #custom }",
    "<div>raw</div>",
    "Tab\tseparated",
    "Ends with two spaces  \nnext line",
    "",
    " ",
    "\t",
]

GAPS = ["\n\n", "\n", "\n\n\n", "\n \n"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(PIECES), max_size=14))
    return "".join(part + draw(st.sampled_from(GAPS)) for part in parts)


edits = st.lists(
    st.tuples(
        st.floats(0, 1),
        st.integers(0, 6),
        st.sampled_from(["x", " ", "\n", "\n\n", "#", "- ", "> ", "1. ", '"', "'", "`", "|"]),
    ),
    min_size=1,
    max_size=6,
)


def _apply(text: str, where: float, remove: int, insert: str) -> str:
    at = int(where * len(text))
    return text[:at] + insert + text[at + remove :]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=documents(),
    changes=edits,
    lang=st.sampled_from(["en", "ru"]),
    source_lines=st.booleans(),
)
def test_block_rendering_equals_the_whole_render_after_every_edit(
    document: str, changes: list[tuple[float, int, str]], lang: str, source_lines: bool
) -> None:
    renderer = BlockRenderer(lang, source_lines=source_lines)
    text = document
    assert renderer.render(text).html == render_markdown(text, lang, source_lines=source_lines)
    for where, remove, insert in changes:
        text = _apply(text, where, remove, insert)
        body = renderer.render(text)
        assert body.html == render_markdown(text, lang, source_lines=source_lines), text


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab #>-*1.:|`~\n\t[]^!{}<")), max_size=120))
def test_any_short_text_renders_the_same_in_blocks(text: str) -> None:
    for source_lines in (True, False):
        body = BlockRenderer("en", source_lines=source_lines).render(text)
        assert body.html == render_markdown(text, "en", source_lines=source_lines)


def test_blocks_cover_the_text_in_order() -> None:
    text = "# A\n\npara\n\n- item\n\n- item two\n\nlast"
    blocks = split_blocks(text)
    assert "\n".join(block.text for block in blocks) == text
    assert [block.first_line for block in blocks] == [0, 2, 8]


def test_a_one_character_edit_in_a_long_body_renders_one_block() -> None:
    paragraphs = [
        f'## Раздел {n % 7}\n\nАбзац номер {n} с «текстом» и "кавычками".' for n in range(400)
    ]
    text = "\n\n".join(paragraphs)
    renderer = BlockRenderer("ru")
    first = renderer.render(text)
    assert len(first.keys) == 800  # repeated headings are rendered once
    assert first.rendered_blocks == len(set(first.keys)) == 407
    middle = text.index("Абзац номер 200 ")
    edited = text[:middle] + "x" + text[middle:]
    second = renderer.render(edited)
    assert second.rendered_blocks == 1
    assert second.html == render_markdown(edited, "ru", source_lines=True)
    assert renderer.render(edited).rendered_blocks == 0


def test_a_definition_reaches_back_to_the_list_before_its_term() -> None:
    # The term paragraph joins the definition list two blocks up (found by hypothesis).
    body = "Term\n: definition\n\nSecond term\n\n: lone definition\n"
    for source_lines in (False, True):
        whole = render_markdown(body, "en", source_lines=source_lines)
        assert whole.count("<dl") == 1
        assert BlockRenderer("en", source_lines=source_lines).render(body).html == whole
