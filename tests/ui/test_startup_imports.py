"""Start-up loads only what the window needs before it paints (issue 5, target 2).

Counted, not timed: the `gui` command runs as a process, and the modules loaded when
the window first painted are listed (through the start-up clock's "window painted"
mark). Each module kept out here cost 30–500 ms of start-up when it was loaded early.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QTextCharFormat
from pytestqt.qtbot import QtBot

from csto_editor.ui.editor.highlighter import LONG_TEXT_CHARS, MarkdownHighlighter
from csto_editor.ui.editor.markdown_editor import MarkdownEditor

KEPT_OUT_UNTIL_PAINTED = (
    "alembic",
    "PIL",
    "yaml",
    "qtawesome",
    "qtpy",
    "csto_editor.services.export",
    "csto_editor.services.importing",
    "csto_editor.services.import_formats",
    "csto_editor.services.setup",
    "csto_editor.services.restore",
    "csto_editor.ui.export_dialog",
    "csto_editor.ui.history_dialog",
)
"""Loaded on first use (an export, an import, the history, a restore) or, for the
icons' fonts, right after the first paint."""

LOADED_BEFORE_QT = ("markdown", "jinja2", "nh3", "sqlalchemy.dialects.sqlite")
"""Big modules the window needs that carry no Qt: once PySide6 is loaded, it reads the
source of every module imported after it (about 40 ms for these)."""

_RUN_AND_LIST_MODULES = """
import json, sys
import csto_editor.startup_clock as clock

loaded_at_paint = []
original_mark = clock.mark

def mark(phase):
    original_mark(phase)
    if phase == "window painted":
        loaded_at_paint.extend(sys.modules)

clock.mark = mark
from csto_editor.cli import main

code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": loaded_at_paint}))
"""


def _modules_loaded_when_painted(demo_db: Path) -> list[str]:
    """The modules loaded when the window first painted, in the order they were loaded."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    arguments = ["--db", str(demo_db), "--user", "ivanova", "gui", "--open", "1"]
    result = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST_MODULES, *arguments, "--exit-when-ready"],
        capture_output=True,
        text=True,
        timeout=90,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["code"] == 0, result.stderr
    return list(outcome["modules"])


def test_the_window_paints_before_the_heavy_modules_load(demo_db: Path) -> None:
    loaded = set(_modules_loaded_when_painted(demo_db))
    assert "csto_editor.ui.main_window" in loaded  # the list is from the painted window
    early = [
        name
        for name in KEPT_OUT_UNTIL_PAINTED
        if name in loaded or any(module.startswith(name + ".") for module in loaded)
    ]
    assert early == []


def test_the_windows_modules_without_qt_load_before_qt(demo_db: Path) -> None:
    order = _modules_loaded_when_painted(demo_db)
    qt_at = order.index("PySide6.QtCore")
    assert [name for name in LOADED_BEFORE_QT if order.index(name) > qt_at] == []


def _coloured(editor: MarkdownEditor, line: int) -> bool:
    block = editor.document().findBlockByNumber(line)
    formats = block.layout().formats()
    return any(isinstance(f.format, QTextCharFormat) and f.length > 0 for f in formats)


def test_a_long_text_is_coloured_from_the_top_in_idle_time(qtbot: QtBot) -> None:
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.show()
    heard: list[str] = []
    editor.textChanged.connect(lambda: heard.append("text"))
    paragraph = "Министры обсудили **вопросы** безопасности и [планы](https://csto.org)."
    lines = [f"## Раздел {n}\n\n{paragraph}\n" for n in range(600)]
    text = "\n".join(lines)
    assert len(text) > LONG_TEXT_CHARS
    editor.set_markdown(text)
    highlighter = editor.document().findChild(MarkdownHighlighter)
    assert isinstance(highlighter, MarkdownHighlighter)
    last_line = editor.document().blockCount() - 2
    assert _coloured(editor, 0)  # the first screen at once
    assert highlighter.pending()
    assert not _coloured(editor, last_line)
    qtbot.waitUntil(lambda: not highlighter.pending(), timeout=10_000)
    assert _coloured(editor, last_line)
    assert heard == []  # colouring is not an edit: no autosave, no new preview


def test_an_edit_above_the_waiting_lines_still_gets_every_line_coloured(qtbot: QtBot) -> None:
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    text = "\n".join(f"**{n}** строка текста, довольно длинная для проверки." for n in range(900))
    editor.set_markdown(text)
    highlighter = editor.document().findChild(MarkdownHighlighter)
    assert isinstance(highlighter, MarkdownHighlighter) and highlighter.pending()
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.insertText("новая строка\n" * 50)
    highlighter.finish_pending()
    for line in range(editor.document().blockCount()):
        if editor.document().findBlockByNumber(line).text().startswith("**"):
            assert _coloured(editor, line), line
