"""Twenty editors and reviewers at once on one PostgreSQL server (team mode).

No acknowledged edit is lost, no driver error or deadlock reaches a user, and every
version conflict comes out as ConflictError. Needs CSTO_TEST_PG_URL; skipped without it.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest

from csto_editor.core.content import ContentType, ItemContent, Language
from csto_editor.core.errors import ConflictError, EditorError
from csto_editor.services import accounts, editing, queries, review, sections, setup
from csto_editor.services.context import ServiceContext
from csto_editor.store.database import open_database

THREADS = 20
SECONDS = 4.0
ITEMS = 4
EDITORS = ("author", "author2", "editor")
REVIEWERS = ("reviewer", "reviewer2")


@pytest.fixture
def team(postgres_database: str) -> Iterator[ServiceContext]:
    database = open_database(postgres_database, create=True)
    ctx = ServiceContext(database, "admin")
    setup.initialize(ctx)
    for login, roles in [
        ("author", ["author"]),
        ("author2", ["author"]),
        ("editor", ["author", "reviewer"]),
        ("reviewer", ["reviewer"]),
        ("reviewer2", ["reviewer"]),
    ]:
        accounts.add_user(ctx, login, login.title(), roles)
    sections.add_section(ctx, "news", "News", "Новости")
    yield ctx
    database.dispose()


def test_twenty_editors_lose_no_update(team: ServiceContext) -> None:
    as_user = lambda login: replace(team, login=login)  # noqa: E731
    ids = [
        editing.create_item(
            as_user("author"),
            editing.NewItem(
                "news",
                ItemContent(type=ContentType.NEWS, lang=Language.EN, title=f"Item {n}", body="-"),
            ),
        ).id
        for n in range(ITEMS)
    ]
    acknowledged: dict[int, list[str]] = {item: [] for item in ids}
    outcomes: Counter[str] = Counter()
    unexpected: list[BaseException] = []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def editor(number: int) -> None:
        ctx = as_user(EDITORS[number % len(EDITORS)])
        chance = random.Random(number)
        step = 0
        while time.monotonic() < deadline:
            item = chance.choice(ids)
            step += 1
            token = f"t{number}-{step}"
            try:
                if chance.random() < 0.15:
                    review.submit(ctx, [item])
                    outcome = "submitted"
                else:
                    current = queries.get_item(ctx, item)
                    editing.edit_item(
                        ctx,
                        item,
                        {"body": f"{current.body}\n{token}"},
                        expected_version=current.summary.version,
                    )
                    with lock:
                        acknowledged[item].append(token)
                    outcome = "edited"
            except ConflictError:
                outcome = "conflict"
            except EditorError:
                outcome = "refused"
            except BaseException as error:  # noqa: BLE001 - any other error fails the test
                with lock:
                    unexpected.append(error)
                return
            with lock:
                outcomes[outcome] += 1

    def reviewer(number: int) -> None:
        ctx = as_user(REVIEWERS[number % len(REVIEWERS)])
        chance = random.Random(1000 + number)
        while time.monotonic() < deadline:
            try:
                review.approve(ctx, [chance.choice(ids)])
                outcome = "approved"
            except ConflictError:
                outcome = "conflict"
            except EditorError:
                outcome = "refused"
            except BaseException as error:  # noqa: BLE001
                with lock:
                    unexpected.append(error)
                return
            with lock:
                outcomes[outcome] += 1

    threads = [
        threading.Thread(target=editor if n % 4 else reviewer, args=(n,)) for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    assert unexpected == [], [f"{type(e).__name__}: {e}" for e in unexpected[:5]]
    assert min(outcomes["edited"], outcomes["conflict"], outcomes["approved"]) > 0, outcomes
    for item in ids:
        lines = queries.get_item(team, item).body.splitlines()
        assert Counter(lines[1:]) == Counter(acknowledged[item]), f"item {item}: lost update"
