"""Import of Word files, web pages, Markdown and text: all of them become drafts, or none.

``import_formats`` reads each kind of file; here every file is read first, every
problem collected, and only then are the items (and the images of Word files)
created in one unit of work.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from csto_editor.core.content import ContentType, ItemContent, guess_language
from csto_editor.core.errors import EditorError, InvalidInput, NotFound
from csto_editor.core.frontmatter import DocumentError, ImportedDocument
from csto_editor.services.assets import add_asset_in_session
from csto_editor.services.context import ServiceContext
from csto_editor.services.editing import AUTHOR_ROLES, NewItem, create_item_in_session
from csto_editor.services.import_formats import ImportedImage, read_file
from csto_editor.services.revisions import summarize
from csto_editor.services.views import ItemSummary
from csto_editor.store.models import Item, Section, User

MAX_FILE_BYTES = 20 * 1024 * 1024
PARALLEL_FROM = 200
"""From this many files, parsing is shared among worker processes."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(path: Path) -> str:
    """A file name fit for a one-line message: controls and undecodable bytes escaped."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    document: ImportedDocument
    images: tuple[ImportedImage, ...] = ()


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; DocumentError otherwise.

    A device, a pipe or a socket (``/dev/zero``, a FIFO) is refused before it is
    opened, and the read stops after ``limit`` bytes even if the file grows meanwhile,
    so no input can make an import hang or fill the memory.
    """
    too_large = f"is larger than {limit // (1024 * 1024)} MB"
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise DocumentError("is not a regular file (a device, a pipe or a socket)")
    if status.st_size > limit:
        raise DocumentError(too_large)
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise DocumentError(too_large)
    return data


Progress = Callable[[int, int, str], object]
"""Called with (files done, files in all, the file being read)."""


class ImportCancelled(Exception):
    """The user cancelled the import before anything was written."""


_Outcome = tuple[ParsedFile | None, str | None, bool]
"""(the parsed file, or the problem with it, and whether the file is missing)."""


def _read_one(path: Path, today: dt.date) -> _Outcome:
    try:
        if path.is_dir():
            raise DocumentError("is a folder, not a file")
        if not path.exists():
            return None, f"{shown(path)}: no such file", True
        read = read_file(path, read_limited(path, MAX_FILE_BYTES), today)
        return ParsedFile(path, read.document, read.images), None, False
    except DocumentError as error:
        return None, f"{shown(path)}: {error}", False
    except OSError as error:
        return None, f"{shown(path)}: cannot be read ({error.strerror or error})", False


def _read_in_worker(
    job: tuple[Path, dt.date],
) -> tuple[ParsedFile | None, dict[str, str], str | None, bool]:
    """``_read_one``, with the read-only mapping of extra keys as a dict that pickles."""
    parsed, problem, absent = _read_one(*job)
    if parsed is None:
        return None, {}, problem, absent
    extra = dict(parsed.document.extra)
    return replace(parsed, document=replace(parsed.document, extra={})), extra, problem, absent


def _read_in_parallel(paths: Sequence[Path], today: dt.date) -> list[_Outcome] | None:
    """Every file read and parsed on all cores (YAML is slow), where that is safe."""
    if len(paths) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return None
    # Forked workers only while this process runs one thread (the command line).
    if threading.active_count() != 1 or os.name != "posix":
        return None
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        sent = pool.map(_read_in_worker, [(path, today) for path in paths], chunksize=64)
    return [
        (
            replace(parsed, document=replace(parsed.document, extra=MappingProxyType(extra)))
            if parsed is not None
            else None,
            problem,
            absent,
        )
        for parsed, extra, problem, absent in sent
    ]


def read_documents(
    paths: Sequence[Path],
    today: dt.date | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ParsedFile]:
    """Parse every file, collecting every problem; raise once naming each bad file."""
    today = today or dt.date.today()
    parsed: list[ParsedFile] = []
    problems: list[str] = []
    missing = 0
    outcomes = None if progress or cancelled else _read_in_parallel(paths, today)
    for done, path in enumerate(paths):
        if outcomes is None:
            if cancelled is not None and cancelled():
                raise ImportCancelled
            if progress is not None:
                progress(done, len(paths), path.name)
            file, problem, absent = _read_one(path, today)
        else:
            file, problem, absent = outcomes[done]
        if file is not None:
            parsed.append(file)
        elif problem is not None:
            problems.append(problem)
            missing += absent
    if problems:
        summary = "; ".join(problems)
        prefix = "nothing imported: "
        if missing == len(problems):
            raise NotFound(prefix + summary)
        raise InvalidInput(prefix + summary)
    return parsed


def import_files(
    ctx: ServiceContext,
    paths: Sequence[Path],
    default_section: str | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ItemSummary]:
    """Create one draft per file in a single unit of work.

    ``cancelled`` is asked between files while they are read; once the writing starts,
    the import runs to its end (it is one short transaction).
    """
    if not paths:
        raise InvalidInput("name at least one file to import")
    documents = read_documents(paths, progress=progress, cancelled=cancelled)
    if cancelled is not None and cancelled():
        raise ImportCancelled
    if progress is not None:
        progress(len(paths), len(paths), "")
    with ctx.database.session() as session:
        author = ctx.require(session, AUTHOR_ROLES, "import items")
        return [
            summarize(item)
            for item in _create_all(ctx, session, author, documents, default_section)
        ]


def _create_all(
    ctx: ServiceContext,
    session: Session,
    author: User,
    documents: list[ParsedFile],
    default_section: str | None,
) -> list[Item]:
    sections = {s.slug: s for s in session.scalars(select(Section))}
    if default_section is not None and default_section not in sections:
        raise NotFound(f"nothing imported: no section {default_section!r}")
    problems: list[str] = []
    created: list[Item] = []
    slugs: dict[tuple[str, str, str], Path] = {}
    """(section, language, slug) -> the file of this import that has it."""
    taken_slugs: dict[tuple[int, str], set[str]] = {}
    for parsed in documents:
        try:
            new = new_item_from_document(parsed.document, sections, default_section)
            wanted = (new.section, new.content.lang.value, new.content.slug)
            if new.content.slug and wanted in slugs:
                raise InvalidInput(
                    f"slug {new.content.slug!r} is also the slug of {shown(slugs[wanted])} "
                    f"in this import (section {new.section}, {new.content.lang}); "
                    "give each file its own"
                )
            for image in parsed.images:
                try:
                    add_asset_in_session(ctx, session, author, Path(image.name), image.data)
                except InvalidInput as error:
                    raise InvalidInput(f"an embedded image cannot be used: {error}") from None
            item = create_item_in_session(
                ctx, session, author, new, reason="import", taken_slugs=taken_slugs
            )
            slugs.setdefault((new.section, item.lang, item.slug), parsed.path)
            created.append(item)
        except (EditorError, ValueError) as error:
            problems.append(f"{shown(parsed.path)}: {error}")
    if problems:
        raise InvalidInput("nothing imported: " + "; ".join(problems))
    return created


def new_item_from_document(
    document: ImportedDocument, sections: dict[str, Section], default_section: str | None
) -> NewItem:
    """What a parsed file asks for, with section, language and type filled in."""
    slug = document.section or default_section
    if slug is None:
        if len(sections) != 1:
            raise InvalidInput("no section: give `section:` in the front matter or --section")
        slug = next(iter(sections))
    section = sections.get(slug)
    if section is None:
        raise InvalidInput(f"unknown section {slug!r}")
    language = document.lang or guess_language(f"{document.title}\n{document.body}")
    content = ItemContent(
        type=document.type or ContentType(section.default_type),
        lang=language,
        title=document.title,
        lead=document.lead,
        body=document.body,
        event_date=document.event_date,
        place=document.place,
        speaker=document.speaker,
        occasion=document.occasion,
        outlet=document.outlet,
        interviewee=document.interviewee,
        slug=document.slug or "",
    )
    return NewItem(section=section.slug, content=content, translation_of=document.translation_of)
