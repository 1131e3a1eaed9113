"""The export dialog: choices, the check report, a worker export with progress."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from csto_editor.services.context import ServiceContext
from csto_editor.ui.export_dialog import ExportDialog
from csto_editor.ui.settings import Settings


def test_export_from_the_dialog_in_a_worker_thread(
    qtbot: QtBot, context_for: Callable[[str], ServiceContext], tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.ini")
    dialog = ExportDialog(context_for("nurlanov"), settings)
    qtbot.addWidget(dialog)
    dialog.out.setText(str(tmp_path / "bundle"))
    dialog.since_last.setChecked(False)
    assert dialog.run_check()
    assert "0 errors" in dialog.report.toPlainText()
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as blocker:
        dialog.export_button.click()
    assert dialog.wait_for_worker()
    result = blocker.args[0]
    assert result.items == 7
    assert json.loads((tmp_path / "bundle" / "manifest.json").read_text())["items"]
    assert "Exported 7 items" in dialog.summary.text()
    assert not dialog.open_button.isHidden()
    again = ExportDialog(context_for("nurlanov"), Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(again)
    assert again.out.text() == str(tmp_path / "bundle")
    assert not again.since_last.isChecked()


def test_a_refused_export_says_why(
    qtbot: QtBot, context_for: Callable[[str], ServiceContext], tmp_path: Path
) -> None:
    dialog = ExportDialog(context_for("ivanova"), Settings(tmp_path / "s.ini"), threaded=False)
    qtbot.addWidget(dialog)
    dialog.out.setText(str(tmp_path / "bundle"))
    dialog.start_export()
    assert "exporter" in dialog.report.toPlainText()
    assert not (tmp_path / "bundle").exists()
