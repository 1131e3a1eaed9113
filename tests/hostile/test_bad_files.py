"""Bad files: Markdown that is not UTF-8, binary, empty, huge, broken; images that are not.

Imports go through the service and the command line; images through the service (the
command line has no command that adds images). Every refusal names the file and the
problem, and nothing is stored: not one item of an import with one bad file.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from csto_editor.core.errors import EditorError, InvalidInput, NotFound
from csto_editor.core.frontmatter import DocumentError, decode_text
from csto_editor.services import assets, importing
from tests.hostile.conftest import As, Runner

Counts = Callable[[], dict[str, int]]

RUSSIAN = (
    "---\ntitle: Заявление министров иностранных дел\nsection: news\nlang: ru\n---\n"
    "Министры иностранных дел государств - членов ОДКБ заявляют о поддержке.\n"
)
CAPITALS = "---\ntitle: ЗАЯВЛЕНИЕ МИНИСТРОВ\nsection: news\n---\nОДКБ ЗАЯВЛЯЕТ\n"
FRENCH = "---\ntitle: Déclaration des ministres\nsection: news\n---\nRéunion à Genève.\n"
GOOD = "---\ntitle: A good file\nsection: news\n---\nText.\n"


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def refused(
    as_user: As, counts: Counts, paths: list[Path], error: type[EditorError] = InvalidInput
) -> str:
    """Import ``paths``, expect refusal, check nothing was stored; the message."""
    before = counts()
    with pytest.raises(error) as raised:
        importing.import_files(as_user("anna"), paths)
    assert counts() == before
    message = str(raised.value)
    assert message.startswith("nothing imported: ") and "\n" not in message
    return message


# --------------------------------------------------------------------------- encodings

ENCODINGS = [
    (RUSSIAN, "cp1251", "looks like Windows-1251"),
    (RUSSIAN, "koi8-r", "looks like KOI8-R"),
    (CAPITALS, "cp1251", "looks like Windows-1251"),
    (CAPITALS, "koi8-r", "looks like KOI8-R"),
    (RUSSIAN, "iso8859-5", "looks like ISO-8859-5"),
    (RUSSIAN, "cp866", "looks like CP866"),
    (RUSSIAN, "mac-cyrillic", "looks like Windows-1251"),
    (RUSSIAN, "utf-16", "looks like UTF-16"),
    (RUSSIAN, "utf-16-le", "looks like UTF-16"),
    (RUSSIAN, "utf-16-be", "looks like UTF-16"),
    (FRENCH, "utf-16-le", "looks like UTF-16"),
    (RUSSIAN, "utf-32", "looks like UTF-32"),
    (RUSSIAN, "utf-32-le", "looks like UTF-32"),
    (FRENCH, "latin-1", "looks like Windows-1252 or Latin-1"),
    (FRENCH, "cp1252", "looks like Windows-1252 or Latin-1"),
]


@pytest.mark.parametrize(
    ("text", "encoding", "message"),
    ENCODINGS,
    ids=[f"{enc}-{text[11:16]}" for text, enc, _m in ENCODINGS],
)
def test_a_file_not_in_utf8_names_the_encoding_it_looks_like(
    as_user: As, counts: Counts, tmp_path: Path, text: str, encoding: str, message: str
) -> None:
    good = write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "statement.md", text.encode(encoding))
    error = refused(as_user, counts, [good, bad])
    assert f"{bad}: not UTF-8 text ({message}" in error
    assert "good.md" not in error


def test_utf8_with_a_byte_order_mark_and_crlf_is_fine(as_user: As, tmp_path: Path) -> None:
    path = write(tmp_path, "bom.md", "\ufeff" + RUSSIAN.replace("\n", "\r\n"))
    (item,) = importing.import_files(as_user("anna"), [path])
    assert item.title == "Заявление министров иностранных дел"


# --------------------------------------------------------------------------- binary, empty, huge


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "binary data"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "binary data"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not UTF-8 text"),
        (bytes(range(256)) * 4, "binary data"),
        (b"", "empty file"),
        (b" \r\n\t\n", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
    ],
    ids=["png", "docx", "elf", "pdf", "all-bytes", "empty", "blank", "bom-only"],
)
def test_binary_and_empty_files_are_refused(
    as_user: As, counts: Counts, tmp_path: Path, data: bytes, message: str
) -> None:
    path = write(tmp_path, "file.md", data)
    assert f"{path}: {message}" in refused(as_user, counts, [path])


def test_a_file_over_20_mb_is_refused_without_reading_it(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    path = tmp_path / "huge.md"
    with path.open("wb") as stream:
        stream.write(GOOD.encode())
        stream.truncate(21 * 1024 * 1024)  # sparse: 21 MB on paper, nothing on disk
    started = time.perf_counter()
    assert f"{path}: is larger than 20 MB" in refused(as_user, counts, [path])
    assert time.perf_counter() - started < 2.0


def test_devices_and_pipes_are_refused_without_opening_them(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    """/dev/zero never ends and a FIFO blocks on open: neither may hang an import."""
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    message = refused(as_user, counts, [Path("/dev/zero"), fifo])
    assert "/dev/zero: is not a regular file" in message
    assert f"{fifo}: is not a regular file" in message


def test_folders_and_missing_files(as_user: As, counts: Counts, tmp_path: Path) -> None:
    assert f"{tmp_path}: is a folder" in refused(as_user, counts, [tmp_path])
    missing = tmp_path / "absent.md"
    assert "no such file" in refused(as_user, counts, [missing], NotFound)


# --------------------------------------------------------------------------- broken front matter

BROKEN = [
    ("Just text, no front matter.\n", "no front matter"),
    ("---\ntitle: T\n", "front matter not closed"),
    ("---\n---\nBody\n", "front matter is empty"),
    ("---\ntitle: [unclosed\n---\n", "YAML syntax error in front matter on line 2"),
    ("---\ntitle: T\n\tsection: news\n---\n", "YAML syntax error"),
    ("---\n- a list\n- not a mapping\n---\n", "not a list"),
    ("---\ntitle: T\ntitle: U\n---\n", "given twice"),
    ("---\nsection: news\n---\nBody\n", "no title"),
    ("---\ntitle: " + "Я" * 5_000 + "\n---\n", "title is 5000 characters long"),
    ("---\ntitle: T\ndate: 2025-02-30\n---\n", "impossible date '2025-02-30'"),
    ("---\ntitle: T\ndate: 30.05.2025\n---\n", "date must be YYYY-MM-DD"),
    ("---\ntitle: T\nlang: klingon\n---\n", "unknown language 'klingon'"),
    ("---\ntitle: T\ntype: poem\n---\n", "unknown type 'poem'"),
    ("---\ntitle: T\ntranslation_of: -1\n---\n", "translation_of must be a positive integer"),
    ("---\ntitle: T\ntranslation_of: 99999999999999999999\n---\n", "positive integer"),
    ("---\ntitle: T\nslug: ../../etc/passwd\n---\n", "slug '../../etc/passwd' is not valid"),
    ("---\ntitle: T\nslug: index\n---\n", "reserved"),
    ('---\ntitle: "NUL \\0 inside"\n---\n', "contains a NUL character"),
    ("---\ntitle: !!python/object/apply:os.system ['id']\n---\n", "'title' must be text"),
    ("---\ntitle: *nowhere\n---\n", "undefined alias"),
    ("---\ntitle: T\nplace: [a, b]\n---\n", "'place' must be text, not a list"),
    ("---\ntitle: T\nsection: {a: b}\n---\n", "not a mapping"),
    ("---\n" + "a:\n " * 5_000 + "b\n---\n", "front matter"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN, ids=[m[:30] for _t, m in BROKEN])
def test_broken_front_matter_names_the_file_and_the_problem(
    as_user: As, counts: Counts, tmp_path: Path, text: str, message: str
) -> None:
    good = write(tmp_path, "good.md", GOOD)
    bad = write(tmp_path, "broken.md", text)
    error = refused(as_user, counts, [good, bad])
    assert f"{bad}: " in error and message in error, error


def test_a_billion_laughs_front_matter_is_refused_quickly(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    lines += ["title: Laughs", "---", "Body"]
    path = write(tmp_path, "laughs.md", "\n".join(lines))
    started = time.perf_counter()
    assert "'a0' must be text, not a list" in refused(as_user, counts, [path])
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ('title: "Bytes \\udcff"', "title contains a lone surrogate"),
        ('title: "Bell \\a"', "title contains a control character U+0007"),
        ('title: "Non\\uFFFEchar"', "noncharacter U+FFFE"),
        ('title: T\nlead: "Lead \\e[31m"', "lead contains a control character U+001B"),
        ("title: T\ndate: 0202-05-22", "event_date 0202-05-22 is outside the years 1900-2100"),
        ("title: T\nplace: " + "p" * 301, "place is 301 characters long"),
    ],
)
def test_escapes_in_front_matter_meet_the_same_checks_as_typed_text(
    as_user: As, counts: Counts, tmp_path: Path, front: str, message: str
) -> None:
    path = write(tmp_path, "escaped.md", f"---\n{front}\nsection: news\n---\nBody\n")
    error = refused(as_user, counts, [path])
    assert f"{path}: " in error and message in error, error


def test_a_body_with_control_characters_names_the_line(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    path = write(tmp_path, "body.md", "---\ntitle: T\nsection: news\n---\nOne\n\nTwo \x0c three\n")
    assert "body contains a control character U+000C on line 3" in refused(as_user, counts, [path])


# --------------------------------------------------------------------------- duplicate slugs


def test_two_files_with_the_same_slug_are_both_named(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    first = write(tmp_path, "first.md", "---\ntitle: One\nsection: news\nslug: summit\n---\n")
    second = write(tmp_path, "second.md", "---\ntitle: Two\nsection: news\nslug: summit\n---\n")
    error = refused(as_user, counts, [first, second])
    assert f"{second}: slug 'summit' is also the slug of {first} in this import" in error


def test_a_slug_that_another_file_of_the_import_derives_is_named(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    derived = write(tmp_path, "a.md", "---\ntitle: Summit\nsection: news\n---\n")
    explicit = write(tmp_path, "b.md", "---\ntitle: Other\nsection: news\nslug: summit\n---\n")
    assert f"also the slug of {derived}" in refused(as_user, counts, [derived, explicit])


def test_same_slug_in_other_languages_or_sections_is_fine(as_user: As, tmp_path: Path) -> None:
    files = [
        write(tmp_path, "en.md", "---\ntitle: A\nsection: news\nlang: en\nslug: summit\n---\n"),
        write(tmp_path, "ru.md", "---\ntitle: Б\nsection: news\nlang: ru\nslug: summit\n---\n"),
        write(tmp_path, "st.md", "---\ntitle: C\nsection: statements\nslug: summit\n---\n"),
    ]
    assert [item.slug for item in importing.import_files(as_user("anna"), files)] == ["summit"] * 3


def test_a_slug_already_in_the_database_is_refused(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    importing.import_files(as_user("anna"), [write(tmp_path, "old.md", GOOD)])
    again = write(tmp_path, "new.md", "---\ntitle: New\nsection: news\nslug: a-good-file\n---\n")
    assert "slug 'a-good-file' is already used in section news" in refused(as_user, counts, [again])


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("make", "fragments", "code"),
    [
        (lambda d: write(d, "ru.md", RUSSIAN.encode("cp1251")), ("ru.md", "Windows-1251"), 2),
        (lambda d: write(d, "ru.md", RUSSIAN.encode("koi8-r")), ("ru.md", "KOI8-R"), 2),
        (lambda d: write(d, "ru.md", RUSSIAN.encode("utf-16")), ("ru.md", "UTF-16"), 2),
        (lambda d: write(d, "ru.md", RUSSIAN.encode("utf-16-le")), ("ru.md", "UTF-16"), 2),
        (lambda d: write(d, "fr.md", FRENCH.encode("latin-1")), ("fr.md", "Latin-1"), 2),
        (lambda d: write(d, "x.md", b"\x89PNG\r\n\x1a\n\x00\x00"), ("x.md", "binary"), 2),
        (lambda d: write(d, "x.md", b""), ("x.md", "empty file"), 2),
        (lambda d: write(d, "x.md", "---\ntitle: [\n---\n"), ("x.md", "YAML"), 2),
        (lambda d: Path("/dev/zero"), ("/dev/zero", "not a regular file"), 2),
        (lambda d: d / "absent.md", ("absent.md", "no such file"), 4),
    ],
    ids=[
        "cp1251",
        "koi8-r",
        "utf-16-bom",
        "utf-16-le",
        "latin-1",
        "binary",
        "empty",
        "yaml",
        "dev-zero",
        "missing",
    ],
)
def test_the_import_command_reports_bad_files_in_one_line(
    cli: Runner,
    counts: Counts,
    tmp_path: Path,
    make: Callable[[Path], Path],
    fragments: tuple[str, ...],
    code: int,
) -> None:
    good = write(tmp_path, "good.md", GOOD)
    before = counts()
    cli("import", str(good), str(make(tmp_path)), user="anna").assert_error(
        code, "nothing imported", *fragments
    )
    assert counts() == before


def test_the_import_command_names_both_files_of_a_duplicate_slug(
    cli: Runner, counts: Counts, tmp_path: Path
) -> None:
    first = write(tmp_path, "first.md", "---\ntitle: One\nsection: news\nslug: summit\n---\n")
    second = write(tmp_path, "second.md", "---\ntitle: Two\nsection: news\nslug: summit\n---\n")
    huge = tmp_path / "huge.md"
    with huge.open("wb") as stream:
        stream.truncate(25 * 1024 * 1024)
    before = counts()
    cli("import", str(first), str(second), user="anna").assert_error(
        2, "first.md", "second.md", "summit"
    )
    cli("import", str(huge), user="anna").assert_error(2, "huge.md", "larger than 20 MB")
    assert counts() == before


# --------------------------------------------------------------------------- images


def png_bytes(size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (320, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 140)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def ztxt_bomb() -> bytes:
    """A tiny PNG whose compressed text chunk inflates to 50 MB."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "A" * 50_000_000, zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def pixel_bomb() -> bytes:
    """A 30,000 x 30,000 bilevel PNG: about 100 KB on disk, 900 megapixels when opened."""
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, "PNG")
    return buffer.getvalue()


def gif_screen_bomb() -> bytes:
    """A GIF header that declares a 65,535 x 65,535 image."""
    return (
        b"GIF89a\xff\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00\xff\xff\xff\xff\x00\x02\x02D\x01\x00;"
    )


IMAGES = [
    ("photo.jpg", lambda: b"not an image at all", "not an image Pillow can read (image/jpeg)"),
    ("photo.png", lambda: b"", "not an image Pillow can read"),
    ("page.png", lambda: b"<html><script>alert(1)</script></html>", "not an image"),
    (
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "not an image Pillow can read (image/svg+xml)",
    ),
    ("half.png", lambda: png_bytes((400, 400))[:300], "broken or truncated"),
    ("half.jpg", lambda: jpeg_bytes()[:600], "broken or truncated"),
    ("text.png", ztxt_bomb, "broken or truncated"),
    ("bomb.png", pixel_bomb, "too large to open safely"),
    ("screen.gif", gif_screen_bomb, "too large to open safely"),
    ("scan.tiff", lambda: _saved("TIFF"), "TIFF images cannot go on a web page"),
    ("scan.bmp", lambda: _saved("BMP"), "BMP images cannot go on a web page"),
]


def _saved(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "make", "message"), IMAGES, ids=[name for name, _m, _x in IMAGES])
def test_images_that_are_not_images_are_refused(
    as_user: As,
    counts: Counts,
    tmp_path: Path,
    name: str,
    make: Callable[[], bytes],
    message: str,
) -> None:
    path = write(tmp_path, name, make())
    before = counts()
    started = time.perf_counter()
    with pytest.raises(InvalidInput) as raised:
        assets.add_asset(as_user("anna"), path, alt_text="x")
    assert time.perf_counter() - started < 5.0
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)
    assert counts() == before
    store = as_user("anna").database.target.assets_dir
    assert store is not None
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))


def test_an_image_over_50_mb_devices_and_folders_are_refused(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.png"
    with huge.open("wb") as stream:
        stream.write(png_bytes())
        stream.truncate(51 * 1024 * 1024)
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    before = counts()
    for path, message in [
        (huge, "larger than 50 MB"),
        (Path("/dev/zero"), "not a regular file"),
        (fifo, "not a regular file"),
        (tmp_path, "is a folder"),
        (Path("a\x00b.png"), "NUL"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            assets.add_asset(as_user("anna"), path)
    assert counts() == before


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ({"alt_text": "Alt\x00"}, "alt text contains a NUL"),
        ({"alt_text": "a" * 501}, "alt text is 501 characters long"),
        ({"caption": "Line\nbreak"}, "caption must be one line"),
        ({"caption": "c" * 1_001}, "caption is 1,001 characters long"),
        ({"credit": "\udcff"}, "credit contains a lone surrogate"),
        ({"credit": "c" * 301}, "credit is 301 characters long"),
    ],
)
def test_bad_alt_texts_captions_and_credits_store_nothing(
    as_user: As, counts: Counts, tmp_path: Path, texts: dict[str, str], message: str
) -> None:
    path = write(tmp_path, "fine.png", png_bytes())
    before = counts()
    with pytest.raises(InvalidInput, match=message):
        assets.add_asset(as_user("anna"), path, **texts)
    assert counts() == before


def test_a_file_name_that_is_not_utf8_is_refused(
    as_user: As, counts: Counts, tmp_path: Path
) -> None:
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe.png"))
    path.write_bytes(png_bytes())
    before = counts()
    with pytest.raises(InvalidInput, match="file name contains a lone surrogate"):
        assets.add_asset(as_user("anna"), path)
    assert counts() == before


def test_decode_text_names_the_encoding_of_any_text_file() -> None:
    """The same decoding, public for other files the user hands over (a body file)."""
    assert decode_text("\ufeffТекст".encode()) == "Текст"
    with pytest.raises(DocumentError, match=r"^not UTF-8 text \(looks like Windows-1251\)$"):
        decode_text(RUSSIAN.encode("cp1251"))
    with pytest.raises(DocumentError, match="binary data"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00")
