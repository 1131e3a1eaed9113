"""The export dialog: scope, target and base URL; the check report; a worker with progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csto_editor.core.errors import EditorError
from csto_editor.services import export, sections
from csto_editor.services.context import ServiceContext
from csto_editor.services.export import ExportOptions, ExportResult
from csto_editor.ui.service_worker import Progress, ServiceWorker
from csto_editor.ui.settings import Option, Settings

LAST_OUT = Option("export/out", "")
LAST_ZIP = Option("export/zip", False)
LAST_SINCE = Option("export/since_last", True)
LAST_BASE_URL = Option("export/base_url", "")
LAST_LANGUAGES = Option("export/languages", "en,ru")
LAST_SECTIONS = Option("export/sections", "")
SLUG_ROLE = Qt.ItemDataRole.UserRole + 1


def _day(edit: QDateEdit) -> dt.date:
    day = edit.date()
    return dt.date(day.year(), day.month(), day.day())


class ExportWorker(ServiceWorker):
    """Runs one export."""

    def __init__(self, ctx: ServiceContext, options: ExportOptions) -> None:
        super().__init__()
        self._ctx = ctx
        self._options = options

    def work(self, progress: Progress, cancelled: Callable[[], bool]) -> object:
        return export.export(self._ctx, self._options, progress=progress, cancelled=cancelled)


class ExportDialog(QDialog):
    """Build a bundle for web staff. ``threaded=False`` runs the export inline (tests)."""

    exported = Signal(object)

    def __init__(
        self,
        ctx: ServiceContext,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        threaded: bool = True,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings
        self._threaded = threaded
        self._thread: QThread | None = None
        self._worker: ExportWorker | None = None
        self._result: ExportResult | None = None
        self.setWindowTitle(self.tr("Export a bundle"))
        self.setMinimumWidth(620)
        self._build()
        self._restore()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        scope = QGroupBox(self.tr("What to export"))
        self.sections_model = QStandardItemModel(self)
        for section in sections.list_sections(self._ctx):
            row = QStandardItem("    " * section.depth + f"{section.name_en} / {section.name_ru}")
            row.setData(section.slug, SLUG_ROLE)
            row.setCheckable(True)
            row.setEditable(False)
            self.sections_model.appendRow(row)
        self.sections_view = QListView()
        self.sections_view.setModel(self.sections_model)
        self.sections_view.setMaximumHeight(150)
        self.english = QCheckBox(self.tr("English"))
        self.russian = QCheckBox(self.tr("Russian"))
        languages = QHBoxLayout()
        languages.addWidget(self.english)
        languages.addWidget(self.russian)
        languages.addStretch()
        self.use_from, self.date_from = QCheckBox(self.tr("from")), QDateEdit()
        self.use_to, self.date_to = QCheckBox(self.tr("to")), QDateEdit()
        dates = QHBoxLayout()
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            dates.addWidget(check)
            dates.addWidget(edit)
        dates.addStretch()
        self.since_last = QCheckBox(self.tr("Only changes since the last export"))
        scope_form = QFormLayout(scope)
        scope_form.addRow(self.tr("Sections (none: all)"), self.sections_view)
        scope_form.addRow(self.tr("Languages"), languages)
        scope_form.addRow(self.tr("Event dates"), dates)
        scope_form.addRow("", self.since_last)

        target = QGroupBox(self.tr("Where"))
        self.out = QLineEdit()
        self.out.setPlaceholderText(self.tr("A new or earlier bundle folder, or a .zip file"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.as_zip = QCheckBox(self.tr("As one zip file"))
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText(self.tr("The site's address from the database settings"))
        target_form = QFormLayout(target)
        target_form.addRow(self.tr("Target"), out_row)
        target_form.addRow("", self.as_zip)
        target_form.addRow(self.tr("Base URL"), self.base_url)

        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(130)
        self.report.setPlaceholderText(self.tr("Press Check to see what would block the export."))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.check_button = self.buttons.addButton(
            self.tr("Check"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_button = self.buttons.addButton(
            self.tr("Open folder"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_button.setVisible(False)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.check_button.clicked.connect(self.run_check)
        self.export_button.clicked.connect(self.start_export)
        self.open_button.clicked.connect(self._open_folder)
        self.cancel_button.clicked.connect(self._cancel_or_close)

        layout = QVBoxLayout(self)
        layout.addWidget(scope)
        layout.addWidget(target)
        layout.addWidget(QLabel(self.tr("Pre-publication check")))
        layout.addWidget(self.report)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # -- choices -------------------------------------------------------------------------

    def _restore(self) -> None:
        self.out.setText(self._settings.read(LAST_OUT))
        self.as_zip.setChecked(self._settings.read(LAST_ZIP))
        self.since_last.setChecked(self._settings.read(LAST_SINCE))
        self.base_url.setText(self._settings.read(LAST_BASE_URL))
        languages = self._settings.read(LAST_LANGUAGES).split(",")
        self.english.setChecked("en" in languages)
        self.russian.setChecked("ru" in languages)
        chosen = set(filter(None, self._settings.read(LAST_SECTIONS).split(",")))
        for row in range(self.sections_model.rowCount()):
            item = self.sections_model.item(row)
            checked = item.data(SLUG_ROLE) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _remember(self, options: ExportOptions) -> None:
        self._settings.write(LAST_OUT, options.out)
        self._settings.write(LAST_ZIP, options.as_zip)
        self._settings.write(LAST_SINCE, options.since_last)
        self._settings.write(LAST_BASE_URL, options.base_url or "")
        self._settings.write(LAST_LANGUAGES, ",".join(options.languages))
        self._settings.write(LAST_SECTIONS, ",".join(options.sections))
        self._settings.sync()

    def options(self) -> ExportOptions:
        """The export the dialog describes now."""
        chosen = [
            str(self.sections_model.item(row).data(SLUG_ROLE))
            for row in range(self.sections_model.rowCount())
            if self.sections_model.item(row).checkState() == Qt.CheckState.Checked
        ]
        languages = [
            code for code, box in (("en", self.english), ("ru", self.russian)) if box.isChecked()
        ]
        return ExportOptions(
            out=self.out.text().strip(),
            as_zip=self.as_zip.isChecked(),
            sections=tuple(chosen),
            languages=tuple(languages),
            since_last=self.since_last.isChecked(),
            base_url=self.base_url.text().strip() or None,
            date_from=_day(self.date_from) if self.use_from.isChecked() else None,
            date_to=_day(self.date_to) if self.use_to.isChecked() else None,
        )

    def _browse(self) -> None:
        if self.as_zip.isChecked():
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export to a zip file"), self.out.text(), self.tr("Zip files (*.zip)")
            )
        else:
            path = QFileDialog.getExistingDirectory(
                self, self.tr("Export into a folder"), self.out.text()
            )
        if path:
            self.out.setText(path)

    # -- check and export --------------------------------------------------------------------

    def severity_name(self, severity: str) -> str:
        """A finding's severity as the report shows it."""
        return {"error": self.tr("ERROR"), "warning": self.tr("WARNING")}.get(
            severity, severity.upper()
        )

    @Slot()
    def run_check(self) -> bool:
        """Show the check report; True when nothing blocks the export."""
        options = self.options()
        if not options.languages:
            self.report.setPlainText(self.tr("Choose at least one language."))
            return False
        try:
            report = export.check_scope(self._ctx, options)
        except EditorError as error:
            self.report.setPlainText(str(error))
            return False
        lines = [
            self.tr("%1: item %2: %3")
            .replace("%1", self.severity_name(finding.severity))
            .replace("%2", str(finding.item))
            .replace("%3", finding.message)
            for finding in report.findings
        ]
        lines.append(
            self.tr("{items} items checked: {errors} errors, {warnings} warnings.").format(
                items=len(report.items), errors=report.errors, warnings=report.warnings
            )
        )
        self.report.setPlainText("\n".join(lines))
        return report.errors == 0

    @Slot()
    def start_export(self) -> None:
        options = self.options()
        if not options.out:
            self.summary.setText(self.tr("Choose where to write the bundle."))
            return
        if not self.run_check():
            self.summary.setText(self.tr("Fix the errors listed above, then export."))
            return
        self._remember(options)
        self._set_running(True)
        worker = ExportWorker(self._ctx, options)
        worker.progressed.connect(self._on_progress)
        worker.succeeded.connect(self._on_success)
        worker.failed.connect(self._on_failure)
        self._worker = worker
        if not self._threaded:
            worker.run()
            return
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # quit() is thread-safe: end the thread's loop as soon as run() reports.
        worker.succeeded.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread = thread
        thread.start()

    def wait_for_worker(self, timeout_ms: int = 60_000) -> bool:
        """Block until the export thread has ended (closing, tests)."""
        return self._thread is None or self._thread.wait(timeout_ms)

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.progress.setRange(0, 0)
        for button in (self.export_button, self.check_button):
            button.setEnabled(not running)
        self.summary.setText(self.tr("Exporting…") if running else "")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"%p%  {what}")

    @Slot(object)
    def _on_success(self, result: ExportResult) -> None:
        self._set_running(False)
        self._result = result
        self.summary.setText(
            self.tr(
                "Exported {items} items to {out}: {added} added, {updated} updated, "
                "{removed} removed."
            ).format(
                items=result.items,
                out=result.out,
                added=result.added,
                updated=result.updated,
                removed=result.removed,
            )
        )
        self.open_button.setVisible(True)
        self.cancel_button.setText(self.tr("Close"))
        self.exported.emit(result)

    @Slot(str)
    def _on_failure(self, message: str) -> None:
        self._set_running(False)
        self.summary.setText(self.tr("Export failed: {reason}").format(reason=message))

    def _cancel_or_close(self) -> None:
        if self._worker is not None and self._thread is not None and self._thread.isRunning():
            self._worker.cancel()
            self.summary.setText(self.tr("Cancelling…"))
            return
        self.reject()

    def _open_folder(self) -> None:
        if self._result is None:
            return
        path = Path(self._result.out)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent if self._result.zip else path)))

    @property
    def result_of_export(self) -> ExportResult | None:
        return self._result

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_worker()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._stop_worker()
        super().done(result)

    def _stop_worker(self) -> None:
        if self._thread is not None and self._thread.isRunning():
            if self._worker is not None:
                self._worker.cancel()
            self._thread.wait(60_000)
