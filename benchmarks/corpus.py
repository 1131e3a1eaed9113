"""A deterministic corpus of CSTO press items, as files and as a filled database.

Every item is a pure function of ``(seed, index)``: the same seed gives the same texts
whatever N is, so the first 1,000 items of a 5,000-item corpus are the 1,000-item corpus,
and the files given to ``csto-editor import`` and to Pelican carry the same articles as a
database filled directly.

Items alternate Russian (even index) and English (odd index); each pair is one story in
two languages (a translation group when filled into a database). Bodies are 300–1,500
words of Markdown with headings, paragraphs with links, emphasis and quotes, bullet and
numbered lists, block quotes, and a pipe table in about a third of them. ``big_document``
is one 20,000-word Russian document with the same ingredients.

Command line::

    python -m benchmarks.corpus files OUT_DIR -n 1000 [--pelican] [--big]
    python -m benchmarks.corpus db DB_FILE -n 100000 [--big]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

SEED = 20_251_127
GENERATOR_VERSION = 1
"""Bump when the texts change, so that cached corpora and databases are rebuilt."""
BIG_WORDS = 20_000

ADMIN, AUTHOR, REVIEWER, EXPORTER = "bench-admin", "author", "reviewer", "exporter"

# slug, English name, Russian name, content type, share of items
SECTIONS: tuple[tuple[str, str, str, str, float], ...] = (
    ("news", "News", "Новости", "news", 0.55),
    ("statements", "Statements", "Заявления", "statement", 0.10),
    ("speeches", "Speeches", "Выступления", "speech", 0.10),
    ("interviews", "Interviews", "Интервью", "interview", 0.10),
    ("articles", "Articles", "Статьи", "article", 0.10),
    ("documents", "Documents", "Документы", "document", 0.05),
)


def _vocabulary(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CITIES = {
    "en": ("Moscow", "Minsk", "Astana", "Bishkek", "Dushanbe", "Yerevan", "Almaty", "Osh"),
    "ru": ("Москва", "Минск", "Астана", "Бишкек", "Душанбе", "Ереван", "Алматы", "Ош"),
}
COUNTRIES = {
    "en": ("Armenia", "Belarus", "Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan"),
    "ru": ("Армения", "Беларусь", "Казахстан", "Кыргызстан", "Россия", "Таджикистан"),
}
PEOPLE = {
    "en": ("Imangali Tasmagambetov", "Stanislav Zas", "Andrey Serdyukov", "Valery Semerikov"),
    "ru": ("Имангали Тасмагамбетов", "Станислав Зась", "Андрей Сердюков", "Валерий Семериков"),
}
OUTLETS = {
    "en": ("TASS", "RIA Novosti", "Belta", "Kabar", "Kazinform", "Armenpress"),
    "ru": ("ТАСС", "РИА Новости", "БелТА", "Кабар", "Казинформ", "Арменпресс"),
}
BODIES = {
    "en": (
        "Collective Security Council",
        "Council of Foreign Ministers",
        "Council of Defence Ministers",
        "Committee of Secretaries of Security Councils",
        "CSTO Parliamentary Assembly",
        "Joint Staff",
    ),
    "ru": (
        "Совет коллективной безопасности",
        "Совет министров иностранных дел",
        "Совет министров обороны",
        "Комитет секретарей советов безопасности",
        "Парламентская Ассамблея ОДКБ",
        "Объединенный штаб",
    ),
}
EVENTS = {
    "en": ("Session", "Meeting", "Consultations", "Working visit", "Exercise", "Conference"),
    "ru": ("Сессия", "Заседание", "Консультации", "Рабочий визит", "Учение", "Конференция"),
}
WORDS = {
    "en": _vocabulary(
        "the of and to in on for with by from at as that which this their its was were "
        "is are be been will would shall may also further including between within under "
        "member states organization collective security treaty cooperation council "
        "ministers foreign defence session meeting agreement decision statement secretary "
        "general delegation heads parties participants region regional international "
        "peace stability threats terrorism extremism drug trafficking migration border "
        "exercise forces peacekeeping rapid reaction crisis response mechanism strategy "
        "document programme plan implementation measures partnership dialogue joint "
        "efforts training information cyber analysis experts working group consultations "
        "consolidated position united nations declaration commitment sovereignty "
        "territorial integrity allies contribution assistance emergency humanitarian "
        "support development years anniversary results priorities agenda approved "
        "adopted signed discussed noted stressed emphasised welcomed reaffirmed considered "
        "important practical effective common modern current new key further coordinated"
    ),
    "ru": _vocabulary(
        "и в на с по для о от к за при из что как это также который которые были была "
        "будет является государства члены организации договора коллективной безопасности "
        "сотрудничество совет министров иностранных дел обороны сессия заседание "
        "соглашение решение заявление генеральный секретарь делегация главы стороны "
        "участники региона региональной международной мира стабильности угрозы терроризма "
        "экстремизма наркотрафика миграции границы учения силы миротворческие "
        "оперативного реагирования кризисного механизм стратегия документ программа план "
        "реализация меры партнерство диалог совместные усилия подготовка информационной "
        "кибербезопасности анализ эксперты рабочая группа консультации согласованная "
        "позиция объединенных наций декларация обязательства суверенитета территориальной "
        "целостности союзников вклад помощь чрезвычайных гуманитарной поддержка развития "
        "лет годовщина итоги приоритеты повестка утвержден принят подписан обсуждены "
        "отмечено подчеркнуто приветствовали подтвердили рассмотрели важный практический "
        "эффективный общий современный актуальный новый ключевой дальнейший ещё её объём"
    ),
}
HEADINGS = {
    "en": (
        "Main results",
        "Agenda of the meeting",
        "Practical cooperation",
        "Countering modern threats",
        "Peacekeeping activities",
        "Information security",
        "Plans for the coming year",
        "Joint exercises",
    ),
    "ru": (
        "Основные итоги",
        "Повестка заседания",
        "Практическое сотрудничество",
        "Противодействие современным угрозам",
        "Миротворческая деятельность",
        "Информационная безопасность",
        "Планы на предстоящий год",
        "Совместные учения",
    ),
}
TABLE_HEADS = {
    "en": ("Country", "Delegation", "Units", "Date"),
    "ru": ("Государство", "Делегация", "Подразделения", "Дата"),
}


@dataclass(frozen=True)
class CorpusItem:
    """One press item: its front matter fields and its Markdown body."""

    index: int
    title: str
    section: str
    lang: str
    type: str
    date: dt.date
    lead: str
    body: str
    slug: str
    place: str = ""
    speaker: str = ""
    outlet: str = ""

    @property
    def words(self) -> int:
        return len(self.body.split())

    def front_matter(self) -> str:
        """Markdown with YAML front matter, as ``csto-editor import`` reads it."""
        fields: list[tuple[str, str]] = [
            ("title", self.title),
            ("section", self.section),
            ("lang", self.lang),
            ("type", self.type),
            ("date", self.date.isoformat()),
        ]
        for name in ("place", "speaker", "outlet"):
            if getattr(self, name):
                fields.append((name, getattr(self, name)))
        fields += [("lead", self.lead), ("slug", self.slug)]
        lines = [
            f"{key}: {value}" if key == "date" else f"{key}: {_yaml_string(value)}"
            for key, value in fields
        ]
        return "---\n" + "\n".join(lines) + "\n---\n" + self.body

    def pelican(self) -> str:
        """The same article in Pelican's own ``Key: value`` metadata header."""
        section = next(s for s in SECTIONS if s[0] == self.section)
        lines = [
            f"Title: {self.title}",
            f"Date: {self.date.isoformat()}",
            f"Category: {section[1]}",
            f"Lang: {self.lang}",
            f"Slug: {self.slug}",
            f"Summary: {self.lead}",
        ]
        for name in ("place", "speaker", "outlet"):
            if getattr(self, name):
                lines.append(f"{name.title()}: {getattr(self, name)}")
        return "\n".join(lines) + "\n\n" + self.body

    def file_name(self) -> str:
        return f"{self.index:06d}-{self.lang}-{self.slug}.md"


def _yaml_string(value: str) -> str:
    # A JSON string is a YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


class _Text:
    """Pseudo-prose in one language from a seeded generator."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang
        self.words = WORDS[lang]
        self.count = 0

    def phrase(self, low: int, high: int) -> str:
        n = self.rng.randint(low, high)
        self.count += n
        return " ".join(self.rng.choices(self.words, k=n))

    def sentence(self) -> str:
        rng = self.rng
        text = self.phrase(7, 18)
        roll = rng.random()
        if roll < 0.12:
            # straight quotes and an apostrophe: smarty turns them into « » or “ ”
            quote = self.phrase(2, 5)
            text += f' "{quote}"'
        elif roll < 0.2:
            text = f"{rng.choice(CITIES[self.lang])}, {text}"
        elif roll < 0.26:
            text += " member states' partners" if self.lang == "en" else " Кот-д'Ивуар"
        return text[0].upper() + text[1:] + rng.choice(".....!")

    def paragraph(self) -> str:
        rng = self.rng
        sentences = [self.sentence() for _ in range(rng.randint(2, 6))]
        roll = rng.random()
        if roll < 0.35:
            n = rng.randrange(len(sentences))
            link = self.phrase(2, 4)
            url = f"https://odkb-csto.org/news/news_odkb/{rng.randint(1000, 99999)}/"
            sentences[n] += f" [{link}]({url})"
        if rng.random() < 0.3:
            sentences[0] = f"**{sentences[0]}**"
        if rng.random() < 0.2:
            sentences[-1] = f"*{sentences[-1]}*"
        return " ".join(sentences)

    def bullets(self, numbered: bool) -> str:
        items = [self.phrase(4, 14) for _ in range(self.rng.randint(3, 7))]
        if numbered:
            return "\n".join(f"{n}. {item.capitalize()};" for n, item in enumerate(items, 1))
        return "\n".join(f"- {item.capitalize()}" for item in items)

    def quote(self) -> str:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))
        return f"> {text}\n>\n> — {self.rng.choice(PEOPLE[self.lang])}"

    def table(self) -> str:
        rng = self.rng
        head = TABLE_HEADS[self.lang]
        rows = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for country in rng.sample(COUNTRIES[self.lang], rng.randint(3, 6)):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
            cells = (country, str(rng.randint(3, 40)), str(rng.randint(50, 4000)), str(day))
            rows.append("| " + " | ".join(cells) + " |")
        self.count += 4 * (len(rows) - 2)
        return "\n".join(rows)

    def heading(self, level: int = 2) -> str:
        title = self.rng.choice(HEADINGS[self.lang])
        if self.rng.random() < 0.5:
            title += ": " + self.phrase(1, 3)
        self.count += 2
        return "#" * level + " " + title

    def body(self, target: int, limit: int, *, table: bool, subheadings: bool = False) -> str:
        """Blocks until ``target`` words, then trimmed to at most ``limit`` words."""
        rng = self.rng
        blocks = [self.paragraph()]
        table_at = rng.randint(1, 4) if table else -1
        while self.count < target:
            if len(blocks) == table_at:
                blocks.append(self.table())
                continue
            roll = rng.random()
            if roll < 0.12:
                blocks.append(self.heading(3 if subheadings and rng.random() < 0.5 else 2))
                blocks.append(self.paragraph())
            elif roll < 0.22:
                blocks.append(self.bullets(numbered=False))
            elif roll < 0.28:
                blocks.append(self.bullets(numbered=True))
            elif roll < 0.35:
                blocks.append(self.quote())
            elif subheadings and roll < 0.37:
                blocks.append(self.table())
            else:
                blocks.append(self.paragraph())
        words = [len(block.split()) for block in blocks]
        while sum(words) > limit and len(blocks) > 1:
            words.pop()
            blocks.pop()
        if table_at >= len(blocks):
            blocks.append(self.table())
        return "\n\n".join(blocks) + "\n"


def _pick_section(rng: random.Random) -> tuple[str, str, str, str, float]:
    roll = rng.random()
    for section in SECTIONS:
        roll -= section[4]
        if roll < 0:
            return section
    return SECTIONS[0]


def make_item(index: int, seed: int = SEED) -> CorpusItem:
    """Item ``index`` of the corpus: a pure function of ``(seed, index)``."""
    story = random.Random(f"{seed}:story:{index // 2}")
    section = _pick_section(story)
    date = dt.date(2006, 1, 1) + dt.timedelta(days=story.randrange(20 * 365))
    city_n, body_n, event_n, person_n, outlet_n = (story.randrange(8) for _ in range(5))
    lang = "ru" if index % 2 == 0 else "en"
    rng = random.Random(f"{seed}:item:{index}")
    text = _Text(rng, lang)
    city = CITIES[lang][city_n % len(CITIES[lang])]
    body_name = BODIES[lang][body_n % len(BODIES[lang])]
    event = EVENTS[lang][event_n % len(EVENTS[lang])]
    if lang == "en":
        title = f"{event} of the {body_name} in {city}: {text.phrase(2, 5)}"
    else:
        title = f"{event}: {body_name} в г. {city} — {text.phrase(2, 5)}"
    lead = text.sentence()
    text.count = 0
    body = text.body(rng.randint(300, 1500), 1500, table=rng.random() < 1 / 3)
    kind = section[3]
    return CorpusItem(
        index=index,
        title=title,
        section=section[0],
        lang=lang,
        type=kind,
        date=date,
        lead=lead,
        body=body,
        slug=f"{kind}-{index:06d}",
        place=city if kind in ("statement", "speech", "news", "document") else "",
        speaker=PEOPLE[lang][person_n % len(PEOPLE[lang])] if kind == "speech" else "",
        outlet=OUTLETS[lang][outlet_n % len(OUTLETS[lang])] if kind == "interview" else "",
    )


def big_document(seed: int = SEED, words: int = BIG_WORDS) -> CorpusItem:
    """One 20,000-word Russian document: sections, subsections, lists, quotes, tables."""
    rng = random.Random(f"{seed}:big")
    text = _Text(rng, "ru")
    lead = text.sentence()
    text.count = 0
    body = text.body(words + 200, words - 30, table=True, subheadings=True)
    return CorpusItem(
        index=-1,
        title="Стратегия коллективной безопасности ОДКБ на период до 2035 года",
        section="documents",
        lang="ru",
        type="document",
        date=dt.date(2025, 11, 27),
        lead=lead,
        body=body,
        slug="strategy-2035",
        place="Бишкек",
    )


def items(n: int, seed: int = SEED) -> Iterator[CorpusItem]:
    for index in range(n):
        yield make_item(index, seed)


# --------------------------------------------------------------------------- files

PELICAN_CONF = '''"""Pelican settings for the benchmark: the Markdown of CSTO Editor's export."""

AUTHOR = "CSTO press office"
SITENAME = "CSTO"
SITEURL = "https://odkb-csto.org"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_PAGINATION = 20
RELATIVE_URLS = False
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}
'''


def write_files(
    out: Path, n: int, seed: int = SEED, *, pelican: Path | None = None, big: bool = False
) -> list[Path]:
    """N items as Markdown files with YAML front matter in ``out``; the same articles in
    Pelican's format under ``pelican/content`` with a ``pelicanconf.py`` beside it."""
    out.mkdir(parents=True, exist_ok=True)
    content = None
    if pelican is not None:
        content = pelican / "content"
        content.mkdir(parents=True, exist_ok=True)
        (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    written = []
    all_items = list(items(n, seed))
    if big:
        all_items.append(big_document(seed))
    for item in all_items:
        path = out / item.file_name()
        path.write_text(item.front_matter(), encoding="utf-8")
        written.append(path)
        if content is not None:
            (content / item.file_name()).write_text(item.pelican(), encoding="utf-8")
    return written


def write_big(path: Path, seed: int = SEED) -> CorpusItem:
    """The 20,000-word document as a plain Markdown file (what ReText opens)."""
    item = big_document(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# {item.title}\n\n{item.body}", encoding="utf-8")
    return item


# --------------------------------------------------------------------------- database


@dataclass(frozen=True)
class FilledDatabase:
    path: Path
    items: int
    big_item_id: int | None
    seconds: float


def _accounts_and_sections(db_path: Path) -> None:
    from csto_editor.services import accounts, sections, setup
    from csto_editor.services.context import ServiceContext
    from csto_editor.store.database import open_database

    database = open_database(db_path, create=True)
    try:
        ctx = ServiceContext(database, ADMIN)
        setup.initialize(ctx)
        accounts.add_user(ctx, AUTHOR, "Press Officer", ["author"])
        accounts.add_user(ctx, REVIEWER, "Reviewer", ["reviewer"])
        accounts.add_user(ctx, EXPORTER, "Exporter", ["exporter"])
        for slug, name_en, name_ru, kind, _share in SECTIONS:
            sections.add_section(ctx, slug, name_en, name_ru, default_type=kind)
    finally:
        database.dispose()


def fill_database(
    db_path: Path,
    n: int,
    seed: int = SEED,
    *,
    big: bool = False,
    batch: int = 2_000,
    progress: bool = False,
) -> FilledDatabase:
    """A new database with N approved items (and the big document last, if ``big``).

    Accounts and sections go through the services (``setup.initialize``,
    ``accounts.add_user``, ``sections.add_section``); the items, their one revision each
    (reason ``submit``, by ``author``) and the approving review (by ``reviewer``) are
    inserted with SQLAlchemy Core in batches, as the services would leave them: state
    ``approved``, ``current_revision_id = approved_revision_id``, the revision's
    ``content_sha256`` computed by the app's own hashing. The full-text index is filled
    by the schema's triggers. Nothing is rendered yet (``rendered_html`` is NULL).
    """
    from sqlalchemy import insert, select, text

    from csto_editor.core.hashing import content_sha256
    from csto_editor.services.revisions import content_of
    from csto_editor.store.database import open_database
    from csto_editor.store.models import Item, Review, Revision, Section, User

    started = time.perf_counter()
    if db_path.exists():
        raise FileExistsError(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _accounts_and_sections(db_path)
    database = open_database(db_path)
    big_id = None
    try:
        with database.engine.connect() as connection:
            # Items and revisions point at each other: load with foreign keys off (a
            # per-connection pragma, outside a transaction), then check them all.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.exec_driver_sql("PRAGMA synchronous = OFF")
            users = dict(connection.execute(select(User.login, User.id)).all())
            section_ids = dict(connection.execute(select(Section.slug, Section.id)).all())
            first = (connection.scalar(select(text("max(id)")).select_from(Item)) or 0) + 1
            author, reviewer = users[AUTHOR], users[REVIEWER]
            connection.commit()
            base_time = dt.datetime(2026, 1, 1, 9, 0, 0)

            def rows(index: int, item: CorpusItem) -> tuple[dict, dict, dict]:
                item_id = first + index
                group = first + index - (index % 2) if item.index >= 0 else None
                fields = {
                    "type": item.type,
                    "lang": item.lang,
                    "title": item.title,
                    "lead": item.lead,
                    "body": item.body,
                    "event_date": item.date,
                    "place": item.place,
                    "speaker": item.speaker,
                    "occasion": "",
                    "outlet": item.outlet,
                    "interviewee": "",
                    "slug": item.slug,
                }
                digest = content_sha256(content_of(SimpleNamespace(**fields)))  # type: ignore[arg-type]
                created = base_time + dt.timedelta(seconds=index)
                approved = created + dt.timedelta(minutes=30)
                item_row = {
                    "id": item_id,
                    "section_id": section_ids[item.section],
                    "translation_group": group,
                    "state": "approved",
                    "current_revision_id": item_id,
                    "approved_revision_id": item_id,
                    "published_revision_id": None,
                    "version": 3,
                    "created_by_id": author,
                    "created_at": created,
                    "updated_at": approved,
                    "updated_by_id": reviewer,
                    "deleted_at": None,
                    **fields,
                }
                revision_row = {
                    "id": item_id,
                    "item_id": item_id,
                    "number": 1,
                    "reason": "submit",
                    "section_id": section_ids[item.section],
                    "content_sha256": digest,
                    "author_id": author,
                    "created_at": created,
                    "rendered_html": None,
                    **fields,
                }
                review_row = {
                    "item_id": item_id,
                    "revision_id": item_id,
                    "reviewer_id": reviewer,
                    "decision": "approve",
                    "comment": "",
                    "content_sha256": digest,
                    "created_at": approved,
                }
                return item_row, revision_row, review_row

            def corpus() -> Iterator[CorpusItem]:
                yield from items(n, seed)
                if big:
                    yield big_document(seed)

            pending: list[tuple[dict, dict, dict]] = []

            def flush() -> None:
                if not pending:
                    return
                with connection.begin():
                    connection.execute(insert(Item), [p[0] for p in pending])
                    connection.execute(insert(Revision), [p[1] for p in pending])
                    connection.execute(insert(Review), [p[2] for p in pending])
                pending.clear()

            for index, item in enumerate(corpus()):
                pending.append(rows(index, item))
                if item.index < 0:
                    big_id = first + index
                if len(pending) >= batch:
                    flush()
                    if progress and (index + 1) % 20_000 < batch:
                        print(f"  {index + 1} items", file=sys.stderr, flush=True)
            flush()
            if connection.exec_driver_sql("PRAGMA foreign_keys").scalar() != 0:
                raise RuntimeError("foreign keys were on during the bulk load")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken after the bulk load: {broken[:5]}")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.dispose()
    return FilledDatabase(db_path, n + int(big), big_id, time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the benchmark corpus.")
    commands = parser.add_subparsers(dest="command", required=True)
    files = commands.add_parser("files", help="Markdown files with YAML front matter")
    files.add_argument("out", type=Path)
    files.add_argument("-n", type=int, default=1000)
    files.add_argument("--pelican", type=Path, help="also write a Pelican site here")
    files.add_argument("--big", action="store_true", help="add the 20,000-word document")
    database = commands.add_parser("db", help="a database with N approved items")
    database.add_argument("db", type=Path)
    database.add_argument("-n", type=int, default=1000)
    database.add_argument("--big", action="store_true", help="add the 20,000-word document")
    for sub in (files, database):
        sub.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.command == "files":
        paths = write_files(args.out, args.n, args.seed, pelican=args.pelican, big=args.big)
        print(f"wrote {len(paths)} files to {args.out}")
    else:
        filled = fill_database(args.db, args.n, args.seed, big=args.big, progress=True)
        print(
            f"filled {filled.path} with {filled.items} approved items in {filled.seconds:.1f} s"
            + (f"; the 20,000-word item is {filled.big_item_id}" if filled.big_item_id else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
