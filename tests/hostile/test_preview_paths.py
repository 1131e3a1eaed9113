"""The preview's links into the local asset store cannot be bent to other local files."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.paths import resources_dir
from csto_editor.services import assets
from csto_editor.services.pages import PREVIEW_CSP, PagePreviewer
from tests.hostile.conftest import As
from tests.hostile.corpus import check_page

UP = "../" * 40


def test_asset_links_never_reach_outside_the_store(as_user: As, tmp_path: Path) -> None:
    """``asset:../../etc/passwd`` once became a file: URL of that file in the preview."""
    ctx = as_user("anna")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG")
    source = tmp_path / "real.png"
    source.write_bytes(buffer.getvalue())
    real = assets.add_asset(ctx, source, alt_text="Real")
    previewer = PagePreviewer(ctx, resources_dir())
    body = (
        f"[passwd](asset:{UP}etc/passwd) ![p](asset:{UP}etc/passwd) "
        f"[hosts](ASSET:{UP}etc/hosts) [net](asset://evil.example/x.png) "
        f"[item](item:{UP}etc/passwd)\n\n{real.markdown()}"
    )
    content = ItemContent(ContentType.NEWS, Language.EN, "Links", body=body)
    html = previewer.render(content, previewer.surroundings(None, "news"))
    store = ctx.database.target.assets_dir
    assert store is not None
    report = check_page(html, preview_assets=store.as_uri() + "/")
    assert report.problems == [] and report.csp == [PREVIEW_CSP]
    file_urls = set(re.findall(r'"(file:[^"]*)"', html))
    assert file_urls == {assets.asset_path(store, real.sha256).as_uri()}
    assert html.count('href="#missing"') == 3 and html.count('src="#missing"') == 1
