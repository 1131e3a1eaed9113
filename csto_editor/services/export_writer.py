"""Writing a bundle's files from an export plan into a folder that nobody sees yet."""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from csto_editor import __version__
from csto_editor.core import bundle
from csto_editor.core.content import Language
from csto_editor.core.links import resolve_links
from csto_editor.core.pages import (
    LABELS,
    Feed,
    ItemPage,
    Link,
    ListedItem,
    ListPage,
    PageRenderer,
    SitemapEntry,
)
from csto_editor.services.assets import asset_path
from csto_editor.services.export_delta import current_listing, index_slices
from csto_editor.services.export_plan import AssetInfo, ExportPlan, PublishedItem
from csto_editor.store.models import utc_now

EXPORT_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'"
)
"""Exported pages load their own stylesheet and images and nothing else; no script at all."""
WEB_WIDTH = 1200
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
_FIGURE = re.compile(
    r'<p><img alt="(?P<alt>[^"]*)" src="(?i:asset):(?P<sha>[0-9a-f]{64})"(?: title="[^"]*")?></p>'
)
_IMAGE = re.compile(r'<img (?P<before>[^>]*?)src="(?i:asset):(?P<sha>[0-9a-f]{64})"')

Progress = Callable[[int, int, str], None]
"""(done, total, what) — called as files are written."""


class Cancelled(Exception):
    """The user cancelled the export; the staging folder is thrown away."""


@dataclass
class BundleWriter:
    plan: ExportPlan
    root: Path
    renderer: PageRenderer
    resources: Path
    assets_dir: Path | None
    progress: Progress | None = None
    cancelled: Callable[[], bool] | None = None

    changed_indexes: set[str] | None = None
    """The section indexes, language homes, feeds, root index and sitemap to write
    (``export_delta.changed_index_pages``); None: all of them."""

    def __post_init__(self) -> None:
        self.files: dict[str, str] = {}
        self._written_assets: dict[str, tuple[str, int | None, int | None]] = {}
        self._folder = bundle.BundleRoot(self.root)
        self._groups: dict[int, list[PublishedItem]] = defaultdict(list)
        for item in self.plan.items:
            if item.translation_group is not None:
                self._groups[item.translation_group].append(item)
        self._news = next(
            (section.path for section in self.plan.sections.values() if section.slug == "news"),
            None,
        )

    # -- files ---------------------------------------------------------------------------

    def _write(self, path: str, data: bytes | str, *, shared: bool = False) -> None:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        target = self._folder.file(path)
        if shared:
            # Written aside and renamed: two page workers may copy the same asset at once.
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            partial.write_bytes(payload)
            os.replace(partial, target)
        else:
            target.write_bytes(payload)
        self.files[path] = hashlib.sha256(payload).hexdigest()

    def _check_cancel(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled

    # -- the whole bundle ------------------------------------------------------------------

    def write(self, bodies: dict[int, str]) -> dict[str, str]:
        """Write every file; ``bodies`` maps revision id to its sanitised body HTML."""
        self.write_stylesheet()
        pages = self.plan.in_bundle()
        for done, item in enumerate(pages, start=1):
            self._check_cancel()
            self.write_item_page(item, bodies[item.revision_id])
            self.page_written(done, item.path)
        self.write_lists()
        return self.files

    def write_stylesheet(self) -> None:
        self._write(bundle.STYLESHEET, (self.resources / "css" / "site.css").read_bytes())

    def write_item_page(self, item: PublishedItem, body: str) -> None:
        """The item's page, from its sanitised body HTML (and the assets it shows)."""
        self._write(item.path, self._item_page(item, body, self._groups))

    def page_written(self, done: int, path: str) -> None:
        """Report progress after ``done`` item pages; raise Cancelled when asked to stop."""
        self._check_cancel()
        if self.progress is not None and done % 25 == 0:
            self.progress(done, len(self.plan.in_bundle()) + 10, path)

    def write_lists(self) -> None:
        """Section indexes, language homes, the root index, feeds and the sitemap."""
        self._write_indexes()
        self._write_feeds_and_sitemap(self._groups)
        if self.progress is not None:
            total = len(self.plan.in_bundle()) + 10
            self.progress(total, total, "")

    # -- item pages ------------------------------------------------------------------------

    def _item_page(
        self, item: PublishedItem, body: str, groups: dict[int, list[PublishedItem]]
    ) -> str:
        content = item.content
        page_path = item.path
        body = self._figures(body, page_path)
        body = resolve_links(body, lambda scheme, ref: self._resolve(page_path, scheme, ref))
        siblings = [
            other
            for other in groups.get(item.translation_group or -1, [])
            if other.item_id != item.item_id
        ]
        translation = None
        alternates: list[Link] = []
        if siblings:
            other = siblings[0]
            translation = Link(
                bundle.relative(page_path, other.path),
                LABELS[content.lang]["translation"],
                other.content.lang.value,
            )
            alternates = [
                Link(bundle.absolute(self.plan.base_url, i.path), "", i.content.lang.value)
                for i in [item, *siblings]
            ]
        lang = content.lang
        news = self._news_section()
        return self.renderer.item_page(
            ItemPage(
                lang=lang,
                type=content.type,
                title=content.title,
                lead=content.lead,
                body_html=body,
                section_name=item.section.names[lang],
                event_date=content.event_date,
                place=content.place,
                speaker=content.speaker,
                occasion=content.occasion,
                outlet=content.outlet,
                interviewee=content.interviewee,
                back_to_section=Link(
                    bundle.relative(page_path, bundle.section_index(lang, item.section.path)),
                    item.section.names[lang],
                ),
                back_to_all_news=Link(
                    bundle.relative(page_path, bundle.section_index(lang, news))
                    if news
                    else bundle.relative(page_path, bundle.language_home(lang)),
                    LABELS[lang]["back_to_all_news"],
                ),
                translation=translation,
                stylesheet_href=bundle.relative(page_path, bundle.STYLESHEET),
                canonical_url=bundle.absolute(self.plan.base_url, page_path),
                description=_description(content.lead, body),
                content_security_policy=EXPORT_CSP,
                alternates=tuple(alternates),
                feed_href=bundle.relative(page_path, bundle.feed_path(lang)),
                home=Link(bundle.relative(page_path, bundle.language_home(lang)), ""),
            )
        )

    def _news_section(self) -> str | None:
        return self._news

    def _resolve(self, page_path: str, scheme: str, reference: str) -> str | None:
        if scheme == "item":
            target = self.plan.paths_by_item.get(int(reference)) if reference.isdigit() else None
            return bundle.relative(page_path, target) if target else None
        written = self._asset(reference)
        return bundle.relative(page_path, written[0]) if written else None

    def _figures(self, body: str, page_path: str) -> str:
        def figure(match: re.Match[str]) -> str:
            info = self.plan.assets.get(match["sha"])
            if info is None:
                return match[0]
            caption = " — ".join(part for part in (info.caption, info.credit) if part)
            image = f'<img alt="{match["alt"]}" src="asset:{info.sha256}">'
            if not caption:
                return f"<figure>{image}</figure>"
            return f"<figure>{image}<figcaption>{html.escape(caption)}</figcaption></figure>"

        def sized(match: re.Match[str]) -> str:
            written = self._asset(match["sha"])
            if written is None or written[1] is None:
                return match[0]
            return (
                f'<img {match["before"]}width="{written[1]}" height="{written[2]}" '
                f'src="asset:{match["sha"]}"'
            )

        return _IMAGE.sub(sized, _FIGURE.sub(figure, body))

    def _asset(self, sha256: str) -> tuple[str, int | None, int | None] | None:
        """Copy an asset (and a web-sized image) into the bundle once; its path and size."""
        if sha256 in self._written_assets:
            return self._written_assets[sha256]
        info = self.plan.assets.get(sha256)
        if info is None or self.assets_dir is None:
            return None
        source = asset_path(self.assets_dir, sha256)
        if not source.exists():
            return None
        data = source.read_bytes()
        if info.mime_type in EXTENSIONS:
            written = self._image(info, data)
        else:
            extension = Path(info.file_name).suffix.lstrip(".").lower() or "bin"
            path = f"assets/files/{sha256}.{extension if bundle.is_extension(extension) else 'bin'}"
            self._write(path, data, shared=True)
            written = (path, None, None)
        self._written_assets[sha256] = written
        return written

    def _image(self, info: AssetInfo, data: bytes) -> tuple[str, int | None, int | None]:
        from PIL import Image  # a tenth of a second to import; most bundles resize nothing

        extension = EXTENSIONS[info.mime_type]
        original = bundle.asset_file(info.sha256, extension)
        self._write(original, data, shared=True)
        if not info.width or not info.height or info.width <= WEB_WIDTH:
            return original, info.width, info.height
        with Image.open(BytesIO(data)) as image:
            height = round(image.height * WEB_WIDTH / image.width)
            smaller = image.resize((WEB_WIDTH, height), Image.Resampling.LANCZOS)
            buffer = BytesIO()
            fmt = "JPEG" if extension == "jpg" else extension.upper()
            options = {"quality": 85, "optimize": True} if fmt == "JPEG" else {"optimize": True}
            smaller.save(buffer, fmt, **options)
        web = bundle.asset_file(info.sha256, extension, web=True)
        self._write(web, buffer.getvalue(), shared=True)
        return web, WEB_WIDTH, height

    # -- indexes, feeds, sitemap ----------------------------------------------------------

    def _listed(self, page_path: str, item: PublishedItem) -> ListedItem:
        return ListedItem(
            title=item.content.title,
            href=bundle.relative(page_path, item.path),
            lead=item.content.lead,
            event_date=item.content.event_date,
            lang=item.content.lang,
            updated=item.revised_at or "",
        )

    def _list_page(self, path: str, lang: Language, title: str, **fields: object) -> str:
        return self.renderer.list_page(
            ListPage(
                lang=lang,
                title=title,
                stylesheet_href=bundle.relative(path, bundle.STYLESHEET),
                canonical_url=bundle.absolute(self.plan.base_url, path),
                content_security_policy=EXPORT_CSP,
                **fields,  # type: ignore[arg-type]
            )
        )

    def _wanted(self, list_page: str) -> bool:
        return self.changed_indexes is None or list_page in self.changed_indexes

    def _write_indexes(self) -> None:
        sections = sorted(self.plan.sections.values(), key=lambda s: s.position)
        by_id = {item.item_id: item for item in self.plan.items}
        slices = index_slices(sections, self.plan.languages, current_listing(self.plan))
        for path, lang, section, number, total, chunk in slices:
            if not self._wanted(path):
                continue
            self._check_cancel()
            home = bundle.language_home(lang)
            newer = bundle.section_index(lang, section.path, max(1, number - 1))
            older = bundle.section_index(lang, section.path, number + 1)
            self._write(
                path,
                self._list_page(
                    path,
                    lang,
                    section.names[lang],
                    items=tuple(self._listed(path, by_id[entry.item_id]) for entry in chunk),
                    page_number=number,
                    page_total=total,
                    newer=Link(bundle.relative(path, newer), "") if number > 1 else None,
                    older=Link(bundle.relative(path, older), "") if number < total else None,
                    home=Link(bundle.relative(path, home), ""),
                    feed_href=bundle.relative(path, bundle.feed_path(lang)),
                ),
            )
        for lang in self.plan.languages:
            home = bundle.language_home(lang)
            if not self._wanted(home):
                continue
            items = [item for item in self.plan.items if item.content.lang is lang]
            self._write(
                home,
                self._list_page(
                    home,
                    lang,
                    LABELS[lang]["site_name"],
                    items=tuple(self._listed(home, item) for item in items[: bundle.HOME_SIZE]),
                    sections=tuple(
                        Link(
                            bundle.relative(home, bundle.section_index(lang, section.path)),
                            section.names[lang],
                        )
                        for section in sections
                    ),
                    feed_href=bundle.relative(home, bundle.feed_path(lang)),
                    home=Link("index.html", ""),
                ),
            )
        root = bundle.ROOT_INDEX
        if not self._wanted(root):
            return
        self._write(
            root,
            self._list_page(
                root,
                Language.EN,
                LABELS[Language.EN]["site_name"],
                items=tuple(
                    self._listed(root, item) for item in self.plan.items[: bundle.HOME_SIZE]
                ),
                languages=tuple(
                    Link(bundle.language_home(lang), LANGUAGE_NAMES[lang], lang.value)
                    for lang in self.plan.languages
                ),
            ),
        )

    def _write_feeds_and_sitemap(self, groups: dict[int, list[PublishedItem]]) -> None:
        now = utc_now().isoformat(timespec="seconds") + "Z"
        base = self.plan.base_url
        for lang in self.plan.languages:
            if not self._wanted(bundle.feed_path(lang)):
                continue
            entries = [item for item in self.plan.items if item.content.lang is lang]
            entries = entries[: bundle.FEED_SIZE]
            feed = Feed(
                lang=lang,
                title=LABELS[lang]["site_name"],
                feed_url=bundle.absolute(base, bundle.feed_path(lang)),
                site_url=bundle.absolute(base, bundle.language_home(lang)),
                updated=max((item.revised_at or now for item in entries), default=now),
                entries=tuple(
                    ListedItem(
                        title=item.content.title,
                        href=bundle.absolute(base, item.path),
                        lead=item.content.lead,
                        event_date=item.content.event_date,
                        lang=lang,
                        updated=item.revised_at or now,
                    )
                    for item in entries
                ),
            )
            self._write(bundle.feed_path(lang), self.renderer.feed(feed))
        if not self._wanted(bundle.SITEMAP):
            return
        sitemap = []
        for item in self.plan.items:
            siblings = groups.get(item.translation_group or -1, [])
            alternates = tuple(
                Link(bundle.absolute(base, other.path), "", other.content.lang.value)
                for other in siblings
            )
            sitemap.append(SitemapEntry(bundle.absolute(base, item.path), alternates))
        for lang in self.plan.languages:
            sitemap.append(SitemapEntry(bundle.absolute(base, bundle.language_home(lang))))
        self._write(bundle.SITEMAP, self.renderer.sitemap(sitemap))

    # -- manifest and changes ---------------------------------------------------------------

    def write_changes_and_manifest(self, generated_at: str) -> None:
        changes: dict[str, list[dict[str, object]]] = {"added": [], "updated": [], "removed": []}
        for item in self.plan.items:
            if item.change:
                changes[item.change].append(
                    {
                        "id": item.item_id,
                        "lang": item.content.lang.value,
                        "path": item.path,
                        "revision": item.revision_id,
                    }
                )
        for removed in self.plan.removed:
            changes["removed"].append(
                {
                    "id": removed.item_id,
                    "lang": removed.lang.value,
                    "path": removed.path,
                    "revision": removed.revision_id,
                }
            )
        self._write(bundle.CHANGES, _json(changes))
        groups: dict[int, list[int]] = defaultdict(list)
        for item in self.plan.items:
            if item.translation_group is not None:
                groups[item.translation_group].append(item.item_id)
        manifest = {
            "format_version": bundle.FORMAT_VERSION,
            "generator": bundle.GENERATOR,
            "generator_version": __version__,
            "generated_at": generated_at,
            "base_url": self.plan.base_url,
            "scope": {
                "sections": list(self.plan.options.sections),
                "languages": list(self.plan.options.languages),
                "since_last": self.plan.options.since_last,
            },
            "items": [
                {
                    "id": item.item_id,
                    "lang": item.content.lang.value,
                    "section": item.section.slug,
                    "path": item.path,
                    "title": item.content.title,
                    "date": item.content.event_date.isoformat()
                    if item.content.event_date
                    else None,
                    "revision": item.revision_id,
                    "content_sha256": item.content_sha256,
                    "approved_by": item.approved_by,
                    "approved_at": item.approved_at,
                    "translations": [
                        other
                        for other in groups.get(item.translation_group or -1, [])
                        if other != item.item_id
                    ],
                    "change": item.change or "unchanged",
                }
                for item in self.plan.in_bundle()
            ],
            "removed": changes["removed"],
            "files": dict(sorted(self.files.items())),
        }
        manifest_bytes = _json(manifest)
        target = bundle.inside(self.root, bundle.MANIFEST)
        target.write_bytes(manifest_bytes.encode("utf-8"))


LANGUAGE_NAMES = {Language.EN: "English", Language.RU: "Русский"}


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _description(lead: str, body_html: str) -> str:
    """The page's description: the lead as typed (it is plain text, never unescaped:
    ``&#1;`` in a lead stays those four characters), else the body's text."""
    text = lead if lead.strip() else html.unescape(re.sub(r"<[^>]+>", " ", body_html))
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"
