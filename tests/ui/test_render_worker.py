"""The render scheduler: debounced, off the GUI thread, one at a time, newest last."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.services.pages import PageSurroundings
from csto_editor.ui.preview.render_worker import (
    GIL_SWITCH_INTERVAL_S,
    RenderOutcome,
    RenderScheduler,
)

AROUND = PageSurroundings({Language.EN: "News", Language.RU: "Новости"}, {})


def content(body: str) -> ItemContent:
    return ItemContent(ContentType.NEWS, Language.EN, "Title", body=body)


class SlowRenderer:
    """Records every render: its body, its thread, and whether two ever overlapped."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.bodies: list[str] = []
        self.threads: set[int] = set()
        self.running = 0
        self.overlapped = False
        self._lock = threading.Lock()

    def __call__(self, item: ItemContent, around: PageSurroundings) -> str:
        with self._lock:
            self.running += 1
            self.overlapped |= self.running > 1
            self.threads.add(threading.get_ident())
        try:
            time.sleep(self.seconds)
            if item.body == "boom":
                raise ValueError("the template broke")
            return f"<p>{item.body}</p>"
        finally:
            with self._lock:
                self.bodies.append(item.body)
                self.running -= 1


@pytest.fixture
def shown() -> list[RenderOutcome]:
    """The outcomes a scheduler delivered, in order."""
    return []


def make(
    qtbot: QtBot, renderer: SlowRenderer, shown: list[RenderOutcome], **options: int
) -> RenderScheduler:
    scheduler = RenderScheduler(renderer, **options)
    scheduler.rendered.connect(shown.append)
    return scheduler


def settle(qtbot: QtBot, scheduler: RenderScheduler, timeout: int = 5000) -> None:
    qtbot.waitUntil(scheduler.is_idle, timeout=timeout)


def test_a_burst_of_requests_is_rendered_once_off_the_gui_thread(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer()
    scheduler = make(qtbot, renderer, shown)
    for number in range(20):
        scheduler.request(content(f"text {number}"), AROUND)
    settle(qtbot, scheduler)
    assert renderer.bodies == ["text 19"]
    assert [outcome.html for outcome in shown] == ["<p>text 19</p>"]
    assert threading.get_ident() not in renderer.threads
    assert shown[0].thread_id != threading.get_ident()


def test_requests_during_a_render_are_coalesced_and_the_newest_comes_last(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer(seconds=0.15)
    scheduler = make(qtbot, renderer, shown, debounce_ms=10)
    scheduler.request_now(content("first"), AROUND)
    for number in range(10):
        qtbot.wait(20)
        scheduler.request(content(f"typed {number}"), AROUND)
    settle(qtbot, scheduler)
    assert not renderer.overlapped
    assert renderer.bodies[-1] == "typed 9"
    assert len(renderer.bodies) <= 4
    assert shown[-1].html == "<p>typed 9</p>"
    serials = [outcome.serial for outcome in shown]
    assert serials == sorted(serials)


def test_a_stale_result_is_dropped_while_a_newer_request_waits(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer(seconds=0.2)
    scheduler = make(qtbot, renderer, shown, debounce_ms=0)
    scheduler.request_now(content("opened"), AROUND)
    settle(qtbot, scheduler)
    scheduler.request_now(content("old"), AROUND)
    qtbot.wait(50)
    scheduler.request(content("new"), AROUND)
    settle(qtbot, scheduler)
    assert renderer.bodies == ["opened", "old", "new"]
    assert [outcome.html for outcome in shown] == ["<p>opened</p>", "<p>new</p>"]


def test_a_long_stream_of_changes_still_refreshes_the_preview(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer(seconds=0.1)
    scheduler = make(qtbot, renderer, shown, debounce_ms=0, max_stale_ms=250)
    scheduler.request_now(content("start"), AROUND)
    for number in range(12):
        qtbot.wait(60)
        scheduler.request(content(f"typing {number}"), AROUND)
    settle(qtbot, scheduler)
    assert len(shown) >= 3  # some overtaken results were shown rather than none
    assert shown[-1].html == "<p>typing 11</p>"


def test_render_now_drops_results_of_the_previous_item(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer(seconds=0.2)
    scheduler = make(qtbot, renderer, shown, max_stale_ms=0)
    scheduler.request_now(content("item one"), AROUND)
    qtbot.wait(50)
    scheduler.request_now(content("item two"), AROUND)
    settle(qtbot, scheduler)
    assert [outcome.html for outcome in shown] == ["<p>item two</p>"]


def test_a_failed_render_is_reported_and_the_next_one_still_runs(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer()
    scheduler = make(qtbot, renderer, shown)
    failures: list[RenderOutcome] = []
    scheduler.failed.connect(failures.append)
    scheduler.request_now(content("boom"), AROUND)
    settle(qtbot, scheduler)
    assert failures and failures[0].error == "ValueError: the template broke"
    scheduler.request_now(content("fine"), AROUND)
    settle(qtbot, scheduler)
    assert shown[-1].html == "<p>fine</p>"


def test_after_shutdown_nothing_more_is_rendered(qtbot: QtBot, shown: list[RenderOutcome]) -> None:
    renderer = SlowRenderer(seconds=0.1)
    scheduler = make(qtbot, renderer, shown)
    scheduler.request_now(content("running"), AROUND)
    scheduler.request(content("waiting"), AROUND)
    scheduler.shutdown()
    qtbot.waitUntil(lambda: renderer.running == 0 and len(renderer.bodies) == 1)
    qtbot.wait(200)
    assert renderer.bodies == ["running"]
    assert shown == []


def test_a_scheduler_deleted_mid_render_does_not_crash(qtbot: QtBot) -> None:
    renderer = SlowRenderer(seconds=0.2)
    scheduler = RenderScheduler(renderer)
    scheduler.request_now(content("orphan"), AROUND)
    qtbot.wait(20)
    scheduler.deleteLater()
    del scheduler
    qtbot.waitUntil(lambda: renderer.bodies == ["orphan"])
    qtbot.wait(100)  # the queued outcome finds nobody, quietly


def test_a_content_source_is_read_once_per_render_not_per_request(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    renderer = SlowRenderer()
    scheduler = make(qtbot, renderer, shown)
    typed: list[str] = []
    reads: list[str] = []

    def current() -> ItemContent:
        reads.append(typed[-1])
        return content(typed[-1])

    for number in range(20):
        typed.append(f"text {number}")
        scheduler.request(current, AROUND)
    assert reads == []
    settle(qtbot, scheduler)
    assert reads == ["text 19"]
    assert renderer.bodies == ["text 19"]


def test_a_scheduler_keeps_the_render_thread_from_holding_the_gil_for_long(
    qtbot: QtBot, shown: list[RenderOutcome]
) -> None:
    make(qtbot, SlowRenderer(), shown)
    assert sys.getswitchinterval() <= GIL_SWITCH_INTERVAL_S
