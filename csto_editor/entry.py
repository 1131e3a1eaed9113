"""The program's entry point: the command line, with the garbage collector paused while
the window starts.

Start-up makes hundreds of thousands of objects that live as long as the window
(modules, classes, widgets, the opened item); the collector's passes over them while
they are made cost tens of milliseconds and free nothing. The window's start turns
the collector back on once it has frozen those objects
(``csto_editor.ui.main.freeze_long_lived_objects``). A window opening an item also
starts ``csto_editor.render_helper`` first thing. Other commands run as they are.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from csto_editor import render_helper

GUI_COMMAND = "gui"
OPEN_OPTION = "--open"


def starts_the_window(arguments: Sequence[str]) -> bool:
    """Whether these arguments run the window (no arguments does, as does `gui`)."""
    return not arguments or GUI_COMMAND in arguments


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command (see ``csto_editor.cli.main``); return its exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if starts_the_window(arguments):
        gc.disable()
        if OPEN_OPTION in arguments:
            render_helper.start()  # renders the item's body beside the window's start
    try:
        from csto_editor.cli import main as run_command

        return run_command(arguments)
    finally:
        gc.enable()


def main_exit() -> None:
    """The `csto-editor` console script."""
    sys.exit(main())
