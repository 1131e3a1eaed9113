"""The optional GUI-thread stall watcher names the code that blocked the event loop."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QObject, QTimer
from pytestqt.qtbot import QtBot

from csto_editor.ui.stall_watch import STALL_VARIABLE, StallWatch, install_stall_watch


def block_the_gui_thread_for_a_while() -> None:
    time.sleep(0.12)


def test_a_stall_is_logged_with_the_code_that_caused_it(qtbot: QtBot) -> None:
    watch = StallWatch(40)
    try:
        qtbot.wait(20)
        QTimer.singleShot(0, block_the_gui_thread_for_a_while)
        qtbot.waitUntil(lambda: bool(watch.stalls), timeout=3000)
        blocked, stacks = watch.stalls[0]
        assert blocked >= 0.1
        assert any("block_the_gui_thread_for_a_while" in stack for stack in stacks)
    finally:
        watch.stop()


def test_nothing_is_installed_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    owner = QObject()
    monkeypatch.delenv(STALL_VARIABLE, raising=False)
    assert install_stall_watch(owner) is None
    monkeypatch.setenv(STALL_VARIABLE, "soon")
    assert install_stall_watch(owner) is None
    monkeypatch.setenv(STALL_VARIABLE, "25")
    watch = install_stall_watch(owner)
    assert watch is not None
    assert watch.threshold_s == pytest.approx(0.025)
    watch.stop()
