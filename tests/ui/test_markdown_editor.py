"""The Markdown editor driven through real key presses, commands and the clipboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QMimeData, Qt, QUrl
from PySide6.QtGui import QFont, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from csto_editor.ui.editor import MarkdownEditor


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[MarkdownEditor]:
    widget = MarkdownEditor()
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    # a QMimeData made in Python must not outlive the interpreter on the clipboard
    QApplication.clipboard().clear()


def type_text(widget: MarkdownEditor, text: str) -> None:
    """Type any text, Cyrillic included (QTest.keyClicks only knows Latin-1)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def load(editor: MarkdownEditor, text: str, position: int | None = None) -> None:
    """Load text and put the cursor at ``position`` (default: the end)."""
    editor.set_markdown(text)
    cursor = editor.textCursor()
    if position is None:
        cursor.movePosition(QTextCursor.MoveOperation.End)
    else:
        cursor.setPosition(position)
    editor.setTextCursor(cursor)


def select(editor: MarkdownEditor, start: int, end: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def enter(qtbot: QtBot, editor: MarkdownEditor, times: int = 1) -> None:
    for _ in range(times):
        qtbot.keyClick(editor, Qt.Key.Key_Return)


# -------------------------------------------------------------------- smart lists and quotes


@pytest.mark.parametrize(
    ("first", "second"), [("- ", "- "), ("* ", "* "), ("+ ", "+ "), ("1. ", "2. "), ("9) ", "10) ")]
)
def test_enter_continues_a_list_and_an_empty_item_ends_it(
    qtbot: QtBot, editor: MarkdownEditor, first: str, second: str
) -> None:
    load(editor, "")
    qtbot.keyClicks(editor, first + "one")
    enter(qtbot, editor)
    qtbot.keyClicks(editor, "two")
    enter(qtbot, editor, times=2)
    qtbot.keyClicks(editor, "after")
    assert editor.markdown() == f"{first}one\n{second}two\nafter"


def test_enter_in_cyrillic_list_items(qtbot: QtBot, editor: MarkdownEditor) -> None:
    load(editor, "- Армения")
    enter(qtbot, editor)
    type_text(editor, "Беларусь")
    assert editor.markdown() == "- Армения\n- Беларусь"


def test_enter_in_the_middle_of_a_numbered_list_renumbers_what_follows(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "1. one\n2. two\n    - nested\n3. three", position=len("1. one"))
    enter(qtbot, editor)
    qtbot.keyClicks(editor, "new")
    assert editor.markdown() == "1. one\n2. new\n3. two\n    - nested\n4. three"


def test_enter_splits_an_item_and_at_its_start_just_adds_a_line(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "- onetwo", position=len("- one"))
    enter(qtbot, editor)
    assert editor.markdown() == "- one\n- two"
    load(editor, "- item", position=0)
    enter(qtbot, editor)
    assert editor.markdown() == "\n- item"


def test_enter_continues_a_quote_and_an_empty_quote_line_ends_it(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "> Мы едины.")
    enter(qtbot, editor)
    qtbot.keyClicks(editor, "second")
    enter(qtbot, editor, times=2)
    qtbot.keyClicks(editor, "text")
    assert editor.markdown() == "> Мы едины.\n> second\ntext"


def test_list_inside_a_quote_continues_inside_the_quote(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "> - one")
    enter(qtbot, editor)
    qtbot.keyClicks(editor, "two")
    enter(qtbot, editor, times=2)
    assert editor.markdown() == "> - one\n> - two\n> "


def test_continuing_a_list_is_one_undo_step(qtbot: QtBot, editor: MarkdownEditor) -> None:
    load(editor, "1. one\n2. two", position=len("1. one"))
    enter(qtbot, editor)
    editor.undo()
    assert editor.markdown() == "1. one\n2. two"


def test_shift_enter_is_a_plain_newline_never_a_line_separator(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "- one")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert editor.markdown() == "- one\n"
    assert "\u2028" not in editor.document().toRawText()
    assert editor.document().blockCount() == 2


def test_tab_and_shift_tab_indent_and_outdent_list_items(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "1. one\n2. two\n3. three", position=len("1. one\n2. tw"))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.markdown() == "1. one\n    1. two\n2. three"
    qtbot.keyClick(editor, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert editor.markdown() == "1. one\n2. two\n3. three"
    qtbot.keyClick(editor, Qt.Key.Key_Backtab)
    assert editor.markdown() == "1. one\n2. two\n3. three"
    assert editor.textCursor().block().text() == "2. two"


def test_tab_indents_a_selection_and_inserts_four_spaces_elsewhere(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "- a\n- b\n\ntext")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.markdown() == "- a\n- b\n\ntext    "
    select(editor, 0, len("- a\n- b"))
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.markdown() == "    - a\n    - b\n\ntext    "


# -------------------------------------------------------------------- formatting commands


def test_bold_wraps_the_selection_and_toggles_back(editor: MarkdownEditor) -> None:
    load(editor, "Совет безопасности")
    select(editor, 0, len("Совет"))
    editor.toggle_bold()
    assert editor.markdown() == "**Совет** безопасности"
    assert editor.textCursor().selectedText() == "Совет"
    editor.toggle_bold()
    assert editor.markdown() == "Совет безопасности"


def test_bold_of_a_selection_with_its_markers_unwraps_it(editor: MarkdownEditor) -> None:
    load(editor, "a **word** b")
    select(editor, 2, 10)
    editor.toggle_bold()
    assert editor.markdown() == "a word b"


def test_italic_on_the_word_at_the_cursor_and_inside_bold(editor: MarkdownEditor) -> None:
    load(editor, "очень **важно** сейчас", position=len("очень **ва"))
    editor.toggle_italic()
    assert editor.markdown() == "очень ***важно*** сейчас"
    editor.toggle_bold()
    assert editor.markdown() == "очень *важно* сейчас"
    editor.toggle_italic()
    assert editor.markdown() == "очень важно сейчас"


def test_bold_with_no_word_inserts_a_pair_to_type_into(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "Итог: ")
    editor.toggle_bold()
    qtbot.keyClicks(editor, "yes")
    assert editor.markdown() == "Итог: **yes**"
    load(editor, "x ")
    editor.toggle_italic()
    editor.toggle_italic()
    assert editor.markdown() == "x "


def test_bold_over_several_lines_wraps_each_line(editor: MarkdownEditor) -> None:
    load(editor, "one two\n\nthree ")
    editor.selectAll()
    editor.toggle_bold()
    assert editor.markdown() == "**one two**\n\n**three** "
    editor.selectAll()
    editor.toggle_bold()
    assert editor.markdown() == "one two\n\nthree "


def test_a_formatting_command_is_one_undo_step(editor: MarkdownEditor) -> None:
    load(editor, "a b c")
    editor.selectAll()
    editor.toggle_bold()
    editor.undo()
    assert editor.markdown() == "a b c"


def test_heading_levels_and_toggle(editor: MarkdownEditor) -> None:
    load(editor, "Заявление", position=3)
    editor.make_heading()
    assert editor.markdown() == "## Заявление"
    editor.make_heading(1)
    assert editor.markdown() == "# Заявление"
    editor.make_heading(1)
    assert editor.markdown() == "Заявление"


def test_link_over_a_selection_with_an_address(editor: MarkdownEditor) -> None:
    load(editor, "Сайт ОДКБ здесь")
    select(editor, 0, len("Сайт ОДКБ"))
    editor.insert_link("https://odkb-csto.org")
    assert editor.markdown() == "[Сайт ОДКБ](https://odkb-csto.org) здесь"


def test_link_without_an_address_selects_the_placeholder(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    load(editor, "Сайт")
    editor.selectAll()
    editor.insert_link()
    assert editor.textCursor().selectedText() == "url"
    qtbot.keyClicks(editor, "https://odkb-csto.org")
    assert editor.markdown() == "[Сайт](https://odkb-csto.org)"


def test_link_with_nothing_selected(qtbot: QtBot, editor: MarkdownEditor) -> None:
    load(editor, "См. ")
    editor.insert_link(text="сайт")
    assert editor.markdown() == "См. [сайт](url)"
    load(editor, "")
    editor.insert_link("https://example.org")
    qtbot.keyClicks(editor, "Example")
    assert editor.markdown() == "[Example](https://example.org)"


def test_selected_address_becomes_the_link_target(editor: MarkdownEditor) -> None:
    load(editor, "https://odkb-csto.org")
    editor.selectAll()
    editor.insert_link()
    assert editor.markdown() == "[link text](https://odkb-csto.org)"
    assert editor.textCursor().selectedText() == "link text"


def test_quote_and_lists_toggle_over_a_selection(editor: MarkdownEditor) -> None:
    load(editor, "Армения\n\nБеларусь")
    editor.selectAll()
    editor.toggle_quote()
    assert editor.markdown() == "> Армения\n>\n> Беларусь"
    editor.selectAll()
    editor.toggle_quote()
    assert editor.markdown() == "Армения\n\nБеларусь"
    load(editor, "Армения\nБеларусь\nКазахстан")
    editor.selectAll()
    editor.toggle_bullet_list()
    assert editor.markdown() == "- Армения\n- Беларусь\n- Казахстан"
    editor.selectAll()
    editor.toggle_numbered_list()
    assert editor.markdown() == "1. Армения\n2. Беларусь\n3. Казахстан"
    editor.selectAll()
    editor.toggle_numbered_list()
    assert editor.markdown() == "Армения\nБеларусь\nКазахстан"


def test_insert_text_is_one_undo_step(editor: MarkdownEditor) -> None:
    load(editor, "a")
    editor.insert_text("\nb\r\nc")
    assert editor.markdown() == "a\nb\nc"
    editor.undo()
    assert editor.markdown() == "a"


def test_a_read_only_editor_refuses_every_edit(qtbot: QtBot, editor: MarkdownEditor) -> None:
    load(editor, "- пункт")
    editor.setReadOnly(True)
    enter(qtbot, editor)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    editor.selectAll()
    for command in (
        editor.toggle_bold,
        editor.toggle_italic,
        editor.make_heading,
        editor.insert_link,
        editor.toggle_quote,
        editor.toggle_bullet_list,
        editor.toggle_numbered_list,
    ):
        command()
    editor.insert_text("x")
    put_on_clipboard(text="вставка")
    qtbot.keyClick(
        editor,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.markdown() == "- пункт"


# -------------------------------------------------------------------- loading and scrolling


def test_set_markdown_emits_nothing_and_clears_undo(qtbot: QtBot, editor: MarkdownEditor) -> None:
    qtbot.keyClicks(editor, "typed")
    heard: list[str] = []
    editor.textChanged.connect(lambda: heard.append("text"))
    editor.modificationChanged.connect(lambda _m: heard.append("modified"))
    editor.top_line_changed.connect(lambda _l: heard.append("top"))
    editor.set_markdown("Новый текст\u00a0с неразрывным пробелом\r\nи строкой")
    qtbot.wait(50)
    assert heard == []
    assert editor.markdown() == "Новый текст\u00a0с неразрывным пробелом\nи строкой"
    assert not editor.document().isUndoAvailable()
    assert not editor.document().isModified()
    qtbot.keyClicks(editor, "x")
    assert "text" in heard


def test_set_markdown_starts_at_the_top(editor: MarkdownEditor) -> None:
    load(editor, "old text")
    editor.set_markdown("new text")
    assert editor.textCursor().position() == 0


def test_reloading_keeps_the_cursor_and_the_view(qtbot: QtBot, editor: MarkdownEditor) -> None:
    load(editor, "Мой текст.")
    editor.set_markdown("Их текст, длиннее.", keep_position=True)
    qtbot.keyClicks(editor, " More.")
    assert editor.markdown() == "Их текст, длиннее. More."
    load(editor, "abcdef", position=3)
    editor.set_markdown("ABCDEFGH", keep_position=True)
    assert editor.textCursor().position() == 3
    editor.set_markdown("AB", keep_position=True)
    assert editor.textCursor().position() == 2
    editor.set_markdown(long_text())
    editor.scroll_to_source_line(100)
    heard: list[int] = []
    editor.top_line_changed.connect(heard.append)
    editor.set_markdown(long_text().replace("слово", "слово!"), keep_position=True)
    assert editor.top_source_line() == 100
    assert heard == []


def long_text() -> str:
    return "\n".join(f"Строка {n}: " + "слово " * 25 for n in range(300))


def test_scroll_to_source_line_is_silent(qtbot: QtBot, editor: MarkdownEditor) -> None:
    editor.set_markdown(long_text())
    heard: list[int] = []
    editor.top_line_changed.connect(heard.append)
    editor.scroll_to_source_line(120)
    assert editor.top_source_line() == 120
    editor.scroll_to_source_line(-5)
    assert editor.top_source_line() == 0
    qtbot.wait(20)
    assert heard == []


def test_user_scrolling_reports_the_top_source_line(qtbot: QtBot, editor: MarkdownEditor) -> None:
    editor.set_markdown(long_text())
    editor.scroll_to_source_line(40)
    scroll_bar = editor.verticalScrollBar()
    with qtbot.waitSignal(editor.top_line_changed) as blocker:
        scroll_bar.triggerAction(scroll_bar.SliderAction.SliderPageStepAdd)
    assert blocker.args == [editor.top_source_line()]
    assert editor.top_source_line() > 40


def test_moving_the_cursor_off_screen_reports_the_new_top_line(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    editor.set_markdown(long_text())
    with qtbot.waitSignal(editor.top_line_changed) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [editor.top_source_line()]
    assert editor.top_source_line() > 250


def test_font_wrapping_tabs_and_current_line(editor: MarkdownEditor) -> None:
    assert editor.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert editor.font().styleHint() == QFont.StyleHint.Monospace
    space = editor.fontMetrics().horizontalAdvance(" ")
    assert editor.tabStopDistance() == pytest.approx(4 * space)
    assert len(editor.extraSelections()) == 1  # the current line
    bigger = QFont(editor.font())
    bigger.setPointSize(editor.font().pointSize() + 6)
    editor.setFont(bigger)
    assert editor.tabStopDistance() == pytest.approx(
        4 * editor.fontMetrics().horizontalAdvance(" ")
    )


# -------------------------------------------------------------------- clipboard


def put_on_clipboard(html: str | None = None, text: str | None = None) -> None:
    data = QMimeData()
    if html is not None:
        data.setHtml(html)
    if text is not None:
        data.setText(text)
    QApplication.clipboard().setMimeData(data)


def test_paste_of_word_html_becomes_markdown(qtbot: QtBot, editor: MarkdownEditor) -> None:
    put_on_clipboard(
        html=(
            "<p class=MsoNormal><b><span style='mso-bidi-font-weight:normal'>Москва</span></b>"
            "<span lang=RU>, 5&nbsp;мая.<o:p></o:p></span></p>"
            "<ul><li>один<ul><li>два</li></ul></li></ul>"
        ),
        text="Москва, 5 мая.\nодин\nдва",
    )
    load(editor, "")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.markdown() == "**Москва**, 5 мая.\n\n- один\n    - два"


def test_paste_of_several_blocks_mid_line_starts_new_paragraphs(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    put_on_clipboard(html="<h2>Итоги</h2><p>Текст</p>")
    load(editor, "до после", position=len("до "))
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.markdown() == "до \n\n## Итоги\n\nТекст\n\nпосле"


def test_paste_of_a_phrase_stays_in_the_sentence(qtbot: QtBot, editor: MarkdownEditor) -> None:
    put_on_clipboard(html="<span style='font-family:Arial'>коллективной <i>безопасности</i></span>")
    load(editor, "Совет  ОДКБ", position=len("Совет "))
    editor.paste()
    assert editor.markdown() == "Совет коллективной *безопасности* ОДКБ"


def test_plain_text_paste_stays_plain(qtbot: QtBot, editor: MarkdownEditor) -> None:
    put_on_clipboard(text="**уже Markdown** и 1. не список\r\n# нет")
    load(editor, "")
    qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.markdown() == "**уже Markdown** и 1. не список\n# нет"


def test_ctrl_shift_v_pastes_the_plain_text_of_rich_text(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    put_on_clipboard(
        html="<p><b>Жирный</b> <a href='https://x.org'>текст</a></p>", text="Жирный текст"
    )
    load(editor, "")
    qtbot.keyClick(
        editor,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert editor.markdown() == "Жирный текст"


def test_copy_from_a_code_editor_keeps_its_text(qtbot: QtBot, editor: MarkdownEditor) -> None:
    put_on_clipboard(
        html=(
            "<div style=\"font-family: 'Droid Sans Mono', monospace; white-space: pre;\">"
            "<div><span style='font-weight: bold;'>## Заголовок</span></div></div>"
        ),
        text="## Заголовок",
    )
    load(editor, "")
    editor.paste()
    assert editor.markdown() == "## Заголовок"


def test_copy_and_paste_inside_the_editor_is_exact(qtbot: QtBot, editor: MarkdownEditor) -> None:
    source = "**Жирный** и *курсив*,\u00a0[ссылка](https://x.org)\n- пункт"
    load(editor, source)
    editor.selectAll()
    editor.copy()
    assert QApplication.clipboard().mimeData().formats() == ["text/plain"]
    load(editor, "")
    editor.paste()
    assert editor.markdown() == source


def test_pasted_image_files_are_announced_not_inserted(
    qtbot: QtBot, editor: MarkdownEditor
) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile("/tmp/фото.JPG"), QUrl.fromLocalFile("/tmp/notes.txt")])
    load(editor, "текст")
    with qtbot.waitSignal(editor.image_files_dropped) as blocker:
        editor.insertFromMimeData(data)
    assert blocker.args == [["/tmp/фото.JPG"]]
    assert editor.markdown() == "текст"


# -------------------------------------------------------------------- highlighting


def formats_of_line(editor: MarkdownEditor, line: int) -> list[tuple[int, int, QFont.Weight, bool]]:
    block = editor.document().findBlockByNumber(line)
    return [
        (r.start, r.length, QFont.Weight(r.format.fontWeight()), r.format.fontItalic())
        for r in block.layout().formats()
    ]


def test_highlighter_marks_cyrillic_emphasis_and_headings(editor: MarkdownEditor) -> None:
    editor.set_markdown("## Заголовок\n**Жирный** и *курсив*\n😀 **ёж**")
    heading = formats_of_line(editor, 0)
    assert all(weight == QFont.Weight.Bold for _s, _l, weight, _i in heading)
    assert sum(length for _s, length, _w, _i in heading) == len("## Заголовок")
    line = formats_of_line(editor, 1)
    bold_word = [f for f in line if f[0] == 2]
    assert bold_word == [(2, len("Жирный"), QFont.Weight.Bold, False)]
    italic_word = [f for f in line if f[0] == len("**Жирный** и *")]
    assert italic_word == [(len("**Жирный** и *"), len("курсив"), QFont.Weight.Normal, True)]
    emoji_line = formats_of_line(editor, 2)
    # the emoji is two UTF-16 units: "ёж" starts at 5, not 4
    assert (5, 2, QFont.Weight.Bold, False) in emoji_line


def test_highlighter_treats_fenced_code_as_code(editor: MarkdownEditor) -> None:
    editor.set_markdown("```\n**не жирный**\n```\n**жирный**")
    assert all(weight != QFont.Weight.Bold for *_r, weight, _i in formats_of_line(editor, 1))
    assert any(weight == QFont.Weight.Bold for *_r, weight, _i in formats_of_line(editor, 3))
