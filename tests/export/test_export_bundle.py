"""A full export of the demo database, read back as web staff would read it."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path

import html5lib
import pytest
from sqlalchemy import func, select

from csto_editor.core.errors import InvalidInput, PermissionDenied, WorkflowRefused
from csto_editor.services import editing, queries, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions
from csto_editor.store.models import ExportRun
from tests.export.conftest import manifest, read_page, sha256_file

Demo = Callable[[str], ServiceContext]
FORBIDDEN_TAGS = {"script", "iframe", "form", "base", "object", "embed", "frame"}


def every_file(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_full_export_of_the_demo(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    result = export(demo("nurlanov"), ExportOptions(out=str(out)))
    approved = queries.list_items(demo("nurlanov"), queries.ItemFilter(status="published"))
    assert result.items == len(approved) == 7
    data = manifest(out)
    assert data["generator"] == "csto-editor" and data["format_version"] == 1
    items = data["items"]
    assert isinstance(items, list) and {i["id"] for i in items} == {i.id for i in approved}
    for entry in items:
        assert set(entry) >= {
            "id", "lang", "section", "path", "title", "date", "revision",
            "content_sha256", "approved_by", "approved_at",
        }  # fmt: skip
        assert entry["approved_by"] == "petrov"
        assert (out / entry["path"]).is_file()
    files = data["files"]
    assert isinstance(files, dict)
    on_disk = {p.relative_to(out).as_posix() for p in every_file(out)} - {"manifest.json"}
    assert set(files) == on_disk
    for path, digest in files.items():
        assert sha256_file(out / path) == digest
    for required in ("index.html", "changes.json", "sitemap.xml", "assets/site.css",
                     "en/index.html", "ru/index.html", "en/feed.xml", "ru/feed.xml"):  # fmt: skip
        assert (out / required).is_file(), required


def test_every_page_is_well_formed_safe_and_links_resolve(demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(out)))
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    pages = [p for p in every_file(out) if p.suffix == ".html"]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        parser.parse(text)
        reader = read_page(page)
        relative = page.relative_to(out).as_posix()
        html_tag = reader.tags[0]
        assert html_tag[0] == "html" and html_tag[1].get("lang") in ("en", "ru"), relative
        for tag, attrs in reader.tags:
            assert tag not in FORBIDDEN_TAGS, (relative, tag)
            assert not any(name.startswith("on") for name in attrs), (relative, tag)
        for link in reader.links():
            assert not link.lower().startswith(("javascript:", "data:", "file:")), relative
            if link.startswith(("http://", "https://", "#", "mailto:")):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(relative), link))
            target = target.split("#", 1)[0]
            assert not target.startswith(".."), (relative, link)
            assert (out / target).is_file(), (relative, link)


def test_only_approved_revisions_are_published(demo: Demo, tmp_path: Path) -> None:
    author = demo("ivanova")
    editing.edit_item(author, 1, {"body": "A DRAFT SENTENCE that is not approved."})
    out = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(out)))
    entry = next(i for i in manifest(out)["items"] if i["id"] == 1)  # type: ignore[union-attr]
    page = (out / entry["path"]).read_text(encoding="utf-8")
    assert "DRAFT SENTENCE" not in page
    assert queries.get_item(author, 1).summary.status == "draft"


def test_since_last_carries_only_the_changes(demo: Demo, tmp_path: Path) -> None:
    export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "first")))
    editing.edit_item(demo("ivanova"), 1, {"title": "Seminar for press officers, updated"})
    review.submit(demo("ivanova"), [1])
    review.approve(demo("petrov"), [1])
    review.submit(demo("ivanova"), [5])
    review.approve(demo("petrov"), [5])
    second = tmp_path / "second"
    result = export(demo("nurlanov"), ExportOptions(out=str(second), since_last=True))
    assert (result.added, result.updated, result.items) == (1, 1, 2)
    changes = (second / "changes.json").read_text(encoding="utf-8")
    assert '"updated"' in changes
    pages = {i["id"] for i in manifest(second)["items"]}  # type: ignore[union-attr]
    assert pages == {1, 5}
    review.withdraw(demo("petrov"), 2, "Published by mistake.")
    third = export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "third"), since_last=True))
    assert third.removed == 1 and third.items == 0
    again = export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "fourth"), since_last=True))
    assert (again.added, again.updated, again.removed) == (0, 0, 0)


def test_zip_and_rexport_over_an_earlier_bundle(demo: Demo, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "bundle.zip"
    export(demo("nurlanov"), ExportOptions(out=str(archive), as_zip=True))
    with zipfile.ZipFile(archive) as bundle_zip:
        assert "manifest.json" in bundle_zip.namelist()
    export(demo("nurlanov"), ExportOptions(out=str(archive), as_zip=True))
    folder = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(folder)))
    export(demo("admin"), ExportOptions(out=str(folder)))
    assert not list(tmp_path.glob(".bundle*"))


def test_a_folder_that_is_not_a_bundle_is_refused_untouched(demo: Demo, tmp_path: Path) -> None:
    stranger = tmp_path / "documents"
    stranger.mkdir()
    (stranger / "letter.txt").write_text("Do not overwrite me")
    with pytest.raises(InvalidInput, match="not an earlier bundle"):
        export(demo("nurlanov"), ExportOptions(out=str(stranger)))
    assert [p.name for p in stranger.iterdir()] == ["letter.txt"]
    with pytest.raises(InvalidInput, match="not an earlier bundle"):
        export(demo("nurlanov"), ExportOptions(out=str(stranger / "letter.txt"), as_zip=True))


def test_only_exporters_and_admins_export(demo: Demo, tmp_path: Path) -> None:
    for login in ("ivanova", "petrov"):
        with pytest.raises(PermissionDenied):
            export(demo(login), ExportOptions(out=str(tmp_path / login)))
        assert not (tmp_path / login).exists()


def test_check_errors_block_the_export_unless_forced(demo: Demo, tmp_path: Path) -> None:
    editing.edit_item(demo("ivanova"), 3, {"place": ""})
    review.submit(demo("ivanova"), [3])
    review.approve(demo("petrov"), [3])
    with pytest.raises(WorkflowRefused, match="place"):
        export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "blocked")))
    assert not (tmp_path / "blocked").exists()
    export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "forced"), force=True))


def test_a_failure_part_way_leaves_nothing(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from csto_editor.services import export_writer

    out = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(out)))
    before = {p.relative_to(out): sha256_file(p) for p in every_file(out)}
    real_write = export_writer.BundleWriter._write
    calls = {"n": 0}

    def failing_write(self: export_writer.BundleWriter, path: str, data: bytes | str) -> None:
        calls["n"] += 1
        if calls["n"] == 12:
            raise OSError(28, "No space left on device")
        real_write(self, path, data)

    monkeypatch.setattr(export_writer.BundleWriter, "_write", failing_write)
    with pytest.raises(Exception, match="No space left on device"):
        export(demo("nurlanov"), ExportOptions(out=str(out)))
    assert {p.relative_to(out): sha256_file(p) for p in every_file(out)} == before
    assert not list(tmp_path.glob(".bundle*"))
    with demo("nurlanov").database.session() as session:
        assert session.scalar(select(func.count(ExportRun.id))) == 1


def test_cancel_leaves_nothing(demo: Demo, tmp_path: Path) -> None:
    from csto_editor.services.export import ExportCancelled

    with pytest.raises(ExportCancelled):
        export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "b")), cancelled=lambda: True)
    assert not (tmp_path / "b").exists() and not list(tmp_path.glob(".b*"))
