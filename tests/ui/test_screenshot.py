"""A picture of the main window on the demo database, for people to look at."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from csto_editor.paths import resources_dir
from csto_editor.services import queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.queries import ItemFilter
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.settings import Settings

SCREENSHOT_NAME = "csto-main-window.png"


def test_a_screenshot_of_the_main_window(
    context_for: Callable[[str], ServiceContext], qtbot: QtBot, tmp_path: Path
) -> None:
    """The window at 1400×900 with a statement open and its preview painted."""
    ctx = context_for("ivanova")
    window = MainWindow(ctx, Settings(), PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)

    statements = queries.item_ids(ctx, ItemFilter(section="statements", lang="en"))
    with qtbot.waitSignal(window.panel.preview.painted, timeout=30_000):
        assert window.open_item(statements[0])
    qtbot.wait(200)

    picture = window.grab()
    assert (picture.width(), picture.height()) == (1400, 900)
    target = tmp_path / SCREENSHOT_NAME
    assert picture.save(str(target))
    assert target.stat().st_size > 20_000
    extra = os.environ.get("CSTO_EDITOR_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        assert picture.save(str(Path(extra) / SCREENSHOT_NAME))
