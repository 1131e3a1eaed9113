"""The bundle's layout: where every page goes, and links between pages as relative paths.

The path builders (``item_page``, ``section_index``, ``asset_file``) either return a
normalised relative POSIX path made of ASCII letters, digits, ``-``, ``_``, ``.`` and
``/`` — never starting with ``/`` or ``..``, never holding a NUL or a backslash — or raise
``UnsafePath`` (a ValueError), whatever a title, slug, section path or file name holds.
``relative`` links two such paths (joined to the first one's folder it gives the second)
and ``inside`` maps one to a file under the bundle's root, refusing all else.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

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


_SHA256 = re.compile(r"[0-9a-f]{64}")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x1f\x7f\\]")


class UnsafePath(ValueError):
    """A computed path would leave the bundle or use a name that is not a slug."""


def _segments(section_path: str) -> list[str]:
    if not isinstance(section_path, str):
        raise UnsafePath(f"section path {section_path!r} is not text")
    parts = section_path.split("/")
    if not all(is_valid_slug(part) for part in parts):
        raise UnsafePath(f"section path {section_path!r} is not made of slugs")
    return parts


def _language(lang: Language) -> str:
    """The folder of a language; UnsafePath for anything that is not one."""
    try:
        return Language(lang).value
    except ValueError:
        raise UnsafePath(f"language {lang!r} is not one of the bundle's languages") from None


def language_home(lang: Language) -> str:
    return f"{lang.value}/index.html"


def feed_path(lang: Language) -> str:
    return f"{lang.value}/feed.xml"


def section_index(lang: Language, section_path: str, page: int = 1) -> str:
    """Page 1 is index.html; later pages index_2.html… (an underscore is never in a slug)."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise UnsafePath(f"page {page!r} is not a page number")
    folder = "/".join([_language(lang), *_segments(section_path)])
    return f"{folder}/index.html" if page == 1 else f"{folder}/index_{page}.html"


def item_page(lang: Language, section_path: str, slug: str) -> str:
    """``<lang>/<section path>/<slug>.html``; UnsafePath unless every part is a slug."""
    return item_page_in(item_folder(lang, section_path), slug)


def item_folder(lang: Language, section_path: str) -> str:
    """``<lang>/<section path>``, checked once for the pages of many items
    (``item_page_in``); UnsafePath unless every part is a slug."""
    return "/".join([_language(lang), *_segments(section_path)])


def item_page_in(folder: str, slug: str) -> str:
    """``<folder>/<slug>.html`` for a folder made by ``item_folder``."""
    if not is_valid_slug(slug):
        raise UnsafePath(f"slug {slug!r} is not a valid slug")
    return f"{folder}/{slug}.html"


def is_sha256(value: str) -> bool:
    """Whether ``value`` is a SHA-256 in lowercase hex, as assets are named."""
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def is_extension(value: str) -> bool:
    """Whether ``value`` is a usable file extension: 1-10 ASCII letters and digits."""
    return isinstance(value, str) and _EXTENSION.fullmatch(value) is not None


def asset_file(sha256: str, extension: str, *, web: bool = False) -> str:
    """Images by content: assets/images/<sha>.<ext>, and <sha>-web.<ext> for the web size."""
    if not is_sha256(sha256):
        raise UnsafePath(f"not a SHA-256: {sha256!r}")
    if not is_extension(extension):
        raise UnsafePath(f"bad extension {extension!r}")
    return f"assets/images/{sha256}{'-web' if web else ''}.{extension.lower()}"


@lru_cache(maxsize=65_536)
def _parts(path: str) -> tuple[str, ...]:
    """``path`` as the names of a relative POSIX path inside the bundle, or UnsafePath.

    The same reading as ``PurePosixPath(path).parts`` (empty and ``.`` names dropped),
    done on the string: an export asks this tens of thousands of times.
    """
    if not isinstance(path, str) or _UNSAFE_CHARACTERS.search(path):
        raise UnsafePath(f"path {path!r} holds a character no bundle path may hold")
    parts = tuple(name for name in path.split("/") if name not in ("", "."))
    if path.startswith("/") or ".." in parts or not parts:
        raise UnsafePath(f"path {path!r} leaves the bundle")
    return parts


def _folder_parts(folder: str) -> tuple[str, ...]:
    return tuple(name for name in folder.split("/") if name not in ("", "."))


@lru_cache(maxsize=65_536)
def _relative_from_folder(folder: str, to_path: str) -> str:
    start = _folder_parts(folder)
    target = _parts(to_path)
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + list(target[common:])) or "."


def relative(from_page: str, to_path: str) -> str:
    """The link from one bundle file to another, relative so the bundle works from disk.

    Both are bundle paths (``en/news/x.html``); anything else raises UnsafePath.
    """
    _parts(from_page)
    return _relative_from_folder(posixpath.dirname(from_page), to_path)


def absolute(base_url: str, path: str) -> str:
    """A bundle path under the site's base URL (which ends with a slash)."""
    return base_url + path


def inside(root: Path, path: str) -> Path:
    """The file for a bundle path, refusing anything that would land outside the root.

    UnsafePath for an absolute path, one with ``..``, an empty one, one holding a NUL,
    another control character or a backslash (a folder separator on Windows, where web
    staff may unpack the bundle), and one that a symbolic link would lead outside.
    """
    target = root.joinpath(*_parts(path))
    if root.resolve() not in target.resolve().parents:
        raise UnsafePath(f"path {path!r} leaves the bundle")
    return target


class BundleRoot:
    """Files under one bundle root, refused as ``inside`` refuses them, for a writer that
    places thousands: the root and each folder are resolved once, not once per file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._resolved_root = root.resolve()
        self._ready: set[tuple[str, ...]] = set()
        """Folders made and found inside the root."""

    def file(self, path: str) -> Path:
        """The file for ``path``, its folder made; UnsafePath as for ``inside``."""
        parts = _parts(path)
        folder = parts[:-1]
        if folder not in self._ready:
            made = self.root.joinpath(*folder)
            resolved = made.resolve()
            if resolved != self._resolved_root and self._resolved_root not in resolved.parents:
                raise UnsafePath(f"path {path!r} leaves the bundle")
            made.mkdir(parents=True, exist_ok=True)
            self._ready.add(folder)
        target = self.root.joinpath(*parts)
        if target.is_symlink() and self._resolved_root not in target.resolve().parents:
            raise UnsafePath(f"path {path!r} leaves the bundle")
        return target


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))
