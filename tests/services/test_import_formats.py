"""Import of Word files, web pages, Markdown and text without front matter."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from csto_editor.core.content import Language
from csto_editor.core.errors import InvalidInput
from csto_editor.paths import resources_dir
from csto_editor.services import assets, importing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.store.models import Asset, Item
from tests.import_samples import NEWS_PAGE, TITLE, png_bytes, word_press_release

As = Callable[[str], ServiceContext]


def counts(ctx: ServiceContext) -> tuple[int, int]:
    with ctx.database.session() as session:
        items = session.scalar(select(func.count()).select_from(Item)) or 0
        images = session.scalar(select(func.count()).select_from(Asset)) or 0
        return items, images


def refused(ctx: ServiceContext, paths: list[Path], section: str | None = "news") -> str:
    before = counts(ctx)
    with pytest.raises(InvalidInput) as caught:
        importing.import_files(ctx, paths, section)
    assert counts(ctx) == before, "a refused import left something behind"
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.sqlite_only  # images live beside a SQLite file
def test_a_word_press_release_needs_no_cleaning_by_hand(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    source = word_press_release(tmp_path / "заявление.docx")
    [summary] = importing.import_files(ctx, [source], "statements")
    detail = queries.get_item(ctx, summary.id)
    assert summary.title == TITLE
    assert summary.lang == Language.RU.value
    assert summary.section == "statements"
    assert summary.date == dt.date.today().isoformat()
    digest = re.search(r"!\[\]\(asset:([0-9a-f]{64})\)", detail.body)
    assert digest, detail.body
    assert detail.body == (
        'Министры иностранных дел государств – членов ОДКБ заявляют о "приверженности" целям '
        'Устава ООН и "взаимном доверии". Международная **коллективная** безопасность и '
        "*взаимное* доверие. Подробнее на [сайте ОДКБ](https://odkb-csto.org/).\n\n"
        "## Основные решения\n\n"
        "- Утвердить план консультаций.\n- Провести учения.\n\n"
        "1. Первый пункт повестки.\n2. Второй пункт повестки.\n\n"
        "Участники договорились:\n\n"
        "1. Встретиться вновь в 2025 году.\n2. Подготовить доклад.\n\n"
        "| Страна   | Делегатов |\n| -------- | --------- |\n"
        "| Армения  | 5         |\n| Беларусь | 7         |\n\n"
        f"![](asset:{digest.group(1)})\n\n"
        "Следующее заседание пройдёт в Бишкеке."
    )
    image = assets.get_asset(ctx, digest.group(1))
    assert image.mime_type == "image/png" and (image.width, image.height) == (40, 30)
    stored = assets.asset_path(ctx.database.target.assets_dir or tmp_path, image.sha256)
    assert stored.read_bytes() == png_bytes()

    previewer = PagePreviewer(ctx, resources_dir())
    content, _hash, _version = queries.working_copy(ctx, summary.id)
    page = previewer.render(content, previewer.surroundings(summary.id, "statements"))
    assert "<strong>коллективная</strong>" in page and "<em>взаимное</em>" in page
    assert '<a href="https://odkb-csto.org/">сайте ОДКБ</a>' in page
    assert "«приверженности»" in page  # the house quotes, from straight ones
    assert page.count("<li>") == 6 and "<td>Беларусь</td>" in page
    assert re.search(r'<img alt="" src="[^"]*' + image.sha256, page)
    assert "\u00a0" not in detail.body and "\u00ad" not in detail.body


@pytest.mark.sqlite_only
def test_word_title_comes_from_the_document_properties(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    titled = word_press_release(
        tmp_path / "a.docx", core_title="Заявление Совета", with_heading=False
    )
    untitled = tmp_path / "b.docx"
    plain = Document()
    plain.add_paragraph("Текст без заголовка и без названия.")
    plain.save(str(untitled))
    message = refused(ctx, [titled, untitled])
    assert f"{untitled}: no title" in message and str(titled) not in message
    [item] = importing.import_files(ctx, [titled], "news")
    assert item.title == "Заявление Совета"
    body = queries.get_item(ctx, item.id).body
    assert body.startswith("Министры иностранных") and "\n## Основные решения\n" in body


@pytest.mark.sqlite_only
def test_a_visible_first_heading_wins_over_a_stale_document_title(
    as_user: As, tmp_path: Path
) -> None:
    ctx = as_user("author")
    source = word_press_release(tmp_path / "a.docx", core_title="Шаблон пресс-релиза")
    [item] = importing.import_files(ctx, [source], "news")
    assert item.title == TITLE
    assert TITLE not in queries.get_item(ctx, item.id).body


@pytest.mark.sqlite_only
def test_an_image_shared_by_two_files_is_stored_once(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    first = word_press_release(tmp_path / "first.docx")
    second = word_press_release(tmp_path / "second.docx", core_title="Второе заявление")
    importing.import_files(ctx, [first, second], "news")
    assert counts(ctx) == (2, 1)


def test_a_news_page_gives_the_article_only(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    page = tmp_path / "news.html"
    page.write_text(NEWS_PAGE, encoding="utf-8")
    [summary] = importing.import_files(ctx, [page], "news")
    body = queries.get_item(ctx, summary.id).body
    assert summary.title == TITLE and summary.lang == "ru"
    assert body.startswith("27 ноября 2024\n\nМинистры иностранных дел государств – членов")
    assert "**коллективной** безопасности и *взаимного*" in body
    assert "[сайте ОДКБ](https://odkb-csto.org/)" in body
    assert "- Утвердить план консультаций.\n- Провести учения в 2025 году." in body
    assert "| Беларусь | 7         |" in body
    assert body.endswith("Министры договорились встретиться вновь в 2025 году в Бишкеке.")
    for chrome in ("Новости", "Популярное", "Подпишитесь", "Все права", "Политика", "alert"):
        assert chrome not in body, chrome


def test_a_page_in_windows_1251_is_read_by_its_declared_charset(
    as_user: As, tmp_path: Path
) -> None:
    page = tmp_path / "old.htm"
    page.write_bytes(
        NEWS_PAGE.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251")
    )
    [summary] = importing.import_files(as_user("author"), [page], "news")
    assert summary.title == TITLE


def test_markdown_and_text_without_front_matter(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    markdown = tmp_path / "note.md"
    markdown.write_text("\n# Seminar for press officers\n\nThe *seminar* opened.\n", "utf-8")
    text = tmp_path / "release.txt"
    text.write_text("Пресс-релиз ОДКБ\n\nСекретариат провёл «семинар»\u00a0для прессы.\n", "utf-8")
    english, russian = importing.import_files(ctx, [markdown, text], "news")
    assert (english.title, english.lang) == ("Seminar for press officers", "en")
    assert queries.get_item(ctx, english.id).body == "The *seminar* opened."
    assert (russian.title, russian.lang) == ("Пресс-релиз ОДКБ", "ru")
    assert queries.get_item(ctx, russian.id).body == 'Секретариат провёл "семинар" для прессы.'


def test_files_that_cannot_be_imported_are_named_with_the_problem(
    as_user: As, tmp_path: Path
) -> None:
    ctx = as_user("author")
    good = word_press_release(tmp_path / "good.docx")
    renamed = tmp_path / "renamed.docx"
    renamed.write_text("not a zip at all", encoding="utf-8")
    empty_zip = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    broken_xml = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken_xml, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "")
        archive.writestr("word/media/big.bin", b"\0" * (201 * 1024 * 1024))
    old_word = tmp_path / "old.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0")
    blank_page = tmp_path / "blank.html"
    blank_page.write_text("<html><head><title></title></head><body></body></html>", "utf-8")
    message = refused(
        ctx, [good, renamed, empty_zip, broken_xml, bomb, old_word, blank_page], "news"
    )
    assert str(good) not in message
    assert f"{renamed}: not a Word .docx file" in message
    assert f"{empty_zip}: not a Word .docx file (no word/document.xml inside)" in message
    assert f"{broken_xml}: cannot be read as a Word document" in message
    assert f"{bomb}: unpacks to more than 200 MB" in message
    assert f"{old_word}: is an old Word .doc file: save it as .docx" in message
    assert f"{blank_page}: " in message


def test_a_file_without_section_needs_one(as_user: As, tmp_path: Path) -> None:
    page = tmp_path / "news.html"
    page.write_text(NEWS_PAGE, encoding="utf-8")
    assert f"{page}: no section: give `section:`" in refused(as_user("author"), [page], None)


@pytest.mark.sqlite_only
def test_a_saved_page_brings_its_own_images_and_nothing_outside_its_folder(
    as_user: As, tmp_path: Path
) -> None:
    ctx = as_user("author")
    folder = tmp_path / "saved"
    (folder / "page_files").mkdir(parents=True)
    (folder / "page_files" / "hall photo.png").write_bytes(png_bytes((10, 120, 200)))
    (tmp_path / "secret.png").write_bytes(png_bytes((1, 2, 3)))
    inline = base64.b64encode(png_bytes((90, 90, 90))).decode()
    figures = (
        '<p><img src="page_files/hall%20photo.png" alt="Зал заседаний"></p>'
        '<p><img src="../secret.png" alt="чужое"><img src="/etc/passwd" alt="нет"></p>'
        f'<p><img src="data:image/png;base64,{inline}" alt="встроенное"></p>'
        '<p><img src="https://odkb-csto.org/photo.jpg" alt="с сайта"></p>'
    )
    page = folder / "page.html"
    page.write_text(
        NEWS_PAGE.replace("<h2>Основные решения</h2>", figures + "<h2>Основные решения</h2>"),
        "utf-8",
    )
    [summary] = importing.import_files(ctx, [page], "news")
    body = queries.get_item(ctx, summary.id).body
    hall, embedded = re.findall(r"asset:([0-9a-f]{64})", body)
    assert f"![Зал заседаний](asset:{hall})" in body
    assert f"![встроенное](asset:{embedded})" in body
    assert "![с сайта](https://odkb-csto.org/photo.jpg)" in body
    assert "чужое" not in body and "passwd" not in body
    assert assets.get_asset(ctx, hall).file_name == "hall photo.png"
    assert counts(ctx) == (1, 2)
