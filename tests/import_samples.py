"""Real files to import: a Word press release built with python-docx, a saved news page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches
from docx.text.paragraph import Paragraph
from PIL import Image

TITLE = "Заявление министров иностранных дел"


def _add_link(paragraph: Paragraph, url: str, text: str) -> None:
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    run_text = OxmlElement("w:t")
    run_text.text = text
    run.append(run_text)
    link.append(run)
    paragraph._p.append(link)


def png_bytes(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    stream = BytesIO()
    Image.new("RGB", (40, 30), color).save(stream, "PNG")
    return stream.getvalue()


def word_press_release(path: Path, *, core_title: str = "", with_heading: bool = True) -> Path:
    """A typical press release as Word leaves it: Cyrillic text, headings, lists made by
    Word and by hand, bold, italic, a link, a table, an image, Word's typography."""
    document = Document()
    document.core_properties.title = core_title
    if with_heading:
        document.add_heading(TITLE, level=1)
    opening = document.add_paragraph(
        "Министры\u00a0иностранных дел государств\u00a0– членов ОДКБ заявляют о "
        "“приверженности” целям Устава ООН и «взаимном доверии». Между\u00adнародная "
    )
    opening.add_run("коллективная").bold = True
    opening.add_run(" безопасность и ")
    opening.add_run("взаимное").italic = True
    opening.add_run(" доверие. Подробнее на ")
    _add_link(opening, "https://odkb-csto.org/", "сайте ОДКБ")
    opening.add_run(".")
    document.add_paragraph("")
    document.add_paragraph("\u00a0")
    document.add_heading("Основные решения", level=2)
    document.add_paragraph("Утвердить план консультаций.", style="List Bullet")
    document.add_paragraph("Провести учения.", style="List Bullet")
    document.add_paragraph("Первый пункт повестки.", style="List Number")
    document.add_paragraph("Второй пункт повестки.", style="List Number")
    document.add_paragraph("Участники договорились:")
    document.add_paragraph("1. Встретиться\u00a0вновь в 2025 году.")
    document.add_paragraph("2. Подготовить доклад.")
    table = document.add_table(rows=3, cols=2)
    for row, (country, delegates) in enumerate(
        [("Страна", "Делегатов"), ("Армения", "5"), ("Беларусь", "7")]
    ):
        table.cell(row, 0).text = country
        table.cell(row, 1).text = delegates
    document.add_picture(BytesIO(png_bytes()), width=Inches(1))
    document.add_paragraph("Следующее заседание пройдёт в Бишкеке.")
    document.save(str(path))
    return path


NEWS_PAGE = """<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8">
<title>Заявление министров иностранных дел — ОДКБ</title>
<link rel="stylesheet" href="/css/site.css"><script>var tracker = 1;</script></head>
<body>
<header class="site-header"><a class="logo" href="/">ОДКБ</a>
<nav><ul><li><a href="/news/">Новости</a></li><li><a href="/docs/">Документы</a></li>
<li><a href="/contacts/">Контакты</a></li><li><a href="/en/">English</a></li></ul></nav></header>
<div class="layout">
<aside class="sidebar"><h3>Популярное</h3><ul>
<li><a href="/news/1">Учения «Взаимодействие-2024» завершены</a></li>
<li><a href="/news/2">Совет министров обороны</a></li></ul>
<div class="banner">Подпишитесь на рассылку</div></aside>
<main><article class="news-item">
<h1>Заявление министров иностранных дел</h1>
<p class="date">27 ноября 2024</p>
<p>Министры иностранных дел государств&nbsp;– членов Организации Договора о коллективной
безопасности, собравшиеся в Минске, заявляют о приверженности целям и принципам Устава ООН.</p>
<p>Мы подчёркиваем важность <strong>коллективной</strong> безопасности и <em>взаимного</em>
доверия. Подробнее на <a href="https://odkb-csto.org/">сайте ОДКБ</a>.</p>
<h2>Основные решения</h2>
<ul><li>Утвердить план консультаций.</li><li>Провести учения в 2025 году.</li></ul>
<table><tr><th>Страна</th><th>Делегатов</th></tr><tr><td>Армения</td><td>5</td></tr>
<tr><td>Беларусь</td><td>7</td></tr></table>
<p>Министры договорились встретиться вновь в 2025 году в Бишкеке.</p>
</article></main></div>
<footer><p>© 2024 ОДКБ. Все права защищены.</p><a href="/privacy">Политика конфиденциальности</a>
</footer><script>alert(1)</script></body></html>
"""
