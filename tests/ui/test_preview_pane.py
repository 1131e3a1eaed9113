"""The preview pane, with QtWebEngine and with the QTextBrowser fallback."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget
from pytestqt.exceptions import TimeoutError
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.paths import resources_dir
from csto_editor.services import assets, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer, PageSurroundings
from csto_editor.store.database import open_database
from csto_editor.ui.preview import web_view
from csto_editor.ui.preview.pane import HAVE_WEB_ENGINE, NO_WEB_ENGINE_VARIABLE, PreviewPane
from csto_editor.ui.preview.text_view import with_line_anchors

MODES = [
    pytest.param(
        True, id="webengine", marks=pytest.mark.skipif(not HAVE_WEB_ENGINE, reason="no QtWebEngine")
    ),
    pytest.param(False, id="textbrowser"),
]
TIMEOUT = 20_000
webengine = pytest.mark.skipif(not HAVE_WEB_ENGINE, reason="no QtWebEngine")


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ServiceContext]:
    database = open_database(tmp_path / "editor.sqlite3", create=True)
    context = ServiceContext(database, "admin")
    setup.initialize(context)
    sections.add_section(context, "statements", "Statements", "Заявления", default_type="statement")
    yield context
    database.dispose()


class RecordingPreviewer:
    """The real previewer, noting the thread of every render."""

    def __init__(self, real: PagePreviewer) -> None:
        self.real = real
        self.threads: list[int] = []
        self.bodies: list[str] = []
        self._lock = threading.Lock()

    def render(self, content: ItemContent, around: PageSurroundings) -> str:
        with self._lock:
            self.threads.append(threading.get_ident())
            self.bodies.append(content.body)
        return self.real.render(content, around)


class RawPreviewer:
    """Shows the body as the whole page, unsanitised: what if the sanitiser missed it?"""

    def render(self, content: ItemContent, around: PageSurroundings) -> str:
        return content.body


@pytest.fixture
def previewer(ctx: ServiceContext) -> RecordingPreviewer:
    return RecordingPreviewer(PagePreviewer(ctx, resources_dir()))


@pytest.fixture
def around(previewer: RecordingPreviewer) -> PageSurroundings:
    return previewer.real.surroundings(None, "statements")


@pytest.fixture
def make_pane(qtbot: QtBot) -> Iterator[Callable[..., PreviewPane]]:
    """Panes shown offscreen, deleted at the end of the test (pages before profiles)."""
    panes: list[PreviewPane] = []

    def make(previewer: object, web: bool | None, **options: object) -> PreviewPane:
        pane = PreviewPane(previewer, use_web_engine=web, **options)  # type: ignore[arg-type]
        panes.append(pane)
        pane.resize(700, 500)
        pane.show()
        return pane

    yield make
    for pane in panes:
        delete(pane)


def delete(pane: PreviewPane) -> None:
    pane.close()
    pane.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def statement(body: str = 'Мы, министры, "едины".', **changes: object) -> ItemContent:
    item = ItemContent(
        type=ContentType.STATEMENT,
        lang=Language.RU,
        title="Заявление министров",
        body=body,
        event_date=dt.date(2019, 5, 22),
        place="Бишкек",
    )
    return item.with_changes(**changes)


def long_body(paragraphs: int = 60) -> str:
    return "\n\n".join(
        f"## Раздел {n}\n\n" + " ".join(["Министры обсудили сотрудничество."] * 12)
        for n in range(paragraphs)
    )


def shown_html(qtbot: QtBot, pane: PreviewPane) -> str:
    """What the view shows: the DOM as HTML (WebEngine) or the rich text's plain text."""
    view = pane.view
    if isinstance(view, QTextBrowser):
        return view.toPlainText()
    with qtbot.waitCallback(timeout=TIMEOUT) as callback:
        view.page().toHtml(callback)  # type: ignore[attr-defined]
    return str(callback.args[0])


def scroll_y(qtbot: QtBot, pane: PreviewPane) -> float:
    """The vertical scroll position, asked from the page itself in WebEngine."""
    view = pane.view
    if isinstance(view, QTextBrowser):
        return float(view.verticalScrollBar().value())
    with qtbot.waitCallback(timeout=TIMEOUT) as callback:
        view.page().runJavaScript("JSON.stringify(window.scrollY)", 1, callback)  # type: ignore[attr-defined]
    return float(callback.args[0])


def idle(pane: PreviewPane) -> None:
    assert pane.wait_until_idle(TIMEOUT)


# --------------------------------------------------------------------------- both modes


@pytest.mark.parametrize("web", MODES)
def test_the_pane_shows_the_page_with_its_date_line(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web)
    assert pane.uses_web_engine is web
    with qtbot.waitSignal(pane.painted, timeout=TIMEOUT):
        pane.render_now(statement(), around)
    idle(pane)
    shown = shown_html(qtbot, pane)
    assert "Бишкек, 22 мая 2019 года" in shown
    assert "«едины»" in shown
    assert "Заявления" in shown


@pytest.mark.parametrize("web", MODES)
def test_a_burst_of_changes_renders_at_most_twice_and_shows_the_newest(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web)
    for number in range(20):
        pane.show_item(statement(f"Версия номер {number}."), around)
    idle(pane)
    assert pane.renders_started <= 2
    assert len(previewer.bodies) <= 2
    assert previewer.bodies[-1] == "Версия номер 19."
    assert "Версия номер 19." in shown_html(qtbot, pane)
    assert threading.get_ident() not in previewer.threads


@pytest.mark.parametrize("web", MODES)
def test_typing_during_renders_ends_with_the_newest_text(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web, debounce_ms=5)
    painted: list[None] = []
    pane.painted.connect(lambda: painted.append(None))
    pane.render_now(statement("Начало."), around)
    for number in range(15):
        qtbot.wait(7)
        pane.show_item(statement(f"Набор {number}."), around)
    idle(pane)
    assert previewer.bodies[-1] == "Набор 14."
    assert "Набор 14." in shown_html(qtbot, pane)
    assert painted
    assert threading.get_ident() not in previewer.threads


@pytest.mark.parametrize("web", MODES)
def test_scroll_to_source_line_moves_the_view_without_echo(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web)
    echoes: list[int] = []
    pane.source_line_scrolled.connect(echoes.append)
    pane.render_now(statement(long_body()), around)
    idle(pane)
    assert scroll_y(qtbot, pane) == 0
    pane.scroll_to_source_line(80)  # "## Раздел 20" is line 80
    idle(pane)
    deep = scroll_y(qtbot, pane)
    assert deep > 500
    pane.scroll_to_source_line(40)
    idle(pane)
    assert 0 < scroll_y(qtbot, pane) < deep
    pane.scroll_to_source_line(0)
    idle(pane)
    assert scroll_y(qtbot, pane) == 0
    qtbot.wait(100)
    assert echoes == []


@pytest.mark.parametrize("web", MODES)
def test_a_rerender_keeps_the_scroll_position_and_opening_starts_at_the_top(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web)
    pane.render_now(statement(long_body()), around)
    idle(pane)
    pane.scroll_to_source_line(120)
    idle(pane)
    before = scroll_y(qtbot, pane)
    assert before > 0
    pane.show_item(statement(long_body() + "\n\nНовый абзац в конце."), around)
    idle(pane)
    assert "Новый абзац в конце." in shown_html(qtbot, pane)
    assert abs(scroll_y(qtbot, pane) - before) < 2
    pane.show_item(statement(long_body(), title="Другой заголовок"), around)
    idle(pane)
    assert abs(scroll_y(qtbot, pane) - before) < 2
    pane.render_now(statement(long_body(), title="Другое заявление"), around)
    idle(pane)
    assert scroll_y(qtbot, pane) == 0


def wheel_down(target: QWidget) -> None:
    wheel = QWheelEvent(
        QPointF(100, 100),
        QPointF(target.mapToGlobal(QPoint(100, 100))),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, wheel)


def test_scrolling_the_fallback_by_hand_reports_the_top_source_line(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    pane = make_pane(previewer, False)
    pane.render_now(statement(long_body()), around)
    idle(pane)
    view = pane.view
    assert isinstance(view, QTextBrowser)
    lines: list[int] = []
    pane.source_line_scrolled.connect(lines.append)
    for _ in range(8):
        wheel_down(view.viewport())
    qtbot.waitUntil(lambda: bool(lines) and lines[-1] > 0)
    assert lines == sorted(lines)
    # And back: the line reported is where scroll_to_source_line puts the view.
    top = lines[-1]
    position = scroll_y(qtbot, pane)
    pane.scroll_to_source_line(0)
    pane.scroll_to_source_line(top)
    assert abs(scroll_y(qtbot, pane) - position) < 40


@webengine
def test_a_scroll_the_pane_did_not_make_reports_the_top_source_line(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    pane = make_pane(previewer, True)
    pane.render_now(statement(long_body()), around)
    idle(pane)
    qtbot.wait(400)  # past the pane's own settling time
    page = pane.view.page()  # type: ignore[attr-defined]
    with qtbot.waitSignal(pane.source_line_scrolled, timeout=TIMEOUT) as scrolled:
        # The user's scroll, as Chromium sees it: not one of the pane's own scripts.
        page.runJavaScript("window.scrollTo(0, 3000)", 2)  # UserWorld: not the pane
    line = scrolled.args[0]
    assert line > 20
    pane.scroll_to_source_line(0)
    idle(pane)
    pane.scroll_to_source_line(line)
    idle(pane)
    assert abs(scroll_y(qtbot, pane) - 3000) < 150  # within one source line


@webengine
def test_the_wheel_on_the_web_view_is_reported_when_chromium_takes_it(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    pane = make_pane(previewer, True)
    pane.render_now(statement(long_body()), around)
    idle(pane)
    pane.activateWindow()  # Chromium takes wheel events in an active, focused view
    pane.view.setFocus()
    lines: list[int] = []
    pane.source_line_scrolled.connect(lines.append)
    page = pane.view.page()  # type: ignore[attr-defined]

    def rolled() -> bool:
        # Through whatever widget takes Chromium's input now (it may be replaced).
        wheel_down(pane.view.focusProxy())
        return page.scrollPosition().y() > 800  # well past the header

    try:
        qtbot.waitUntil(rolled, timeout=5000)
    except TimeoutError:
        # Offscreen, the first Chromium of a process sometimes ignores synthetic
        # wheel events; the scroll detection itself is covered by the test above.
        pytest.skip("offscreen Chromium ignored the synthetic wheel events")
    qtbot.waitUntil(lambda: bool(lines) and lines[-1] > 0, timeout=TIMEOUT)


@pytest.mark.parametrize("web", MODES)
def test_a_remote_image_is_never_requested(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web)
    pane.render_now(statement("![x](https://example.com/a.png)\n\nТекст."), around)
    idle(pane)
    qtbot.wait(300)
    assert "Текст." in shown_html(qtbot, pane)
    if web:
        allowed = pane._backend.guard.allowed  # type: ignore[attr-defined]
        assert not [url for url in allowed if "example.com" in url]
    else:
        assert set(pane.refused_requests) == {"https://example.com/a.png"}


@pytest.mark.parametrize("web", MODES)
def test_an_image_from_the_asset_store_is_shown(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    ctx: ServiceContext,
    tmp_path: Path,
    web: bool,
) -> None:
    Image.new("RGB", (40, 30), "red").save(tmp_path / "hall.png")
    image = assets.add_asset(ctx, tmp_path / "hall.png", alt_text="Зал")
    pane = make_pane(previewer, web)
    pane.render_now(statement(f"Фото:\n\n{image.markdown()}"), around)
    idle(pane)
    if web:
        with qtbot.waitCallback(timeout=TIMEOUT) as callback:
            pane.view.page().runJavaScript(  # type: ignore[attr-defined]
                "JSON.stringify(document.images[0].naturalWidth)", 1, callback
            )
        assert callback.args[0] == "40"
    else:
        view = pane.view
        assert isinstance(view, QTextBrowser)
        folder = ctx.database.target.assets_dir
        assert folder is not None
        url = QUrl(assets.asset_path(folder, image.sha256).as_uri())
        assert view.document().resource(2, url) is not None  # 2: ImageResource
    assert pane.refused_requests == []


@pytest.mark.parametrize("web", MODES)
def test_a_failed_render_says_so_and_the_next_one_clears_it(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    pane = make_pane(previewer, web)
    broken = PageSurroundings({}, {})  # no section names: the template cannot be filled
    pane.render_now(statement(), broken)
    idle(pane)
    error = pane.findChild(QWidget, "previewError")
    assert error is not None and error.isVisible()
    pane.render_now(statement(), around)
    idle(pane)
    assert not error.isVisible()


@pytest.mark.parametrize("web", MODES)
def test_the_20000_word_document(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    web: bool,
) -> None:
    words = ["Организация", "Договора", "о", "коллективной", "безопасности", "заседание"]
    paragraphs = [
        f"## Раздел {n}\n\n" + " ".join(words[(n + k) % len(words)] for k in range(100))
        for n in range(200)
    ]
    body = "\n\n".join(paragraphs)
    assert len(body.split()) >= 20_000
    pane = make_pane(previewer, web)
    started = time.perf_counter()
    pane.render_now(statement(body), around)
    idle(pane)
    first = time.perf_counter() - started
    pane.scroll_to_source_line(200)
    idle(pane)
    started = time.perf_counter()
    pane.show_item(statement(body + "\n\nКонец."), around)
    idle(pane)
    again = time.perf_counter() - started
    print(
        f"\n20,000 words ({'web' if web else 'text'}): first {first:.2f} s, re-render {again:.2f} s"
    )
    assert "Конец." in shown_html(qtbot, pane)
    assert scroll_y(qtbot, pane) > 0
    assert first < 10 and again < 10


# --------------------------------------------------------------------------- QtWebEngine


@webengine
@pytest.mark.parametrize(
    "body",
    [
        "<img src=x onerror=\"document.title='pwned'\">\n\n<script>document.title='pwned'</script>",
        "Text <img src=x onerror=\"document.title='pwned'\"> "
        "<a href=\"javascript:document.title='pwned'\">link</a>",
    ],
)
def test_javascript_in_a_hostile_body_never_runs(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    body: str,
) -> None:
    pane = make_pane(previewer, True)
    pane.render_now(statement(body), around)
    idle(pane)
    pane.show_item(statement(body + "\n\nagain"), around)  # the in-place update, too
    idle(pane)
    qtbot.wait(300)
    page = pane.view.page()  # type: ignore[attr-defined]
    assert page.title() != "pwned"
    assert "Заявление министров" in page.title()


@webengine
def test_javascript_is_off_even_if_the_sanitiser_let_it_through(
    qtbot: QtBot, make_pane: Callable[..., PreviewPane], around: PageSurroundings
) -> None:
    hostile = (
        "<html><head><title>safe</title></head><body>"
        "<img src=x onerror=\"document.title='pwned'\">"
        "<script>document.title='pwned'</script>"
        "<p id=p onclick=\"document.title='pwned'\">text</p></body></html>"
    )
    pane = make_pane(RawPreviewer(), True)
    pane.render_now(statement(hostile), around)
    idle(pane)
    pane.show_item(statement(hostile.replace("text", "more text")), around)  # in place
    idle(pane)
    qtbot.wait(300)
    assert pane.view.page().title() == "safe"  # type: ignore[attr-defined]


@webengine
def test_the_request_guard_blocks_remote_loads_the_page_settings_would_allow(
    qtbot: QtBot, make_pane: Callable[..., PreviewPane], around: PageSurroundings
) -> None:
    from PySide6.QtWebEngineCore import QWebEngineSettings

    pane = make_pane(RawPreviewer(), True)
    settings = pane.view.page().settings()  # type: ignore[attr-defined]
    settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True)
    page = "<html><head><title>t</title></head><body><img src='https://example.com/a.png'>x</body></html>"
    pane.render_now(statement(page), around)
    idle(pane)
    qtbot.waitUntil(lambda: bool(pane.refused_requests), timeout=TIMEOUT)
    assert pane.refused_requests == ["https://example.com/a.png"]


@webengine
def test_links_do_not_navigate_away(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    from PySide6.QtWebEngineCore import QWebEnginePage

    pane = make_pane(previewer, True)
    pane.render_now(statement("[site](https://example.com/)"), around)
    idle(pane)
    page = pane.view.page()  # type: ignore[attr-defined]
    clicked = QWebEnginePage.NavigationType.NavigationTypeLinkClicked
    with qtbot.waitSignal(pane.link_clicked, timeout=TIMEOUT) as link:
        assert not page.acceptNavigationRequest(QUrl("https://example.com/"), clicked, True)
    assert link.args[0] == QUrl("https://example.com/")
    inside = QUrl(page.url())
    inside.setFragment("fn:1")
    assert page.acceptNavigationRequest(inside, clicked, True)
    typed = QWebEnginePage.NavigationType.NavigationTypeTyped
    assert not page.acceptNavigationRequest(QUrl("https://example.com/"), typed, True)
    assert not page.acceptNavigationRequest(
        QUrl("file:///etc/passwd"), QWebEnginePage.NavigationType.NavigationTypeBackForward, True
    )


@webengine
def test_a_jump_to_a_footnote_inside_the_page_stays_there(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    pane = make_pane(previewer, True)
    pane.render_now(statement("Сказано[^1].\n\n" + long_body() + "\n\n[^1]: Источник."), around)
    idle(pane)
    page = pane.view.page()  # type: ignore[attr-defined]
    page.runJavaScript("location.hash = 'fn:1'", 2)  # as a click on the footnote mark
    qtbot.waitUntil(lambda: page.scrollPosition().y() > 1000, timeout=TIMEOUT)
    qtbot.wait(300)
    idle(pane)
    assert scroll_y(qtbot, pane) > 1000


@webengine
def test_the_profile_is_off_the_record_and_content_javascript_is_off(
    make_pane: Callable[..., PreviewPane], previewer: RecordingPreviewer
) -> None:
    from PySide6.QtWebEngineCore import QWebEngineSettings

    pane = make_pane(previewer, True)
    page = pane.view.page()  # type: ignore[attr-defined]
    assert page.profile().isOffTheRecord()
    attribute = QWebEngineSettings.WebAttribute
    assert not page.settings().testAttribute(attribute.JavascriptEnabled)
    assert not page.settings().testAttribute(attribute.LocalContentCanAccessRemoteUrls)
    assert not page.settings().testAttribute(attribute.PluginsEnabled)


@webengine
def test_a_page_over_the_set_html_limit_is_shown_from_a_private_temp_file(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(web_view, "SET_HTML_LIMIT", 1000)
    pane = PreviewPane(previewer, use_web_engine=True)  # type: ignore[arg-type]
    pane.resize(700, 500)
    pane.show()
    pane.render_now(statement("Большая страница."), around)
    idle(pane)
    assert "Большая страница." in shown_html(qtbot, pane)
    page_url = pane.view.page().url()  # type: ignore[attr-defined]
    assert page_url.isLocalFile() and Path(page_url.toLocalFile()).parent.parent == tmp_path
    pane.render_now(statement("Ещё одна.", title="Новое"), around)
    idle(pane)
    assert "Ещё одна." in shown_html(qtbot, pane)
    files = list(tmp_path.glob("csto-preview-*/*.html"))
    assert len(files) == 1  # the previous page's file is gone
    delete(pane)  # the private folder goes with the pane
    assert not list(tmp_path.glob("csto-preview-*"))


@webengine
def test_a_web_engine_that_cannot_show_anything_falls_back_to_the_text_browser(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    from PySide6.QtWebEngineCore import QWebEnginePage

    pane = make_pane(previewer, True)
    page = pane.view.page()  # type: ignore[attr-defined]
    crashed = QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus
    page.renderProcessTerminated.emit(crashed, 1)  # before it ever showed a page
    assert not pane.uses_web_engine
    with qtbot.waitSignal(pane.painted, timeout=TIMEOUT):
        pane.render_now(statement(), around)
    assert "Бишкек, 22 мая 2019 года" in shown_html(qtbot, pane)


@webengine
def test_a_renderer_crash_after_a_page_reloads_that_page(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    from PySide6.QtWebEngineCore import QWebEnginePage

    pane = make_pane(previewer, True)
    pane.render_now(statement("Текст до сбоя."), around)
    idle(pane)
    page = pane.view.page()  # type: ignore[attr-defined]
    crashed = QWebEnginePage.RenderProcessTerminationStatus.CrashedTerminationStatus
    with qtbot.waitSignal(pane.painted, timeout=TIMEOUT):
        page.renderProcessTerminated.emit(crashed, 1)
    idle(pane)
    assert pane.uses_web_engine
    assert "Текст до сбоя." in shown_html(qtbot, pane)


# --------------------------------------------------------------------------- the fallback


def test_the_environment_variable_forces_the_fallback(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(NO_WEB_ENGINE_VARIABLE, "1")
    pane = make_pane(previewer, None)
    assert not pane.uses_web_engine
    assert isinstance(pane.view, QTextBrowser)
    pane.render_now(statement(), around)
    idle(pane)
    assert "Бишкек, 22 мая 2019 года" in shown_html(qtbot, pane)


def test_without_the_variable_the_default_is_web_engine_when_installed(
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(NO_WEB_ENGINE_VARIABLE, raising=False)
    assert make_pane(previewer, None).uses_web_engine is HAVE_WEB_ENGINE


def test_fallback_links_are_reported_and_not_followed(
    qtbot: QtBot,
    make_pane: Callable[..., PreviewPane],
    previewer: RecordingPreviewer,
    around: PageSurroundings,
) -> None:
    pane = make_pane(previewer, False)
    pane.render_now(statement("[site](https://example.com/)"), around)
    idle(pane)
    view = pane.view
    assert isinstance(view, QTextBrowser)
    before = view.toHtml()
    with qtbot.waitSignal(pane.link_clicked) as link:
        view.anchorClicked.emit(QUrl("https://example.com/"))
    assert link.args[0] == QUrl("https://example.com/")
    assert view.toHtml() == before and view.source() == QUrl()


def test_line_anchors_go_into_the_first_text_of_each_block() -> None:
    html = (
        '<h1 data-source-line="0" id="t">T</h1><ul data-source-line="2"><li>a</li></ul>'
        '<hr data-source-line="4"><table data-source-line="6"><thead><tr><th>h</th>'
    )
    assert with_line_anchors(html) == (
        '<h1 data-source-line="0" id="t"><a name="csto-line-0"></a>T</h1>'
        '<ul data-source-line="2"><li><a name="csto-line-2"></a>a</li></ul>'
        '<hr data-source-line="4"><table data-source-line="6"><thead><tr>'
        '<th><a name="csto-line-6"></a>h</th>'
    )
