"""The Russian interface: every string of the window translated, nothing English left on
screen, placeholders kept, and the language chosen from the settings or the system."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.paths import resources_dir
from csto_editor.services import accounts, editing, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.services.editing import NewItem
from csto_editor.services.pages import PagePreviewer
from csto_editor.store.database import open_database
from csto_editor.ui.asset_dialog import ImageDetailsDialog
from csto_editor.ui.export_dialog import ExportDialog
from csto_editor.ui.history_dialog import HistoryDialog
from csto_editor.ui.locale_format import short_date, whole_number
from csto_editor.ui.main_window import MainWindow
from csto_editor.ui.section_tree import SectionDialog
from csto_editor.ui.settings import Settings
from csto_editor.ui.translations import (
    install_translations,
    interface_language,
    translations_dir,
)

UI_SOURCES = Path(__file__).resolve().parents[2] / "csto_editor" / "ui"
RUSSIAN_TS = translations_dir() / "csto_editor_ru.ts"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
ALLOWED_LATIN = re.compile(
    r"^(English|CSTO|Markdown|URL|zip|slug|Ctrl|Shift|Alt|Enter|Esc|Del|Home|End|Tab"
    r"|Backspace|Space|Ins|PgUp|PgDown|Up|Down|Left|Right|ivanova)$"
)
"""Words that stay Latin in Russian: names, keys, examples of slugs, the test's login."""


def messages(ts_file: Path) -> dict[tuple[str, str], ET.Element]:
    """Each (context, source) of a .ts file and its <message> element."""
    result: dict[tuple[str, str], ET.Element] = {}
    for context in ET.parse(ts_file).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            result[(name, message.findtext("source") or "")] = message
    return result


def is_finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
        return False
    forms = [form.text or "" for form in translation.iter("numerusform")]
    return all(forms) if forms else bool(translation.text)


def test_every_string_in_the_sources_is_translated_in_the_russian_ts(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh_ru.ts"
    subprocess.run(
        [
            str(LUPDATE),
            "-extensions",
            "py",
            "-locations",
            "none",
            str(UI_SOURCES),
            "-ts",
            str(fresh),
        ],
        check=True,
        capture_output=True,
    )
    wanted = messages(fresh)
    committed = messages(RUSSIAN_TS)
    assert len(wanted) > 250, "lupdate found too few strings: did it read the sources?"
    missing = [key for key in wanted if key not in committed or not is_finished(committed[key])]
    assert not missing, (
        f"{len(missing)} strings have no Russian translation (run `make translations`, "
        f"then translate them in {RUSSIAN_TS.name}): {missing[:20]}"
    )


def test_translations_keep_every_placeholder() -> None:
    placeholder = re.compile(r"%n|%\d|\{\w+\}")
    broken = []
    for (context, source), message in messages(RUSSIAN_TS).items():
        translation = message.find("translation")
        assert translation is not None
        forms = [form.text or "" for form in translation.iter("numerusform")]
        for text in forms or [translation.text or ""]:
            if sorted(set(placeholder.findall(text))) != sorted(set(placeholder.findall(source))):
                broken.append((context, source, text))
    assert not broken


def test_the_committed_qm_holds_every_translation_of_the_ts(qapp: QApplication) -> None:
    translator = QTranslator()
    assert translator.load(str(translations_dir() / "csto_editor_ru.qm"))
    stale = []
    for (context, source), message in messages(RUSSIAN_TS).items():
        translation = message.find("translation")
        assert translation is not None
        forms = [form.text or "" for form in translation.iter("numerusform")]
        # Russian plural forms: 1 материал, 3 материала, 5 материалов.
        expected = {1: forms[0], 3: forms[1], 5: forms[2]} if forms else {-1: translation.text}
        for count, text in expected.items():
            if translator.translate(context, source, None, count) != text:
                stale.append((context, source))
    assert not stale, f"the .qm is older than the .ts: run `make translations` ({stale[:5]})"


def test_the_language_follows_the_setting_then_the_system() -> None:
    assert interface_language("ru", QLocale("en_US")) == "ru"
    assert interface_language("en", QLocale("ru_RU")) == "en"
    assert interface_language("system", QLocale("ru_RU")) == "ru"
    assert interface_language("system", QLocale("ru_KZ")) == "ru"
    assert interface_language("system", QLocale("de_DE")) == "en"
    assert interface_language("system", QLocale("en_GB")) == "en"


def test_a_missing_translation_file_leaves_the_interface_in_english(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("csto_editor.ui.translations.translations_dir", lambda: tmp_path)
    try:
        assert install_translations(qapp, "ru") == "en"
        assert QCoreApplication.translate("MainWindow", "&File") == "&File"
        assert QLocale().language() == QLocale.Language.English
    finally:
        install_translations(qapp, "en")
        QLocale.setDefault(QLocale.c())


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    """The application in Russian for one test, then back in English."""
    assert install_translations(qapp, "ru") == "ru"
    yield
    install_translations(qapp, "en")
    QLocale.setDefault(QLocale.c())


@pytest.fixture
def russian_context(tmp_path: Path) -> Iterator[ServiceContext]:
    """A database whose sections, items and people all have Russian names."""
    database = open_database(tmp_path / "ru.sqlite3", create=True)
    admin = ServiceContext(database, "admin")
    setup.initialize(admin)
    accounts.add_user(admin, "ivanova", "Анна Иванова", ["author", "reviewer"])
    sections.add_section(admin, "novosti", "News", "Новости")
    ctx = ServiceContext(database, "ivanova")
    yield ctx
    database.dispose()


def russian_item(ctx: ServiceContext, title: str) -> int:
    content = ItemContent(ContentType.NEWS, Language.RU, title, lead="Лид.", body="Текст.")
    return editing.create_item(ctx, NewItem("novosti", content)).id


def test_dates_and_numbers_follow_the_interface_language(russian: None) -> None:
    import datetime as dt

    assert short_date(dt.date(2026, 11, 28)) == "28.11.2026"
    assert whole_number(12345) == "12\u00a0345"


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of interface text under ``root``: window titles,
    labels, buttons, placeholders, tooltips, menus and their actions, combo box entries
    and the headers of item views. Data the user typed (field values) is not included."""
    widgets = [root, *root.findChildren(QWidget)]
    actions: set[QAction] = set(root.findChildren(QAction))
    for widget in widgets:
        name = f"{type(widget).__name__}:{widget.objectName()}"
        if widget.isWindow():
            yield name, widget.windowTitle()
        yield name, widget.toolTip()
        actions.update(widget.actions())
        if isinstance(widget, QLabel):
            yield name, widget.text()
        if isinstance(widget, QAbstractButton):
            yield name, widget.text()
        if isinstance(widget, QGroupBox):
            yield name, widget.title()
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            yield name, widget.placeholderText()
        if isinstance(widget, QMenu):
            yield name, widget.title()
            actions.update(widget.actions())
        if isinstance(widget, QComboBox):
            for row in range(widget.count()):
                yield name, widget.itemText(row)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from header_texts(name, widget.model())
    for action in actions:
        where = f"QAction:{action.objectName() or action.text()}"
        yield where, action.text()
        yield where, action.toolTip()
        yield where, action.statusTip()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield where, menu.title()


def header_texts(where: str, model: QAbstractItemModel) -> Iterator[tuple[str, str]]:
    for column in range(model.columnCount()):
        yield where, str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        yield (
            where,
            str(
                model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
                or ""
            ),
        )


def english_left(root: QWidget) -> list[tuple[str, str]]:
    """Texts with an English word and no Russian one."""
    found = []
    for where, text in visible_texts(root):
        plain = re.sub(r"<[^>]+>", " ", text)
        if CYRILLIC.search(plain):
            continue
        words = [w for w in ENGLISH_WORD.findall(plain) if not ALLOWED_LATIN.match(w)]
        if words:
            found.append((where, text))
    return sorted(set(found))


def test_the_window_and_its_dialogs_show_no_english_in_russian(
    russian: None, russian_context: ServiceContext, qtbot: QtBot, tmp_path: Path
) -> None:
    ctx = russian_context
    settings = Settings(tmp_path / "settings.ini")
    settings.ui_language = "ru"  # the sections' own names: data, not interface
    item_id = russian_item(ctx, "Заседание Совета министров")
    window = MainWindow(ctx, settings, PagePreviewer(ctx, resources_dir()))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_item(item_id)

    export = ExportDialog(ctx, settings, window, threaded=False)
    history = HistoryDialog(ctx, item_id, window)
    section = SectionDialog(window, window.sections.tree_model)
    image = tmp_path / "снимок.png"
    image.write_bytes(b"")
    image_details = ImageDetailsDialog(image, window)
    dialogs: list[QDialog] = [export, history, section, image_details]
    for dialog in dialogs:
        qtbot.addWidget(dialog)

    assert window.menuBar().actions()[0].text() == "&Файл"
    assert "автор, рецензент" in window.user_label.text()
    leftovers = english_left(window) + [t for d in dialogs for t in english_left(d)]
    assert not leftovers, leftovers


def test_the_interface_language_is_chosen_in_the_view_menu_for_the_next_start(
    russian_context: ServiceContext, qtbot: QtBot, tmp_path: Path
) -> None:
    settings = Settings(tmp_path / "settings.ini")
    window = MainWindow(russian_context, settings, PagePreviewer(russian_context, resources_dir()))
    qtbot.addWidget(window)
    system = window.findChild(QAction, "action_interface_system")
    russian = window.findChild(QAction, "action_interface_ru")
    assert system is not None and system.isChecked()
    assert russian is not None and "next starts" in russian.toolTip()
    russian.trigger()
    assert Settings(tmp_path / "settings.ini").interface_language == "ru"
    assert russian.isChecked() and not system.isChecked()
    assert "next start" in window.statusBar().currentMessage()


def test_section_names_follow_the_interface_until_chosen(russian: None, tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.ini")
    assert settings.section_name_language() == "ru"
    settings.ui_language = "en"
    assert settings.section_name_language() == "en"
    QLocale.setDefault(QLocale(QLocale.Language.English))
    settings.reset(Settings.ui_language)
    assert settings.section_name_language() == "en"
