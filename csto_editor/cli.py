"""The command line: the same services as the window, for scripts and web staff."""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm.exc import StaleDataError

from csto_editor import cli_format
from csto_editor.app import default_login, open_context
from csto_editor.cli_parser import Handler, UsageError, build_parser
from csto_editor.core.errors import EditorError, InvalidInput, NotFound
from csto_editor.paths import default_database
from csto_editor.services import (
    accounts,
    backup,
    editing,
    queries,
    review,
    sections,
    team,
)
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import ItemSummary
from csto_editor.startup_clock import mark
from csto_editor.store import failures
from csto_editor.store.database import resolve_target
from csto_editor.store.team_roles import APP_ROLES


def _context(
    args: argparse.Namespace, *, create: bool = False, read: bool = False
) -> ServiceContext:
    """The database and login of the command; ``read``: a command that only reads, which
    works on a read-only database too."""
    return open_context(args.db, args.user, create=create, allow_read_only=read)


def cmd_gui(args: argparse.Namespace) -> int:
    mark("command line read")
    # Before Qt: once PySide6 is loaded, it reads the source of every module imported
    # after it (to see whether that module uses PySide).
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import csto_editor.services.pages  # noqa: F401
    from csto_editor.ui.main import run_gui  # Qt is imported only when the window opens

    return int(run_gui(args))


def cmd_init(args: argparse.Namespace) -> int:
    from csto_editor.services import setup  # the window never needs it: not loaded for gui

    if args.print_grants:
        return _print_grants(args)
    if args.team:
        team.team_sql(resolve_target(args.db or default_database()).url, args.role_prefix)
    ctx = _context(args, create=True)
    if args.team:
        team.check_team_mode_possible(ctx, args.role_prefix)
    result = setup.initialize(
        ctx,
        demo=args.demo or args.demo_if_empty,
        base_url=args.base_url,
        demo_only_if_empty=args.demo_if_empty,
    )
    team_setup = team.enable_team_mode(ctx, args.role_prefix) if args.team else None
    if args.json:
        data = result.to_json()
        if team_setup is not None:
            data["team"] = team_setup.to_json()
        cli_format.print_json(data)
    else:
        done = "created" if result.created else "upgraded" if result.upgraded else "up to date"
        print(f"database {done} (schema {result.schema})")
        if result.admin:
            print(f"{result.admin} is the administrator")
        if result.demo_items:
            print(f"added {result.demo_items} demo items")
        if team_setup is not None:
            groups = ", ".join(f"{team_setup.prefix}{role}" for role in APP_ROLES)
            print(f"team mode on: role groups {groups}; everyone acts as their database login")
    return 0


def _print_grants(args: argparse.Namespace) -> int:
    target = resolve_target(args.db or default_database())
    sql = team.team_sql(target.url, args.role_prefix)
    if args.json:
        cli_format.print_json(sql.to_json())
    else:
        print(f"-- CSTO Editor team mode for database {sql.database}: run after `init`, as owner")
        print("BEGIN;")
        for statement in sql.statements:
            print(" ".join(statement.split()) + ";")
        print("COMMIT;")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    user, login = accounts.add_user_with_login(_context(args), args.login, args.name, args.roles)
    data = user.to_json()
    lines = [f"added user {user.login} ({', '.join(user.roles)})"]
    if login is not None:
        data["database_login"] = login.to_json()
        if login.granted:
            made = "created" if login.created else "already existed"
            lines.append(
                f"database login {login.login} {made}; it is now in its roles' groups"
                + ("; set its password with ALTER ROLE ... PASSWORD" if login.created else "")
            )
        else:
            lines.append("your login may not create roles: a DBA must run")
            lines.extend(f"  {statement};" for statement in login.statements_for_dba)
    _report(args, data, "\n".join(lines))
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
    from csto_editor.services import importing  # YAML: imported by the commands that need it

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
    from csto_editor.services import checks  # Markdown: imported by the commands that need it

    report = checks.run_checks(_context(args, read=True), args.items)
    if args.json:
        cli_format.print_json(report.to_json())
    else:
        cli_format.print_check(report)
    return 1 if report.errors else 0


def cmd_export(args: argparse.Namespace) -> int:
    # Collections over the modules and rows an export holds until it ends are wasted work
    # (a tenth of a --since-last export): keep what is loaded out of them, collect rarely.
    gc.freeze()
    gc.set_threshold(EXPORT_GC_THRESHOLD, 20, 20)
    from csto_editor.services import export  # templates, images, Markdown: only for export

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
    ctx = _context(args)
    try:
        result = export.export(ctx, options)
    finally:
        ctx.database.dispose()
    _end_without_a_last_collection()
    _report(
        args,
        result.to_json(),
        f"exported {result.items} items to {result.out}: {result.added} added, "
        f"{result.updated} updated, {result.removed} removed",
    )
    return 0


EXPORT_GC_THRESHOLD = 50_000
"""Allocations between collections during an export (Python's default is 700)."""


def _end_without_a_last_collection() -> None:
    """Spare the process's exit a garbage collection over everything the export loaded
    (tens of milliseconds, a noticeable share of a --since-last export): what is alive now
    lives until the exit anyway."""
    gc.freeze()


def cmd_backup(args: argparse.Namespace) -> int:
    result = backup.backup(_context(args, read=True), args.out)
    _report(args, result.to_json(), f"backup written to {result.path} ({result.size} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from csto_editor.services import restore  # the window loads it only to restore

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


HANDLERS: dict[str, Handler] = {
    "gui": cmd_gui,
    "init": cmd_init,
    "user_add": cmd_user_add,
    "user_list": cmd_user_list,
    "section_add": cmd_section_add,
    "section_list": cmd_section_list,
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "history": cmd_history,
    "edit": cmd_edit,
    "submit": cmd_submit,
    "approve": cmd_approve,
    "request_changes": cmd_request_changes,
    "withdraw": cmd_withdraw,
    "check": cmd_check,
    "export": cmd_export,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check_database": cmd_check_database,
}
"""Each command's function, by the name the parser gives it."""


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
        args = build_parser(HANDLERS).parse_args(arguments or ["gui"])
        if getattr(args, "handler", None) is None:
            args = build_parser(HANDLERS).parse_args([*arguments, "gui"])
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
