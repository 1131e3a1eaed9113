"""Clipboard HTML from Word, Google Docs and browsers becomes clean Markdown."""

from __future__ import annotations

import pytest

from csto_editor.core.html_to_markdown import html_to_markdown, looks_like_source_code
from csto_editor.core.markdown_render import render_markdown

WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=Generator content="Microsoft Word 15">
<style><!-- /* Style Definitions */ p.MsoNormal, li.MsoNormal {mso-style-parent:"";
margin:0cm; font-size:12.0pt; font-family:"Times New Roman",serif;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
</head>
<body lang=RU style='tab-interval:35.4pt;word-wrap:break-word'>
<!--StartFragment-->
<h1><a name="_Toc170000001"><span lang=RU style='mso-ansi-language:RU'>Заявление
Секретариата ОДКБ</span></a><o:p></o:p></h1>
<p class=MsoNormal style='text-align:justify'><b><span lang=RU
style='font-size:12.0pt;mso-bidi-font-family:"Times New Roman"'>Москва,
5&nbsp;мая 2025&nbsp;года.</span></b><span lang=RU> Совет <i
style='mso-bidi-font-style:normal'>коллективной</i> безопасности <span
class=GramE>провёл</span> заседание.<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
!supportLists]><span style='font-family:Symbol;mso-fareast-font-family:Symbol'><span
style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span></span><![endif]><span lang=RU>Армения<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:auto;
text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span
lang=RU>Ереван<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if
!supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp; </span></span></span><![endif]><span
lang=RU>Беларусь<o:p></o:p></span></p>
<p class=MsoNormal style='mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span
style='mso-list:Ignore'>1.<span style='font:7.0pt'>&nbsp;&nbsp; </span></span><!--[endif]-->\
Открытие<o:p></o:p></p>
<p class=MsoNormal style='mso-list:l1 level1 lfo2'><!--[if !supportLists]--><span
style='mso-list:Ignore'>2.<span style='font:7.0pt'>&nbsp;&nbsp; </span></span><!--[endif]-->\
Доклады<o:p></o:p></p>
<p class=MsoNormal>Подробнее на <a href="https://odkb-csto.org/news/">сайте
ОДКБ</a>, см. также <a href="file:///C:/Users/press/Documents/plan.docx">план</a>.<o:p></o:p></p>
<p class=MsoNormal><span style='mso-no-proof:yes'><!--[if gte vml 1]><v:shape id="Picture_1"
style='width:100pt;height:50pt'><v:imagedata src="file:///C:/Users/press/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png"
o:title=""/></v:shape><![endif]--><![if !vml]><img width=133 height=67
src="file:///C:/Users/press/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png" alt="Эмблема"
v:shapes="Picture_1"><![endif]></span><o:p></o:p></p>
<!--EndFragment-->
</body></html>"""

WORD_MARKDOWN = """# Заявление Секретариата ОДКБ

**Москва, 5 мая 2025 года.** Совет *коллективной* безопасности провёл заседание.

- Армения
    - Ереван
- Беларусь

1. Открытие
2. Доклады

Подробнее на [сайте ОДКБ](https://odkb-csto.org/news/), см. также план."""

BROWSER_HTML = """<meta charset='utf-8'><div class="article" style="font-family: Georgia">
<h2 style="color: rgb(31, 78, 140); font-size: 24px">Итоги <em>встречи</em> министров</h2>
<p style="margin: 0 0 1em">Стороны обсудили&nbsp;вопросы <strong>коллективной
безопасности</strong> и <a href="https://odkb-csto.org/" target="_blank"
class="x">сотрудничества</a>.</p>
<ul>
  <li>Россия
    <ul><li>Москва</li><li>Санкт-Петербург</li></ul>
  </li>
  <li>Казахстан</li>
</ul>
<blockquote><p>Мы едины.</p><p>Вторая строка<br>цитаты</p></blockquote>
<table class="data"><thead><tr><th>Страна</th><th>Столица</th></tr></thead>
<tbody><tr><td>Кыргызстан</td><td>Бишкек</td></tr>
<tr><td>Таджикистан</td><td><b>Душанбе</b></td></tr></tbody></table>
<p><img src="https://odkb-csto.org/upload/flag.png" alt="Флаг"><img
src="data:image/png;base64,AAAA" alt="x"></p>
<script>alert("no")</script>
</div>"""

HARD_BREAK = "  "
BROWSER_MARKDOWN = f"""## Итоги *встречи* министров

Стороны обсудили вопросы **коллективной безопасности** и [сотрудничества](https://odkb-csto.org/).

- Россия
    - Москва
    - Санкт-Петербург
- Казахстан

> Мы едины.
>
> Вторая строка{HARD_BREAK}
> цитаты

| Страна      | Столица     |
| ----------- | ----------- |
| Кыргызстан  | Бишкек      |
| Таджикистан | **Душанбе** |

![Флаг](https://odkb-csto.org/upload/flag.png)"""

GOOGLE_DOCS_HTML = (
    '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1a2b">'
    '<p dir="ltr" style="line-height:1.38;margin-top:0pt"><span style="font-size:11pt;'
    "font-family:Arial,sans-serif;color:#000000;font-weight:700;font-style:normal;"
    'white-space:pre;white-space:pre-wrap;">Пресс-релиз</span><span style="font-size:11pt;'
    'font-weight:400;font-style:italic;white-space:pre-wrap;"> для СМИ</span></p>'
    '<ol><li dir="ltr"><p dir="ltr"><span style="font-weight:400">Первое</span></p></li>'
    '<li dir="ltr"><p dir="ltr"><span>Второе</span></p></li></ol></b><br>'
)


def test_word_html_loses_its_junk_and_keeps_its_structure() -> None:
    markdown = html_to_markdown(WORD_HTML)
    assert markdown == WORD_MARKDOWN
    for junk in ("mso", "o:p", "<", "clip_image", "Symbol", "\xa0", "·", "file:"):
        assert junk not in markdown


def test_browser_html_with_cyrillic_nested_lists_and_a_table() -> None:
    assert html_to_markdown(BROWSER_HTML) == BROWSER_MARKDOWN


def test_converted_markdown_renders_as_the_original_structure() -> None:
    html = render_markdown(html_to_markdown(BROWSER_HTML), "ru")
    assert "<li>Россия<ul>" in html.replace("\n", "")
    assert "<th>Страна</th>" in html
    assert "<blockquote>" in html
    assert '<img alt="Флаг" src="https://odkb-csto.org/upload/flag.png">' in html
    word = render_markdown(html_to_markdown(WORD_HTML), "ru")
    assert "<ol>" in word
    assert "<strong>Москва, 5 мая 2025 года.</strong>" in word


def test_google_docs_wrapper_is_not_bold_but_its_styled_spans_are() -> None:
    assert html_to_markdown(GOOGLE_DOCS_HTML) == "**Пресс-релиз** *для СМИ*\n\n1. Первое\n2. Второе"


def test_a_phrase_pastes_as_inline_text() -> None:
    assert html_to_markdown("<span style='color:red'>слово&nbsp;и\n дело</span>") == "слово и дело"


@pytest.mark.parametrize(
    ("href", "kept"),
    [
        ("https://example.org/a", True),
        ("http://example.org", True),
        ("mailto:press@odkb-csto.org", True),
        ("javascript:alert(1)", False),
        ("file:///C:/secret.docx", False),
        ("/relative/page", False),
        ("#anchor", False),
    ],
)
def test_only_web_and_mail_links_survive(href: str, kept: bool) -> None:
    markdown = html_to_markdown(f'<p>См. <a href="{href}">документ</a></p>')
    assert markdown == (f"См. [документ]({href})" if kept else "См. документ")


def test_link_whose_text_is_its_address_becomes_an_autolink() -> None:
    html = '<a href="https://odkb-csto.org">https://odkb-csto.org</a>'
    assert html_to_markdown(html) == "<https://odkb-csto.org>"


def test_link_address_with_spaces_and_parentheses_is_encoded() -> None:
    html = '<a href="https://example.org/a b (1)">текст</a>'
    assert html_to_markdown(html) == "[текст](https://example.org/a%20b%20%281%29)"


def test_images_only_from_the_web() -> None:
    html = (
        '<img src="https://example.org/a.jpg" alt="Фото [1]">'
        '<img src="data:image/png;base64,AAAA"><img src="file:///tmp/x.png"><img src="b.png">'
    )
    assert html_to_markdown(html) == "![Фото \\[1\\]](https://example.org/a.jpg)"


def test_markdown_characters_in_text_are_escaped() -> None:
    html = "<p>2025. год</p><p># не заголовок</p><p>- не список</p><p>a*b*c [x] _y_ snake_case</p>"
    assert html_to_markdown(html) == (
        "2025\\. год\n\n\\# не заголовок\n\n\\- не список\n\na\\*b\\*c \\[x\\] \\_y\\_ snake_case"
    )


def test_raw_html_in_text_stays_text() -> None:
    assert html_to_markdown("<p>&lt;script&gt; &amp;nbsp;</p>") == "&lt;script> &amp;nbsp;"


def test_emphasis_keeps_spaces_outside_its_markers() -> None:
    assert html_to_markdown("<p>Это<b> важно </b>сейчас</p>") == "Это **важно** сейчас"
    assert html_to_markdown("<p><b><i>оба</i></b></p>") == "***оба***"
    assert html_to_markdown("<p><b> </b></p>") == ""


def test_ordered_list_start_and_loose_items() -> None:
    html = '<ol start="3"><li><p>Три</p><p>Ещё абзац</p></li><li>Четыре</li></ol>'
    assert html_to_markdown(html) == "3. Три\n\n    Ещё абзац\n\n4. Четыре"


def test_unclosed_list_items_and_paragraphs_as_browsers_read_them() -> None:
    html = "<p>Раз<p>Два<ul><li>а<li>б</ul>"
    assert html_to_markdown(html) == "Раз\n\nДва\n\n- а\n- б"


def test_table_with_colspan_pipes_and_no_header() -> None:
    html = (
        "<table><tr><td>Итог</td><td colspan=2>a | b</td></tr>"
        "<tr><td>1</td><td>2</td><td>3</td></tr></table>"
    )
    assert html_to_markdown(html) == (
        "| Итог | a \\| b |     |\n| ---- | ------ | --- |\n| 1    | 2      | 3   |"
    )


def test_layout_table_of_one_column_keeps_its_paragraphs() -> None:
    html = "<table><tr><td><p>Первый</p><p>Второй</p></td></tr></table>"
    assert html_to_markdown(html) == "Первый\n\nВторой"


def test_code_block_and_code_span() -> None:
    html = "<pre><code>x = *y*\n  z</code></pre><p>Код <code>a`b</code></p>"
    assert html_to_markdown(html) == "```\nx = *y*\n  z\n```\n\nКод ``a`b``"


def test_special_spaces_and_invisible_characters() -> None:
    html = "<p>10\u202f000\u00a0рублей\u200b и\u00adнет\ufeff</p>"
    assert html_to_markdown(html) == "10 000 рублей инет"


def test_empty_and_junk_only_html() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("<style>p{}</style><!-- x --><p><o:p>&nbsp;</o:p></p>") == ""


def test_source_code_copies_are_recognised() -> None:
    vscode = (
        '<meta charset="utf-8"><div style="color: #d4d4d4;background-color: #1e1e1e;'
        "font-family: 'Droid Sans Mono', 'monospace', monospace;white-space: pre;\">"
        '<div><span style="color: #569cd6;font-weight: bold;"># Заголовок</span></div></div>'
    )
    assert looks_like_source_code(vscode)
    assert looks_like_source_code("<pre>**raw**</pre>")
    assert not looks_like_source_code(GOOGLE_DOCS_HTML)
    assert not looks_like_source_code(WORD_HTML)
    assert not looks_like_source_code(BROWSER_HTML)


def test_markup_nested_too_deeply_comes_back_as_its_text() -> None:
    html = "<div><b>" * 5_000 + "глубоко *внутри*" + "</b></div>" * 5_000
    assert html_to_markdown(html) == "глубоко \\*внутри\\*"
