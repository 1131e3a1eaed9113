"""The preview renders through the export's template, with assets from the local store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.paths import resources_dir
from csto_editor.services import assets
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.views import ItemSummary

As = Callable[[str], ServiceContext]
New = Callable[..., ItemSummary]


def test_preview_of_a_statement_with_an_image(as_user: As, new_item: New, tmp_path: Path) -> None:
    ctx = as_user("author")
    english = new_item("Statement", section="statements", type=ContentType.STATEMENT)
    russian = new_item(
        "Заявление", section="statements", lang=Language.RU, translation_of=english.id
    )
    Image.new("RGB", (8, 8)).save(tmp_path / "hall.png")
    image = assets.add_asset(ctx, tmp_path / "hall.png", alt_text="Зал заседаний")
    previewer = PagePreviewer(ctx, resources_dir())
    around = previewer.surroundings(russian.id, "statements")
    content = ItemContent(
        type=ContentType.STATEMENT,
        lang=Language.RU,
        title="Заявление министров",
        body=f'Мы, министры, "едины".\n\n{image.markdown()}',
        event_date=dt.date(2019, 5, 22),
        place="Бишкек",
    )
    html = previewer.render(content, around)
    assert "Бишкек, 22 мая 2019 года" in html
    assert "«едины»" in html
    assert "English version" in html and "Заявления" in html
    folder = assets.asset_folder(ctx)  # beside a SQLite file, or a server's local cache
    assert folder is not None
    assert f'src="{assets.asset_path(folder, image.sha256).as_uri()}"' in html
    assert "Content-Security-Policy" in html and "default-src &#39;none&#39;" in html
