"""Drive ReText (the peer editor) for the benchmarks; run with the bench venv's python.

``startup FILE [--webengine]``: what ``retext FILE`` does at start (ReText's own
``ReText.__main__.main`` up to opening the file, minus D-Bus single-instance handling and
translators), with the live preview on (editor and preview side by side, as in our
window), then exits with 0 once the preview shows the file:

* default preview (``QTextBrowser``, ReText's default): after ReText's converter process
  sent the HTML, ``updatePreviewBox`` put it into the browser, and the browser's viewport
  then received its next paint event;
* ``--webengine`` (ReText's optional QtWebEngine preview): after the page's
  ``loadFinished`` for that HTML.

The harness times the whole process from outside. ReText renders its preview on a
``QTimer.singleShot(500, ...)`` after the tab is created (a fixed half-second delay), in a
separate converter process. Markdown extensions: ReText always uses ``extra``; the
harness's config folder adds ``toc``, ``sane_lists`` and ``smarty`` (``markdown-extensions.txt``),
so ReText renders the same Markdown as CSTO Editor.

``typing FILE --bursts N --interval-ms MS``: opens the file the same way, waits for the
preview, puts the cursor at the end of a paragraph in the middle, types (see
``typing_common``) and prints the result as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import multiprocessing
import sys
import time
from pathlib import Path

from PyQt6 import QtCore, QtGui
from PyQt6.QtCore import QEvent, QObject, Qt, QTimer
from PyQt6.QtWidgets import QApplication

STARTED = time.perf_counter()
TIMEOUT_MS = 60_000


class PaintWatch(QObject):
    def __init__(self, callback: object) -> None:
        super().__init__()
        self.callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self.callback)  # type: ignore[arg-type]
        return False


def open_retext(path: Path, webengine: bool) -> tuple[QApplication, object]:
    multiprocessing.set_start_method("spawn")
    with contextlib.suppress(OSError):
        ctypes.CDLL("libGL.so.1", ctypes.RTLD_GLOBAL)
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("ReText project")
    app.setApplicationName("ReText")
    app.setApplicationDisplayName("ReText")
    from ReText import globalSettings
    from ReText.window import ReTextWindow

    globalSettings.defaultPreviewState = "live-preview"
    globalSettings.useWebEngine = webengine
    globalSettings.openFilesInExistingWindow = False
    window = ReTextWindow()
    window.show()
    window.openFileWrapper(str(path))
    return app, window


def startup(path: Path, webengine: bool) -> int:
    app, window = open_retext(path, webengine)
    tab = window.currentTab  # type: ignore[attr-defined]
    state = {"converted": False, "watch": None}

    def done() -> None:
        if state["converted"]:
            sys.stderr.write(f"retext: preview shown {time.perf_counter() - STARTED:.3f} s\n")
            app.exit(0)

    def converted() -> None:  # runs after tab.updatePreviewBox (connected earlier)
        text = tab.previewBox.toPlainText() if hasattr(tab.previewBox, "toPlainText") else "x"
        if not text.strip():
            return
        state["converted"] = True
        if webengine:
            return
        watch = PaintWatch(done)
        state["watch"] = watch
        tab.previewBox.viewport().installEventFilter(watch)
        tab.previewBox.viewport().update()

    tab.converterProcess.conversionDone.connect(converted)
    if webengine:
        tab.previewBox.loadFinished.connect(lambda _ok: done())
    QTimer.singleShot(TIMEOUT_MS, lambda: (sys.stderr.write("retext: timed out\n"), app.exit(1)))
    code = app.exec()
    window.close()  # type: ignore[attr-defined]
    return code


def typing(path: Path, bursts: int, interval_ms: float) -> int:
    from typing_common import TypingBench

    _app, window = open_retext(path, False)
    tab = window.currentTab  # type: ignore[attr-defined]
    loop = QtCore.QEventLoop()
    tab.converterProcess.conversionDone.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()
    editor = tab.editBox
    document = editor.document()
    block = document.findBlockByNumber(document.blockCount() // 2)
    while block.isValid() and not _is_paragraph(block.text()):
        block = block.next()
    cursor = editor.textCursor()
    cursor.setPosition(block.position() + len(block.text()))
    editor.setTextCursor(cursor)
    editor.setFocus()
    bench = TypingBench(
        QtCore,
        QtGui,
        editor,
        lambda word: word in tab.previewBox.toPlainText(),
        tab.converterProcess.conversionDone,
    )
    result = bench.run(bursts, interval_ms)
    print(json.dumps({"app": "retext", **result.summary()}))
    for each in window.iterateTabs():  # type: ignore[attr-defined]
        each.editBox.document().setModified(False)  # no "save changes?" dialog
    window.close()  # type: ignore[attr-defined]
    return 0


def _is_paragraph(text: str) -> bool:
    stripped = text.strip()
    return (
        len(stripped) > 60
        and not stripped.startswith(("#", "-", "|", ">", "*"))
        and not (stripped[:1].isdigit())
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    start = sub.add_parser("startup")
    start.add_argument("file", type=Path)
    start.add_argument("--webengine", action="store_true")
    typ = sub.add_parser("typing")
    typ.add_argument("file", type=Path)
    typ.add_argument("--bursts", type=int, default=5)
    typ.add_argument("--interval-ms", type=float, default=80)
    args = parser.parse_args()
    if args.mode == "startup":
        return startup(args.file.resolve(), args.webengine)
    return typing(args.file.resolve(), args.bursts, args.interval_ms)


if __name__ == "__main__":
    sys.exit(main())
