"""The helper process that renders the opened item's body while the window starts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from csto_editor import cli, entry, render_helper
from csto_editor.core.content import Language
from csto_editor.core.markdown_render import render_markdown


def test_the_helper_renders_as_the_window_would() -> None:
    body = 'Министры "обсудили" **вопросы**.\n\n## Итоги\n\n1. первое\n2. второе\n'
    render_helper.start()
    helper = render_helper.take()
    assert helper is not None
    assert render_helper.take() is None  # taken once
    assert helper.render(body, Language.RU) == render_markdown(body, Language.RU, source_lines=True)


def test_a_helper_nobody_needs_is_stopped() -> None:
    render_helper.start()
    helper = render_helper.take()
    assert helper is not None
    process = helper._process
    render_helper.start()
    render_helper.discard()
    assert render_helper.take() is None
    helper.cancel()
    assert process.returncode is not None


def test_an_empty_input_renders_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "csto_editor.render_helper"],
        input=b"",
        capture_output=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout == b""


def test_only_a_window_opening_an_item_starts_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(render_helper, "start", lambda: started.append(True))
    monkeypatch.setattr(cli, "main", lambda _arguments: 0)  # the command itself is not run
    for arguments in (["--version"], ["list"], ["gui"], ["--db", "x.sqlite3", "gui"]):
        assert entry.main(arguments) == 0
    assert started == []
    assert entry.main(["--db", "x.sqlite3", "gui", "--open", "5"]) == 0
    assert started == [True]
