"""SIGKILL while editing: the database stays intact and every acknowledged text is in it.

A child process opens a real ItemPanel (offscreen) on a copy of the demo database,
creates an item and types into it in steps (QTest.keyClicks for ASCII), printing
``ACK <n>`` each time autosave has committed the first n characters. The test kills
it at chosen moments and then reads the database the way the next start of the app
would.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from csto_editor.services import queries
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

TEXT = (
    "Заседание Совета министров иностранных дел ОДКБ прошло в Минске. "
    "The Council of Foreign Ministers of the CSTO met in Minsk. "
    "Участники обсудили вопросы коллективной безопасности. "
    "They discussed collective security in the region. "
)
CHUNK = 24
"""Characters typed between pauses (each pause lets autosave write)."""

CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from csto_editor.paths import resources_dir
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.store.database import open_database
from csto_editor.ui.item_panel import ItemPanel

database, text, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = QApplication([])
ctx = ServiceContext(open_database(database), "ivanova")
panel = ItemPanel(ctx, PagePreviewer(ctx, resources_dir()))
panel.resize(1000, 700)
panel.show()
item_id = panel.new_item("news")
print("ITEM", item_id, flush=True)


def saved(_summary):
    body = panel.editor.markdown()
    if body != text[: len(body)]:
        print("MISMATCH", repr(body), flush=True)
    print("ACK", len(body), flush=True)


panel.autosave.saved.connect(saved)
panel.editor.setFocus()


def type_character(widget, character):
    # QTest types ASCII only; other letters go as plain key events.
    if character.isascii():
        QTest.keyClicks(widget, character)
        return
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
        QApplication.sendEvent(widget, event)


def pump(ms):
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)


for start in range(0, len(text), chunk):
    for character in text[start : start + chunk]:
        type_character(panel.editor, character)
        pump(12)
    pump(900)
print("DONE", flush=True)
pump(60_000)
"""


def start_child(database: Path, log: Path) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CSTO_EDITOR_NO_WEBENGINE="1")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(database), TEXT, str(CHUNK)],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        encoding="utf-8",
        env=env,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line.strip())

    threading.Thread(target=read, daemon=True).start()
    return child, lines


def next_line(lines: queue.Queue[str], log: Path, timeout: float = 30) -> str:
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"the editing process said nothing for {timeout} s:\n{log.read_text()}")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("acks_before_kill", "delay"),
    [
        (1, 0.0),  # right after the first acknowledgement
        (2, 0.45),  # mid-typing of the third step
        (3, 0.0),  # right after the third
    ],
)
def test_sigkill_loses_nothing_acknowledged(
    demo_db: Path, tmp_path: Path, acks_before_kill: int, delay: float
) -> None:
    database = tmp_path / f"killed-{acks_before_kill}.sqlite3"
    shutil.copyfile(demo_db, database)
    log = tmp_path / "child.log"
    child, lines = start_child(database, log)
    acknowledged = 0
    item_id: int | None = None
    try:
        acks = 0
        while acks < acks_before_kill:
            line = next_line(lines, log)
            assert not line.startswith("MISMATCH"), line
            if line.startswith("ITEM "):
                item_id = int(line.split()[1])
            elif line.startswith("ACK "):
                acknowledged = max(acknowledged, int(line.split()[1]))
                acks += 1
            elif line == "DONE":
                break
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    # An acknowledgement printed just before the kill still counts.
    while not lines.empty():
        line = lines.get()
        if line.startswith("ACK "):
            acknowledged = max(acknowledged, int(line.split()[1]))
    assert item_id is not None and acknowledged > 0

    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        connection.close()
    reopened = open_database(database)
    try:
        body = queries.get_item(ServiceContext(reopened, "ivanova"), item_id).body
    finally:
        reopened.dispose()
    assert len(body) >= acknowledged
    assert body == TEXT[: len(body)]
