"""The export command: what scripts of web staff rely on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cli_helpers import Runner


def approved_item(new_item: Callable[..., int], cli: Runner, title: str, **fields: object) -> int:
    item = new_item(title, **fields)
    cli("submit", str(item), user="anna").assert_ok()
    cli("approve", str(item), user="roman").assert_ok()
    return item


def test_export_json_manifest_and_changes(
    cli: Runner, world: Path, new_item: Callable[..., int], tmp_path: Path
) -> None:
    first = approved_item(new_item, cli, "Seminar for press officers")
    draft = new_item("A draft that stays home")
    out = tmp_path / "bundle"
    result = cli("export", "--out", str(out), "--json", user="erik").assert_ok().json()
    assert result["items"] == 1 and result["added"] == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in manifest["items"]] == [first]
    assert draft not in [item["id"] for item in manifest["items"]]
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in changes["added"]] == [first]
    assert set(changes["added"][0]) == {"id", "lang", "path", "revision"}
    shown = cli("show", str(first), "--json").assert_ok().json()
    assert shown["status"] == "published" and shown["published_revision"] == shown["revision"]
    again = cli("export", "--out", str(tmp_path / "next"), "--since-last", "--json", user="erik")
    assert again.assert_ok().json()["items"] == 0


def test_export_scope_zip_and_base_url(
    cli: Runner, world: Path, new_item: Callable[..., int], tmp_path: Path
) -> None:
    approved_item(new_item, cli, "News in English")
    approved_item(new_item, cli, "Новость по-русски", lang="ru")
    approved_item(new_item, cli, "Statement", section="statements", type="statement", place="Minsk")
    archive = tmp_path / "ru.zip"
    cli(
        "export", "--out", str(archive), "--zip", "--lang", "ru", "--section", "news",
        "--base-url", "https://example.org/csto", user="erik",
    ).assert_ok()  # fmt: skip
    import zipfile

    with zipfile.ZipFile(archive) as bundle:
        manifest = json.loads(bundle.read("manifest.json"))
        sitemap = bundle.read("sitemap.xml").decode("utf-8")
    assert [(i["lang"], i["section"]) for i in manifest["items"]] == [("ru", "news")]
    assert manifest["base_url"] == "https://example.org/csto/"
    assert "https://example.org/csto/ru/news/" in sitemap


def test_export_refusals(cli: Runner, world: Path, tmp_path: Path) -> None:
    cli("export", "--out", str(tmp_path / "b"), user="anna").assert_error(3, "exporter")
    stranger = tmp_path / "documents"
    stranger.mkdir()
    (stranger / "keep.txt").write_text("mine")
    cli("export", "--out", str(stranger), user="erik").assert_error(2, "not an earlier bundle")
    cli("export", "--out", str(tmp_path / "x" / "y"), user="erik").assert_error(2, "does not exist")
    cli("export", "--out", str(tmp_path / "b"), "--lang", "de", user="erik").assert_error(2)
    cli("export", "--out", str(tmp_path / "b"), "--section", "nope", user="erik").assert_error(4)
    cli("export", user="erik").assert_error(2, "--out")
    assert not (tmp_path / "b").exists()


def test_a_killed_export_leaves_no_partial_bundle(
    cli: Runner, world: Path, new_item: Callable[..., int], tmp_path: Path
) -> None:
    for number in range(40):
        approved_item(new_item, cli, f"Item number {number}", body="Paragraph.\n\n" * 200)
    out = tmp_path / "bundle"
    code = (
        "import sys, time\n"
        "from csto_editor.services import export_writer\n"
        "real = export_writer.BundleWriter._write\n"
        "def slow(self, path, data):\n"
        "    real(self, path, data)\n"
        "    print('WROTE', path, flush=True)\n"
        "    time.sleep(0.02)\n"
        "export_writer.BundleWriter._write = slow\n"
        "from csto_editor.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--db", str(world), "--user", "erik", "export", "--out",
         str(out)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )  # fmt: skip
    assert process.stdout is not None
    for _ in range(10):
        assert process.stdout.readline().startswith("WROTE")
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    time.sleep(0.1)
    assert not out.exists()
    cli("export", "--out", str(out), user="erik").assert_ok()
    assert (out / "manifest.json").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".bundle")] == []
