"""Typing re-renders only the blocks it touched, and the preview patches them in place."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from csto_editor.core.markdown_render import render_markdown
from csto_editor.paths import resources_dir
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer, PageSurroundings
from csto_editor.ui.preview import page_scripts
from csto_editor.ui.preview.pane import HAVE_WEB_ENGINE, PreviewPane
from csto_editor.ui.preview.web_view import WebPreview
from tests.ui.test_preview_pane import TIMEOUT, ctx, long_body, statement

__all__ = ["ctx"]

webengine = pytest.mark.skipif(not HAVE_WEB_ENGINE, reason="no QtWebEngine")


@pytest.fixture
def previewer(ctx: ServiceContext) -> PagePreviewer:
    return PagePreviewer(ctx, resources_dir())


@pytest.fixture
def around(previewer: PagePreviewer) -> PageSurroundings:
    return previewer.surroundings(None, "statements")


@pytest.fixture
def pane(qtbot: QtBot, previewer: PagePreviewer) -> Iterator[PreviewPane]:
    made = PreviewPane(previewer, use_web_engine=True, debounce_ms=5)
    made.resize(700, 500)
    made.show()
    yield made
    made.close()
    made.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def dom_body(qtbot: QtBot, pane: PreviewPane) -> str:
    """The HTML inside the page's body container, as the browser holds it."""
    with qtbot.waitCallback(timeout=TIMEOUT) as callback:
        pane.view.page().runJavaScript(  # type: ignore[attr-defined]
            "document.querySelector('article div.body').innerHTML", 1, callback
        )
    return str(callback.args[0])


def squeezed(html: str) -> str:
    """HTML without the whitespace between tags (which the browser does not show)."""
    return re.sub(r">\s+<", "><", html.strip())


def shown_after(qtbot: QtBot, pane: PreviewPane, change: Callable[[], None]) -> None:
    with qtbot.waitSignal(pane.painted, timeout=TIMEOUT):
        change()
    assert pane.wait_until_idle(TIMEOUT)


@webengine
def test_typing_patches_only_the_changed_block_and_the_page_equals_a_full_render(
    qtbot: QtBot, pane: PreviewPane, around: PageSurroundings
) -> None:
    body = long_body(80)
    shown_after(qtbot, pane, lambda: pane.render_now(statement(body), around))
    blocks = pane.block_previewer
    assert blocks is not None and blocks.whole_renders == 1
    blocks.prime_now(statement(body).lang, body)
    backend = pane._backend  # the pane's QtWebEngine side
    assert isinstance(backend, WebPreview)

    edits = [
        body.replace("## Раздел 40\n", "## Раздел 40 и ещё\n", 1),  # a heading
        body.replace("## Раздел 40\n", "## Раздел 40 и ещё\n\nНовый абзац.\n", 1),  # lines in
        body.replace("## Раздел 10\n", "## Раздел 11\n", 1),  # a repeated heading id
        body[: len(body) // 2] + "x" + body[len(body) // 2 :],
    ]
    for number, edited in enumerate(edits):
        before = blocks.blocks_rendered
        shown_after(qtbot, pane, lambda text=edited: pane.show_item(statement(text), around))
        rendered = blocks.blocks_rendered - before
        assert rendered <= 2, f"edit {number} rendered {rendered} blocks"
        expected = render_markdown(edited, "ru", source_lines=True)
        assert squeezed(dom_body(qtbot, pane)) == squeezed(expected), f"edit {number}"
    assert backend.blocks_patched >= 3


@webengine
def test_a_changed_title_reloads_the_body_and_patching_carries_on(
    qtbot: QtBot, pane: PreviewPane, around: PageSurroundings
) -> None:
    body = long_body(20)
    shown_after(qtbot, pane, lambda: pane.render_now(statement(body), around))
    edited = body + "\n\nЕщё абзац."
    shown_after(qtbot, pane, lambda: pane.show_item(statement(edited), around))
    retitled = statement(edited, title="Новое название")
    shown_after(qtbot, pane, lambda: pane.show_item(retitled, around))
    again = edited.replace("Раздел 3\n", "Раздел 33\n")
    shown_after(
        qtbot, pane, lambda: pane.show_item(statement(again, title="Новое название"), around)
    )
    html = dom_body(qtbot, pane)
    assert squeezed(html) == squeezed(render_markdown(again, "ru", source_lines=True))
    with qtbot.waitCallback(timeout=TIMEOUT) as callback:
        pane.view.page().runJavaScript(  # type: ignore[attr-defined]
            "document.querySelector('h1').textContent", 1, callback
        )
    assert callback.args[0] == "Новое название"


@webengine
def test_a_long_body_goes_to_the_page_in_parts_and_patching_carries_on(
    qtbot: QtBot, pane: PreviewPane, around: PageSurroundings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first edit after a page loads hands the page every block; a long body's blocks
    go in parts, each in its own script, so no one script holds the GUI thread long."""
    monkeypatch.setattr(page_scripts, "REBUILD_PART_CHARS", 3_000)
    body = long_body(40)
    shown_after(qtbot, pane, lambda: pane.render_now(statement(body), around))
    backend = pane._backend
    assert isinstance(backend, WebPreview)
    sent: list[str] = []
    run = backend._run

    def counted(script: str, callback: Callable[[object], None]) -> None:
        sent.append(script)
        run(script, callback)

    monkeypatch.setattr(backend, "_run", counted)
    edited = body.replace("## Раздел 20\n", "## Раздел 20 и ещё\n", 1)
    shown_after(qtbot, pane, lambda: pane.show_item(statement(edited), around))
    assert len(sent) > 4
    assert max(len(script) for script in sent) < 5_000
    assert "\\u04" not in sent[0]  # Cyrillic goes as letters, not six-character escapes
    expected = render_markdown(edited, "ru", source_lines=True)
    assert squeezed(dom_body(qtbot, pane)) == squeezed(expected)

    sent.clear()
    again = edited.replace("## Раздел 30\n", "## Раздел 31\n", 1)
    shown_after(qtbot, pane, lambda: pane.show_item(statement(again), around))
    assert len(sent) == 1  # a patch of one block now
    assert squeezed(dom_body(qtbot, pane)) == squeezed(
        render_markdown(again, "ru", source_lines=True)
    )
