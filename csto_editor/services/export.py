"""Export: a publication-ready bundle, written aside and moved into place only when complete."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_cache_path
from sqlalchemy import and_, bindparam, case, update
from sqlalchemy.orm import Session

from csto_editor.core import bundle
from csto_editor.core.checks import Reference, references_to_json
from csto_editor.core.errors import EditorError, InvalidInput, WorkflowRefused
from csto_editor.core.pages import PageRenderer
from csto_editor.core.workflow import STEP_ROLES, State, Step
from csto_editor.paths import APP_NAME, resources_dir
from csto_editor.services import assets
from csto_editor.services.checks import PublishedSubject, check_published, run_checks
from csto_editor.services.context import ServiceContext
from csto_editor.services.export_delta import LAYOUT_KEY, changed_index_pages, layout_digest
from csto_editor.services.export_pages import WrittenPages, write_item_pages
from csto_editor.services.export_plan import (
    ExportOptions,
    ExportPlan,
    PublishedItem,
    build_plan,
    stored_base_url,
)
from csto_editor.services.export_writer import BundleWriter, Cancelled, Progress
from csto_editor.services.setup import DEFAULT_BASE_URL, clean_base_url
from csto_editor.services.views import CheckReport, iso_utc
from csto_editor.store.export_queries import ID_BATCH
from csto_editor.store.models import ExportRun, Item, Revision, utc_now

__all__ = [
    "ExportCancelled",
    "ExportOptions",
    "ExportResult",
    "check_scope",
    "export",
]

MAX_NAME_BYTES = 200
"""The longest bundle name: the staging folder beside it adds a few dozen bytes to 255."""


def compiled_templates_folder() -> Path | None:
    """The user cache folder for compiled page templates; None where it cannot be made
    (a read-only home): the templates are then compiled in each process."""
    folder = user_cache_path(APP_NAME, appauthor=False) / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


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
        changed_indexes = changed_index_pages(session, plan) if options.since_last else None
        user_id = user.id
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
            PageRenderer(resources_dir() / "templates", compiled_templates_folder()),
            resources_dir(),
            assets.asset_folder(ctx),
            progress,
            cancelled,
            changed_indexes,
        )
        writer.write_stylesheet()
        pages = write_item_pages(writer)
        if not options.force:
            _refuse_on_check_errors(ctx, plan, pages.links)
        writer.write_lists()
        writer.write_changes_and_manifest(iso_utc(started) or "")
        if cancelled is not None and cancelled():
            raise Cancelled
        if options.as_zip:
            archive = staging / "bundle.zip"
            _zip(root, archive)
            _fsync(archive)
            old = _swap_in(archive, target, staging)
        else:
            _make_durable(root, [*writer.files, bundle.MANIFEST])
            old = _swap_in(root, target, staging)
        try:
            run_id = _record(ctx, plan, user_id, started, target, pages)
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
        rendered=len(pages.rendered),
        since_last=options.since_last,
    )


def check_scope(ctx: ServiceContext, options: ExportOptions) -> CheckReport:
    """The pre-publication report for what an export with these options would carry."""
    with ctx.database.session() as session:
        ctx.require(session, STEP_ROLES[Step.PUBLISH], "export")
        plan = build_plan(session, options, DEFAULT_BASE_URL)
    ids = [item.item_id for item in plan.in_bundle()]
    return run_checks(ctx, ids) if ids else CheckReport((), ())


def _refuse_on_check_errors(
    ctx: ServiceContext, plan: ExportPlan, links: dict[int, list[Reference]]
) -> None:
    in_bundle = plan.in_bundle()
    if not in_bundle:
        return
    with ctx.database.session() as session:
        report = check_published(
            session,
            [
                PublishedSubject(
                    item.item_id,
                    item.content,
                    item.revision_id,
                    item.current_revision_id,
                    item.translation_group,
                    links[item.revision_id],
                )
                for item in in_bundle
            ],
        )
    if report.errors:
        first = next(f for f in report.findings if f.severity == "error")
        raise WorkflowRefused(
            f"{report.errors} pre-publication errors block the export (first: item "
            f"{first.item}: {first.message}); see `csto-editor check`, or export with --force"
        )


def _record(
    ctx: ServiceContext,
    plan: ExportPlan,
    user_id: int,
    started: object,
    target: Path,
    pages: WrittenPages,
) -> int:
    """Mark the bundle's revisions published, keep new renders and links, log the run."""
    in_bundle = plan.in_bundle()
    with ctx.database.session() as session:
        kept = [
            {
                "revision_id": revision_id,
                "html": html,
                "links": references_to_json(pages.links[revision_id]),
            }
            for revision_id, html in pages.rendered.items()
        ]
        links_only = [
            {"revision_id": revision_id, "links": references_to_json(pages.links[revision_id])}
            for revision_id in pages.fresh_links
            if revision_id not in pages.rendered
        ]
        revisions = Revision.metadata.tables["revisions"]
        if kept:
            session.execute(
                update(revisions)
                .where(revisions.c.id == bindparam("revision_id"))
                .values(rendered_html=bindparam("html"), rendered_links=bindparam("links")),
                kept,
            )
        if links_only:
            session.execute(
                update(revisions)
                .where(revisions.c.id == bindparam("revision_id"))
                .values(rendered_links=bindparam("links")),
                links_only,
            )
        _mark_published(session, in_bundle)
        removed_ids = [removed.item_id for removed in plan.removed]
        items = Item.metadata.tables["items"]
        for start in range(0, len(removed_ids), ID_BATCH):
            session.execute(
                update(items)
                .where(
                    items.c.id.in_(removed_ids[start : start + ID_BATCH]),
                    items.c.approved_revision_id.is_(None),
                )
                .values(published_revision_id=None, version=items.c.version + 1)
            )
        run = ExportRun(
            user_id=user_id,
            started_at=started,
            finished_at=utc_now(),
            scope={
                "sections": list(plan.options.sections),
                "languages": list(plan.options.languages),
                "since_last": plan.options.since_last,
                "zip": plan.options.as_zip,
                LAYOUT_KEY: layout_digest(plan),
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
            removed=removed_ids,
        )
        return run.id


def _mark_published(session: Session, in_bundle: list[PublishedItem]) -> None:
    """Each item's published revision; an item whose approved revision it is, published.

    One statement for all rows; the item's version goes up as an ORM flush would do it.
    """
    rows = [
        {"item_id": item.item_id, "revision_id": item.revision_id}
        for item in in_bundle
        if item.change
    ]
    if not rows:
        return
    items = Item.metadata.tables["items"]
    becomes_published = and_(
        items.c.state == State.APPROVED.value,
        items.c.approved_revision_id == bindparam("revision_id"),
    )
    session.execute(
        update(items)
        .where(items.c.id == bindparam("item_id"))
        .values(
            published_revision_id=bindparam("revision_id"),
            state=case((becomes_published, State.PUBLISHED.value), else_=items.c.state),
            version=items.c.version + 1,
        ),
        rows,
    )


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


FSYNC_UP_TO = 200
"""A bundle of at most this many files is synced file by file; a larger one with one
sync of every file system (thousands of fsyncs cost more)."""


def _make_durable(root: Path, paths: list[str]) -> None:
    """Make the staged files durable before they move into place.

    A small bundle (``--since-last``) syncs its own files and folders only, so it never
    waits for what other programs have written meanwhile.
    """
    if len(paths) > FSYNC_UP_TO:
        os.sync()
        return
    folders = {root}
    for path in paths:
        file = root / path
        _fsync(file)
        folders.update(parent for parent in file.parents if root in parent.parents)
    for folder in folders:
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
