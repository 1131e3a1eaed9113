"""The metadata form above the editor: title, lead, type, language, date and the rest."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from csto_editor.core import validation
from csto_editor.core.content import (
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    TYPE_FIELDS,
    ContentType,
    ItemContent,
    Language,
)
from csto_editor.core.errors import InvalidInput
from csto_editor.core.slugs import RESERVED_SLUGS, is_valid_slug, slugify
from csto_editor.ui.icons import icon

INVALID_STYLE = "border: 1px solid #c62828; border-radius: 3px; background: #fff6f6;"
DATE_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
"""ASCII digits only: ``\\d`` would let ２０２５-０１-０１ through to a misleading message."""
LEAD_LINES = 3

LINE_FIELDS = ("title", *OPTIONAL_FIELDS, "slug")
"""The one-line text fields, in the order of ItemContent."""


def field_labels() -> dict[str, str]:
    """Each content field's label, as the form and the history dialog show it."""
    names = {
        "title": QT_TRANSLATE_NOOP("ItemForm", "Title"),
        "lead": QT_TRANSLATE_NOOP("ItemForm", "Lead"),
        "type": QT_TRANSLATE_NOOP("ItemForm", "Type"),
        "lang": QT_TRANSLATE_NOOP("ItemForm", "Language"),
        "event_date": QT_TRANSLATE_NOOP("ItemForm", "Date"),
        "place": QT_TRANSLATE_NOOP("ItemForm", "Place"),
        "speaker": QT_TRANSLATE_NOOP("ItemForm", "Speaker"),
        "occasion": QT_TRANSLATE_NOOP("ItemForm", "Occasion"),
        "outlet": QT_TRANSLATE_NOOP("ItemForm", "Outlet"),
        "interviewee": QT_TRANSLATE_NOOP("ItemForm", "Interviewee"),
        "slug": QT_TRANSLATE_NOOP("ItemForm", "Slug"),
    }
    return {name: QCoreApplication.translate("ItemForm", text) for name, text in names.items()}


class ItemForm(QWidget):
    """Edits an item's metadata; marks invalid values at their field and never drops them.

    ``values()`` holds only the fields whose current text is valid; an invalid field
    keeps its text on screen, outlined in red, with the reason in its tooltip and in
    the line under the form, until it is corrected.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._errors: dict[str, str] = {}
        self._read_only = False
        self._slug_follows_title = False

        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("Headline as it appears on the page"))
        self.lead = QPlainTextEdit()
        self.lead.setTabChangesFocus(True)
        self.lead.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.lead.setPlaceholderText(self.tr("One or two sentences shown under the headline"))
        line_height = self.lead.fontMetrics().lineSpacing()
        self.lead.setFixedHeight(line_height * LEAD_LINES + 14)
        self.type_box = QComboBox()
        for content_type, label in self._type_labels().items():
            self.type_box.addItem(label, content_type.value)
        self.language_box = QComboBox()
        self.language_box.addItem(self.tr("English"), Language.EN.value)
        self.language_box.addItem(self.tr("Russian — Русский"), Language.RU.value)
        self.date = QLineEdit()
        self.date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.date.setMaxLength(10)
        self.date.setClearButtonEnabled(True)
        self._calendar_button = self._make_calendar_button()
        self.place = QLineEdit()
        self.speaker = QLineEdit()
        self.occasion = QLineEdit()
        self.outlet = QLineEdit()
        self.interviewee = QLineEdit()
        self.slug = QLineEdit()
        self.slug.setPlaceholderText(self.tr("page-address-in-latin"))
        self._problems = QLabel()
        self._problems.setWordWrap(True)
        self._problems.setStyleSheet("color: #c62828;")
        self._problems.hide()

        self._editors: dict[str, QWidget] = {
            "title": self.title,
            "lead": self.lead,
            "type": self.type_box,
            "lang": self.language_box,
            "event_date": self.date,
            "place": self.place,
            "speaker": self.speaker,
            "occasion": self.occasion,
            "outlet": self.outlet,
            "interviewee": self.interviewee,
            "slug": self.slug,
        }
        self._build_layout()
        for name in LINE_FIELDS:
            line = self._line(name)
            line.textEdited.connect(lambda _text, field=name: self._on_edited(field))
        self.date.textChanged.connect(lambda _text: self._on_edited("event_date"))
        self.lead.textChanged.connect(lambda: self._on_edited("lead"))
        self.type_box.currentIndexChanged.connect(self._on_type_changed)
        self.language_box.currentIndexChanged.connect(lambda _i: self._on_edited("lang"))
        self._show_fields_of(self.content_type())

    # -- building -------------------------------------------------------------------

    def _type_labels(self) -> dict[ContentType, str]:
        return {
            ContentType.NEWS: self.tr("News"),
            ContentType.STATEMENT: self.tr("Statement"),
            ContentType.SPEECH: self.tr("Speech"),
            ContentType.INTERVIEW: self.tr("Interview"),
            ContentType.ARTICLE: self.tr("Article"),
            ContentType.DOCUMENT: self.tr("Document"),
        }

    def field_labels(self) -> dict[str, str]:
        """Each field's label as shown."""
        return field_labels()

    def _make_calendar_button(self) -> QToolButton:
        button = QToolButton()
        button.setIcon(icon("calendar"))
        button.setToolTip(self.tr("Pick the date from a calendar"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self._calendar = QCalendarWidget()
        self._calendar.setGridVisible(False)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self._calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._prepare_calendar)
        self._calendar.clicked.connect(self._date_picked)
        self._calendar.activated.connect(self._date_picked)
        button.setMenu(menu)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self._calendar_menu = menu
        return button

    def _build_layout(self) -> None:
        labels = self.field_labels()
        self._labels: dict[str, QLabel] = {}

        def label(name: str) -> QLabel:
            widget = QLabel(labels[name] + ":")
            widget.setBuddy(self._editors[name])
            self._labels[name] = widget
            return widget

        top = QFormLayout()
        self._configure(top)
        top.addRow(label("title"), self.title)
        top.addRow(label("lead"), self.lead)

        self._left = QFormLayout()
        self._configure(self._left)
        self._left.addRow(label("type"), self.type_box)
        self._left.addRow(label("lang"), self.language_box)
        date_row = QHBoxLayout()
        date_row.setSpacing(2)
        date_row.addWidget(self.date, 1)
        date_row.addWidget(self._calendar_button)
        self._left.addRow(label("event_date"), date_row)

        self._right = QFormLayout()
        self._configure(self._right)
        for name in OPTIONAL_FIELDS:
            self._right.addRow(label(name), self._editors[name])
        self._right.addRow(label("slug"), self.slug)

        # Both columns' labels share the width of the top rows' labels, so every field
        # of the left column starts where the title does.
        width = max(widget.sizeHint().width() for widget in self._labels.values())
        for name, widget in self._labels.items():
            if name not in OPTIONAL_FIELDS and name != "slug":
                widget.setMinimumWidth(width)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(self._left, 2)
        columns.addLayout(self._right, 3)
        for box in (self.type_box, self.language_box):
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 6)
        outer.setSpacing(6)
        outer.addLayout(top)
        outer.addLayout(columns)
        outer.addWidget(self._problems)

    @staticmethod
    def _configure(form: QFormLayout) -> None:
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(6)

    def _line(self, name: str) -> QLineEdit:
        widget = self._editors[name]
        assert isinstance(widget, QLineEdit)
        return widget

    # -- reading and writing ----------------------------------------------------------

    def set_values(self, content: ItemContent) -> None:
        """Show an item's content; clears every mark; emits nothing."""
        self._loading = True
        try:
            blockers = [QSignalBlocker(widget) for widget in self._editors.values()]
            for name in LINE_FIELDS:
                self._line(name).setText(getattr(content, name))
            self.lead.setPlainText(content.lead)
            self.type_box.setCurrentIndex(max(0, self.type_box.findData(content.type.value)))
            self.language_box.setCurrentIndex(
                max(0, self.language_box.findData(content.lang.value))
            )
            self.date.setText(content.event_date.isoformat() if content.event_date else "")
            del blockers
        finally:
            self._loading = False
        self._errors.clear()
        for name in self._editors:
            self._mark(name, None)
        self._show_fields_of(content.type)
        self._update_problems()

    def values(self) -> dict[str, object]:
        """The fields whose current value is valid, in the form the services take."""
        result: dict[str, object] = {}
        for name in self._editors:
            try:
                result[name] = self._value(name)
            except InvalidInput:
                continue
        return result

    def errors(self) -> dict[str, str]:
        """Invalid fields and why, by field name."""
        return dict(self._errors)

    def content_type(self) -> ContentType:
        return ContentType(self.type_box.currentData() or ContentType.NEWS.value)

    def set_read_only(self, read_only: bool) -> None:
        """Show the values without letting them change (until the user chooses to edit)."""
        self._read_only = read_only
        for name in LINE_FIELDS:
            self._line(name).setReadOnly(read_only)
        self.date.setReadOnly(read_only)
        self.lead.setReadOnly(read_only)
        for widget in (self.type_box, self.language_box, self._calendar_button):
            widget.setEnabled(not read_only)

    def is_read_only(self) -> bool:
        return self._read_only

    def _value(self, name: str) -> object:
        """The field's value, or InvalidInput saying why it cannot be used."""
        if name == "type":
            return self.content_type().value
        if name == "lang":
            return str(self.language_box.currentData() or Language.EN.value)
        if name == "event_date":
            return self._date_value()
        if name == "lead":
            text = self.lead.toPlainText()
            validation.clean_text(text, self.tr("lead"), limit=validation.MAX_LEAD)
            return text
        text = self._line(name).text()
        label = self.field_labels()[name].lower()
        if name == "title":
            validation.clean_line(text, label, required=True, limit=validation.MAX_TITLE)
        elif name == "slug":
            slug = text.strip()
            if not slug:
                raise InvalidInput(self.tr("The slug (the page address) must not be empty"))
            if slug in RESERVED_SLUGS:
                raise InvalidInput(
                    self.tr(
                        "The slug %1 is the name of a file in every bundle; choose another"
                    ).replace("%1", slug)
                )
            if not is_valid_slug(slug):
                raise InvalidInput(
                    self.tr(
                        "The slug may hold only lowercase Latin letters, digits and hyphens, "
                        "e.g. %1"
                    ).replace("%1", "csto-council-meeting")
                )
            return slug
        else:
            validation.clean_line(text, label)
        return text

    def _date_value(self) -> dt.date | None:
        text = self.date.text().strip()
        if not text:
            return None
        if not DATE_PATTERN.match(text):
            raise InvalidInput(
                self.tr("Write the date as YYYY-MM-DD, e.g. %1").replace("%1", "2024-05-22")
            )
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            message = self.tr("There is no day %1 in the calendar").replace("%1", text)
            raise InvalidInput(message) from None
        if not validation.MIN_YEAR <= day.year <= validation.MAX_YEAR:
            raise InvalidInput(
                self.tr("The year must be between %1 and %2; check it")
                .replace("%1", str(validation.MIN_YEAR))
                .replace("%2", str(validation.MAX_YEAR))
            )
        return day

    # -- reacting ---------------------------------------------------------------------

    def _on_edited(self, name: str) -> None:
        if self._loading:
            return
        if name == "slug":
            self._slug_follows_title = False
        self._validate(name)
        if name == "title" and self._slug_follows_title and "title" not in self._errors:
            derived = slugify(self.title.text())
            if derived and derived != self.slug.text():
                self.slug.setText(derived)
                self._validate("slug")
        self.changed.emit()

    def follow_title_with_slug(self, follow: bool) -> None:
        """While on, editing the title re-derives the slug (for a draft whose slug was
        derived and never published); editing the slug by hand turns it off."""
        self._slug_follows_title = follow

    def slug_follows_title(self) -> bool:
        return self._slug_follows_title

    def revalidate(self) -> None:
        """Check every field again (clearing marks the services made and no longer hold)."""
        for name in self._editors:
            self._validate(name)

    def mark_invalid(self, name: str, message: str) -> None:
        """Mark a field the services refused (a slug already taken, say) until it changes."""
        self._errors[name] = message[:1].upper() + message[1:]
        self._mark(name, self._errors[name])
        self._update_problems()

    def _on_type_changed(self, _index: int) -> None:
        self._show_fields_of(self.content_type())
        self._on_edited("type")

    def _validate(self, name: str) -> None:
        try:
            self._value(name)
        except InvalidInput as error:
            message = str(error)
            self._errors[name] = message[:1].upper() + message[1:]
        else:
            self._errors.pop(name, None)
        self._mark(name, self._errors.get(name))
        self._update_problems()

    def _mark(self, name: str, message: str | None) -> None:
        widget = self._editors[name]
        widget.setStyleSheet(INVALID_STYLE if message else "")
        widget.setToolTip(message or "")
        widget.setAccessibleDescription(message or "")
        widget.setProperty("invalid", bool(message))

    def _update_problems(self) -> None:
        lines = list(self._errors.values())
        if lines:
            lines.append(self.tr("These fields are not saved until they are corrected."))
        self._problems.setText("\n".join(lines))
        self._problems.setVisible(bool(lines))

    def _show_fields_of(self, content_type: ContentType) -> None:
        shown = TYPE_FIELDS[content_type]
        required = REQUIRED_FIELDS[content_type]
        for name in OPTIONAL_FIELDS:
            self._right.setRowVisible(self._editors[name], name in shown)
            self._line(name).setPlaceholderText(
                self.tr("needed before publication") if name in required else ""
            )

    def _prepare_calendar(self) -> None:
        try:
            chosen = self._date_value()
        except InvalidInput:
            chosen = None
        day = chosen or dt.date.today()
        self._calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _date_picked(self, day: QDate) -> None:
        self.date.setText(day.toString("yyyy-MM-dd"))
        self._calendar_menu.close()
