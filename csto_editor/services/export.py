"""Export: a publication-ready bundle, written aside and moved into place only when complete."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import select, update

from csto_editor.core import bundle
from csto_editor.core.errors import EditorError, InvalidInput, WorkflowRefused
from csto_editor.core.markdown_render import render_markdown
from csto_editor.core.pages import PageRenderer
from csto_editor.core.workflow import STEP_ROLES, State, Step
from csto_editor.paths import resources_dir
from csto_editor.services import assets
from csto_editor.services.checks import run_checks
from csto_editor.services.context import ServiceContext
from csto_editor.services.export_plan import ExportOptions, ExportPlan, build_plan, stored_base_url
from csto_editor.services.export_writer import BundleWriter, Cancelled, Progress
from csto_editor.services.setup import DEFAULT_BASE_URL, clean_base_url
from csto_editor.services.views import CheckReport, iso_utc
from csto_editor.store.models import ExportRun, Item, Revision, utc_now

__all__ = [
    "ExportCancelled",
    "ExportOptions",
    "ExportResult",
    "check_scope",
    "export",
    "render_bodies",
]

ID_BATCH = 5_000
"""Ids per IN (...) list: SQLite limits the number of parameters in one statement."""
MAX_NAME_BYTES = 200
"""The longest bundle name: the staging folder beside it adds a few dozen bytes to 255."""
PARALLEL_FROM = 48
"""Below this many bodies to render, starting worker processes costs more than it saves."""


class ExportCancelled(EditorError):
    """The export was cancelled; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    out: str
    zip: bool
    run_id: int
    items: int
    added: int
    updated: int
    removed: int
    files: int
    rendered: int
    since_last: bool

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def export(
    ctx: ServiceContext,
    options: ExportOptions,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Build the bundle, move it into place, then record what it published."""
    target = _target_path(options.out)
    if options.date_from and options.date_to and options.date_from > options.date_to:
        raise InvalidInput(
            f"--from {options.date_from.isoformat()} is after --to {options.date_to.isoformat()}"
        )
    _check_target(target, options.as_zip)
    with ctx.database.session() as session:
        user = ctx.require(session, STEP_ROLES[Step.PUBLISH], "export")
        base_url = clean_base_url(options.base_url or stored_base_url(session) or DEFAULT_BASE_URL)
        plan = build_plan(session, options, base_url)
        user_id = user.id
    rendered = render_bodies(plan)
    bodies = {
        item.revision_id: item.rendered_html or rendered[item.revision_id] for item in plan.items
    }
    if not options.force:
        _refuse_on_check_errors(ctx, plan, bodies)
    started = utc_now()
    assets.cache_server_assets(ctx, plan.assets)
    _remove_abandoned_staging(target)
    staging = Path(
        tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.partial-{os.getpid()}-")
    )
    try:
        root = staging / "bundle"
        root.mkdir()
        writer = BundleWriter(
            plan,
            root,
            PageRenderer(resources_dir() / "templates"),
            resources_dir(),
            assets.asset_folder(ctx),
            progress,
            cancelled,
        )
        writer.write(bodies)
        writer.write_changes_and_manifest(iso_utc(started) or "")
        if cancelled is not None and cancelled():
            raise Cancelled
        if options.as_zip:
            archive = staging / "bundle.zip"
            _zip(root, archive)
            _fsync(archive)
            old = _swap_in(archive, target, staging)
        else:
            _sync_file_systems()
            old = _swap_in(root, target, staging)
        try:
            run_id = _record(ctx, plan, user_id, started, target, rendered)
        except BaseException:
            _swap_back(target, old)
            raise
    except Cancelled:
        raise ExportCancelled("export cancelled; nothing was written") from None
    except OSError as error:
        raise EditorError(
            f"export failed, nothing was written: {error.strerror or error}"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    in_bundle = plan.in_bundle()
    return ExportResult(
        out=str(target),
        zip=options.as_zip,
        run_id=run_id,
        items=len(in_bundle),
        added=sum(1 for item in plan.items if item.change == "added"),
        updated=sum(1 for item in plan.items if item.change == "updated"),
        removed=len(plan.removed),
        files=len(writer.files) + 1,
        rendered=len(rendered),
        since_last=options.since_last,
    )


def check_scope(ctx: ServiceContext, options: ExportOptions) -> CheckReport:
    """The pre-publication report for what an export with these options would carry."""
    with ctx.database.session() as session:
        ctx.require(session, STEP_ROLES[Step.PUBLISH], "export")
        plan = build_plan(session, options, DEFAULT_BASE_URL)
    ids = [item.item_id for item in plan.in_bundle()]
    return run_checks(ctx, ids) if ids else CheckReport((), ())


def _refuse_on_check_errors(ctx: ServiceContext, plan: ExportPlan, bodies: dict[int, str]) -> None:
    in_bundle = plan.in_bundle()
    if not in_bundle:
        return
    report = run_checks(
        ctx,
        [item.item_id for item in in_bundle],
        {item.item_id: bodies[item.revision_id] for item in in_bundle},
    )
    if report.errors:
        first = next(f for f in report.findings if f.severity == "error")
        raise WorkflowRefused(
            f"{report.errors} pre-publication errors block the export (first: item "
            f"{first.item}: {first.message}); see `csto-editor check`, or export with --force"
        )


def _render_one(job: tuple[int, str, str]) -> tuple[int, str]:
    revision_id, body, lang = job
    return revision_id, render_markdown(body, lang)


def render_bodies(plan: ExportPlan) -> dict[int, str]:
    """Render the bodies that have no cached HTML yet, on every core when there are many."""
    jobs = [
        (item.revision_id, item.content.body, item.content.lang.value)
        for item in plan.items
        if item.rendered_html is None
    ]
    if len(jobs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return dict(map(_render_one, jobs))
    # Forking is cheapest, but only safe while this process runs a single thread (the
    # command line); the window's export thread asks for fresh interpreters instead.
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    context = multiprocessing.get_context(method)
    try:
        with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
            return dict(pool.map(_render_one, jobs, chunksize=32))
    except BrokenProcessPool:
        # A worker could not start (a spawned interpreter cannot re-import an unnamed
        # main program, for instance): render here instead.
        return dict(map(_render_one, jobs))


def _record(
    ctx: ServiceContext,
    plan: ExportPlan,
    user_id: int,
    started: object,
    target: Path,
    rendered: dict[int, str],
) -> int:
    """Mark the bundle's revisions published, cache new renders, and log the run."""
    in_bundle = plan.in_bundle()
    with ctx.database.session() as session:
        for revision_id, html in rendered.items():
            session.execute(
                update(Revision).where(Revision.id == revision_id).values(rendered_html=html)
            )
        ids = [i.item_id for i in in_bundle]
        items = {
            item.id: item
            for start in range(0, len(ids), ID_BATCH)
            for item in session.scalars(
                select(Item).where(Item.id.in_(ids[start : start + ID_BATCH]))
            )
        }
        for published in in_bundle:
            item = items.get(published.item_id)
            if item is None:
                continue
            item.published_revision_id = published.revision_id
            if (
                item.state == State.APPROVED.value
                and item.approved_revision_id == published.revision_id
            ):
                item.state = State.PUBLISHED.value
        for removed in plan.removed:
            item = session.get(Item, removed.item_id)
            if item is not None and item.approved_revision_id is None:
                item.published_revision_id = None
        run = ExportRun(
            user_id=user_id,
            started_at=started,
            finished_at=utc_now(),
            scope={
                "sections": list(plan.options.sections),
                "languages": list(plan.options.languages),
                "since_last": plan.options.since_last,
                "zip": plan.options.as_zip,
            },
            output=str(target),
            revision_ids=[item.revision_id for item in in_bundle],
        )
        session.add(run)
        session.flush()
        ctx.audit(
            session,
            "export",
            run=run.id,
            out=str(target),
            items=len(in_bundle),
            removed=[r.item_id for r in plan.removed],
        )
        return run.id


# -- the target: refuse strangers, swap atomically -----------------------------------------


def _is_bundle_folder(path: Path) -> bool:
    manifest = path / bundle.MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == bundle.GENERATOR


def _is_bundle_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            data = json.loads(archive.read(bundle.MANIFEST).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False
    return isinstance(data, dict) and data.get("generator") == bundle.GENERATOR


def _target_path(out: str) -> Path:
    """Where the bundle goes; InvalidInput for a path that cannot name a file here."""
    if not out.strip():
        raise InvalidInput("--out must name a bundle folder or a .zip file")
    if "\x00" in out:
        raise InvalidInput("--out: the path holds a NUL character")
    try:
        out.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"--out: the path {out!r} is not valid UTF-8 text; choose a name in UTF-8"
        ) from None
    target = Path(out).expanduser().absolute()
    if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
        raise InvalidInput(
            f"--out: the name {target.name[:40]!r}… is too long; use at most {MAX_NAME_BYTES} bytes"
        )
    return target


def _check_target(target: Path, as_zip: bool) -> None:
    if not target.parent.is_dir():
        raise InvalidInput(f"folder {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK):
        raise InvalidInput(f"folder {target.parent} is read-only")
    if not target.exists():
        return
    if as_zip:
        if target.is_dir() or not _is_bundle_zip(target):
            raise InvalidInput(f"{target} exists and is not an earlier bundle; choose another name")
        return
    if not target.is_dir():
        raise InvalidInput(f"{target} exists and is not a folder; choose another name")
    if any(target.iterdir()) and not _is_bundle_folder(target):
        raise InvalidInput(
            f"{target} exists and is not an earlier bundle; choose an empty or new folder"
        )


def _remove_abandoned_staging(target: Path) -> None:
    """Folders left by an export that was killed: their process no longer runs."""
    for leftover in target.parent.glob(f".{target.name}.partial-*"):
        try:
            pid = int(leftover.name.rsplit(".partial-", 1)[1].split("-", 1)[0])
        except ValueError:
            continue
        if pid == os.getpid() or not _process_alive(pid):
            shutil.rmtree(leftover, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_in(staged: Path, target: Path, staging: Path) -> Path | None:
    """Move the new bundle into place; the old one (if any) waits in staging until done."""
    old: Path | None = None
    if target.exists():
        old = staging / "previous"
        os.replace(target, old)
    try:
        os.replace(staged, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    return old


def _swap_back(target: Path, old: Path | None) -> None:
    if target.is_dir():
        shutil.rmtree(target, ignore_errors=True)
    else:
        target.unlink(missing_ok=True)
    if old is not None:
        os.replace(old, target)


def _zip(root: Path, archive: Path) -> None:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle_zip:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                bundle_zip.write(path, path.relative_to(root).as_posix())


def _fsync(path: Path) -> None:
    with path.open("rb") as stream:
        os.fsync(stream.fileno())


def _sync_file_systems() -> None:
    """Make the staged files durable before they move into place: one sync, not thousands."""
    os.sync()
