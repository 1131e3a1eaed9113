"""Images and attachments, stored content-addressed beside the database.

Beside a SQLite file they live in its ``.assets`` folder. On a shared PostgreSQL server
(team mode) no folder is shared: their bytes live in the database (``asset_contents``),
and each laptop keeps a content-addressed cache of the ones it has shown or exported,
filled on demand (a file named by its SHA-256 never goes stale).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import stat
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from platformdirs import user_cache_path
from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from csto_editor.core import validation
from csto_editor.core.errors import InvalidInput, NotFound
from csto_editor.services.context import ServiceContext
from csto_editor.services.editing import AUTHOR_ROLES
from csto_editor.store.models import Asset, AssetContent, User

CACHE_APP_NAME = "csto-editor"

MAX_ASSET_BYTES = 50 * 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".txt": "text/plain",
}


@dataclass(frozen=True)
class AssetView:
    sha256: str
    file_name: str
    mime_type: str
    size: int
    width: int | None
    height: int | None
    alt_text: str
    caption: str
    credit: str

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")

    def markdown(self) -> str:
        """The Markdown that places this asset in a body.

        The alt text, caption and file name are escaped so that whatever they hold
        (brackets, parentheses, quotes, backticks, ``<script>``) they stay text: the
        image is always one image with exactly this alt text, never broken Markdown.
        """
        if self.is_image:
            alt = markdown_text(self.alt_text)
            title = ' "' + markdown_text(self.caption).replace('"', "&quot;") + '"'
            return f"![{alt}](asset:{self.sha256}{title if self.caption else ''})"
        return f"[{markdown_text(self.file_name)}](asset:{self.sha256})"


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()")
"""What Python-Markdown reads as syntax unless a backslash escapes it."""


def markdown_text(text: str) -> str:
    """``text`` written so that Markdown shows it literally, inside ``[]`` or a title."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in escaped)


def asset_path(folder: Path, sha256: str) -> Path:
    """Where the file with this SHA-256 lives: two-level, content-addressed."""
    return folder / sha256[:2] / sha256


def server_asset_cache(url: URL) -> Path:
    """This laptop's cache of the asset files of the database at ``url`` (a server)."""
    where = f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"
    key = hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]
    return user_cache_path(CACHE_APP_NAME, appauthor=False) / "server-assets" / key


def asset_folder(ctx: ServiceContext) -> Path | None:
    """Where asset files are read from: the folder beside a SQLite file, or this laptop's
    cache of a server's assets; None for a database with no place for files."""
    folder = ctx.database.target.assets_dir
    if folder is None and ctx.database.dialect == "postgresql":
        return server_asset_cache(ctx.database.engine.url)
    return folder


def local_asset_file(ctx: ServiceContext, sha256: str) -> Path | None:
    """The file holding the asset with this SHA-256, fetched from the server into the local
    cache when needed; None when there is no such asset."""
    folder = asset_folder(ctx)
    if folder is None:
        return None
    path = asset_path(folder, sha256)
    if not path.exists():
        cache_server_assets(ctx, [sha256])
    return path if path.exists() else None


def cache_server_assets(ctx: ServiceContext, digests: Iterable[str]) -> int:
    """Fetch from the server the asset files not yet in the local cache (before an export
    or a preview); how many were fetched. Nothing to do beside a SQLite file."""
    if ctx.database.dialect != "postgresql":
        return 0
    folder = asset_folder(ctx)
    assert folder is not None
    missing = [digest for digest in set(digests) if not asset_path(folder, digest).exists()]
    if not missing:
        return 0
    fetched = 0
    with ctx.database.session() as session:
        rows = session.execute(
            select(AssetContent.sha256, AssetContent.data).where(AssetContent.sha256.in_(missing))
        )
        for digest, data in rows:
            # A cache file is trusted by its name alone: only bytes that match it go there.
            if hashlib.sha256(data).hexdigest() == digest:
                _store(asset_path(folder, digest), data)
                fetched += 1
    return fetched


def add_asset(
    ctx: ServiceContext, source: Path, *, alt_text: str = "", caption: str = "", credit: str = ""
) -> AssetView:
    """Store an image or attachment once (by its SHA-256) with its alt text, caption, credit."""
    data = _read(source)
    with ctx.database.session() as session:
        author = ctx.require(session, AUTHOR_ROLES, "add images")
        return add_asset_in_session(
            ctx, session, author, source, data, alt_text=alt_text, caption=caption, credit=credit
        )


def add_asset_in_session(
    ctx: ServiceContext,
    session: Session,
    author: User,
    source: Path,
    data: bytes,
    *,
    alt_text: str = "",
    caption: str = "",
    credit: str = "",
) -> AssetView:
    """Store ``data`` (named like ``source``) within the caller's unit of work.

    The file is written content-addressed before the commit: if the unit of work is
    rolled back, it stays as an unreferenced file, which harms nothing.
    """
    folder = asset_folder(ctx)
    if folder is None:
        raise InvalidInput("assets are kept beside a SQLite file or on a PostgreSQL server")
    on_server = ctx.database.dialect == "postgresql"
    mime, width, height = _identify(source, data)
    digest = hashlib.sha256(data).hexdigest()
    alt = validation.clean_line(alt_text, "alt text", limit=500)
    note = validation.clean_line(caption, "caption", limit=1000)
    by = validation.clean_line(credit, "credit", limit=300)
    name = validation.clean_line(source.name, "file name", required=True, limit=255)
    asset = session.scalar(select(Asset).where(Asset.sha256 == digest))
    if asset is None:
        asset = Asset(
            sha256=digest,
            file_name=name,
            mime_type=mime,
            size=len(data),
            width=width,
            height=height,
            created_by_id=author.id,
        )
        session.add(asset)
    if on_server and session.get(AssetContent, digest) is None:
        session.add(AssetContent(sha256=digest, data=data))
    asset.alt_text, asset.caption, asset.credit = alt, note, by
    _store(asset_path(folder, digest), data)
    session.flush()
    ctx.audit(session, "asset_add", sha256=digest, file=name)
    return _view(asset)


def get_asset(ctx: ServiceContext, sha256: str) -> AssetView:
    with ctx.database.session() as session:
        asset = session.scalar(select(Asset).where(Asset.sha256 == sha256))
        if asset is None:
            raise NotFound(f"no asset {sha256}")
        return _view(asset)


def _view(asset: Asset) -> AssetView:
    return AssetView(
        asset.sha256,
        asset.file_name,
        asset.mime_type,
        asset.size,
        asset.width,
        asset.height,
        asset.alt_text,
        asset.caption,
        asset.credit,
    )


def _read(source: Path) -> bytes:
    too_large = f"{source}: larger than {MAX_ASSET_BYTES // 2**20} MB"
    try:
        status = source.stat()
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):
            raise InvalidInput(f"{source}: not a regular file (a device, a pipe or a socket)")
        if status.st_size > MAX_ASSET_BYTES:
            raise InvalidInput(too_large)
        with source.open("rb") as stream:
            data = stream.read(MAX_ASSET_BYTES + 1)
        if len(data) > MAX_ASSET_BYTES:
            raise InvalidInput(too_large)
        return data
    except FileNotFoundError:
        raise NotFound(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{source}: is a folder") from None
    except OSError as error:
        raise InvalidInput(f"{source}: cannot be read ({error.strerror or error})") from None
    except ValueError:  # a NUL in the path
        raise InvalidInput(f"{source!r}: a file name cannot hold a NUL character") from None


def _identify(source: Path, data: bytes) -> tuple[str, int | None, int | None]:
    """The MIME type and, for images, the size; refuses broken images and bombs."""
    suffix = source.suffix.lower()
    if suffix in ATTACHMENT_TYPES:
        return ATTACHMENT_TYPES[suffix], None, None
    from PIL import Image, UnidentifiedImageError  # not loaded with the window (start-up)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as probe:
                kind, (width, height) = probe.format or "", probe.size
                probe.verify()
            with Image.open(BytesIO(data)) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(f"{source}: the image is too large to open safely") from None
    except UnidentifiedImageError:
        guess = mimetypes.guess_type(source.name)[0]
        raise InvalidInput(
            f"{source}: not an image Pillow can read"
            + (f" ({guess})" if guess else "")
            + "; attachments may be PDF, Word, Excel, ODT or text"
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise InvalidInput(f"{source}: a broken or truncated image ({error})") from None
    if kind not in IMAGE_FORMATS:
        raise InvalidInput(f"{source}: {kind} images cannot go on a web page; use JPEG or PNG")
    return IMAGE_FORMATS[kind], width, height


def _store(path: Path, data: bytes) -> None:
    if path.exists() and path.stat().st_size == len(data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(stream.name, path)
