"""Typing into CSTO Editor's window (offscreen) and timing the preview; project venv.

``python benchmarks/typing_driver.py --db DB --user U --item ID [--bursts N]
[--interval-ms MS]`` opens the main window as ``csto-editor gui --open ID`` does, waits
until the item's preview has painted, confirms "start a new draft" (the item is approved),
puts the cursor at the end of a paragraph in the middle of the body and types words into
the Markdown editor (see ``typing_common`` for what is measured). The database is changed
(autosave): give it a copy. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

TIMEOUT_MS = 60_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--user", required=True)
    parser.add_argument("--item", required=True, type=int)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--interval-ms", type=float, default=80)
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from PySide6 import QtCore, QtGui
    from typing_common import TypingBench

    from csto_editor.app import open_context
    from csto_editor.paths import resources_dir
    from csto_editor.services.pages import PagePreviewer
    from csto_editor.ui import main as ui_main
    from csto_editor.ui.main import create_application
    from csto_editor.ui.main_window import MainWindow
    from csto_editor.ui.settings import Settings

    application = create_application()
    ctx = open_context(str(args.db), args.user)
    window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    panel = window.panel
    preview = panel.preview
    started = time.perf_counter()
    loop = QtCore.QEventLoop()
    preview.painted.connect(loop.quit)
    QtCore.QTimer.singleShot(TIMEOUT_MS, loop.quit)
    window.open_initial(args.item)
    window.show()
    loop.exec()
    preview.painted.disconnect(loop.quit)
    opened_ms = (time.perf_counter() - started) * 1000
    # As `gui` does once the opened item's preview painted (if the app has it).
    freeze = getattr(ui_main, "freeze_long_lived_objects", None)
    if freeze is not None:
        freeze()

    # The item is approved: say yes to "start a new draft" once, as the user would.
    choose = getattr(panel, "_choose_to_edit", None)
    if choose is not None:
        choose()
    else:
        panel._edit_confirmed = True
    editor = panel.editor
    document = editor.document()
    block = document.findBlockByNumber(document.blockCount() // 2)
    while block.isValid() and not _is_paragraph(block.text()):
        block = block.next()
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + len(block.text()))
    editor.setTextCursor(cursor)
    editor.setFocus()
    editor.ensureCursorVisible()

    verified = hasattr(preview, "_last_html")

    def shown(word: str) -> bool:
        if not verified:  # the pane changed: count its first paint after the pause
            return True
        html = getattr(preview, "_last_html", None)
        return html is not None and word in html

    bench = TypingBench(QtCore, QtGui, editor, shown, preview.painted)
    result = bench.run(args.bursts, args.interval_ms)
    summary = result.summary()
    summary["opened_ms"] = round(opened_ms, 1)
    if not verified:
        summary["notes"].append("preview content not verified: first paint after the pause")
    summary["uses_web_engine"] = bool(getattr(preview, "uses_web_engine", False))
    summary["renders_started"] = getattr(preview, "renders_started", None)
    print(json.dumps({"app": "csto-editor", **summary}))
    panel.flush()
    window.close()
    application.processEvents()
    ctx.database.dispose()
    return 0


def _is_paragraph(text: str) -> bool:
    stripped = text.strip()
    return (
        len(stripped) > 60
        and not stripped.startswith(("#", "-", "|", ">", "*"))
        and not (stripped[:1].isdigit())
    )


if __name__ == "__main__":
    sys.exit(main())
