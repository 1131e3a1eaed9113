"""Images and attachments: content-addressed, checked, with alt text, caption and credit."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from csto_editor.core.errors import InvalidInput, NotFound, PermissionDenied
from csto_editor.services import assets, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions
from csto_editor.services.views import ItemSummary

As = Callable[[str], ServiceContext]


def png(path: Path, size: tuple[int, int] = (64, 40)) -> Path:
    Image.new("RGB", size, (31, 78, 140)).save(path, "PNG")
    return path


def test_an_image_is_stored_once_by_its_hash(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    source = png(tmp_path / "delegations.png")
    first = assets.add_asset(ctx, source, alt_text="Delegations", caption="Bishkek", credit="CSTO")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    assert (first.sha256, first.mime_type, first.width, first.height) == (
        digest,
        "image/png",
        64,
        40,
    )
    stored = assets.local_asset_file(ctx, digest)
    assert stored is not None and stored.read_bytes() == source.read_bytes()
    again = assets.add_asset(ctx, source, alt_text="Delegations of the member states")
    assert again.sha256 == digest and again.alt_text == "Delegations of the member states"
    assert first.markdown() == f'![Delegations](asset:{digest} "Bishkek")'


def test_not_images_truncated_images_and_bombs_are_refused(as_user: As, tmp_path: Path) -> None:
    ctx = as_user("author")
    fake = tmp_path / "photo.jpg"
    fake.write_text("not an image")
    with pytest.raises(InvalidInput, match="not an image"):
        assets.add_asset(ctx, fake)
    whole = png(tmp_path / "whole.png", (400, 400)).read_bytes()
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InvalidInput, match="broken or truncated"):
        assets.add_asset(ctx, truncated)
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb, "PNG")
    with pytest.raises(InvalidInput, match="too large"):
        assets.add_asset(ctx, bomb)
    with pytest.raises(NotFound):
        assets.add_asset(ctx, tmp_path / "absent.png")


def test_attachments_and_permissions(as_user: As, tmp_path: Path) -> None:
    document = tmp_path / "statement.pdf"
    document.write_bytes(b"%PDF-1.4 minimal")
    attachment = assets.add_asset(as_user("author"), document)
    assert attachment.mime_type == "application/pdf" and not attachment.is_image
    assert attachment.markdown() == f"[statement.pdf](asset:{attachment.sha256})"
    with pytest.raises(PermissionDenied):
        assets.add_asset(as_user("reviewer"), document)


@pytest.mark.postgresql_only  # beside a SQLite file the folder is the store: see above
def test_on_a_server_every_editor_gets_the_assets_from_the_database(
    as_user: As, tmp_path: Path
) -> None:
    """Editors share no folder: another laptop (an empty cache) fetches the bytes."""
    ctx = as_user("author")
    source = png(tmp_path / "summit.png", (30, 20))
    image = assets.add_asset(ctx, source, alt_text="Summit")
    cache = assets.asset_folder(ctx)
    assert cache is not None and ctx.database.target.assets_dir is None
    shutil.rmtree(cache)
    other_laptop = as_user("reviewer")
    fetched = assets.local_asset_file(other_laptop, image.sha256)
    assert fetched is not None and fetched.read_bytes() == source.read_bytes()
    assert fetched.is_relative_to(tmp_path)  # the test's own cache folder, never the real one
    assert assets.local_asset_file(other_laptop, "0" * 64) is None


def test_an_exported_bundle_holds_the_image_on_both_databases(
    as_user: As, new_item: Callable[..., ItemSummary], tmp_path: Path
) -> None:
    """On a server the exporter's laptop has never seen the image: the export fetches it."""
    author = as_user("author")
    source = tmp_path / "flag.jpg"
    Image.new("RGB", (300, 200), (20, 90, 30)).save(source, "JPEG")
    image = assets.add_asset(author, source, alt_text="Flag")
    cache = assets.asset_folder(author)
    if author.database.dialect == "postgresql":
        assert cache is not None
        shutil.rmtree(cache)
    item = new_item("Flag raised", body=f"The flag.\n\n{image.markdown()}")
    review.submit(author, [item.id])
    review.approve(as_user("reviewer"), [item.id])
    out = tmp_path / "bundle"
    export(as_user("exporter"), ExportOptions(out=str(out)))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["items"]
    page = (out / entry["path"]).read_text(encoding="utf-8")
    assert "asset:" not in page
    (written,) = [path for path in manifest["files"] if image.sha256[:16] in path]
    assert f'src="../../{written}"' in page or written in page
    assert (out / written).is_file()
