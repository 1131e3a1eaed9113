"""Inserting an image: pick or drop a file, describe it, store it as an asset, place it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from csto_editor.core.errors import EditorError
from csto_editor.services import assets
from csto_editor.services.assets import AssetView
from csto_editor.services.context import ServiceContext

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
THUMBNAIL = 220


@dataclass(frozen=True)
class ImageDetails:
    alt_text: str
    caption: str = ""
    credit: str = ""


class ImageDetailsDialog(QDialog):
    """Asks for an image's alt text (required, and why), caption and credit."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Describe the image"))
        self.setMinimumWidth(520)
        picture = QLabel()
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap(str(path))
        if pixmap.isNull():
            picture.setText(path.name)
        else:
            picture.setPixmap(
                pixmap.scaled(
                    THUMBNAIL,
                    THUMBNAIL,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        name = QLabel(path.name)
        name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        name.setStyleSheet("color: #5b6472;")

        self.alt_text = QLineEdit()
        self.alt_text.setPlaceholderText(
            self.tr("e.g. The Secretary General speaks at the conference in Minsk")
        )
        why = QLabel(
            self.tr(
                "Required. The alt text is read aloud to blind readers and shown when the "
                "image cannot load: say what the picture shows, in the item's language."
            )
        )
        why.setWordWrap(True)
        why.setStyleSheet("color: #5b6472;")
        self.caption = QLineEdit()
        self.caption.setPlaceholderText(self.tr("Optional; shown under the image"))
        self.credit = QLineEdit()
        self.credit.setPlaceholderText(self.tr("Optional, e.g. Photo: CSTO press service"))

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("Alt text:"), self.alt_text)
        form.addRow("", why)
        form.addRow(self.tr("Caption:"), self.caption)
        form.addRow(self.tr("Credit:"), self.credit)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Insert image"))
        ok.setEnabled(False)
        self.alt_text.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(picture)
        layout.addWidget(name)
        layout.addLayout(form)
        layout.addWidget(self._buttons)

    def details(self) -> ImageDetails:
        return ImageDetails(
            self.alt_text.text().strip(), self.caption.text().strip(), self.credit.text().strip()
        )


def ask_image_details(parent: QWidget | None, path: Path) -> ImageDetails | None:
    """The details the user gives for an image, or None when they cancel (tests replace
    this module-level hook to answer without a modal dialog)."""
    dialog = ImageDetailsDialog(path, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    details = dialog.details()
    return details if details.alt_text else None


def choose_image_file(parent: QWidget | None) -> Path | None:
    """An image file picked by the user, or None."""
    patterns = " ".join(f"*{suffix}" for suffix in IMAGE_SUFFIXES)
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("ImageInsertion", "Insert image"),
        "",
        QCoreApplication.translate("ImageInsertion", "Images (%1)").replace("%1", patterns),
    )
    return Path(name) if name else None


def insert_image_file(
    parent: QWidget | None, ctx: ServiceContext, editor: QPlainTextEdit, path: Path
) -> AssetView | None:
    """Ask for the details of ``path``, store it as an asset and insert its Markdown."""
    details = ask_image_details(parent, path)
    if details is None:
        return None
    try:
        asset = assets.add_asset(
            ctx,
            path,
            alt_text=details.alt_text,
            caption=details.caption,
            credit=details.credit,
        )
    except EditorError as error:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("ImageInsertion", "Cannot insert the image"),
            str(error),
        )
        return None
    cursor = editor.textCursor()
    # An image is a paragraph of its own: a blank line before it unless its line is
    # empty so far, and one after it unless it ends the text.
    before = "\n\n" if cursor.block().text()[: cursor.positionInBlock()].strip() else ""
    after = "\n" if cursor.atEnd() else "\n\n"
    text = before + asset.markdown() + after
    insert = getattr(editor, "insert_text", None)
    if callable(insert):
        insert(text)
    else:
        cursor.insertText(text)
        editor.setTextCursor(cursor)
    editor.setFocus()
    return asset


def insert_image(
    parent: QWidget | None, ctx: ServiceContext, editor: QPlainTextEdit
) -> AssetView | None:
    """Pick an image file, describe it, store it as an asset and insert it at the cursor."""
    path = choose_image_file(parent)
    if path is None:
        return None
    return insert_image_file(parent, ctx, editor, path)


def is_image_file(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES and path.is_file()


class ImageDropFilter(QObject):
    """Lets image files be dropped on an editor: each one goes through ``handle``.

    Install it on the editor's viewport (where a QPlainTextEdit receives drops).
    Drops of anything else are left to the editor.
    """

    def __init__(
        self, editor: QPlainTextEdit, handle: Callable[[Path], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._handle = handle

    def _handle_all(self, paths: list[Path]) -> None:
        for path in paths:
            self._handle(path)

    @staticmethod
    def image_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        data = event.mimeData()
        if data is None or not data.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
        return [path for path in paths if is_image_file(path)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDragMoveEvent
        ):
            if self.image_paths(event) and not self._editor.isReadOnly():
                event.acceptProposedAction()
                return True
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = self.image_paths(event)
            if not paths or self._editor.isReadOnly():
                return False
            cursor = self._editor.cursorForPosition(event.position().toPoint())
            self._editor.setTextCursor(cursor)
            event.acceptProposedAction()
            # Dialogs wait until the drop has finished: a nested event loop inside a
            # drop handler upsets some platforms' drag and drop.
            QTimer.singleShot(0, lambda: self._handle_all(paths))
            return True
        return super().eventFilter(watched, event)
