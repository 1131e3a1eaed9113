from csto_editor.core.links import resolve_links
from csto_editor.core.markdown_render import render_markdown

SHA = "ab" * 32


def test_item_and_asset_links_are_resolved_and_unknown_ones_marked() -> None:
    html = render_markdown(
        f"[earlier](item:5#details) and [lost](item:77)\n\n![Hall](asset:{SHA})", "en"
    )
    known = {("item", "5"): "../news/earlier.html", ("asset", SHA): "../../assets/ab/hall.png"}
    result = resolve_links(html, lambda scheme, ref: known.get((scheme, ref)))
    assert 'href="../news/earlier.html#details"' in result
    assert 'href="#missing"' in result
    assert 'src="../../assets/ab/hall.png"' in result
    assert "item:" not in result and "asset:" not in result
