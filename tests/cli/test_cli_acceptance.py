"""The acceptance script of issue 2, through the command line only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cli_helpers import Runner

LIST_KEYS = {"id", "title", "section", "lang", "type", "status", "date", "updated_at"}


def test_issue_2_acceptance_script(cli: Runner, md: Callable[..., Path], db_path: Path) -> None:
    # init: the init user becomes the administrator
    init = cli("init", "--json", user="chief").assert_ok().json()
    assert init["created"] is True
    assert init["admin"] == "chief"
    users = cli("user", "list", "--json", user="chief").assert_ok().json()
    assert [(u["login"], u["roles"]) for u in users] == [("chief", ["admin"])]

    # users and a section
    for login, role in (("anna", "author"), ("roman", "reviewer"), ("erik", "exporter")):
        cli("user", "add", login, "--name", login.title(), "--role", role, user="chief").assert_ok()
    cli(
        "section", "add", "news", "--name-en", "News", "--name-ru", "Новости", user="chief"
    ).assert_ok()
    roles = {u["login"]: u["roles"] for u in cli("user", "list", "--json").json()}
    assert roles == {
        "chief": ["admin"],
        "anna": ["author"],
        "roman": ["reviewer"],
        "erik": ["exporter"],
    }

    # three Markdown files; the translation names the first one's id, so it comes second
    russian = md(
        "seminar.ru.md",
        "В Секретариате ОДКБ прошёл семинар для пресс-служб.",
        title="В Секретариате ОДКБ прошёл семинар",
        lang="ru",
        type="news",
        date="2025-03-13",
        section="news",
    )
    statement = md(
        "statement.en.md",
        "The Ministers of Foreign Affairs of the CSTO member states state the following.",
        title="STATEMENT of the Ministers of Foreign Affairs",
        lang="en",
        type="statement",
        date="2024-11-27",
        place="Minsk",
        section="news",
    )
    first = cli("import", str(russian), str(statement), "--json", user="anna").assert_ok().json()
    assert [item["title"] for item in first] == [
        "В Секретариате ОДКБ прошёл семинар",
        "STATEMENT of the Ministers of Foreign Affairs",
    ]
    ru_id, statement_id = first[0]["id"], first[1]["id"]
    english = md(
        "seminar.en.md",
        "A seminar for press officers was held at the CSTO Secretariat.",
        title="CSTO Secretariat hosts a seminar",
        lang="en",
        date="2025-03-13",
        section="news",
        translation_of=ru_id,
    )
    (translation,) = cli("import", str(english), "--json", user="anna").assert_ok().json()
    en_id = translation["id"]
    assert cli("show", str(ru_id), "--json").json()["translations"] == [en_id]
    assert cli("show", str(en_id), "--json").json()["translations"] == [ru_id]

    # list --json
    listed = cli("list", "--json", user="anna").assert_ok().json()
    assert isinstance(listed, list)
    assert len(listed) == 3
    for element in listed:
        assert element.keys() >= LIST_KEYS
        assert element["status"] == "draft"
        assert element["section"] == "news"
    by_id = {element["id"]: element for element in listed}
    assert by_id[ru_id]["lang"] == "ru"
    assert by_id[statement_id]["type"] == "statement"
    assert by_id[statement_id]["date"] == "2024-11-27"
    assert cli("show", str(statement_id), "--json").json()["place"] == "Minsk"

    # submit, approve as the reviewer
    submitted = cli("submit", str(ru_id), str(statement_id), "--json", user="anna").assert_ok()
    assert [item["status"] for item in submitted.json()] == ["in_review", "in_review"]
    approved = cli("approve", str(ru_id), "--json", user="roman").assert_ok().json()
    assert [(item["id"], item["status"]) for item in approved] == [(ru_id, "approved")]

    # history --json shows the approval with its revision and hash
    history = cli("history", str(ru_id), "--json", user="erik").assert_ok().json()
    (review,) = history["reviews"]
    assert review["decision"] == "approve"
    assert review["reviewer"] == "roman"
    revisions = {revision["id"]: revision for revision in history["revisions"]}
    assert review["revision"] in revisions
    assert review["content_sha256"] == revisions[review["revision"]]["content_sha256"]
    assert len(review["content_sha256"]) == 64
    assert history["item"]["approved_revision"] == review["revision"]
    assert any(event["action"] == "approve" for event in history["events"])

    # an author approving their own revision: exit 3, the item stays in review
    refused = cli("approve", str(statement_id), user="anna")
    refused.assert_error(3)
    assert refused.out == ""
    assert cli("show", str(statement_id), "--json").json()["status"] == "in_review"
    assert cli("history", str(statement_id), "--json").json()["reviews"] == []
