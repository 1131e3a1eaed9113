"""Cleaning what Word and web pages leave: quotes, hand-made lists, the title."""

from __future__ import annotations

from csto_editor.core.html_to_markdown import element_to_markdown
from csto_editor.core.html_tree import parse_html
from csto_editor.core.import_cleanup import clean_tree, take_title


def cleaned(html: str) -> tuple[str | None, str]:
    root = parse_html(html)
    clean_tree(root)
    title = take_title(root)
    return title, element_to_markdown(root)


def test_hand_numbered_and_bulleted_paragraphs_become_lists() -> None:
    _title, markdown = cleaned(
        "<p>Решено:</p><p>1. Первое.</p><p>2)&nbsp;<b>Второе</b>.</p><p>3. Третье.</p>"
        "<p>• Один</p><p>• Два</p><p>1998. год был трудным.</p>"
    )
    assert markdown == (
        "Решено:\n\n1. Первое.\n2. **Второе**.\n3. Третье.\n\n- Один\n- Два\n\n"
        "1998\\. год был трудным."
    )


def test_a_dialogue_dash_and_a_lone_number_stay_paragraphs() -> None:
    _title, markdown = cleaned("<p>— Как вы оцениваете итоги?</p><p>— Высоко.</p><p>5. Итог</p>")
    assert markdown == "— Как вы оцениваете итоги?\n\n— Высоко.\n\n5\\. Итог"


def test_typographic_quotes_become_straight_but_not_in_code() -> None:
    _title, markdown = cleaned("<p>«Ёлка» и “tree”, it’s <code>“as is”</code></p>")
    assert markdown == '"Ёлка" и "tree", it\'s `“as is”`'


def test_the_title_is_the_first_heading_or_a_bold_first_paragraph() -> None:
    assert cleaned("<h2>Итоги</h2><p>Текст.</p>") == ("Итоги", "Текст.")
    assert cleaned("<p><b>Заявление</b> <strong>Совета</strong></p><p>Текст.</p>") == (
        "Заявление Совета",
        "Текст.",
    )
    assert cleaned("<p>Текст <b>жирный</b>.</p><h1>Итоги</h1>") == (
        "Итоги",
        "Текст **жирный**.",
    )
    assert cleaned("<p>Только текст.</p>") == (None, "Только текст.")
