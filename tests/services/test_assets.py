"""Images and attachments: content-addressed, checked, with alt text, caption and credit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from csto_editor.core.errors import InvalidInput, NotFound, PermissionDenied
from csto_editor.services import assets
from csto_editor.services.context import ServiceContext

# Asset files live beside a SQLite database file; team mode has no asset store yet.
pytestmark = pytest.mark.sqlite_only

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
    folder = ctx.database.target.assets_dir
    assert folder is not None
    assert assets.asset_path(folder, digest).read_bytes() == source.read_bytes()
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
