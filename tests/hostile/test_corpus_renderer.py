"""The corpus straight through the renderer and the sanitiser, and the checker's own test."""

from __future__ import annotations

import re

import pytest

from csto_editor.core.links import resolve_links
from csto_editor.core.markdown_render import render_markdown, sanitize_html
from tests.hostile.corpus import check_page, load_vectors

VECTORS = load_vectors()
SHA = "ab" * 32


def page(body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>t</title>\n{head}</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<a href="java\u200bscript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        '<img src="data:image/png;base64,AAAA">',
        '<a href="file:///etc/passwd">x</a>',
        '<a href="item:5">x</a>',
        '<p style="text-align:left">x</p>',
        '<td style="text-align:left">x</td>',
        '<div class="evil">x</div>',
        "<!-- x -->",
        '<iframe srcdoc="x"></iframe>',
        "<svg><a>x</a></svg>",
        '<form action="/x"><button formaction="/y">x</button></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        "<style>body{}</style>",
        '<a href="#" href="javascript:alert(1)">x</a>',
    ],
)
def test_the_checker_is_not_blind(body: str) -> None:
    """What every hostile test relies on: each of these is reported."""
    assert check_page(page(body)).problems or check_page(page(body)).inline_styles


def test_the_checker_passes_a_clean_page() -> None:
    clean = page(
        '<p><a href="../x.html#a">x</a> <img alt="" src="../assets/images/a.png"></p>'
        '<table><tr><td class="align-left">1</td></tr></table>',
        head='<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">\n',
    )
    report = check_page(clean)
    assert report.problems == [] and report.inline_styles == []
    assert report.csp == ["default-src 'none'"]


@pytest.mark.parametrize("vector", VECTORS)
def test_every_vector_renders_safely(vector: str) -> None:
    for lang in ("en", "ru"):
        for source_lines in (False, True):
            html = render_markdown(vector, lang, source_lines=source_lines)
            report = check_page(page(html), editor_schemes=True)
            assert report.problems == [], (lang, source_lines, report.problems, html)
            assert report.inline_styles == [], (lang, report.inline_styles)
            assert sanitize_html(html, source_lines=source_lines) == html
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]", html)
            resolved = resolve_links(html, lambda scheme, ref: f"../{scheme}/{ref}.html")
            assert check_page(page(resolved)).problems == [], resolved


@pytest.mark.parametrize("vector", VECTORS)
def test_every_vector_is_sanitised_directly(vector: str) -> None:
    html = sanitize_html(vector)
    assert check_page(page(html), editor_schemes=True).problems == [], html
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('`href="asset:x"` in code', '<p><code>href="asset:x"</code> in code</p>'),
        ("[x](ITEM:5#a&b)", '<p><a href="../item/5.html#a&amp;b">x</a></p>'),
        (f"![i](Asset:{SHA})", f'<p><img alt="i" src="../asset/{SHA}.html"></p>'),
    ],
    ids=["code-span-untouched", "upper-case-item", "mixed-case-asset"],
)
def test_editor_links_are_resolved_in_tags_only_and_in_any_case(source: str, expected: str) -> None:
    html = render_markdown(source)
    assert resolve_links(html, lambda scheme, ref: f"../{scheme}/{ref}.html") == expected
