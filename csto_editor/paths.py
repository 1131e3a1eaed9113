"""Where things live on disk: the default database and the bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "csto-editor"
DATABASE_FILE = "csto-editor.sqlite3"


def default_database() -> str:
    """$CSTO_EDITOR_DB, else the database file in the user data folder."""
    configured = os.environ.get("CSTO_EDITOR_DB")
    if configured:
        return configured
    return str(user_data_path(APP_NAME, appauthor=False, ensure_exists=True) / DATABASE_FILE)


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, or in a frozen app."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
