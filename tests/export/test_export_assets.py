"""Images and attachments in a bundle: content-addressed, web-sized, captioned, inside."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.services import assets, editing, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions
from tests.export.conftest import manifest, read_page

Demo = Callable[[str], ServiceContext]


def test_images_attachments_and_hostile_names(demo: Demo, tmp_path: Path) -> None:
    author = demo("ivanova")
    big = tmp_path / "../../etc/passwd<script>.png".replace("/", "_")
    Image.new("RGB", (2400, 1600), (200, 30, 30)).save(big, "PNG")
    photo = assets.add_asset(
        author, big, alt_text="Delegations", caption="Bishkek, 27 November", credit="CSTO press"
    )
    small = tmp_path / "small.jpg"
    Image.new("RGB", (300, 200), (20, 90, 30)).save(small, "JPEG")
    thumb = assets.add_asset(author, small, alt_text="Flag")
    document = tmp_path / "Заявление (final) ..\\..\\x.pdf"
    document.write_bytes(b"%PDF-1.4 statement")
    attachment = assets.add_asset(author, document)
    body = (
        f"The session opened.\n\n{photo.markdown()}\n\n"
        f"Inline {thumb.markdown()} flag.\n\nThe text: {attachment.markdown()}"
    )
    item = editing.create_item(
        author,
        editing.NewItem(
            "news",
            ItemContent(
                type=ContentType.NEWS,
                lang=Language.EN,
                title='../../"><script>alert(1)</script> Session',
                body=body,
                event_date=dt.date(2025, 11, 27),
            ),
        ),
    )
    review.submit(author, [item.id])
    review.approve(demo("petrov"), [item.id])
    out = tmp_path / "bundle"
    export(demo("nurlanov"), ExportOptions(out=str(out)))
    entry = next(i for i in manifest(out)["items"] if i["id"] == item.id)  # type: ignore[union-attr]
    assert re.fullmatch(r"en/news/[a-z0-9-]+\.html", entry["path"])
    page = out / entry["path"]
    text = page.read_text(encoding="utf-8")
    reader = read_page(page)
    images = [attrs for tag, attrs in reader.tags if tag == "img"]
    web = next(a for a in images if a["alt"] == "Delegations")
    assert web["src"] == f"../../assets/images/{photo.sha256}-web.png"
    assert (web["width"], web["height"]) == ("1200", "800")
    assert (out / "assets" / "images" / f"{photo.sha256}.png").is_file()
    with Image.open(out / "assets" / "images" / f"{photo.sha256}-web.png") as rendition:
        assert rendition.size == (1200, 800)
    flag = next(a for a in images if a["alt"] == "Flag")
    assert flag["src"] == f"../../assets/images/{thumb.sha256}.jpg"
    assert (flag["width"], flag["height"]) == ("300", "200")
    assert "<figcaption>Bishkek, 27 November — CSTO press</figcaption>" in text
    link = f"../../assets/files/{attachment.sha256}.pdf"
    assert link in reader.links() and (out / link.removeprefix("../../")).is_file()
    assert "<script>" not in text
    for path in out.rglob("*"):
        assert path.resolve().is_relative_to(out.resolve())
        assert ".." not in path.name and "<" not in path.name
