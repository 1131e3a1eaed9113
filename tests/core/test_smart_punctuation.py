"""The fast punctuation pass gives byte for byte what Python-Markdown's ``smarty`` gives.

The reference is the converter the app used before: ``smarty`` itself (with the
language's quotes) plus the apostrophe pattern at priority 31, in an ``InlineProcessor``.
Every text is compared before sanitising (Python-Markdown's own HTML) and after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown.extensions.extra import ExtraExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension, SubstituteTextPattern
from markdown.extensions.toc import TocExtension, slugify_unicode

from benchmarks.corpus import big_document, items
from csto_editor.core.content import Language
from csto_editor.core.markdown_render import (
    _BACKLINK_TITLES,
    _QUOTES,
    _build_markdown,
    render_markdown,
    sanitize_html,
)
from csto_editor.core.smart_punctuation import APOSTROPHE_PATTERN
from csto_editor.core.source_map import SourceLineExtension
from csto_editor.paths import resources_dir
from tests.hostile.corpus import load_vectors

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"


class _ReferenceSmarty(SmartyExtension):
    def educateQuotes(self, md: markdown.Markdown) -> None:  # noqa: N802 - smarty's name
        super().educateQuotes(md)
        apostrophe = SubstituteTextPattern(APOSTROPHE_PATTERN, ("&rsquo;",), md)
        self.inlinePatterns.register(apostrophe, "smarty-apostrophe", 31)


def _reference(language: Language, source_lines: bool) -> markdown.Markdown:
    extensions: list[markdown.extensions.Extension] = [
        ExtraExtension(footnotes={"BACKLINK_TITLE": _BACKLINK_TITLES[language]}),
        TocExtension(slugify=slugify_unicode),
        SaneListExtension(),
        _ReferenceSmarty(substitutions=dict(_QUOTES[language])),
    ]
    if source_lines:
        extensions.append(SourceLineExtension())
    return markdown.Markdown(extensions=extensions, output_format="html")


_CONVERTERS: dict[tuple[str, Language, bool], markdown.Markdown] = {}


def _convert(kind: str, text: str, language: Language, source_lines: bool) -> str:
    key = (kind, language, source_lines)
    if key not in _CONVERTERS:
        build = _reference if kind == "smarty" else _build_markdown
        _CONVERTERS[key] = build(language, source_lines)
    converter = _CONVERTERS[key]
    converter.reset()
    return converter.convert(text)


_SOURCE_LINE_RE = re.compile(r' data-source-line="\d+"')
_LONE_SUBSTITUTION_RE = re.compile(r'<p data-source-line="\d+">&\w+;</p>')


def assert_same_render(text: str, language: Language, source_lines: bool = False) -> None:
    expected = _convert("smarty", text, language, source_lines)
    got = _convert("fast", text, language, source_lines)
    if source_lines and got != expected:
        # The one known difference: a paragraph that is one substitution and nothing
        # else (``"``, ``--``, ``...``) was taken by the source-line pass for a raw HTML
        # placeholder under smarty and lost its line; now it keeps it.
        lone = _LONE_SUBSTITUTION_RE.sub(lambda m: _SOURCE_LINE_RE.sub("", m[0]), got)
        assert lone == expected
    else:
        assert got == expected
    assert sanitize_html(got) == sanitize_html(expected)


def _texts() -> list[tuple[str, str, Language]]:
    texts = [(f"corpus-{item.index}", item.body, Language(item.lang)) for item in items(300)]
    big = big_document()
    texts.append(("big", big.body, Language(big.lang)))
    for path in sorted(SAMPLES.glob("*")) if SAMPLES.is_dir() else []:
        body = path.read_text(encoding="utf-8")
        texts += [(f"{path.name}-{lang.value}", body, lang) for lang in Language]
    for path in sorted((resources_dir() / "demo" / "items").glob("*.md")):
        body = path.read_text(encoding="utf-8")
        lang = Language.RU if re.search(r"^lang:\s*ru", body, re.MULTILINE) else Language.EN
        texts.append((f"demo-{path.name}", body, lang))
    return texts


def test_the_compared_texts_are_there() -> None:
    names = [name for name, _, _ in _texts()]
    assert len(names) > 301
    assert any(name.startswith("demo-") for name in names)
    assert "big" in names


@pytest.mark.parametrize("source_lines", [False, True])
def test_corpus_samples_and_demo_render_as_with_smarty(source_lines: bool) -> None:
    for _, body, language in _texts():
        assert_same_render(body, language, source_lines)


@pytest.mark.parametrize("language", list(Language))
def test_hostile_vectors_render_as_with_smarty(language: Language) -> None:
    vectors = load_vectors()
    assert vectors
    for vector in vectors:
        assert_same_render(vector, language)
        assert_same_render(f"\"{vector}\" -- '{vector}'...", language, source_lines=True)


TRICKY = [
    "'80s and '90s, rock 'n' roll, 'tis",
    "\"'Quoted' words in a larger quote.\"",
    "He said, \"'Quoted' words\" and '\"the other\"'",
    "''double single'' and \"\"double double\"\" and '\"' and \"'\"",
    "----'word and ---'word and --'word and -- 'word",
    '&nbsp;"x" &mdash;"y" &#8211;"z" \\"escaped\\" \\\'too\\\'',
    "a'' b'\" c\"' d\"\" ''' \"\"\" ...'. .....\" ....",
    "'.' at the start",
    '".", at the start',
    "# \"Heading\" -- 'with' quotes\n\n[TOC]",
    "`code 'not' \"touched\" -- ...` but 'this' is",
    "<span title=\"'x' -- y\">\"inline\"</span> and <b>'b'</b>",
    '[link "text"](https://x.org "title \'t\'") ![alt "a"](x.png "\'t\'")',
    "| 'a' | \"b\" |\n|---|---|\n| c -- d | e... |",
    "- 'one'\n- \"two\"\n\n1. d'Ivoire\n2. Кот-д'Ивуар",
    'Footnote "x"[^1].\n\n[^1]: "Note" -- \'n\'.',
    "*[CSTO]: \"Collective\" 'Security'\n\nCSTO's \"CSTO\" 'CSTO'",
    "```\n'fenced' \"code\" -- ...\n```\n\n    'indented' \"code\"",
    "Term \"t\"\n: 'definition' -- d",
    '<div markdown="1">\n"inside" \'html\' -- ...\n</div>',
    '&amp;"x" &copy"y" \\&"z" &#1;\'w\'',
    "\"*emphasis*\" '**strong**' \"`code`\" '[link](x)'",
    "Line  \n\"after break\" and 'after'  \n'more'",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("language", list(Language))
def test_tricky_quotes_render_as_with_smarty(text: str, language: Language) -> None:
    assert_same_render(text, language)
    assert_same_render(text, language, source_lines=True)


def test_quotes_follow_the_language() -> None:
    text = "\"Outer 'inner' quote\" -- don't... d'Ivoire"
    assert render_markdown(text, "ru") == "<p>«Outer „inner“ quote» – don’t… d’Ivoire</p>"
    assert render_markdown(text, "en") == "<p>“Outer ‘inner’ quote” – don’t… d’Ivoire</p>"


_WORDS = st.sampled_from(
    [
        "word", "слово", "don't", "d'Ivoire", "'80s", "s", "'n'", "rock", "x1", "'", '"',
        "''", '""', "'\"", "\"'", "--", "---", "----", "...", "....", ".", ",", "!", "?",
        "(", ")", "[", "]", "{", "}", "-", "&nbsp;", "&mdash;", "&#8211;", "&amp;", "&",
        "\\'", '\\"', "\\", "`", "*", "_", "<b>", "</b>", "<br>", "\u00a0", "\t", "–", "—",
    ]
)  # fmt: skip


@st.composite
def _inline(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(_WORDS, min_size=1, max_size=12))
    separators = draw(st.lists(st.sampled_from(["", " ", " ", "  "]), min_size=len(pieces)))
    text = "".join(piece + separator for piece, separator in zip(pieces, separators, strict=False))
    wrap = draw(
        st.sampled_from(
            [
                "{}",
                "*{}*",
                "**{}**",
                "`{}`",
                '[{}](https://x.org "{}")',
                "![{}](a.png)",
                "<i>{}</i>",
            ]
        )
    )
    return wrap.replace("{}", text.strip() or "w")


@st.composite
def _markdown(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        line = " ".join(draw(st.lists(_inline(), min_size=1, max_size=4)))
        shape = draw(
            st.sampled_from(
                ["{}", "# {}", "### {}", "- {}\n- {}", "1. {}", "> {}",
                 "| {} | b |\n|---|---|\n| {} | c |", "Term\n: {}", "{}\n\n[TOC]",
                 "{}[^1]\n\n[^1]: {}", "```\n{}\n```", "    {}"]
            )
        )  # fmt: skip
        blocks.append(shape.replace("{}", line))
    return "\n\n".join(blocks)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(_markdown(), st.text(alphabet="'\"-. \nas1\\`*<>&#[]()|:")),
    language=st.sampled_from(list(Language)),
    source_lines=st.booleans(),
)
def test_random_markdown_renders_as_with_smarty(
    text: str, language: Language, source_lines: bool
) -> None:
    assert_same_render(text, language, source_lines)
