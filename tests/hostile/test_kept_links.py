"""Links kept with a rendered body are the links ``html.parser`` finds in it.

The export reads links from sanitised HTML with a regular expression (html5ever writes one
form of start tag) and keeps them; the checks judge those. Every hostile vector, written
as text, link, raw tag, image and table cell, must give the same links both ways.
"""

from __future__ import annotations

import pytest

from csto_editor.core.checks import (
    references_from_json,
    references_in_html,
    references_in_sanitised_html,
    references_to_json,
)
from csto_editor.core.markdown_render import render_markdown
from tests.hostile.corpus import load_vectors

FORMS = (
    "{v}",
    "[x]({v})",
    '<a href="{v}">x</a>',
    "<a href='{v}' title='{v}'>x</a>",
    "![alt]({v})",
    "<img src='{v}' alt='{v}'>",
    "| a | b |\n|---|:-:|\n| {v} | [l](item:3) ![i](asset:{v}) |",
)


@pytest.mark.parametrize("vector", load_vectors())
def test_kept_links_equal_what_html_parser_reads(vector: str) -> None:
    for form in FORMS:
        for lang in ("en", "ru"):
            page = render_markdown(form.replace("{v}", vector), lang)
            found = references_in_sanitised_html(page)
            assert found == references_in_html(page), (form, page)
            assert references_from_json(references_to_json(found)) == found


def test_kept_links_that_are_not_links_are_refused() -> None:
    assert references_from_json(None) is None
    assert references_from_json([["script", "x", None]]) is None
    assert references_from_json([["a", 5, None]]) is None
    assert references_from_json([["a", "item:1"]]) is None
    assert references_from_json([]) == []
