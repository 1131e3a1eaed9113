"""The export's cache of rendered bodies, filled when a revision is approved.

An approved revision never changes, so its HTML and the links in it are rendered once, at
approval, and every later export (full or --since-last) reads them instead of rendering.
"""

from __future__ import annotations

from csto_editor.core.checks import references_in_sanitised_html, references_to_json
from csto_editor.store.models import Revision

__all__ = ["render_for_export"]


def render_for_export(revision: Revision) -> None:
    """Keep the revision's body HTML and its links, unless they are kept already."""
    if revision.rendered_html is not None:
        return
    # Imported here: only approving needs Markdown, not the commands that merely load this.
    from csto_editor.core.markdown_render import render_markdown

    html = render_markdown(revision.body, revision.lang)
    revision.rendered_html = html
    revision.rendered_links = references_to_json(references_in_sanitised_html(html))
