"""Above the item's form: its workflow state, and why it is read-only when it is."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from csto_editor.services.views import ItemSummary
from csto_editor.ui.icons import STATUS_COLORS


class ItemHeader(QWidget):
    """The state line ("● In review · by ivanova · #12") and a read-only banner."""

    edit_chosen = Signal()
    """The user pressed "Edit as a new draft" on the banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Edit as a new draft"))
        self.edit_button.clicked.connect(self.edit_chosen)
        self.banner = QFrame()
        self.banner.setObjectName("readOnlyBanner")
        self.banner.setStyleSheet(
            "#readOnlyBanner { background: #fff8e1; border: 1px solid #f0d48a;"
            " border-radius: 4px; }"
        )
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 10, 6)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.edit_button)
        self.banner.hide()

        line = QHBoxLayout()
        line.setContentsMargins(12, 8, 12, 0)
        line.addWidget(self.status)
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(line)
        layout.addWidget(self.banner)

    def status_name(self, status: str) -> str:
        return {
            "draft": self.tr("Draft"),
            "in_review": self.tr("In review"),
            "changes_requested": self.tr("Changes requested"),
            "approved": self.tr("Approved"),
            "published": self.tr("Published"),
            "withdrawn": self.tr("Withdrawn"),
        }.get(status, status)

    def show_summary(self, summary: ItemSummary | None) -> None:
        if summary is None:
            self.status.clear()
            return
        colour = STATUS_COLORS.get(summary.status, "#3b4656")
        by = html.escape(self.tr("by %1").replace("%1", summary.author))
        self.status.setText(
            f'<span style="color:{colour}; font-size:14pt">●</span> '
            f"<b>{html.escape(self.status_name(summary.status))}</b>"
            f'<span style="color:#6b7482"> · {by} · #{summary.id}</span>'
        )

    def show_read_only(self, status: str | None) -> None:
        """Explain why the item cannot be edited: a reviewed text the user chose to
        leave alone (``status`` given; the banner offers to edit), or a missing role."""
        if status is not None:
            self.banner_text.setText(
                self.tr(
                    "%1 — read-only for now. Editing starts a new draft; the approved text "
                    "stays publishable until a newer one is approved."
                ).replace("%1", self.status_name(status))
            )
        else:
            self.banner_text.setText(
                self.tr("You can read this item; editing it needs the author role.")
            )
        self.edit_button.setVisible(status is not None)
        self.banner.show()

    def hide_read_only(self) -> None:
        self.banner.hide()
