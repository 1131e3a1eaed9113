"""Bad command-line arguments: one `error:` line naming the problem, exit 2, nothing stored.

Every command and option is given wrong types, impossible dates, empty and overlong
values, control characters, NUL bytes and bytes that are not UTF-8 (which Python hands
over as lone surrogates, as it does for a real argv). Each run must end in exactly one
``error:`` line on stderr, with the exit code the design gives, and the database rows
must be exactly what they were.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile.conftest import Runner

Counts = Callable[[], dict[str, int]]
NOT_UTF8 = "\udcff\udcfe"
"""What Python makes of the bytes FF FE in an argument (surrogateescape)."""


@pytest.fixture
def item(cli: Runner, tmp_path: Path) -> str:
    """A draft by anna, id as text."""
    source = tmp_path / "item.md"
    source.write_text(
        "---\ntitle: Seminar for press officers\nsection: news\ndate: 2025-03-13\n---\nText.\n",
        encoding="utf-8",
    )
    cli("import", str(source), user="anna").assert_ok()
    return "1"


# (arguments, acting user, exit code, fragments the error line must name)
BAD: list[tuple[tuple[str, ...], str, int, tuple[str, ...]]] = [
    # item ids: wrong type, zero, negative, beyond 64 bits
    (("show", "abc"), "anna", 2, ("invalid item id",)),
    (("show", "1.5"), "anna", 2, ("invalid item id",)),
    (("show", "0"), "anna", 2, ("positive",)),
    (("show", "-3"), "anna", 2, ("argument",)),
    (("show", ""), "anna", 2, ("invalid item id",)),
    (("show", "99999999999999999999999"), "anna", 4, ("no item",)),
    (("history", "9223372036854775808"), "anna", 4, ("no item",)),
    (("check", "18446744073709551616"), "anna", 4, ("no item",)),
    (("submit", "1", "x"), "anna", 2, ("invalid item id",)),
    (("gui", "--open", "abc"), "anna", 2, ("invalid item id",)),
    # edit: every field
    (("edit", "1", "--title", ""), "anna", 2, ("title", "empty")),
    (("edit", "1", "--title", "я" * 5_000), "anna", 2, ("title", "5,000", "500")),
    (("edit", "1", "--title", "Before\x00after"), "anna", 2, ("title", "nul")),
    (("edit", "1", "--title", "Bell\x07"), "anna", 2, ("title", "U+0007")),
    (("edit", "1", "--title", f"Bytes {NOT_UTF8}"), "anna", 2, ("title", "not valid UTF-8")),
    (("edit", "1", "--title", "Line\u2028break"), "anna", 2, ("title", "one line")),
    (("edit", "1", "--lead", "л" * 5_001), "anna", 2, ("lead", "5,001")),
    (("edit", "1", "--lead", "\x1b[2J"), "anna", 2, ("lead", "control")),
    (("edit", "1", "--place", "p" * 301), "anna", 2, ("place", "301")),
    (("edit", "1", "--speaker", "S\x00"), "anna", 2, ("speaker",)),
    (("edit", "1", "--occasion", NOT_UTF8), "anna", 2, ("occasion", "UTF-8")),
    (("edit", "1", "--outlet", "a\nb"), "anna", 2, ("outlet", "one line")),
    (("edit", "1", "--interviewee", "\ufffe"), "anna", 2, ("interviewee", "noncharacter")),
    (("edit", "1", "--slug", "../../etc/passwd"), "anna", 2, ("slug",)),
    (("edit", "1", "--slug", "feed"), "anna", 2, ("slug", "reserved")),
    (("edit", "1", "--slug", ""), "anna", 2, ("slug", "empty")),
    (("edit", "1", "--slug", "s" * 101), "anna", 2, ("slug", "100")),
    (("edit", "1", "--type", "poem"), "anna", 2, ("unknown type",)),
    (("edit", "1", "--lang", "de"), "anna", 2, ("unknown language",)),
    (("edit", "1", "--date", "2025-02-30"), "anna", 2, ("--date", "YYYY-MM-DD")),
    (("edit", "1", "--date", "2025-13-01"), "anna", 2, ("--date",)),
    (("edit", "1", "--date", "30.05.2025"), "anna", 2, ("--date",)),
    (("edit", "1", "--date", "0001-01-01"), "anna", 2, ("event_date", "1900-2100")),
    (("edit", "1", "--date", "2225-01-01"), "anna", 2, ("event_date", "1900-2100")),
    (("edit", "1", "--date", ""), "anna", 2, ("--date",)),
    (("edit", "1", "--expect-version", "x", "--title", "T"), "anna", 2, ("--expect-version",)),
    (("edit", "1", "--section", "nope"), "anna", 4, ("no section",)),
    (("edit", "1", "--section", "../news"), "anna", 4, ("no section",)),
    (("edit", "1", "--body-file", "/nonexistent/body.md"), "anna", 4, ("no such file",)),
    (("edit", "1"), "anna", 2, ("nothing to change",)),
    (("edit", "1", "--colour", "red"), "anna", 2, ("unrecognized arguments",)),
    # workflow comments
    (("request-changes", "1", "--comment", ""), "rita", 2, ("comment", "empty")),
    (("withdraw", "1", "--comment", "\x00"), "admin", 2, ("comment", "nul")),
    (("approve", "1", "--comment", "x" * 10_001), "rita", 2, ("comment", "10,001")),
    # list
    (("list", "--status", "bogus"), "anna", 2, ("unknown status",)),
    (("list", "--lang", "xx"), "anna", 2, ("unknown language",)),
    (("list", "--section", "x" * 5_000), "anna", 4, ("no section",)),
    (("list", "--query", "((( *** )))"), "anna", 2, ("no words",)),
    # accounts and sections
    (("user", "add", "анна", "--name", "A", "--role", "author"), "admin", 2, ("login",)),
    (("user", "add", "olga", "--name", NOT_UTF8, "--role", "author"), "admin", 2, ("name",)),
    (("user", "add", "olga", "--name", "", "--role", "author"), "admin", 2, ("name", "empty")),
    (("user", "add", "olga", "--name", "O", "--role", "god"), "admin", 2, ("unknown role",)),
    (("user", "add", "olga", "--name", "O"), "admin", 2, ("--role",)),
    (("section", "add", "Docs", "--name-en", "D", "--name-ru", "Д"), "admin", 2, ("slug",)),
    (("section", "add", "index", "--name-en", "D", "--name-ru", "Д"), "admin", 2, ("reserved",)),
    (("section", "add", "docs", "--name-en", "", "--name-ru", "Д"), "admin", 2, ("English",)),
    (("section", "add", "docs", "--name-en", "D", "--name-ru", "Д" * 201), "admin", 2, ("Russ",)),
    (
        ("section", "add", "docs", "--name-en", "D", "--name-ru", "Д", "--type", "x"),
        "admin",
        2,
        ("type",),
    ),
    (
        ("section", "add", "docs", "--name-en", "D", "--name-ru", "Д", "--parent", "x"),
        "admin",
        4,
        ("no section",),
    ),
    # settings and export
    (("init", "--base-url", "javascript:alert(1)"), "admin", 2, ("base URL",)),
    (("init", "--base-url", "https://exa mple.org/"), "admin", 2, ("base URL", "spaces")),
    (("init", "--base-url", "https://x.org/?a=1"), "admin", 2, ("base URL", "query")),
    (("export", "--out", "OUT", "--base-url", "ftp://x.org/"), "erik", 2, ("base URL",)),
    (("export", "--out", "OUT", "--from", "2025-02-30"), "erik", 2, ("--from",)),
    (
        ("export", "--out", "OUT", "--from", "2025-05-01", "--to", "2025-01-01"),
        "erik",
        2,
        ("after",),
    ),
    (("export", "--out", "OUT", "--lang", "xx"), "erik", 2, ("unknown language",)),
    (("export", "--out", "OUT", "--section", "nope"), "erik", 4, ("no section",)),
    (("export", "--out", ""), "erik", 2, ("--out",)),
    (("export", "--out", "OUT\x00"), "erik", 2, ("--out", "NUL")),
    (("export", "--out", f"OUT{NOT_UTF8}"), "erik", 2, ("--out", "UTF-8")),
    (("export", "--out", "OUT" + "x" * 300), "erik", 2, ("--out", "too long")),
    (("export", "--out", "/nonexistent/folder/bundle"), "erik", 2, ("does not exist",)),
    (("backup", "--out", "/nonexistent/folder/b.sqlite3"), "admin", 2, ("does not exist",)),
    # who is acting
    (("edit", "1", "--title", "T"), NOT_UTF8, 2, ("invalid login",)),
    (("edit", "1", "--title", "T"), "a\x00b", 2, ("invalid login",)),
    (("edit", "1", "--title", "T"), "x" * 1_000, 2, ("invalid login", "1,000 characters")),
    (("edit", "1", "--title", "T"), "nobody", 3, ("no account",)),
    # usage
    (("--bogus",), "anna", 2, ("unrecognized",)),
    (("frobnicate",), "anna", 2, ("invalid choice",)),
]


@pytest.mark.parametrize(
    ("args", "user", "code", "fragments"),
    BAD,
    ids=[f"{i}-{' '.join(a)[:40]}" for i, (a, _u, _c, _f) in enumerate(BAD)],
)
def test_a_bad_argument_gives_one_error_line_and_stores_nothing(
    cli: Runner,
    item: str,
    counts: Counts,
    tmp_path: Path,
    args: tuple[str, ...],
    user: str,
    code: int,
    fragments: tuple[str, ...],
) -> None:
    if args[0] in ("withdraw", "approve", "request-changes"):
        cli("submit", item, user="anna").assert_ok()
    argv = tuple(arg.replace("OUT", str(tmp_path / "bundle"), 1) for arg in args)
    before = counts()
    cli(*argv, user=user).assert_error(code, *fragments)
    assert counts() == before
    assert not (tmp_path / "bundle").exists()
    shown = cli("show", item, "--json", user="anna").assert_ok()
    assert '"title": "Seminar for press officers"' in shown.out


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"Text with a NUL \x00 byte\n", "nul"),
        ("Текст в Windows-1251".encode("cp1251"), "UTF-8"),
        ("Текст".encode("utf-16"), "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "UTF-8"),
        (("Текст. " * 1_500_000).encode("utf-8"), "body is 10,500,000 characters long"),
        (b"Para\n\nwith \x1b escape", "body contains a control character U+001B on line 3"),
    ],
    ids=["nul", "cp1251", "utf-16", "png", "10.5-million-characters", "escape"],
)
def test_a_bad_body_file_is_refused(
    cli: Runner, item: str, counts: Counts, tmp_path: Path, body: bytes, fragment: str
) -> None:
    path = tmp_path / "body.md"
    path.write_bytes(body)
    before = counts()
    cli("edit", item, "--body-file", str(path), user="anna").assert_error(2, fragment)
    assert counts() == before


def test_arguments_that_are_not_utf8_from_a_real_command_line(
    tmp_path: Path, db_file: Path
) -> None:
    """The console script run as a shell would run it, with raw bytes in argv."""
    executable = Path(sys.executable).with_name("csto-editor")
    if not executable.exists():
        pytest.skip("no csto-editor console script in the venv")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}

    def run(*args: bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [os.fsencode(executable), b"--db", os.fsencode(db_file), *args],
            capture_output=True,
            env=env,
            timeout=60,
            check=False,
        )

    source = tmp_path / "item.md"
    source.write_text("---\ntitle: T\nsection: news\n---\nText.\n", encoding="utf-8")
    assert run(b"--user", b"anna", b"import", os.fsencode(source)).returncode == 0
    title = run(b"--user", b"anna", b"edit", b"1", b"--title", b"\xff\xfe bad")
    user = run(b"--user", b"\xff", b"edit", b"1", b"--title", b"Good")
    for result in (title, user):
        err = result.stderr.decode("utf-8")
        assert result.returncode == 2, err
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert "Traceback" not in err and "internal error" not in err
    assert "not valid UTF-8" in title.stderr.decode()
    assert "invalid login" in user.stderr.decode()
