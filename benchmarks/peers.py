"""The peers' environment: a separate venv with Pelican and ReText from PyPI.

``python benchmarks/peers.py`` creates ``.venv-bench`` in the repository root (once) and
installs ``pelican[markdown]``, ``ReText`` with PyQt6 and PyQt6-WebEngine (ReText's optional
WebEngine preview), then checks that ReText starts offscreen. The project's own venv is never
touched: the peers' Markdown and Qt versions stay out of the app's environment.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_VENV = ROOT / ".venv-bench"
PACKAGES = ("pelican[markdown]", "ReText", "PyQt6", "PyQt6-WebEngine")
STAMP = BENCH_VENV / ".installed-peers"


def bench_python() -> Path:
    return BENCH_VENV / "bin" / "python"


def offscreen_env(**extra: str) -> dict[str, str]:
    """The environment for a Qt program without a display (ours or a peer's)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")
    env.update(extra)
    return env


def ensure_peers(*, quiet: bool = True) -> Path:
    """Create the bench venv and install the peers unless already done; its python."""
    python = bench_python()
    if STAMP.exists() and python.exists():
        return python
    if not python.exists():
        print(f"creating {BENCH_VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=False).create(BENCH_VENV)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    if quiet:
        pip.append("--quiet")
    print(f"installing {' '.join(PACKAGES)} into {BENCH_VENV}", file=sys.stderr)
    subprocess.run([*pip, *PACKAGES], check=True)
    check_retext(python)
    STAMP.write_text(versions(python) + "\n", encoding="utf-8")
    return python


def check_retext(python: Path) -> None:
    """ReText's main window class imports and a QApplication starts offscreen."""
    script = (
        "from PyQt6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ReText.window import ReTextWindow\n"
        "print('ReText window class:', ReTextWindow.__name__)\n"
    )
    subprocess.run([str(python), "-c", script], check=True, env=offscreen_env(), timeout=120)


def versions(python: Path) -> str:
    """'name version' of each peer package, one per line."""
    script = (
        "from importlib.metadata import version\n"
        "for name in ('pelican', 'Markdown', 'ReText', 'Markups', 'PyQt6', 'PyQt6-Qt6',\n"
        "             'PyQt6-WebEngine'):\n"
        "    try:\n"
        "        print(name, version(name))\n"
        "    except Exception as error:  # noqa: BLE001\n"
        "        print(name, 'missing', error)\n"
    )
    result = subprocess.run([str(python), "-c", script], check=True, capture_output=True, text=True)
    return result.stdout.strip()


def peer_versions() -> dict[str, str]:
    """The installed peer versions, as recorded when they were installed."""
    text = STAMP.read_text(encoding="utf-8") if STAMP.exists() else versions(bench_python())
    return dict(line.split(" ", 1) for line in text.splitlines() if " " in line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="reinstall even if installed")
    parser.add_argument("--verbose", action="store_true", help="show pip's output")
    args = parser.parse_args(argv)
    if args.force:
        STAMP.unlink(missing_ok=True)
    python = ensure_peers(quiet=not args.verbose)
    print(STAMP.read_text(encoding="utf-8"), end="")
    print(f"peers ready in {python.parent.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
