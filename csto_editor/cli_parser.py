"""The command line's grammar: commands, their arguments, and how bad usage is reported."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NoReturn

from csto_editor import __version__

Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """argparse found bad usage; reported as one `error:` line with exit 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def item_id(value: str) -> int:
    try:
        number = int(value.strip().lstrip("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid item id {value!r}: give a number") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"invalid item id {value!r}: give a positive number")
    return number


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: use YYYY-MM-DD") from None


def build_parser(handlers: Mapping[str, Handler]) -> Parser:
    """The whole command line; ``handlers`` runs each command, by its name."""
    parser = Parser(
        prog="csto-editor",
        description="CSTO Editor: draft, review and export the CSTO's web content.",
    )
    parser.add_argument("--version", action="version", version=f"csto-editor {__version__}")
    parser.add_argument("--db", help="database file or SQLAlchemy URL ($CSTO_EDITOR_DB)")
    parser.add_argument("--user", help="acting login ($CSTO_EDITOR_USER, else the OS login)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    gui = commands.add_parser("gui", help="open the main window (the default)")
    gui.add_argument("--open", type=item_id, metavar="ITEM", help="open this item")
    gui.add_argument("--exit-when-ready", action="store_true", help="quit once painted")
    gui.set_defaults(handler=handlers["gui"])

    init = commands.add_parser("init", help="create or upgrade the database")
    init.add_argument("--demo", action="store_true", help="add demo sections, users and items")
    init.add_argument(
        "--demo-if-empty", action="store_true", help="add the demo only to a database without items"
    )
    init.add_argument("--base-url", help="the public site's address, for feeds and links")
    team = init.add_mutually_exclusive_group()
    team.add_argument(
        "--team",
        action="store_true",
        help="PostgreSQL: create the role groups, apply their grants and row-level security; "
        "people then act as their own database login",
    )
    team.add_argument(
        "--print-grants",
        action="store_true",
        help="PostgreSQL: print the SQL of --team for a DBA, change nothing",
    )
    init.add_argument(
        "--role-prefix",
        default="csto_",
        metavar="PREFIX",
        help="group role names in team mode: PREFIX + author, reviewer, exporter, admin",
    )
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=handlers["init"])

    user = commands.add_parser("user", help="accounts").add_subparsers(
        dest="user_command", metavar="ACTION", required=True, parser_class=Parser
    )
    user_add = user.add_parser("add", help="add an account (admin)")
    user_add.add_argument("login")
    user_add.add_argument("--name", required=True)
    user_add.add_argument("--role", action="append", required=True, dest="roles")
    user_add.add_argument("--json", action="store_true")
    user_add.set_defaults(handler=handlers["user_add"])
    user_list = user.add_parser("list", help="list accounts")
    user_list.add_argument("--json", action="store_true")
    user_list.set_defaults(handler=handlers["user_list"])

    section = commands.add_parser("section", help="the section tree").add_subparsers(
        dest="section_command", metavar="ACTION", required=True, parser_class=Parser
    )
    section_add = section.add_parser("add", help="add a section (admin)")
    section_add.add_argument("slug")
    section_add.add_argument("--name-en", required=True)
    section_add.add_argument("--name-ru", required=True)
    section_add.add_argument("--parent", metavar="SLUG")
    section_add.add_argument("--type", default="news", help="default content type")
    section_add.add_argument("--json", action="store_true")
    section_add.set_defaults(handler=handlers["section_add"])
    section_list = section.add_parser("list", help="list the tree")
    section_list.add_argument("--json", action="store_true")
    section_list.set_defaults(handler=handlers["section_list"])

    imp = commands.add_parser("import", help="import .docx, .html, .md and .txt files as drafts")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--section", metavar="SLUG", help="section for files that name none")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=handlers["import"])

    lst = commands.add_parser("list", help="list items")
    lst.add_argument("--section", metavar="S")
    lst.add_argument("--status", metavar="S")
    lst.add_argument("--lang", metavar="L")
    lst.add_argument("--query", metavar="TEXT", help="full-text search in title, lead and body")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=handlers["list"])

    show = commands.add_parser("show", help="one item")
    show.add_argument("item", type=item_id, metavar="ITEM")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=handlers["show"])

    hist = commands.add_parser("history", help="an item's revisions and reviews")
    hist.add_argument("item", type=item_id, metavar="ITEM")
    hist.add_argument("--json", action="store_true")
    hist.set_defaults(handler=handlers["history"])

    edit = commands.add_parser("edit", help="change an item: a new revision")
    edit.add_argument("item", type=item_id, metavar="ITEM")
    edit.add_argument("--title")
    edit.add_argument("--body-file", type=Path, metavar="F", help="Markdown body ('-': stdin)")
    edit.add_argument("--lead")
    edit.add_argument("--date", type=iso_date, metavar="YYYY-MM-DD")
    for name in ("place", "speaker", "occasion", "outlet", "interviewee", "slug", "type", "lang"):
        edit.add_argument(f"--{name}")
    edit.add_argument("--section", metavar="SLUG", help="move to another section")
    edit.add_argument("--expect-version", type=int, metavar="N", help="refuse if changed since")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(handler=handlers["edit"])

    sub = commands.add_parser("submit", help="send drafts to review")
    sub.add_argument("items", nargs="+", type=item_id, metavar="ITEM")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=handlers["submit"])

    appr = commands.add_parser("approve", help="approve submitted revisions (reviewer)")
    appr.add_argument("items", nargs="+", type=item_id, metavar="ITEM")
    appr.add_argument("--comment", default="")
    appr.add_argument("--json", action="store_true")
    appr.set_defaults(handler=handlers["approve"])

    req = commands.add_parser("request-changes", help="send an item back (reviewer)")
    req.add_argument("item", type=item_id, metavar="ITEM")
    req.add_argument("--comment", required=True)
    req.add_argument("--json", action="store_true")
    req.set_defaults(handler=handlers["request_changes"])

    wd = commands.add_parser("withdraw", help="retract a published item")
    wd.add_argument("item", type=item_id, metavar="ITEM")
    wd.add_argument("--comment", required=True)
    wd.add_argument("--json", action="store_true")
    wd.set_defaults(handler=handlers["withdraw"])

    chk = commands.add_parser("check", help="pre-publication checks (exit 1 on errors)")
    chk.add_argument("items", nargs="*", type=item_id, metavar="ITEM")
    chk.add_argument("--json", action="store_true")
    chk.set_defaults(handler=handlers["check"])

    exp = commands.add_parser("export", help="build a bundle for web staff (exporter)")
    exp.add_argument("--out", required=True, metavar="PATH", help="bundle folder, or .zip file")
    exp.add_argument("--zip", action="store_true", help="write one zip file")
    exp.add_argument("--section", action="append", default=[], metavar="S", dest="sections")
    exp.add_argument("--lang", action="append", default=[], metavar="L", dest="languages")
    exp.add_argument("--since-last", action="store_true", help="only changes since the last")
    exp.add_argument("--base-url", metavar="URL", help="the site's address for this export")
    exp.add_argument("--from", type=iso_date, dest="date_from", metavar="YYYY-MM-DD")
    exp.add_argument("--to", type=iso_date, dest="date_to", metavar="YYYY-MM-DD")
    exp.add_argument("--force", action="store_true", help="export despite check errors")
    exp.add_argument("--json", action="store_true")
    exp.set_defaults(handler=handlers["export"])

    bak = commands.add_parser("backup", help="a consistent copy of the database")
    bak.add_argument("--out", required=True, type=Path, metavar="FILE")
    bak.add_argument("--json", action="store_true")
    bak.set_defaults(handler=handlers["backup"])

    res = commands.add_parser(
        "restore", help="replace the database with a backup (admin; a safety copy is kept)"
    )
    res.add_argument("file", type=Path, metavar="FILE", help="a backup: database file or zip")
    res.add_argument("--json", action="store_true")
    res.set_defaults(handler=handlers["restore"])

    chkdb = commands.add_parser(
        "check-database", help="SQLite's check of the database file (exit 2 when damaged)"
    )
    chkdb.add_argument("--full", action="store_true", help="integrity_check: slower, thorough")
    chkdb.add_argument("--json", action="store_true")
    chkdb.set_defaults(handler=handlers["check_database"])
    return parser
