"""The command line: the same services as the window, for scripts and web staff."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from csto_editor import __version__, cli_format
from csto_editor.app import default_login, open_context
from csto_editor.core.errors import EditorError, InvalidInput, NotFound
from csto_editor.paths import default_database
from csto_editor.services import (
    accounts,
    backup,
    checks,
    editing,
    export,
    importing,
    queries,
    restore,
    review,
    sections,
    setup,
)
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.store import failures

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


def build_parser() -> Parser:
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
    gui.set_defaults(handler=cmd_gui)

    init = commands.add_parser("init", help="create or upgrade the database")
    init.add_argument("--demo", action="store_true", help="add demo sections, users and items")
    init.add_argument(
        "--demo-if-empty", action="store_true", help="add the demo only to a database without items"
    )
    init.add_argument("--base-url", help="the public site's address, for feeds and links")
    init.add_argument("--json", action="store_true")
    init.set_defaults(handler=cmd_init)

    user = commands.add_parser("user", help="accounts").add_subparsers(
        dest="user_command", metavar="ACTION", required=True, parser_class=Parser
    )
    user_add = user.add_parser("add", help="add an account (admin)")
    user_add.add_argument("login")
    user_add.add_argument("--name", required=True)
    user_add.add_argument("--role", action="append", required=True, dest="roles")
    user_add.add_argument("--json", action="store_true")
    user_add.set_defaults(handler=cmd_user_add)
    user_list = user.add_parser("list", help="list accounts")
    user_list.add_argument("--json", action="store_true")
    user_list.set_defaults(handler=cmd_user_list)

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
    section_add.set_defaults(handler=cmd_section_add)
    section_list = section.add_parser("list", help="list the tree")
    section_list.add_argument("--json", action="store_true")
    section_list.set_defaults(handler=cmd_section_list)

    imp = commands.add_parser("import", help="import Markdown files with front matter")
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE")
    imp.add_argument("--section", metavar="SLUG", help="section for files that name none")
    imp.add_argument("--json", action="store_true")
    imp.set_defaults(handler=cmd_import)

    lst = commands.add_parser("list", help="list items")
    lst.add_argument("--section", metavar="S")
    lst.add_argument("--status", metavar="S")
    lst.add_argument("--lang", metavar="L")
    lst.add_argument("--query", metavar="TEXT", help="full-text search in title, lead and body")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=cmd_list)

    show = commands.add_parser("show", help="one item")
    show.add_argument("item", type=item_id, metavar="ITEM")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    hist = commands.add_parser("history", help="an item's revisions and reviews")
    hist.add_argument("item", type=item_id, metavar="ITEM")
    hist.add_argument("--json", action="store_true")
    hist.set_defaults(handler=cmd_history)

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
    edit.set_defaults(handler=cmd_edit)

    sub = commands.add_parser("submit", help="send drafts to review")
    sub.add_argument("items", nargs="+", type=item_id, metavar="ITEM")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(handler=cmd_submit)

    appr = commands.add_parser("approve", help="approve submitted revisions (reviewer)")
    appr.add_argument("items", nargs="+", type=item_id, metavar="ITEM")
    appr.add_argument("--comment", default="")
    appr.add_argument("--json", action="store_true")
    appr.set_defaults(handler=cmd_approve)

    req = commands.add_parser("request-changes", help="send an item back (reviewer)")
    req.add_argument("item", type=item_id, metavar="ITEM")
    req.add_argument("--comment", required=True)
    req.add_argument("--json", action="store_true")
    req.set_defaults(handler=cmd_request_changes)

    wd = commands.add_parser("withdraw", help="retract a published item")
    wd.add_argument("item", type=item_id, metavar="ITEM")
    wd.add_argument("--comment", required=True)
    wd.add_argument("--json", action="store_true")
    wd.set_defaults(handler=cmd_withdraw)

    chk = commands.add_parser("check", help="pre-publication checks (exit 1 on errors)")
    chk.add_argument("items", nargs="*", type=item_id, metavar="ITEM")
    chk.add_argument("--json", action="store_true")
    chk.set_defaults(handler=cmd_check)

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
    exp.set_defaults(handler=cmd_export)

    bak = commands.add_parser("backup", help="a consistent copy of the database")
    bak.add_argument("--out", required=True, type=Path, metavar="FILE")
    bak.add_argument("--json", action="store_true")
    bak.set_defaults(handler=cmd_backup)

    res = commands.add_parser(
        "restore", help="replace the database with a backup (admin; a safety copy is kept)"
    )
    res.add_argument("file", type=Path, metavar="FILE", help="a backup: database file or zip")
    res.add_argument("--json", action="store_true")
    res.set_defaults(handler=cmd_restore)

    chkdb = commands.add_parser(
        "check-database", help="SQLite's check of the database file (exit 2 when damaged)"
    )
    chkdb.add_argument("--full", action="store_true", help="integrity_check: slower, thorough")
    chkdb.add_argument("--json", action="store_true")
    chkdb.set_defaults(handler=cmd_check_database)
    return parser


def _context(
    args: argparse.Namespace, *, create: bool = False, read: bool = False
) -> ServiceContext:
    """The database and login of the command; ``read``: a command that only reads, which
    works on a read-only database too."""
    return open_context(args.db, args.user, create=create, allow_read_only=read)


def cmd_gui(args: argparse.Namespace) -> int:
    from csto_editor.ui.main import run_gui  # Qt is imported only when the window opens

    return int(run_gui(args))


def cmd_init(args: argparse.Namespace) -> int:
    ctx = _context(args, create=True)
    result = setup.initialize(
        ctx,
        demo=args.demo or args.demo_if_empty,
        base_url=args.base_url,
        demo_only_if_empty=args.demo_if_empty,
    )
    if args.json:
        cli_format.print_json(result.to_json())
    else:
        done = "created" if result.created else "upgraded" if result.upgraded else "up to date"
        print(f"database {done} (schema {result.schema})")
        if result.admin:
            print(f"{result.admin} is the administrator")
        if result.demo_items:
            print(f"added {result.demo_items} demo items")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    user = accounts.add_user(_context(args), args.login, args.name, args.roles)
    _report(args, user.to_json(), f"added user {user.login} ({', '.join(user.roles)})")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    users = accounts.list_users(_context(args, read=True))
    if args.json:
        cli_format.print_json(cli_format.views_json(users))
    else:
        cli_format.print_users(users)
    return 0


def cmd_section_add(args: argparse.Namespace) -> int:
    added = sections.add_section(
        _context(args), args.slug, args.name_en, args.name_ru, args.parent, args.type
    )
    _report(args, added.to_json(), f"added section {added.path}")
    return 0


def cmd_section_list(args: argparse.Namespace) -> int:
    tree = sections.list_sections(_context(args, read=True))
    if args.json:
        cli_format.print_json(cli_format.views_json(tree))
    else:
        cli_format.print_sections(tree)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    items = importing.import_files(_context(args), args.files, args.section)
    if args.json:
        cli_format.print_json(cli_format.views_json(items))
    else:
        cli_format.print_items(items)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    filters = queries.ItemFilter(args.section, args.status, args.lang, args.query)
    items = queries.list_items(_context(args, read=True), filters)
    if args.json:
        cli_format.print_json(cli_format.views_json(items))
    else:
        cli_format.print_items(items)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    detail = queries.get_item(_context(args, read=True), args.item)
    if args.json:
        cli_format.print_json(detail.to_json())
    else:
        cli_format.print_item(detail)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    result = queries.history(_context(args, read=True), args.item)
    if args.json:
        cli_format.print_json(result.to_json())
    else:
        cli_format.print_history(result)
    return 0


def _read_body(path: Path) -> str:
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None


def cmd_edit(args: argparse.Namespace) -> int:
    changes: dict[str, object] = {}
    for name in ("title", "lead", "place", "speaker", "occasion", "outlet", "interviewee"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    for name in ("slug", "type", "lang"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.date is not None:
        changes["event_date"] = args.date
    if args.body_file is not None:
        changes["body"] = _read_body(args.body_file)
    if not changes and args.section is None:
        raise InvalidInput("nothing to change: give --title, --body-file or another field")
    summary = editing.edit_item(
        _context(args),
        args.item,
        changes,
        expected_version=args.expect_version,
        section=args.section,
    )
    _report(
        args,
        summary.to_json(),
        f"item {summary.id} is {summary.status}, revision {summary.revision}",
    )
    return 0


def _report_items(args: argparse.Namespace, items: Sequence[ItemSummary], verb: str) -> None:
    if args.json:
        cli_format.print_json(cli_format.views_json(items))
    else:
        for item in items:
            print(f"item {item.id} {verb}: {item.status}")


def _report(args: argparse.Namespace, data: dict[str, object], text: str) -> None:
    if args.json:
        cli_format.print_json(data)
    else:
        print(text)


def cmd_submit(args: argparse.Namespace) -> int:
    _report_items(args, review.submit(_context(args), args.items), "submitted")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    _report_items(args, review.approve(_context(args), args.items, args.comment), "approved")
    return 0


def cmd_request_changes(args: argparse.Namespace) -> int:
    item = review.request_changes(_context(args), args.item, args.comment)
    _report_items(args, [item], "sent back")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    item = review.withdraw(_context(args), args.item, args.comment)
    _report_items(args, [item], "withdrawn")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    report = checks.run_checks(_context(args, read=True), args.items)
    if args.json:
        cli_format.print_json(report.to_json())
    else:
        cli_format.print_check(report)
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    options = export.ExportOptions(
        out=args.out,
        as_zip=args.zip,
        sections=tuple(args.sections),
        languages=tuple(args.languages),
        since_last=args.since_last,
        base_url=args.base_url,
        date_from=args.date_from,
        date_to=args.date_to,
        force=args.force,
    )
    result = export.export(_context(args), options)
    _report(
        args,
        result.to_json(),
        f"exported {result.items} items to {result.out}: {result.added} added, "
        f"{result.updated} updated, {result.removed} removed",
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    result = backup.backup(_context(args, read=True), args.out)
    _report(args, result.to_json(), f"backup written to {result.path} ({result.size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    result = restore.restore(args.db or default_database(), args.file, args.user or default_login())
    kept = (
        f"the previous database was kept as {result.safety_copy}"
        if result.safety_copy
        else "there was no database before"
    )
    assets = f", {result.assets} asset files" if result.assets else ""
    _report(
        args,
        result.to_json(),
        f"restored {result.database} from {result.restored_from} "
        f"({result.items} items{assets}); {kept}",
    )
    return 0


def cmd_check_database(args: argparse.Namespace) -> int:
    ctx = _context(args, read=True)
    if not ctx.database.target.is_sqlite:
        raise InvalidInput("check-database checks a SQLite file; check a server with its tools")
    problems = ctx.database.quick_check(full=args.full)
    path = ctx.database.target.path
    where = str(path) if path is not None else "the database"
    if args.json:
        cli_format.print_json(
            {
                "database": where,
                "ok": not problems,
                "check": "integrity_check" if args.full else "quick_check",
                "problems": problems,
                "read_only": ctx.database.read_only,
                "newest_backup": _newest_backup(path),
            }
        )
        return 2 if problems else 0
    if problems:
        more = f" and {len(problems) - 1} more problems" if len(problems) > 1 else ""
        raise failures.damaged(path, f"{problems[0]}{more}")
    print(f"{where} is sound ({'integrity_check' if args.full else 'quick_check'}: ok)")
    return 0


def _newest_backup(path: Path | None) -> str | None:
    newest = failures.newest_backup(path) if path is not None else None
    return str(newest) if newest is not None else None


def _fail(message: str, code: int) -> int:
    first_line = " ".join(message.split())
    sys.stderr.write(f"error: {first_line}\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code. Errors are one `error:` line on stderr."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        args = build_parser().parse_args(arguments or ["gui"])
        if getattr(args, "handler", None) is None:
            args = build_parser().parse_args([*arguments, "gui"])
        handler: Handler = args.handler
        return handler(args)
    except UsageError as error:
        return _fail(str(error), 2)
    except EditorError as error:
        return _fail(str(error), error.exit_code)
    except StaleDataError:
        return _fail("the item was changed by someone else meanwhile; try again", 1)
    except (DBAPIError, sqlite3.Error) as error:
        translated = failures.translate(error, None)
        if translated is not None:
            return _fail(str(translated), translated.exit_code)
        original = getattr(error, "orig", error)
        return _fail(f"database: {original}", 1)
    except SQLAlchemyError as error:
        return _fail(f"database: {error}", 1)
    except BrokenPipeError:
        # The reader (`| head`) has gone; say nothing more to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        return _fail(f"{error.filename or ''} {error.strerror or error}".strip(), 1)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except SystemExit as exit_request:  # --help and --version
        return exit_request.code if isinstance(exit_request.code, int) else 0
    except Exception as error:  # noqa: BLE001 - the last line of defence: no tracebacks
        if os.environ.get("CSTO_EDITOR_DEBUG"):
            traceback.print_exc()
        return _fail(f"internal error: {type(error).__name__}: {error}", 1)


def main_exit() -> None:
    """The `csto-editor` console script."""
    sys.exit(main())
