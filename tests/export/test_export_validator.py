"""Every page of an export of the demo database passes the Nu Html Checker with no error."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions


def vnu_command() -> list[str] | None:
    jar = os.environ.get("VNU_JAR", "")
    java = shutil.which("java")
    if jar and Path(jar).is_file() and java:
        return [java, "-Xss2m", "-jar", jar]
    if os.environ.get("CSTO_REQUIRE_VNU"):
        pytest.fail("the Nu Html Checker is required here: set VNU_JAR and install Java")
    return None


def test_the_demo_export_has_no_validator_errors(
    demo: Callable[[str], ServiceContext], tmp_path: Path
) -> None:
    command = vnu_command()
    if command is None:
        pytest.skip("the Nu Html Checker (VNU_JAR, java) is not installed; `make test` installs it")
    out = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(out)))
    pages = sorted(str(p) for p in out.rglob("*.html"))
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert errors == [], json.dumps(errors[:5], ensure_ascii=False, indent=2)
    assert len(pages) > 20
