"""The bundle's layout: where every page goes, and links between pages as relative paths."""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath

from csto_editor.core.content import Language
from csto_editor.core.slugs import is_valid_slug

FORMAT_VERSION = 1
GENERATOR = "csto-editor"
PAGE_SIZE = 20
"""Items per section index page."""
FEED_SIZE = 30
"""Entries in each language's Atom feed."""
HOME_SIZE = 12
"""Latest items on a language home and on the root index."""
STYLESHEET = "assets/site.css"
MANIFEST = "manifest.json"
CHANGES = "changes.json"
SITEMAP = "sitemap.xml"
ROOT_INDEX = "index.html"


class UnsafePath(ValueError):
    """A computed path would leave the bundle or use a name that is not a slug."""


def _segments(section_path: str) -> list[str]:
    parts = section_path.split("/")
    if not all(is_valid_slug(part) for part in parts):
        raise UnsafePath(f"section path {section_path!r} is not made of slugs")
    return parts


def language_home(lang: Language) -> str:
    return f"{lang.value}/index.html"


def feed_path(lang: Language) -> str:
    return f"{lang.value}/feed.xml"


def section_index(lang: Language, section_path: str, page: int = 1) -> str:
    """Page 1 is index.html; later pages index_2.html… (an underscore is never in a slug)."""
    folder = "/".join([lang.value, *_segments(section_path)])
    return f"{folder}/index.html" if page == 1 else f"{folder}/index_{page}.html"


def item_page(lang: Language, section_path: str, slug: str) -> str:
    if not is_valid_slug(slug):
        raise UnsafePath(f"slug {slug!r} is not a valid slug")
    return "/".join([lang.value, *_segments(section_path), f"{slug}.html"])


def asset_file(sha256: str, extension: str, *, web: bool = False) -> str:
    """Images by content: assets/images/<sha>.<ext>, and <sha>-web.<ext> for the web size."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise UnsafePath(f"not a SHA-256: {sha256!r}")
    if not extension.isalnum():
        raise UnsafePath(f"bad extension {extension!r}")
    return f"assets/images/{sha256}{'-web' if web else ''}.{extension.lower()}"


def relative(from_page: str, to_path: str) -> str:
    """The link from one bundle file to another, relative so the bundle works from disk."""
    start = posixpath.dirname(from_page) or "."
    return posixpath.relpath(to_path, start)


def absolute(base_url: str, path: str) -> str:
    """A bundle path under the site's base URL (which ends with a slash)."""
    return base_url + path


def inside(root: Path, path: str) -> Path:
    """The file for a bundle path, refusing anything that would land outside the root."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise UnsafePath(f"path {path!r} leaves the bundle")
    target = root.joinpath(*pure.parts)
    if root.resolve() not in target.resolve().parents:
        raise UnsafePath(f"path {path!r} leaves the bundle")
    return target


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))
