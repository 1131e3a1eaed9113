"""The preview renders through the export's template, with assets from the local store."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from csto_editor import render_helper
from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.paths import resources_dir
from csto_editor.services import assets, pages, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.preview_page import BlockPreviewer
from csto_editor.services.views import ItemSummary

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]


def test_preview_of_a_statement_with_an_image(as_user: As, new_item: New, tmp_path: Path) -> None:
    ctx = as_user("author")
    english = new_item("Statement", section="statements", type=ContentType.STATEMENT)
    russian = new_item(
        "Заявление", section="statements", lang=Language.RU, translation_of=english.id
    )
    Image.new("RGB", (8, 8)).save(tmp_path / "hall.png")
    image = assets.add_asset(ctx, tmp_path / "hall.png", alt_text="Зал заседаний")
    previewer = PagePreviewer(ctx, resources_dir())
    around = previewer.surroundings(russian.id, "statements")
    content = ItemContent(
        type=ContentType.STATEMENT,
        lang=Language.RU,
        title="Заявление министров",
        body=f'Мы, министры, "едины".\n\n{image.markdown()}',
        event_date=dt.date(2019, 5, 22),
        place="Бишкек",
    )
    html = previewer.render(content, around)
    assert "Бишкек, 22 мая 2019 года" in html
    assert "«едины»" in html
    assert "English version" in html and "Заявления" in html
    folder = assets.asset_folder(ctx)  # beside a SQLite file, or a server's local cache
    assert folder is not None
    assert f'src="{assets.asset_path(folder, image.sha256).as_uri()}"' in html
    assert "Content-Security-Policy" in html and "default-src &#39;none&#39;" in html


def _counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Bodies the previewer renders from Markdown, with the rendering thread's name."""
    bodies: list[tuple[str, str]] = []
    real = pages.render_markdown

    def counted(body: str, lang: Language, *, source_lines: bool = False) -> str:
        bodies.append((body, threading.current_thread().name))
        return real(body, lang, source_lines=source_lines)

    monkeypatch.setattr(pages, "render_markdown", counted)
    return bodies


def test_an_item_rendered_ahead_is_not_rendered_again(
    as_user: As, new_item: New, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = as_user("author")
    item = new_item("Summit", body="# Summit\n\nThe leaders *met* in Minsk.")
    content, section, _version = queries.working_copy(ctx, item.id)
    plain = PagePreviewer(ctx, resources_dir())
    around = plain.surroundings(item.id, section)
    expected = plain.render(content, around)
    bodies = _counting_renders(monkeypatch)
    previewer = PagePreviewer(ctx, resources_dir())
    previewer.render_ahead(item.id)
    page = BlockPreviewer(previewer).render(content, around)
    assert page.html == expected
    assert bodies == [(content.body, "render-ahead")]  # once, before the window was built
    previewer.resolved_body(content)
    assert bodies[1:] == [(content.body, "MainThread")]  # taken once: later renders are fresh


def test_a_body_changed_since_it_was_rendered_ahead_is_rendered_anew(
    as_user: As, new_item: New, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = as_user("author")
    item = new_item("Summit", body="The leaders met in Minsk.")
    content, _section, _version = queries.working_copy(ctx, item.id)
    bodies = _counting_renders(monkeypatch)
    previewer = PagePreviewer(ctx, resources_dir())
    previewer.render_ahead(item.id)
    changed = replace(content, body="The leaders met in Astana.")
    assert "Astana" in previewer.resolved_body(changed)
    assert bodies == [(content.body, "render-ahead"), (changed.body, "MainThread")]


def test_an_item_that_cannot_be_read_ahead_is_left_to_the_window(
    as_user: As, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = as_user("author")
    bodies = _counting_renders(monkeypatch)
    previewer = PagePreviewer(ctx, resources_dir())
    previewer.render_ahead(987_654)  # no such item: the window reports it when it opens it
    content = ItemContent(type=ContentType.NEWS, lang=Language.EN, title="T", body="Body text.")
    assert "Body text." in previewer.resolved_body(content)
    assert bodies == [("Body text.", "MainThread")]


def test_an_item_rendered_ahead_in_the_helper_process_is_not_rendered_here(
    as_user: As, new_item: New, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = as_user("author")
    body = "# Саммит\n\nЛидеры *встретились* в Минске.\n\n- один\n- два"
    item = new_item("Саммит", lang=Language.RU, body=body)
    content, section, _version = queries.working_copy(ctx, item.id)
    plain = PagePreviewer(ctx, resources_dir())
    around = plain.surroundings(item.id, section)
    expected = plain.render(content, around)
    bodies = _counting_renders(monkeypatch)
    render_helper.start()
    previewer = PagePreviewer(ctx, resources_dir())
    previewer.render_ahead(item.id)
    assert render_helper.take() is None  # the previewer took it
    assert BlockPreviewer(previewer).render(content, around).html == expected
    assert bodies == []  # the helper rendered the body, in a process of its own
