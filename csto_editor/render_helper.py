"""A helper process that renders the opened item's Markdown while the window starts.

Python-Markdown spends some 70 ms of Python on a 20,000-word body. On a thread of the
window's process that time holds the interpreter lock the window's building needs; in
a process of its own it runs on the other core. `gui --open ITEM` starts the helper
first thing: it imports the renderer while the window's process imports Qt, then waits
for the body on its stdin (the window reads the item once its database is open) and
writes the body's HTML, with source lines, to its stdout.

Protocol: the language code, a newline, the body (UTF-8), then end of input; an empty
input means nothing to render. Any failure leaves the window to render the body itself.
"""

from __future__ import annotations

import subprocess
import sys

from csto_editor.core.content import Language

RENDER_TIMEOUT_S = 10.0
"""Longer than any body takes; a helper stuck past it is killed and the window renders."""


class EarlyRender:
    """The parent's end of one helper process: one body in, its HTML out."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    def render(self, body: str, lang: Language) -> str | None:
        """The body's HTML (source lines on), or None when the helper failed."""
        message = lang.value.encode("ascii") + b"\n" + body.encode("utf-8")
        try:
            html, _errors = self._process.communicate(message, timeout=RENDER_TIMEOUT_S)
        except (OSError, ValueError, subprocess.SubprocessError):
            self.cancel()
            return None
        return html.decode("utf-8") if self._process.returncode == 0 else None

    def cancel(self) -> None:
        """Nothing to render: the helper reads the end of its input and exits."""
        try:
            if self._process.returncode is None:
                self._process.kill()
            self._process.wait(timeout=RENDER_TIMEOUT_S)
        except (OSError, subprocess.SubprocessError):
            pass


_started: EarlyRender | None = None


def start() -> None:
    """Start the helper (not in a frozen build, which has no interpreter to run it)."""
    global _started
    if getattr(sys, "frozen", False) or _started is not None:
        return
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),  # no console on Windows
        )
    except OSError:
        return
    _started = EarlyRender(process)


def take() -> EarlyRender | None:
    """The started helper, once (None when none was started or it was taken)."""
    global _started
    helper, _started = _started, None
    return helper


def discard() -> None:
    """Stop a helper nobody took (the window opened no item after all)."""
    helper = take()
    if helper is not None:
        helper.cancel()


def main() -> int:
    """The helper's side: render what comes on stdin to stdout."""
    from csto_editor.core.markdown_render import render_markdown

    data = sys.stdin.buffer.read()
    code, _newline, body = data.partition(b"\n")
    if not code:
        return 0
    html = render_markdown(body.decode("utf-8"), Language(code.decode("ascii")), source_lines=True)
    sys.stdout.buffer.write(html.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
