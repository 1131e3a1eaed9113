"""The item pages of a bundle: bodies rendered where no HTML is kept yet, pages written,
on every core when there are many."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from csto_editor.core.checks import Reference, references_in_sanitised_html
from csto_editor.services.export_plan import PublishedItem
from csto_editor.services.export_writer import BundleWriter

PARALLEL_FROM = 48
"""Below this many pages, starting worker processes costs more than it saves."""
CHUNK = 16
"""Pages per task handed to a worker."""


@dataclass
class WrittenPages:
    """What writing the item pages learnt, to check the bundle and to keep for next time."""

    rendered: dict[int, str] = field(default_factory=dict)
    """Revision id -> body HTML rendered by this export (none was kept)."""
    links: dict[int, list[Reference]] = field(default_factory=dict)
    """Revision id -> the links and images of its body, for every page written."""
    fresh_links: set[int] = field(default_factory=set)
    """Revisions whose links were read now, not kept from an earlier export."""


def _render(body: str, lang: str) -> str:
    # Markdown and nh3 are imported only when a body has no kept HTML: a warm export,
    # or a --since-last one whose changed items were rendered at approval, never loads them.
    from csto_editor.core.markdown_render import render_markdown

    return render_markdown(body, lang)


_PageResult = tuple[int, str | None, list[Reference], bool, dict[str, str]]
"""(index, HTML if rendered now, links, links read now, files written with digests)."""

_work: tuple[BundleWriter, list[PublishedItem]] | None = None
"""The writer and pages that forked workers inherit (set only while they run)."""


def _write_page(
    writer: BundleWriter, item: PublishedItem, rendered: str | None = None
) -> tuple[str | None, list[Reference], bool]:
    fresh_html = None
    body = item.rendered_html
    if body is None:
        body = rendered if rendered is not None else _render(item.content.body, item.content.lang)
        fresh_html = body
    links = item.rendered_links if fresh_html is None else None
    fresh_links = links is None
    if links is None:
        links = references_in_sanitised_html(body)
    writer.write_item_page(item, body)
    return fresh_html, links, fresh_links


def _page_in_worker(index: int) -> _PageResult:
    assert _work is not None
    writer, carried = _work
    writer.files.clear()
    html, links, fresh = _write_page(writer, carried[index])
    return index, html, links, fresh, dict(writer.files)


def _render_one(job: tuple[int, str, str]) -> tuple[int, str]:
    revision_id, body, lang = job
    return revision_id, _render(body, lang)


def _render_spawned(carried: list[PublishedItem]) -> dict[int, str]:
    """Bodies without kept HTML, rendered in fresh interpreters (a threaded caller)."""
    jobs = [
        (item.revision_id, item.content.body, item.content.lang.value)
        for item in carried
        if item.rendered_html is None
    ]
    if len(jobs) < PARALLEL_FROM:
        return {}
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
            return dict(pool.map(_render_one, jobs, chunksize=32))
    except BrokenProcessPool:
        # A worker could not start (a spawned interpreter cannot re-import an unnamed
        # main program, for instance): render here instead.
        return {}


def write_item_pages(writer: BundleWriter) -> WrittenPages:
    """Write the page of every item the bundle carries; render bodies that need it."""
    global _work
    carried = writer.plan.in_bundle()
    pages = WrittenPages()

    def keep(item: PublishedItem, html: str | None, links: list[Reference], fresh: bool) -> None:
        if html is not None:
            pages.rendered[item.revision_id] = html
        pages.links[item.revision_id] = links
        if fresh:
            pages.fresh_links.add(item.revision_id)

    many = len(carried) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2
    # Forking is cheapest, but only safe while this process runs a single thread (the
    # command line); the window's export thread asks for fresh interpreters instead.
    if many and threading.active_count() == 1 and os.name == "posix":
        if any(item.rendered_html is None for item in carried):
            # Imported once here, so that the forked workers inherit it.
            import csto_editor.core.markdown_render  # noqa: F401
        _work = (writer, carried)
        try:
            with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
                results = pool.imap_unordered(_page_in_worker, range(len(carried)), CHUNK)
                for done, (index, html, links, fresh, files) in enumerate(results, start=1):
                    keep(carried[index], html, links, fresh)
                    writer.files.update(files)
                    writer.page_written(done, carried[index].path)
        finally:
            _work = None
        return pages
    rendered = _render_spawned(carried) if many else {}
    for done, item in enumerate(carried, start=1):
        keep(item, *_write_page(writer, item, rendered.get(item.revision_id)))
        writer.page_written(done, item.path)
    return pages
