"""The window's settings: one typed class over an INI file in the user config folder.

Every option is declared once below with its default (as Picard's ``options.py`` does);
reading converts the INI file's text back to the default's type, so a damaged or
hand-edited value falls back to the default instead of breaking the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar, cast, overload

from platformdirs import user_config_path
from PySide6.QtCore import QByteArray, QLocale, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from csto_editor.paths import APP_NAME

SETTINGS_FILE = "csto-editor.ini"
UI_LANGUAGES = ("en", "ru")
INTERFACE_LANGUAGES = ("system", "en", "ru")

T = TypeVar("T")


def settings_path() -> Path:
    """The INI file in the platformdirs user config folder."""
    return user_config_path(APP_NAME, appauthor=False) / SETTINGS_FILE


class Option(Generic[T]):
    """One declared setting: its key in the INI file and its default (which sets its type)."""

    def __init__(self, key: str, default: T, *, choices: Iterable[T] | None = None) -> None:
        self.key = key
        self.default = default
        self.choices = tuple(choices) if choices is not None else None

    @overload
    def __get__(self, owner: None, kind: type[Settings]) -> Option[T]: ...
    @overload
    def __get__(self, owner: Settings, kind: type[Settings]) -> T: ...
    def __get__(self, owner: Settings | None, kind: type[Settings]) -> T | Option[T]:
        if owner is None:
            return self
        return owner.read(self)

    def __set__(self, owner: Settings, value: T) -> None:
        owner.write(self, value)


class Settings:
    """The persistent choices of the window: geometry, splitters, last item, filters, language."""

    window_geometry = Option("window/geometry", b"")
    window_state = Option("window/state", b"")
    main_splitter = Option("window/main_splitter", [240, 430, 730])
    """Sections, item list, item: widths at the first start (scaled to the window)."""
    item_splitter = Option("window/item_splitter", [360, 380])
    """Editor and preview inside the item panel: half and half at first."""

    last_item_id = Option("session/last_item", 0)
    """0: no item was open."""
    last_section = Option("session/last_section", "")
    """'' stands for all sections."""

    ui_language = Option("ui/language", "en", choices=UI_LANGUAGES)
    """Which names the section tree shows: English or Russian (until chosen: the
    interface's language, see ``section_name_language``)."""
    interface_language = Option("ui/interface_language", "system", choices=INTERFACE_LANGUAGES)
    """The language of menus and dialogs: the system locale's, English or Russian."""

    filter_status = Option("list/status", "")
    filter_lang = Option("list/lang", "")
    filter_awaiting_review = Option("list/awaiting_review", False)
    list_columns = Option("list/columns", "title,date,status")
    """The list's visible columns, by key (see item_table_model.COLUMNS)."""
    sort_key = Option("list/sort", "date")
    sort_descending = Option("list/descending", True)

    def section_name_language(self) -> str:
        """The section names' language: the one chosen, else the interface's (QLocale's)."""
        if self.is_stored(Settings.ui_language):
            return self.ui_language
        return "ru" if QLocale().language() == QLocale.Language.Russian else "en"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)

    @classmethod
    def options(cls) -> list[Option[Any]]:
        return [value for value in vars(cls).values() if isinstance(value, Option)]

    def read(self, option: Option[T]) -> T:
        raw = self._store.value(option.key)
        if raw is None:
            return option.default
        value = _convert(raw, option.default)
        if value is None or (option.choices is not None and value not in option.choices):
            return option.default
        return value

    def write(self, option: Option[T], value: T) -> None:
        if isinstance(value, bytes):
            self._store.setValue(option.key, QByteArray(value))
        elif isinstance(value, list):
            self._store.setValue(option.key, ",".join(str(v) for v in value))
        else:
            self._store.setValue(option.key, value)

    def is_stored(self, option: Option[Any]) -> bool:
        """Whether the user has made this choice (rather than left the default)."""
        return self._store.contains(option.key)

    def reset(self, option: Option[Any]) -> None:
        self._store.remove(option.key)

    def sync(self) -> None:
        """Write pending changes to the file now."""
        self._store.sync()


def _convert(raw: object, default: T) -> T | None:
    """The stored value as the default's type, or None when it cannot be one."""
    try:
        if isinstance(default, bool):
            if isinstance(raw, str):
                return cast(T, raw.strip().lower() in ("true", "1", "yes"))
            return cast(T, bool(raw))
        if isinstance(default, int):
            return cast(T, int(cast(Any, raw)))
        if isinstance(default, bytes):
            if isinstance(raw, QByteArray):
                return cast(T, bytes(raw.data()))
            if isinstance(raw, bytes):
                return cast(T, raw)
            return None
        if isinstance(default, list):
            parts = raw if isinstance(raw, list) else str(raw).split(",")
            return cast(T, [int(str(p).strip()) for p in parts if str(p).strip()])
        if isinstance(default, str):
            return cast(T, str(raw))
    except (TypeError, ValueError):
        return None
    return cast(T, raw)


class WindowStateMixin:
    """Saves and restores a main window's geometry, tool bar state and splitters.

    A window calls ``restore_window_state`` once it is built and ``save_window_state``
    when it closes; each splitter is paired with the option that holds its sizes.
    """

    def restore_window_state(
        self, settings: Settings, splitters: dict[str, QSplitter] | None = None
    ) -> None:
        window = cast(QMainWindow, self)
        geometry = settings.window_geometry
        if geometry:
            window.restoreGeometry(QByteArray(geometry))
        state = settings.window_state
        if state:
            window.restoreState(QByteArray(state))
        for key, splitter in (splitters or {}).items():
            sizes = settings.read(_splitter_option(key))
            if len(sizes) == splitter.count() and sum(sizes) > 0:
                splitter.setSizes(sizes)

    def save_window_state(
        self, settings: Settings, splitters: dict[str, QSplitter] | None = None
    ) -> None:
        window = cast(QMainWindow, self)
        settings.window_geometry = bytes(window.saveGeometry().data())
        settings.window_state = bytes(window.saveState().data())
        for key, splitter in (splitters or {}).items():
            sizes = splitter.sizes()
            if sum(sizes) > 0:
                settings.write(_splitter_option(key), sizes)


def _splitter_option(key: str) -> Option[list[int]]:
    option = getattr(Settings, f"{key}_splitter", None)
    if not isinstance(option, Option):
        raise KeyError(f"no splitter setting {key!r}")
    return cast(Option[list[int]], option)
