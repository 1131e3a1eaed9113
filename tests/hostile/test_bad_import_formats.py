"""Hostile Word files and web pages: one error line naming the file, nothing stored, no script.

Word files are zip archives of XML: a zip bomb, an XML entity bomb, broken XML, a
broken embedded image. Web pages: markup that breaks parsers, scripts and
``javascript:`` links, nesting deep enough to overflow a recursive converter.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from csto_editor.core.content import Language
from csto_editor.core.markdown_render import render_markdown
from csto_editor.services import importing, queries
from tests.hostile.conftest import As, Runner
from tests.import_samples import png_bytes, word_press_release

Counts = Callable[[], dict[str, int]]


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def docx_with(tmp_path: Path, name: str, replace: dict[str, bytes]) -> Path:
    """A real Word file whose parts in ``replace`` are swapped for other bytes."""
    source = word_press_release(tmp_path / f"source-{name}")
    target = tmp_path / name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as changed:
        for part in original.infolist():
            changed.writestr(part, replace.get(part.filename, original.read(part.filename)))
    return target


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(9)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize(
    ("name", "make", "fragment"),
    [
        ("renamed.docx", lambda d: write(d, "renamed.docx", "plain text"), "not a Word .docx"),
        (
            "bomb.docx",
            lambda d: _zip(d / "bomb.docx", {"word/document.xml": b"\0" * (210 * 2**20)}),
            "unpacks to more than 200 MB",
        ),
        (
            "laughs.docx",
            lambda d: docx_with(d, "laughs.docx", {"word/document.xml": LAUGHS}),
            "laughs.docx: ",
        ),
        (
            "broken.docx",
            lambda d: docx_with(d, "broken.docx", {"word/document.xml": b"<w:document><w:body"}),
            "cannot be read as a Word document",
        ),
        (
            "picture.docx",
            lambda d: docx_with(d, "picture.docx", {"word/media/image1.png": png_bytes()[:40]}),
            "picture.docx: an embedded image cannot be used",
        ),
        ("blank.html", lambda d: write(d, "blank.html", "<!-- nothing -->"), "blank.html: "),
        ("empty.htm", lambda d: write(d, "empty.htm", b""), "empty file"),
        ("nul.html", lambda d: write(d, "nul.html", b"<p>\0</p>" * 10), "binary data"),
        ("old.doc", lambda d: write(d, "old.doc", b"\xd0\xcf\x11\xe0"), "save it as .docx"),
    ],
)
def test_bad_word_files_and_pages_are_one_line_each(
    cli: Runner,
    counts: Counts,
    tmp_path: Path,
    name: str,
    make: Callable[[Path], Path],
    fragment: str,
) -> None:
    good = write(tmp_path, "good.md", "# A good file\n\nText.\n")
    bad = make(tmp_path)
    before = counts()
    started = time.perf_counter()
    result = cli("import", str(good), str(bad), "--section", "news", user="anna")
    result.assert_error(2, "nothing imported", name, fragment)
    assert "good.md" not in result.err
    assert counts() == before
    assert time.perf_counter() - started < 20


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_scripts_and_javascript_links_never_reach_the_body(as_user: As, tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "page.html",
        "<html><head><title>T</title><script>steal()</script></head><body><article>"
        "<h1>Заголовок</h1><p>Текст <a href='javascript:alert(1)'>ссылки</a> и "
        "<img src=x onerror=alert(1)><iframe src='https://evil.example'></iframe> "
        "<a href='data:text/html,<script>alert(1)</script>'>данные</a>, "
        "<span onclick='alert(1)'>достаточно длинный текст статьи</span>.</p>"
        "<form action='https://evil.example'><input name=q></form></article></body></html>",
    )
    word = tmp_path / "links.docx"
    document = Document()
    document.add_heading("Заголовок", 1)
    document.add_paragraph("<script>alert(1)</script> и [ссылка](javascript:alert(1))")
    document.save(str(word))
    ctx = as_user("anna")
    for item in importing.import_files(ctx, [page, word], "news"):
        body = queries.get_item(ctx, item.id).body
        html = render_markdown(body, Language.RU)
        for hostile in ("<script", "onerror", "onclick", "iframe", "data:", "<form", "steal"):
            assert hostile not in body and hostile not in html, (hostile, body)
        assert "href" not in html, html  # neither link may stay a link


def test_deep_nesting_is_refused_or_flattened_quickly(as_user: As, tmp_path: Path) -> None:
    deep = "<div><b>" * 30_000 + "глубоко" + "</b></div>" * 30_000
    page = write(
        tmp_path,
        "deep.html",
        f"<html><head><title>Глубина</title></head><body><article><h1>Глубина</h1>{deep}"
        "<p>Текст статьи, который достаточно длинен, чтобы быть её содержанием.</p>"
        "</article></body></html>",
    )
    started = time.perf_counter()
    try:
        importing.import_files(as_user("anna"), [page], "news")
    except importing.InvalidInput as error:
        assert str(error).startswith(f"nothing imported: {page}: ")
    assert time.perf_counter() - started < 20


def test_a_word_file_named_md_is_refused_as_binary(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    stream = io.BytesIO()
    Document().save(stream)
    renamed = write(tmp_path, "press.md", stream.getvalue())
    before = counts()
    with pytest.raises(importing.InvalidInput, match="binary data"):
        importing.import_files(as_user("anna"), [renamed], "news")
    assert counts() == before
