"""What an export does again, counted rather than timed: the cheap guard of its speed.

A second export renders no Markdown and parses no page for links; ``--since-last`` with
one change renders one body and writes only the files that changed, each byte for byte
what a full export writes, so that the bundle laid over the last one is the full bundle.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select, update

from csto_editor.core import checks as core_checks
from csto_editor.core import markdown_render
from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.services import editing, export_pages, review
from csto_editor.services.context import ServiceContext
from csto_editor.services.export import export
from csto_editor.services.export_plan import ExportOptions
from csto_editor.store.models import Item, Revision
from tests.export.conftest import manifest

Demo = Callable[[str], ServiceContext]
ALWAYS_CARRIED = {"assets/site.css", "changes.json", "manifest.json"}
"""What every bundle carries, changes or not: its stylesheet and description."""
FRONT_PAGES = {"index.html", "en/index.html", "ru/index.html", "en/feed.xml", "ru/feed.xml"}
"""Pages of the site's newest items: in every bundle, --since-last ones too."""
SITE_WIDE = {*FRONT_PAGES, "sitemap.xml"}
EXTRA_NEWS = 50
"""Enough English news for three index pages (20 a page), and for forked page workers."""


class Counter:
    """Counts the calls of a real function and passes them through to it."""

    def __init__(self, function: Callable[..., object]) -> None:
        self.function = function
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return self.function(*args, **kwargs)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    # Counted where it is defined: the export and the approval import it when they render.
    counter = Counter(markdown_render.render_markdown)
    monkeypatch.setattr(markdown_render, "render_markdown", counter)
    yield counter


@pytest.fixture
def link_parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter]:
    counter = Counter(core_checks.references_in_sanitised_html)
    monkeypatch.setattr(export_pages, "references_in_sanitised_html", counter)
    html_parser = Counter(core_checks.references_in_html)
    monkeypatch.setattr(core_checks, "references_in_html", html_parser)
    yield counter
    assert html_parser.calls == 0, "an export parsed a page with html.parser for its links"


def files_of(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def add_news(demo: Demo, count: int) -> list[int]:
    author = demo("ivanova")
    ids = []
    for number in range(count):
        content = ItemContent(
            type=ContentType.NEWS,
            lang=Language.EN,
            title=f"Briefing number {number}",
            lead=f"What the press office said on day {number}.",
            body=f"## Briefing {number}\n\nThe secretariat met [the press](https://odkb-csto.org/).",
            event_date=dt.date(2024, 1, 1) + dt.timedelta(days=number),
        )
        ids.append(editing.create_item(author, editing.NewItem("news", content)).id)
    review.submit(author, ids)
    review.approve(demo("petrov"), ids)
    return ids


def forget_rendered_bodies(ctx: ServiceContext) -> None:
    """As in a database filled before approval rendered: nothing kept for the export."""
    with ctx.database.session() as session:
        session.execute(update(Revision).values(rendered_html=None, rendered_links=None))


def test_approval_renders_so_that_no_export_renders(
    demo: Demo, tmp_path: Path, renders: Counter, link_parses: Counter
) -> None:
    news = add_news(demo, 2)
    assert renders.calls == 2, "approving renders each approved revision once"
    with demo("nurlanov").database.session() as session:
        kept = session.execute(
            select(Revision.rendered_html, Revision.rendered_links)
            .join(Item, Item.approved_revision_id == Revision.id)
            .where(Item.id.in_(news))
        ).all()
    assert len(kept) == 2 and all(html and links is not None for html, links in kept)
    renders.calls = 0
    result = export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "site")))
    assert (result.rendered, renders.calls, link_parses.calls) == (0, 0, 0)
    assert result.items == 9


def test_a_second_export_renders_nothing_and_parses_no_page(
    demo: Demo, tmp_path: Path, renders: Counter, link_parses: Counter
) -> None:
    forget_rendered_bodies(demo("nurlanov"))
    first = export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "first")))
    assert first.rendered == renders.calls == first.items == 7
    assert link_parses.calls == 7
    with demo("nurlanov").database.session() as session:
        kept = session.execute(
            select(Revision.rendered_html, Revision.rendered_links).join(
                Item, Item.published_revision_id == Revision.id
            )
        ).all()
    assert len(kept) == 7 and all(html and links is not None for html, links in kept)
    second = export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "second")))
    assert (second.rendered, renders.calls, link_parses.calls) == (0, 7, 7)
    assert second.items == 7
    for name in files_of(tmp_path / "first") - {"manifest.json", "changes.json"}:
        assert filecmp.cmp(tmp_path / "first" / name, tmp_path / "second" / name, shallow=False)


def test_kept_links_still_block_a_broken_link(demo: Demo, tmp_path: Path) -> None:
    """Links read once and kept are the ones the checks judge on the next export."""
    export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "first")))
    review.withdraw(demo("petrov"), 2, "Published by mistake.")
    author = demo("ivanova")
    editing.edit_item(author, 1, {"body": "See [the other item](item:2)."})
    review.submit(author, [1])
    review.approve(demo("petrov"), [1])
    with pytest.raises(Exception, match="points to no approved item"):
        export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "second")))
    assert not (tmp_path / "second").exists()


def change_one_item(demo: Demo, item_id: int, how: str) -> None:
    author, reviewer = demo("ivanova"), demo("petrov")
    if how == "withdrawn":
        review.withdraw(reviewer, item_id, "Published by mistake.")
        return
    if how == "retitled":
        editing.edit_item(author, item_id, {"title": "Briefing, corrected"})
    else:  # redated: moves to the top of its section, shifting the pages above it
        editing.edit_item(author, item_id, {"event_date": dt.date(2030, 1, 1)})
    review.submit(author, [item_id])
    review.approve(reviewer, [item_id])


@pytest.mark.parametrize("how", ["retitled", "redated", "withdrawn", "added"])
def test_since_last_writes_only_what_changed_and_equals_a_full_export(
    demo: Demo, tmp_path: Path, how: str, renders: Counter, link_parses: Counter
) -> None:
    news = add_news(demo, EXTRA_NEWS)
    site = tmp_path / "site"
    export(demo("nurlanov"), ExportOptions(out=str(site)))
    renders.calls = link_parses.calls = 0
    if how == "added":
        add_news(demo, 1)
    else:
        change_one_item(demo, news[EXTRA_NEWS // 2], how)
    carried_pages = 0 if how == "withdrawn" else 1
    assert renders.calls == carried_pages, "the approval renders the changed item"
    renders.calls = 0

    delta = tmp_path / "delta"
    result = export(demo("nurlanov"), ExportOptions(out=str(delta), since_last=True))
    assert renders.calls == result.rendered == link_parses.calls == 0
    assert result.items == carried_pages
    # A full export now: the same pages (only manifest and changes say what was published).
    full = tmp_path / "full"
    export(demo("nurlanov"), ExportOptions(out=str(full)))

    written = files_of(delta)
    for name in written - {"manifest.json", "changes.json"}:
        assert filecmp.cmp(delta / name, full / name, shallow=False), name
    changed_indexes = {
        name
        for name in files_of(full) | files_of(site)
        if (
            (name.rsplit("/", 1)[-1].startswith("index") and name.count("/") >= 2)
            or name in SITE_WIDE
        )
        and not (
            (site / name).is_file()
            and (full / name).is_file()
            and filecmp.cmp(site / name, full / name, shallow=False)
        )
    }
    assert changed_indexes, "the change should show on an index page"
    item_pages = {entry["path"] for entry in manifest(delta)["items"]}  # type: ignore[union-attr]
    assert len(item_pages) == carried_pages
    assert written == ALWAYS_CARRIED | SITE_WIDE | item_pages | (changed_indexes & files_of(full))
    # The last bundle with this one laid over it, less what it removed, is the full bundle.
    laid_over = tmp_path / "laid-over"
    shutil.copytree(site, laid_over)
    shutil.copytree(delta, laid_over, dirs_exist_ok=True)
    for removed in manifest(delta)["removed"]:  # type: ignore[union-attr]
        (laid_over / removed["path"]).unlink()
    for stale in files_of(laid_over) - files_of(full):
        assert stale.rsplit("/", 1)[-1].startswith("index_"), stale  # a page that is no more
        (laid_over / stale).unlink()
    assert files_of(laid_over) == files_of(full)
    for name in files_of(full) - {"manifest.json", "changes.json"}:
        assert filecmp.cmp(laid_over / name, full / name, shallow=False), name


def test_since_last_writes_every_index_when_the_layout_changed(demo: Demo, tmp_path: Path) -> None:
    """Another base URL changes every index page, though only one item changed."""
    export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "site")))
    change_one_item(demo, 1, "retitled")
    renamed = export(
        demo("nurlanov"),
        ExportOptions(out=str(tmp_path / "delta"), since_last=True, base_url="https://x.org/"),
    )
    full = export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "full")))
    indexes = {n for n in files_of(tmp_path / "full") if "/index" in n and n.count("/") >= 2}
    assert indexes <= files_of(tmp_path / "delta")
    assert renamed.items == 1 and full.items == 7


def test_a_scoped_since_last_writes_every_index_page_of_its_scope(
    demo: Demo, tmp_path: Path
) -> None:
    """An item may have left a scoped bundle's sections since; its old pages must go."""
    export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "site")))
    change_one_item(demo, 1, "retitled")
    export(
        demo("nurlanov"),
        ExportOptions(out=str(tmp_path / "delta"), since_last=True, languages=("en",)),
    )
    full = files_of(tmp_path / "site")
    english_indexes = {
        n for n in full if n.startswith("en/") and n.count("/") >= 2 and "/index" in n
    }
    assert english_indexes and english_indexes <= files_of(tmp_path / "delta")


def test_a_since_last_export_loads_no_markdown_renderer_and_rarely_collects(
    demo: Demo, tmp_path: Path
) -> None:
    """Markdown, nh3 and Alembic are a large share of a short export's time: counted by
    the modules a --since-last command has loaded when it ends, in a process of its own."""
    export(demo("nurlanov"), ExportOptions(out=str(tmp_path / "site")))
    change_one_item(demo, 1, "retitled")
    database = demo("nurlanov").database.target.path
    program = (
        "import gc, sys\n"
        "from csto_editor.cli import main\n"
        "collections = []\n"
        "gc.callbacks.append(lambda phase, info: collections.append(phase))\n"
        f"code = main(['--db', {str(database)!r}, '--user', 'nurlanov', 'export',"
        f" '--since-last', '--out', {str(tmp_path / 'delta')!r}])\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & {'markdown', 'nh3', 'alembic'})\n"
        "print(code, ' '.join(loaded))\n"
        "print(collections.count('start'))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    *_, modules, collections = completed.stdout.splitlines()
    assert modules.strip() == "0", completed.stdout + completed.stderr
    # With Python's default thresholds this export of 7 items collected 25 times.
    assert int(collections) <= 5, f"{collections} collections: as often as a long-lived program"
    assert json.loads((tmp_path / "delta" / "manifest.json").read_text())["items"]


CARRIED_ONLY = (
    "revisions.body",
    "revisions.rendered_html",
    "revisions.rendered_links",
    "revisions.place",
    "revisions.content_sha256",
    "items.body",
)
"""Columns an export needs only for the pages it carries, not for the listing."""
CHANGED = 10


def test_since_last_reads_bodies_of_the_changed_items_only(demo: Demo, tmp_path: Path) -> None:
    """Of 57 approved items with 10 changed, the bodies, kept HTML, links and own-page
    fields of 10 rows are read (counted by running again every statement that selected
    them), and the bundle laid over the last one is still the full export."""
    news = add_news(demo, EXTRA_NEWS)
    site = tmp_path / "site"
    export(demo("nurlanov"), ExportOptions(out=str(site)))
    changed = news[::5][:CHANGED]
    for item_id in changed:
        change_one_item(demo, item_id, "retitled")
    engine = demo("nurlanov").database.engine
    with demo("nurlanov").database.session() as session:
        changed_revisions = set(
            session.scalars(select(Item.approved_revision_id).where(Item.id.in_(changed)))
        )
    reads: list[tuple[str, object]] = []

    def record(
        _connection: object,
        _cursor: object,
        statement: str,
        parameters: object,
        _context: object,
        _many: bool,
    ) -> None:
        selected = statement.split(" FROM ", 1)[0]
        if statement.lstrip().upper().startswith("SELECT") and any(
            column in selected for column in CARRIED_ONLY
        ):
            reads.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        delta = tmp_path / "delta"
        result = export(demo("nurlanov"), ExportOptions(out=str(delta), since_last=True))
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert result.items == CHANGED
    assert reads, "the changed items' bodies are read somewhere"
    loaded: list[int] = []
    with engine.connect() as connection:
        for statement, parameters in reads:
            rows = connection.exec_driver_sql(statement, parameters).all()  # type: ignore[arg-type]
            loaded += [row[0] for row in rows]
    assert sorted(loaded) == sorted(changed_revisions)

    full = tmp_path / "full"
    export(demo("nurlanov"), ExportOptions(out=str(full)))
    laid_over = tmp_path / "laid-over"
    shutil.copytree(site, laid_over)
    shutil.copytree(delta, laid_over, dirs_exist_ok=True)
    assert files_of(laid_over) == files_of(full)
    for name in files_of(full) - {"manifest.json", "changes.json"}:
        assert filecmp.cmp(laid_over / name, full / name, shallow=False), name
