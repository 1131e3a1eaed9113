"""Autosave: debounced writes, conflicts offered as a choice, refusals kept in memory."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database
from csto_editor.ui import autosave
from csto_editor.ui.autosave import DEBOUNCE_MS, AutosaveController, ConflictChoice

As = Callable[[str], ServiceContext]


class Source:
    """What the editor would hold: the fields autosave writes."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {"body": ""}

    def __call__(self) -> dict[str, object]:
        return dict(self.values)


@pytest.fixture(autouse=True)
def no_unanswered_conflict_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected(*_args: object) -> ConflictChoice:
        raise AssertionError("unexpected conflict dialog")

    monkeypatch.setattr(autosave, "ask_conflict_choice", unexpected)


@pytest.fixture
def item_id(context_for: As) -> int:
    content = ItemContent(ContentType.NEWS, Language.EN, "Autosave test")
    return editing.create_item(context_for("ivanova"), editing.NewItem("news", content)).id


@pytest.fixture
def source() -> Source:
    return Source()


@pytest.fixture
def controller(context_for: As, item_id: int, source: Source) -> AutosaveController:
    ctx = context_for("ivanova")
    control = AutosaveController(ctx, source, delay_ms=100)
    control.track(item_id, queries.working_copy(ctx, item_id)[2])
    return control


def body_in_database(demo_db: Path, item_id: int) -> str:
    """The body as another process would read it: a fresh database connection."""
    database = open_database(demo_db)
    try:
        return queries.get_item(ServiceContext(database, "ivanova"), item_id).body
    finally:
        database.dispose()


def test_a_change_is_written_after_a_pause(
    qtbot: QtBot, controller: AutosaveController, source: Source, demo_db: Path, item_id: int
) -> None:
    states: list[str] = []
    controller.state_changed.connect(states.append)
    source.values["body"] = "First words."
    controller.note_change()
    assert controller.is_pending()
    assert states[-1] == "Unsaved changes"
    clock = time.monotonic()
    qtbot.waitUntil(lambda: not controller.is_pending(), timeout=5000)
    assert body_in_database(demo_db, item_id) == "First words."
    # The promise is a save within a second of a pause; the clock only guards the
    # timer's setting, with room for a busy machine.
    assert DEBOUNCE_MS <= 1000
    assert time.monotonic() - clock < 4
    assert "Saving…" in states
    assert states[-1].startswith("Saved at ")


def test_changes_in_quick_succession_are_written_once(
    qtbot: QtBot, controller: AutosaveController, source: Source
) -> None:
    saves: list[object] = []
    controller.saved.connect(saves.append)
    for n in range(5):
        source.values["body"] = "word " * n
        controller.note_change()
    qtbot.waitUntil(lambda: not controller.is_pending(), timeout=5000)
    qtbot.wait(150)
    assert len(saves) == 1


def test_someone_who_never_pauses_is_still_saved(
    qtbot: QtBot, context_for: As, item_id: int, source: Source
) -> None:
    ctx = context_for("ivanova")
    control = AutosaveController(ctx, source, delay_ms=200, max_wait_ms=300)
    control.track(item_id, queries.working_copy(ctx, item_id)[2])
    saves: list[object] = []
    control.saved.connect(saves.append)
    for n in range(12):
        source.values["body"] = f"typing {n}"
        control.note_change()
        qtbot.wait(50)
    assert saves, "a save was due after max_wait_ms of continuous typing"


def test_flush_writes_now(
    controller: AutosaveController, source: Source, demo_db: Path, item_id: int
) -> None:
    source.values["body"] = "Flushed."
    controller.note_change()
    assert controller.flush() is True
    assert body_in_database(demo_db, item_id) == "Flushed."
    assert controller.flush() is True  # nothing pending: nothing to do


def theirs_saved_meanwhile(context_for: As, item_id: int) -> None:
    other = context_for("editor")
    version = queries.working_copy(other, item_id)[2]
    editing.autosave(other, item_id, {"body": "Their text."}, expected_version=version)


def test_a_conflict_offers_keep_mine(
    monkeypatch: pytest.MonkeyPatch,
    controller: AutosaveController,
    source: Source,
    context_for: As,
    item_id: int,
) -> None:
    asked: list[str] = []

    def choose(_parent: object, message: str) -> ConflictChoice:
        asked.append(message)
        return ConflictChoice.KEEP_MINE

    monkeypatch.setattr(autosave, "ask_conflict_choice", choose)
    conflicts: list[str] = []
    controller.conflict.connect(conflicts.append)
    theirs_saved_meanwhile(context_for, item_id)
    revisions_before = len(queries.history(context_for("ivanova"), item_id).revisions)
    source.values["body"] = "My text."
    controller.note_change()
    assert controller.flush() is True
    assert asked and conflicts and "editor" in asked[0]
    ctx = context_for("ivanova")
    assert queries.get_item(ctx, item_id).body == "My text."
    history = queries.history(ctx, item_id)
    assert len(history.revisions) == revisions_before + 1
    assert controller.version() == queries.working_copy(ctx, item_id)[2]


def test_a_conflict_offers_load_theirs(
    monkeypatch: pytest.MonkeyPatch,
    controller: AutosaveController,
    source: Source,
    context_for: As,
    item_id: int,
) -> None:
    monkeypatch.setattr(autosave, "ask_conflict_choice", lambda *_: ConflictChoice.LOAD_THEIRS)
    reloaded: list[ItemContent] = []
    controller.reloaded.connect(reloaded.append)
    theirs_saved_meanwhile(context_for, item_id)
    source.values["body"] = "My text."
    controller.note_change()
    assert controller.flush() is True
    assert [content.body for content in reloaded] == ["Their text."]
    assert queries.get_item(context_for("ivanova"), item_id).body == "Their text."
    assert not controller.is_pending()


def test_deciding_later_overwrites_nothing_and_keeps_mine_pending(
    monkeypatch: pytest.MonkeyPatch,
    controller: AutosaveController,
    source: Source,
    context_for: As,
    item_id: int,
) -> None:
    monkeypatch.setattr(autosave, "ask_conflict_choice", lambda *_: ConflictChoice.DECIDE_LATER)
    theirs_saved_meanwhile(context_for, item_id)
    source.values["body"] = "My text."
    controller.note_change()
    assert controller.flush() is False
    assert controller.is_pending()
    assert controller.state() == "Conflict"
    assert queries.get_item(context_for("ivanova"), item_id).body == "Their text."


def test_a_refused_detail_is_reported_and_the_text_still_saved(
    controller: AutosaveController, source: Source, context_for: As, item_id: int
) -> None:
    other = editing.create_item(
        context_for("ivanova"),
        editing.NewItem("news", ItemContent(ContentType.NEWS, Language.EN, "Taken")),
    )
    failures: list[str] = []
    controller.failed.connect(failures.append)
    source.values.update(body="Text that must survive.", title="A new title", slug=other.slug)
    controller.note_change()
    assert controller.flush() is False
    assert failures and "already used" in failures[0]
    assert controller.is_pending()
    assert "already used" in controller.state()
    detail = queries.get_item(context_for("ivanova"), item_id)
    assert detail.body == "Text that must survive."
    assert detail.summary.title == "A new title"
    assert detail.summary.slug != other.slug
    # Corrected on the next change, everything goes through.
    source.values["slug"] = "a-free-slug"
    controller.note_change()
    assert controller.flush() is True
    assert queries.get_item(context_for("ivanova"), item_id).summary.slug == "a-free-slug"


def test_a_refused_save_keeps_the_text_to_retry(
    controller: AutosaveController, source: Source, context_for: As, item_id: int
) -> None:
    source.values = {"body": "nul \x00 inside"}
    controller.note_change()
    assert controller.flush() is False
    assert controller.state().startswith("Not saved: ")
    assert controller.is_pending()
    source.values = {"body": "clean now"}
    controller.note_change()
    assert controller.flush() is True
    assert queries.get_item(context_for("ivanova"), item_id).body == "clean now"


def test_the_write_runs_off_the_gui_thread_and_later_typing_is_saved_too(
    qtbot: QtBot, controller: AutosaveController, source: Source, demo_db: Path, item_id: int
) -> None:
    engine = controller._ctx.database.engine  # the controller's own database
    writers: list[int] = []

    def note_writer(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE ITEMS"):
            writers.append(threading.get_ident())

    event.listen(engine, "before_cursor_execute", note_writer)
    try:
        source.values["body"] = "Written by the worker."
        controller.note_change()
        # The save may even be over by the time the wait looks: either is a save started.
        qtbot.waitUntil(lambda: controller._in_flight is not None or bool(writers), timeout=5000)
        source.values["body"] = "Typed while the first save was in flight."
        controller.note_change()  # the save in flight does not cover this
        qtbot.waitUntil(lambda: not controller.is_pending(), timeout=8000)
    finally:
        event.remove(engine, "before_cursor_execute", note_writer)
    assert writers and threading.get_ident() not in writers
    assert body_in_database(demo_db, item_id) == "Typed while the first save was in flight."
    source.values["body"] = "Flushed at once."
    controller.note_change()
    assert controller.flush() is True
    assert body_in_database(demo_db, item_id) == "Flushed at once."
