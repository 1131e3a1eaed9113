"""core, store, services and cli never import Qt; core imports no SQLAlchemy either."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import csto_editor

PACKAGE = Path(csto_editor.__file__).parent


def modules(*packages: str) -> list[str]:
    names = []
    for package in packages:
        for path in sorted((PACKAGE / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(PACKAGE.parent).with_suffix("")
            names.append(".".join(p for p in relative.parts if p != "__init__"))
    return names


def import_with_blocked(blocked: list[str], names: list[str]) -> subprocess.CompletedProcess[str]:
    script = textwrap.dedent(
        f"""
        import importlib, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {blocked!r}:
                    raise ImportError("blocked for this test: " + name)
        sys.meta_path.insert(0, Block())
        for name in {names!r}:
            importlib.import_module(name)
        for name in {blocked!r}:
            assert name not in sys.modules, name
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )


def test_core_store_services_and_cli_import_without_pyside6() -> None:
    names = [*modules("core", "store", "services"), "csto_editor.cli", "csto_editor.app"]
    result = import_with_blocked(["PySide6", "shiboken6"], names)
    assert result.returncode == 0, result.stderr


def test_core_imports_neither_qt_nor_sqlalchemy() -> None:
    result = import_with_blocked(["PySide6", "shiboken6", "sqlalchemy", "alembic"], modules("core"))
    assert result.returncode == 0, result.stderr


def test_the_cli_runs_a_command_without_pyside6(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6"):
                    raise ImportError(name)
        sys.meta_path.insert(0, Block())
        from csto_editor.cli import main
        sys.exit(main(["--db", {str(tmp_path / "x.sqlite3")!r}, "--user", "root", "init"]))
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
