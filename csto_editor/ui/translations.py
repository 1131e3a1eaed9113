"""The interface language: Qt translators for our strings and Qt's own, and QLocale.

The language follows the system locale unless the settings choose English or Russian;
a change applies at the next start (the menu says so). A missing or unreadable ``.qm``
leaves the interface in English rather than stopping the application.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMenu

from csto_editor.paths import resources_dir
from csto_editor.ui.icons import icon
from csto_editor.ui.settings import INTERFACE_LANGUAGES, Settings

TRANSLATED_LANGUAGES = ("ru",)
"""Languages with a ``csto_editor_<code>.qm``; English is the language of the sources."""

ROLE_NAMES = {
    "author": QT_TRANSLATE_NOOP("Roles", "author"),
    "reviewer": QT_TRANSLATE_NOOP("Roles", "reviewer"),
    "exporter": QT_TRANSLATE_NOOP("Roles", "exporter"),
    "admin": QT_TRANSLATE_NOOP("Roles", "admin"),
}
"""A role's code (as the services give it) -> its name in the interface."""

CONTENT_TYPE_NAMES = {
    "news": QT_TRANSLATE_NOOP("ContentTypes", "News"),
    "statement": QT_TRANSLATE_NOOP("ContentTypes", "Statement"),
    "speech": QT_TRANSLATE_NOOP("ContentTypes", "Speech"),
    "interview": QT_TRANSLATE_NOOP("ContentTypes", "Interview"),
    "article": QT_TRANSLATE_NOOP("ContentTypes", "Article"),
    "document": QT_TRANSLATE_NOOP("ContentTypes", "Document"),
}
"""A content type's code -> its name in the interface."""

TRANSLATOR_NAME = "cstoTranslator"
"""Marks our translators, so that installing again (tests, a second window) replaces them."""

QT_CATALOGUES = ("qtbase", "qtwebengine")
"""Qt's own translations: standard buttons, text field menus, the preview's menu."""


def role_name(role: str) -> str:
    """A role as the interface names it ("author" is «автор» in Russian)."""
    return QCoreApplication.translate("Roles", ROLE_NAMES.get(role, role))


def content_type_name(kind: str) -> str:
    """A content type as the interface names it ("news" is «Новость» in Russian)."""
    return QCoreApplication.translate("ContentTypes", CONTENT_TYPE_NAMES.get(kind, kind))


def translations_dir() -> Path:
    """Where ``csto_editor_<lang>.ts`` and ``.qm`` live (``resources/i18n``)."""
    return resources_dir() / "i18n"


def interface_language(choice: str, system: QLocale | None = None) -> str:
    """The language code the interface uses for the settings' ``choice``
    ("system", "en" or "ru"): "system" picks Russian for a Russian locale, else English."""
    if choice in TRANSLATED_LANGUAGES or choice == "en":
        return choice
    locale = system if system is not None else QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-")[0].lower()
        if code == "en":
            return "en"
        if code in TRANSLATED_LANGUAGES:
            return code
    return "en"


def install_translations(application: QCoreApplication, choice: str) -> str:
    """Install the translators for ``choice`` and make QLocale's default match;
    the language code in use. Translators become children of ``application``."""
    for previous in application.findChildren(QTranslator, TRANSLATOR_NAME):
        QCoreApplication.removeTranslator(previous)
        previous.deleteLater()
    language = interface_language(choice)
    if language != "en" and not _install(
        application, f"csto_editor_{language}", str(translations_dir())
    ):
        language = "en"
    if language != "en":
        qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for catalogue in QT_CATALOGUES:
            _install(application, f"{catalogue}_{language}", qt_folder)
    QLocale.setDefault(_locale_for(language))
    if isinstance(application, QGuiApplication):
        # Shown by the desktop beside window titles and in the task switcher.
        application.setApplicationDisplayName(
            QCoreApplication.translate("MainWindow", "CSTO Editor")
        )
    return language


def _locale_for(language: str) -> QLocale:
    """The system locale when it speaks ``language`` (its date and number habits win),
    else that language's usual locale."""
    system = QLocale.system()
    wanted = QLocale.Language.Russian if language == "ru" else QLocale.Language.English
    if system.language() == wanted and system.language() != QLocale.Language.C:
        return system
    return QLocale("ru_RU" if language == "ru" else "en_GB")


def _install(application: QCoreApplication, name: str, folder: str) -> bool:
    translator = QTranslator(application)
    translator.setObjectName(TRANSLATOR_NAME)
    if not translator.load(name, folder):
        translator.deleteLater()
        return False
    QCoreApplication.installTranslator(translator)
    return True


def add_interface_language_menu(
    parent_menu: QMenu, settings: Settings, window: QMainWindow
) -> QMenu:
    """A submenu choosing the interface language (System / English / Русский), stored
    in the settings and applied at the next start."""
    menu = parent_menu.addMenu(
        icon("language"),
        QCoreApplication.translate("InterfaceLanguage", "Interface &language"),
    )
    menu.setObjectName("interfaceLanguageMenu")
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    group.setExclusive(True)
    names = {
        "system": QCoreApplication.translate("InterfaceLanguage", "As in the &system"),
        "en": "English",
        "ru": "Русский",
    }
    note = QCoreApplication.translate("InterfaceLanguage", "Applies when the editor next starts")
    current = settings.interface_language
    for code in INTERFACE_LANGUAGES:
        action = QAction(names[code], menu, checkable=True)
        action.setObjectName(f"action_interface_{code}")
        action.setData(code)
        action.setChecked(code == current)
        action.setToolTip(note)
        action.setStatusTip(note)
        action.triggered.connect(lambda _checked=False, c=code: _choose(settings, c, window))
        group.addAction(action)
        menu.addAction(action)
    return menu


def _choose(settings: Settings, code: str, window: QMainWindow) -> None:
    if settings.interface_language == code:
        return
    settings.interface_language = code
    settings.sync()
    window.statusBar().showMessage(
        QCoreApplication.translate(
            "InterfaceLanguage", "The new interface language applies at the next start."
        ),
        10_000,
    )
