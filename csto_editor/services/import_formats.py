"""The file types ``import`` reads: Word (.docx), web pages (.html), Markdown and text.

Each reader turns the bytes of one file into an ``ImportedDocument`` and the images
it carries; every problem is a ``DocumentError`` naming the problem only.

- ``.docx``: mammoth turns Word's structure (headings, real lists, bold, italic,
  links, tables, images) into HTML; the house converter writes it as Markdown.
- ``.html``: readability-lxml picks the article out of the page (navigation, sidebars
  and footers go); the same converter writes it as Markdown. It was chosen over
  trafilatura because it returns the article as HTML, which keeps one converter for
  the paste and both imports, and pulls in fewer dependencies. Images saved beside
  the page and ``data:`` images become assets; web images stay links.
- ``.md`` and ``.txt``: with YAML front matter, as before; without, the title is the
  first heading (Markdown) or the first line (text).

The title of a Word file is its first block if that is a heading (or bold throughout),
else the document title of its properties, else its first heading.

Without front matter, the language is guessed later from the text, the section comes
from the caller, and the date is today.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from csto_editor.core.frontmatter import (
    TITLE_MAX_LENGTH,
    DocumentError,
    ImportedDocument,
    decode_text,
    parse_document,
)
from csto_editor.core.html_to_markdown import IMAGE_SCHEMES, element_to_markdown
from csto_editor.core.html_tree import Element, parse_html
from csto_editor.core.import_cleanup import clean_text, clean_tree, take_title

__all__ = ["SUFFIXES", "ImportedImage", "ReadFile", "read_file"]

WORD_SUFFIXES = (".docx",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
SUFFIXES = WORD_SUFFIXES + HTML_SUFFIXES + TEXT_SUFFIXES
"""What the file dialog offers; other names are read as Markdown, as they always were."""
_REFUSED = {
    ".doc": "an old Word .doc file: save it as .docx in Word and import that",
    ".rtf": "an RTF file: save it as .docx in Word and import that",
    ".odt": "an OpenDocument file: save it as .docx and import that",
    ".pdf": "a PDF file: copy its text into the editor or get the .docx it was made from",
}

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A .docx whose parts unpack to more than this is refused (a zip bomb)."""
MAX_PARTS = 5_000
MAX_IMAGE_BYTES = 50 * 1024 * 1024
_ASSET_SCHEMES = (*IMAGE_SCHEMES, "asset:")
_WORD_STYLES = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"
_WEB_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_CORE_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")


@dataclass(frozen=True)
class ImportedImage:
    """An image found in a document; the body refers to it as ``asset:<sha256>``."""

    name: str
    data: bytes
    sha256: str


@dataclass(frozen=True)
class ReadFile:
    document: ImportedDocument
    images: tuple[ImportedImage, ...] = ()


def read_file(path: Path, data: bytes, today: dt.date) -> ReadFile:
    """The document in ``data``, read as the kind of file its name says."""
    try:
        return _read_by_type(path, data, today)
    except RecursionError:
        raise DocumentError("nested too deeply to be read") from None


def _read_by_type(path: Path, data: bytes, today: dt.date) -> ReadFile:
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise DocumentError(f"is {_REFUSED[suffix]}")
    if suffix in WORD_SUFFIXES:
        return read_word(path.stem, data, today)
    if suffix in HTML_SUFFIXES:
        return read_web_page(data, today, folder=path.parent)
    return ReadFile(read_text(data, today, plain=suffix == ".txt"))


# --------------------------------------------------------------------------- Word


def read_word(stem: str, data: bytes, today: dt.date) -> ReadFile:
    """A .docx file: its text as Markdown, its images as assets, its title."""
    archive = _open_docx(data)
    images: list[ImportedImage] = []

    def keep_image(image: _MammothImage) -> dict[str, str]:
        if image.content_type not in _WEB_IMAGES:
            return {}  # a Windows metafile or the like: no web page can show it
        with image.open() as stream:
            content = stream.read(MAX_UNPACKED_BYTES + 1)
        extension = (image.content_type or "").rpartition("/")[2].replace("jpeg", "jpg")
        digest = hashlib.sha256(content).hexdigest()
        name = f"{stem}-image{len(images) + 1}.{extension or 'bin'}"
        images.append(ImportedImage(name, content, digest))
        return {"src": f"asset:{digest}"}

    html = _convert_word(data, keep_image)
    root = parse_html(html)
    clean_tree(root)
    # The title the reader sees first wins over Word's document title, which is often
    # stale: a template's, or the previous text's that this one was saved over.
    title = take_title(root, fallback=_core_title(archive))
    body = element_to_markdown(root, image_schemes=_ASSET_SCHEMES)
    if not title:
        raise DocumentError("no title: give the document a title or start it with a heading")
    return ReadFile(_plain_document(title, body, today), tuple(images))


class _MammothImage(Protocol):
    """The part of mammoth's image object this module uses."""

    content_type: str | None

    def open(self) -> ContextManager[IO[bytes]]: ...


def _open_docx(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DocumentError("not a Word .docx file (not a valid zip archive)") from None
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise DocumentError("unpacks to more than 200 MB: refused as a zip bomb")
    if "word/document.xml" not in archive.namelist():
        raise DocumentError("not a Word .docx file (no word/document.xml inside)")
    return archive


def _convert_word(data: bytes, keep_image: Callable[[_MammothImage], dict[str, str]]) -> str:
    import mammoth  # slow to import: only when needed

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_WORD_STYLES,
            convert_image=mammoth.images.img_element(keep_image),
        )
    except Exception as error:  # noqa: BLE001 - a hostile file can break the reader anywhere
        raise DocumentError(f"cannot be read as a Word document ({type(error).__name__})") from None
    return str(result.value)


def _core_title(archive: zipfile.ZipFile) -> str:
    try:
        with archive.open("docProps/core.xml") as stream:
            xml = stream.read(1024 * 1024)
        element = ElementTree.fromstring(xml).find(_CORE_TITLE)
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return ""
    text = " ".join(clean_text(element.text or "").split()) if element is not None else ""
    return text if len(text) <= TITLE_MAX_LENGTH else ""


# --------------------------------------------------------------------------- web pages


def read_web_page(data: bytes, today: dt.date, *, folder: Path | None = None) -> ReadFile:
    """A saved web page: the article picked out of it, as Markdown, and its title.

    Images saved beside the page (``page_files/photo.jpg``, as a browser's "save the
    complete page" writes them) become assets; so do images inside the page as
    ``data:`` URLs. Nothing outside the page's folder is ever read.
    """
    html = _decode_html(data)
    if not html.strip():
        raise DocumentError("empty file")
    from readability import Document

    # readability logs its own failures with a traceback; ours is the one-line message.
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    try:
        page = Document(html)
        article = page.summary(html_partial=True)
        page_title = str(page.short_title() or "")
    except Exception as error:  # noqa: BLE001 - lxml and readability on hostile markup
        raise DocumentError(f"cannot be read as a web page ({type(error).__name__})") from None
    root = parse_html(article)
    clean_tree(root)
    images = _page_images(root, folder)
    found = take_title(root)
    title = found or " ".join(clean_text(page_title).split())
    if not title or len(title) > TITLE_MAX_LENGTH:
        raise DocumentError("no title: the page has no <h1> and no <title>")
    body = element_to_markdown(root, image_schemes=_ASSET_SCHEMES)
    if not body:
        raise DocumentError("no article text found in the page")
    return ReadFile(_plain_document(title, body, today), tuple(images))


def _page_images(root: Element, folder: Path | None) -> list[ImportedImage]:
    """Local and ``data:`` images of the article as assets; their ``src`` made ``asset:``."""
    images: dict[str, ImportedImage] = {}
    for element in _elements(root, "img"):
        source = element.attrs.get("src", "").strip()
        if source.lower().startswith(IMAGE_SCHEMES):
            continue
        found = _data_url_image(source) if source.startswith("data:") else None
        if found is None and folder is not None and not source.startswith("data:"):
            found = _local_image(folder, source)
        if found is None:
            element.attrs["src"] = ""
            continue
        name, content = found
        digest = hashlib.sha256(content).hexdigest()
        images.setdefault(digest, ImportedImage(name, content, digest))
        element.attrs["src"] = f"asset:{digest}"
    return list(images.values())


def _elements(root: Element, tag: str) -> list[Element]:
    found: list[Element] = []
    pending = [root]
    while pending:
        element = pending.pop()
        found.extend(
            child for child in element.children if isinstance(child, Element) and child.tag == tag
        )
        pending.extend(child for child in element.children if isinstance(child, Element))
    return found


def _local_image(folder: Path, source: str) -> tuple[str, bytes] | None:
    relative = unquote(urlsplit(source).path)
    if not relative or urlsplit(source).scheme not in ("", "file"):
        return None
    try:
        base = folder.resolve()
        path = base / relative.lstrip("/") if urlsplit(source).scheme == "" else Path(relative)
        path = path.resolve()
        if not path.is_relative_to(base) or not path.is_file():
            return None  # nothing outside the page's folder, whatever the page says
        if path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return path.name, path.read_bytes()
    except (OSError, ValueError, RuntimeError):
        return None


def _data_url_image(source: str) -> tuple[str, bytes] | None:
    header, _, payload = source.partition(",")
    kind = header.removeprefix("data:").split(";")[0].lower()
    if kind not in _WEB_IMAGES or ";base64" not in header.lower():
        return None
    try:
        content = base64.b64decode(payload, validate=False)
    except (ValueError, binascii.Error):
        return None
    if not content or len(content) > MAX_IMAGE_BYTES:
        return None
    return f"image.{kind.rpartition('/')[2].replace('jpeg', 'jpg')}", content


def _decode_html(data: bytes) -> str:
    """UTF-8 (or what the page's ``<meta charset>`` says); DocumentError otherwise."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = declared.group(1).decode("ascii").lower()
        if name not in ("utf-8", "utf8"):
            try:
                return data.decode(name)
            except (LookupError, UnicodeDecodeError):
                raise DocumentError(f"not readable as {name!r}, the charset it declares") from None
    return decode_text(data)


# --------------------------------------------------------------------------- Markdown, text


def read_text(data: bytes, today: dt.date, *, plain: bool) -> ImportedDocument:
    """Markdown or plain text; front matter if the file starts with ``---``."""
    start = data.removeprefix(b"\xef\xbb\xbf")
    if not start.strip() or start.startswith(b"---"):
        return parse_document(data)  # front matter, as ever (and its messages)
    text = decode_text(data)
    if not text.strip():
        return parse_document(data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    first = lines[0].strip()
    heading = _ATX_HEADING.match(lines[0])
    if plain:
        title = " ".join(clean_text(first).split())
        rest = [clean_text(line).replace("\xa0", " ") for line in lines[1:]]
    elif heading:
        title, rest = heading.group(1).strip(), lines[1:]
    else:
        raise DocumentError(
            "no front matter and no heading to take the title from: "
            "start the file with a '---' line or a '# Title' line"
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise DocumentError(f"title is {len(title)} characters long (at most {TITLE_MAX_LENGTH})")
    return _plain_document(title, "\n".join(rest).strip("\n").rstrip(), today)


def _plain_document(title: str, body: str, today: dt.date) -> ImportedDocument:
    if "\x00" in title or "\x00" in body:
        raise DocumentError("contains a NUL character")
    return ImportedDocument(title=title, body=body, event_date=today)
