"""The helper process that renders the opened item's body while the window starts."""

from __future__ import annotations

import subprocess
import sys

from csto_editor import render_helper
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
