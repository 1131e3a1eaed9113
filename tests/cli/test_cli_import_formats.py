"""import: a Word file and a saved web page through the command line, out to a bundle page."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from cli_helpers import Runner, table_counts

from tests.import_samples import NEWS_PAGE, TITLE, word_press_release


@pytest.mark.sqlite_only  # images are kept beside a SQLite file
def test_word_and_web_page_to_published_pages(cli: Runner, world: Path, tmp_path: Path) -> None:
    word = word_press_release(tmp_path / "заявление.docx")
    page = tmp_path / "news.html"
    page.write_text(NEWS_PAGE.replace(TITLE, "Итоги заседания"), encoding="utf-8")
    imported = cli(
        "import", str(word), str(page), "--section", "news", "--json", user="anna"
    ).assert_ok()
    statement, news = imported.json()
    assert (statement["title"], statement["lang"], statement["type"]) == (TITLE, "ru", "news")
    assert news["title"] == "Итоги заседания"
    assert statement["date"] == news["date"] == dt.date.today().isoformat()
    body = cli("show", str(statement["id"]), "--json").assert_ok().json()["body"]
    assert "- Утвердить план консультаций." in body and "| Армения  | 5         |" in body

    ids = [str(statement["id"]), str(news["id"])]
    cli("submit", *ids, user="anna").assert_ok()
    cli("approve", *ids, user="roman").assert_ok()
    out = tmp_path / "bundle"
    cli("export", "--out", str(out), user="erik").assert_ok()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    paths = {item["id"]: item["path"] for item in manifest["items"]}
    html = (out / paths[statement["id"]]).read_text(encoding="utf-8")
    assert f"<h1>{TITLE}</h1>" in html or f">{TITLE}</h1>" in html
    assert "<strong>коллективная</strong>" in html and "«приверженности»" in html
    image = re.search(r'<img alt=""[^>]* src="([^"]+)"', html)
    assert image, html
    assert (out / paths[statement["id"]]).parent.joinpath(image.group(1)).resolve().is_file()
    news_html = (out / paths[news["id"]]).read_text(encoding="utf-8")
    assert "Подпишитесь" not in news_html and "Политика конфиденциальности" not in news_html


def test_a_broken_word_file_is_one_error_line_and_nothing_imported(
    cli: Runner, world: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.html"
    good.write_text(NEWS_PAGE, encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    before = table_counts(world)
    result = cli("import", str(good), str(broken), "--section", "news", user="anna")
    result.assert_error(2, "broken.docx: not a Word .docx file", "nothing imported")
    assert "good.html" not in result.err
    assert table_counts(world) == before
