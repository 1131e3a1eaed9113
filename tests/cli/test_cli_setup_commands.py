"""init, user add/list, section add/list: success and every refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import Runner, count, query, sha256_of, table_counts

# --------------------------------------------------------------------------------------
# init


def test_init_creates_the_database_and_its_admin(cli: Runner, db_path: Path) -> None:
    result = cli("init", user="chief").assert_ok()
    assert "chief is the administrator" in result.out
    assert query(db_path, "SELECT login, roles FROM users") == [("chief", "admin")]
    assert query(db_path, "SELECT value FROM settings WHERE key = 'base_url'")[0][0].startswith(
        "https://"
    )


def test_init_twice_is_idempotent(cli: Runner, db_path: Path) -> None:
    first = cli("init", "--json", user="chief").assert_ok().json()
    assert first == {
        "created": True,
        "upgraded": False,
        "admin": "chief",
        "demo_items": 0,
        "schema": first["schema"],
    }
    before = table_counts(db_path)
    second = cli("init", "--json", user="chief").assert_ok().json()
    assert second == {
        "created": False,
        "upgraded": False,
        "admin": None,
        "demo_items": 0,
        "schema": first["schema"],
    }
    # a second init by someone else does not make them an admin either
    cli("init", user="someone").assert_ok()
    assert table_counts(db_path) == {**before, "audit_events": before["audit_events"]}
    assert query(db_path, "SELECT login FROM users") == [("chief",)]


def test_init_refuses_an_invalid_login_and_creates_no_admin(cli: Runner, db_path: Path) -> None:
    cli("init", user="bad login!").assert_error(2, "login")
    cli("init", user="chief").assert_ok()
    assert query(db_path, "SELECT login FROM users") == [("chief",)]


@pytest.mark.parametrize(
    ("user", "extra"),
    [("bad login!", ()), ("chief", ("--base-url", "ftp://example.org/"))],
    ids=["bad-login", "bad-base-url"],
)
def test_a_failed_first_init_leaves_no_database(
    cli: Runner, db_path: Path, user: str, extra: tuple[str, ...]
) -> None:
    cli("init", *extra, user=user).assert_error(2)
    if isinstance(db_path, Path):
        assert not db_path.exists()
    else:  # PostgreSQL: the database stays as the server made it, without a table
        assert query(db_path, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == []


def test_init_demo(cli: Runner, db_path: Path) -> None:
    result = cli("init", "--demo", "--json", user="chief").assert_ok().json()
    assert 10 <= result["demo_items"] <= 14
    items = cli("list", "--json").assert_ok().json()
    assert len(items) == result["demo_items"]
    assert {item["lang"] for item in items} == {"en", "ru"}
    statuses = {item["status"] for item in items}
    assert {"draft", "in_review", "approved"} <= statuses

    sections = cli("section", "list", "--json").assert_ok().json()
    assert len(sections) >= 5
    for section in sections:
        assert section["name_en"].isascii()
        assert any("\u0400" <= ch <= "\u04ff" for ch in section["name_ru"]), section
    slugs = {section["slug"] for section in sections}
    assert {"news", "statements"} <= slugs

    users = cli("user", "list", "--json").assert_ok().json()
    roles = sorted(tuple(user["roles"]) for user in users if user["login"] != "chief")
    assert roles == [("author",), ("exporter",), ("reviewer",)]
    assert count(db_path, "users") == 4


def test_init_demo_is_refused_on_a_database_with_items(cli: Runner, db_path: Path) -> None:
    cli("init", "--demo", user="chief").assert_ok()
    before = table_counts(db_path)
    cli("init", "--demo", user="chief").assert_error(2, "demo")
    assert table_counts(db_path) == before


def test_init_demo_if_empty(cli: Runner, db_path: Path) -> None:
    cli("init", user="chief").assert_ok()
    added = cli("init", "--demo-if-empty", "--json", user="chief").assert_ok().json()
    assert added["demo_items"] > 0
    before = table_counts(db_path)
    again = cli("init", "--demo-if-empty", "--json", user="chief").assert_ok().json()
    assert again["demo_items"] == 0
    assert table_counts(db_path) == before


def test_init_demo_if_empty_on_a_fresh_file(cli: Runner, db_path: Path) -> None:
    result = cli("init", "--demo-if-empty", "--json", user="chief").assert_ok().json()
    assert result["created"] is True
    assert result["demo_items"] > 0


def test_init_demo_or_base_url_by_a_non_admin_is_refused(cli: Runner, world: Path) -> None:
    before = table_counts(world)
    base_url = query(world, "SELECT value FROM settings WHERE key = 'base_url'")
    cli("init", "--demo", user="anna").assert_error(3)
    cli("init", "--base-url", "https://evil.example/", user="anna").assert_error(3)
    assert table_counts(world) == before
    assert query(world, "SELECT value FROM settings WHERE key = 'base_url'") == base_url


def test_init_base_url(cli: Runner, db_path: Path) -> None:
    cli("init", "--base-url", "https://example.org/csto", user="chief").assert_ok()
    assert query(db_path, "SELECT value FROM settings WHERE key = 'base_url'") == [
        ("https://example.org/csto/",)
    ]
    cli("init", "--base-url", "ftp://example.org/", user="chief").assert_error(2, "base url")
    assert query(db_path, "SELECT value FROM settings WHERE key = 'base_url'") == [
        ("https://example.org/csto/",)
    ]


def test_init_in_a_missing_folder_is_refused(cli: Runner, tmp_path: Path, run_cli: Runner) -> None:
    target = tmp_path / "nowhere" / "x.sqlite3"
    run_cli(target, "chief", "init").assert_error(2, "does not exist")
    assert not target.parent.exists()


# --------------------------------------------------------------------------------------
# user add / user list


def test_user_add_and_list(cli: Runner, world: Path) -> None:
    added = cli(
        "user", "add", "olga", "--name", "Ольга Смирнова", "--role", "author", "--role",
        "reviewer", "--json",
    ).assert_ok().json()  # fmt: skip
    assert added["login"] == "olga"
    assert added["name"] == "Ольга Смирнова"
    assert sorted(added["roles"]) == ["author", "reviewer"]
    users = cli("user", "list", "--json", user="anna").assert_ok().json()
    assert isinstance(users, list)
    for user in users:
        assert user.keys() >= {"id", "login", "name", "roles"}
    olga = next(user for user in users if user["login"] == "olga")
    assert olga["name"] == "Ольга Смирнова"
    text = cli("user", "list").assert_ok().out
    assert "olga" in text
    assert "Ольга Смирнова" in text


def test_user_add_by_a_non_admin_is_refused(cli: Runner, world: Path) -> None:
    before = count(world, "users")
    cli("user", "add", "olga", "--name", "Olga", "--role", "author", user="anna").assert_error(3)
    cli("user", "add", "olga", "--name", "Olga", "--role", "admin", user="ghost").assert_error(3)
    assert count(world, "users") == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("anna", "--name", "Another Anna", "--role", "author"), "already exists"),
        (("olga", "--name", "Olga", "--role", "editor"), "role"),
        (("olga", "--role", "author"), "--name"),
        (("olga", "--name", "Olga"), "--role"),
        (("olga", "--name", "", "--role", "author"), "name"),
        (("bad login", "--name", "Olga", "--role", "author"), "login"),
    ],
    ids=["duplicate", "bad-role", "no-name", "no-role", "empty-name", "bad-login"],
)
def test_user_add_bad_input(cli: Runner, world: Path, args: tuple[str, ...], fragment: str) -> None:
    before = sha256_of(world)
    cli("user", "add", *args).assert_error(2, fragment)
    assert sha256_of(world) == before


# --------------------------------------------------------------------------------------
# section add / section list


def test_section_add_and_list_in_tree_order(cli: Runner, world: Path) -> None:
    cli("section", "add", "docs", "--name-en", "Documents", "--name-ru", "Документы").assert_ok()
    child = cli(
        "section", "add", "briefings", "--name-en", "Briefings", "--name-ru", "Брифинги",
        "--parent", "news", "--json",
    ).assert_ok().json()  # fmt: skip
    assert child["parent"] == "news"
    assert child["path"] == "news/briefings"
    cli(
        "section", "add", "weekly", "--name-en", "Weekly", "--name-ru", "Еженедельно",
        "--parent", "briefings",
    ).assert_ok()  # fmt: skip

    tree = cli("section", "list", "--json", user="anna").assert_ok().json()
    slugs = [section["slug"] for section in tree]
    assert set(slugs) == {"news", "statements", "docs", "briefings", "weekly"}
    position = {slug: index for index, slug in enumerate(slugs)}
    for section in tree:
        if section["parent"] is not None:
            assert position[section["parent"]] < position[section["slug"]]
    # depth first: each child follows its parent's subtree, not the next top section
    assert slugs.index("briefings") == slugs.index("news") + 1
    assert slugs.index("weekly") == slugs.index("briefings") + 1
    weekly = tree[position["weekly"]]
    assert weekly["path"] == "news/briefings/weekly"
    assert weekly["depth"] == 2
    assert weekly["name_ru"] == "Еженедельно"
    assert "news/briefings/weekly" in cli("section", "list").assert_ok().out


def test_section_add_by_a_non_admin_is_refused(cli: Runner, world: Path) -> None:
    before = count(world, "sections")
    cli("section", "add", "docs", "--name-en", "D", "--name-ru", "Д", user="anna").assert_error(3)
    assert count(world, "sections") == before


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("news", "--name-en", "News 2", "--name-ru", "Новости 2"), 2, "already exists"),
        (("Bad Slug", "--name-en", "X", "--name-ru", "Х"), 2, "slug"),
        (("новости", "--name-en", "X", "--name-ru", "Х"), 2, "slug"),
        (("index", "--name-en", "X", "--name-ru", "Х"), 2, "reserved"),
        (("docs", "--name-en", "X", "--name-ru", "Х", "--parent", "nope"), 4, "nope"),
        (("docs", "--name-en", "X", "--name-ru", "Х", "--type", "poem"), 2, "type"),
        (("docs", "--name-en", "X"), 2, "--name-ru"),
        (("docs", "--name-en", "", "--name-ru", "Х"), 2, "name"),
    ],
    ids=["duplicate", "spaces", "cyrillic", "reserved", "no-parent", "bad-type", "no-ru", "empty"],
)
def test_section_add_bad_input(
    cli: Runner, world: Path, args: tuple[str, ...], code: int, fragment: str
) -> None:
    before = sha256_of(world)
    cli("section", "add", *args).assert_error(code, fragment)
    assert sha256_of(world) == before


# --------------------------------------------------------------------------------------
# bad usage


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("user",),
        ("user", "remove", "anna"),
        ("section",),
        ("list", "--bogus"),
        ("list", "--status"),
        ("show",),
        ("submit",),
        ("approve", "1", "--comment"),
        ("edit", "1", "--date", "27.11.2024"),
        ("edit", "1", "--expect-version", "two"),
    ],
    ids=lambda args: "-".join(args).strip("-") or "empty",
)
def test_bad_usage(cli: Runner, world: Path, args: tuple[str, ...]) -> None:
    before = sha256_of(world)
    result = cli(*args).assert_error(2)
    assert result.out == ""
    assert "--help" in result.err
    assert sha256_of(world) == before
