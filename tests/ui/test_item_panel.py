"""The item panel on the demo database: typing is saved, conflicts offered, workflow steps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QTextBrowser, QWidget
from pytestqt.qtbot import QtBot

from csto_editor.core.content import ItemContent
from csto_editor.core.errors import NotFound
from csto_editor.paths import resources_dir
from csto_editor.services import editing, queries
from csto_editor.services.context import ServiceContext
from csto_editor.services.pages import PagePreviewer
from csto_editor.services.queries import ItemFilter
from csto_editor.services.views import ItemDetail
from csto_editor.store.database import open_database
from csto_editor.ui import asset_dialog, autosave
from csto_editor.ui.asset_dialog import ImageDetails
from csto_editor.ui.autosave import ConflictChoice
from csto_editor.ui.item_panel import ItemPanel
from csto_editor.ui.preview.pane import NO_WEB_ENGINE_VARIABLE
from csto_editor.ui.preview.render_worker import ContentSource
from csto_editor.ui.scroll_link import ECHO_MS

As = Callable[[str], ServiceContext]
Panels = Callable[..., ItemPanel]


@pytest.fixture
def make_panel(context_for: As, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[Panels]:
    """Panels on the demo copy, by login; their preview is the QTextBrowser one (the
    QtWebEngine preview has its own tests), which keeps these tests quick.

    The panels are closed here, after their previews have finished rendering, rather
    than by qtbot: a render thread must not outlive its pane.
    """
    monkeypatch.setenv(NO_WEB_ENGINE_VARIABLE, "1")
    made: list[ItemPanel] = []

    def make(login: str = "ivanova") -> ItemPanel:
        ctx = context_for(login)
        panel = ItemPanel(ctx, PagePreviewer(ctx, resources_dir()))
        panel.resize(1200, 800)
        panel.show()
        made.append(panel)
        return panel

    yield make
    for panel in made:
        panel.preview.wait_until_idle(5000)
        panel.close()
        panel.deleteLater()
    qtbot.wait(10)


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog nobody answers would hang the test: fail instead. Tests that
    expect one answer it by patching again."""

    def unexpected(*args: object, **_kwargs: object) -> object:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("warning", "question", "critical", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", unexpected)
    monkeypatch.setattr(autosave, "ask_conflict_choice", unexpected)
    monkeypatch.setattr(asset_dialog, "ask_image_details", unexpected)
    monkeypatch.setattr(asset_dialog, "choose_image_file", unexpected)


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(_parent: object, _title: str, text: str, *_args: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    return shown


def answer_questions(monkeypatch: pytest.MonkeyPatch, *answers: bool) -> list[str]:
    """Answer QMessageBox.question with these choices in turn; the texts asked."""
    asked: list[str] = []
    queue = list(answers)

    def question(_parent: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        yes = queue.pop(0)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def comment_with(monkeypatch: pytest.MonkeyPatch, text: str, accepted: bool = True) -> None:
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_args, **_kw: (text, accepted))


def fresh(demo_db: Path, item_id: int) -> ItemDetail:
    """The item as another process reads it: through a new database connection."""
    database = open_database(demo_db)
    try:
        return queries.get_item(ServiceContext(database, "admin"), item_id)
    finally:
        database.dispose()


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a user: QTest types ASCII only, so other letters go as key events."""
    for character in text:
        if character.isascii():
            qtbot.keyClicks(widget, character)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, character)
            QApplication.sendEvent(widget, event)


def first(ctx: ServiceContext, status: str) -> int:
    return queries.item_ids(ctx, ItemFilter(status=status))[0]


# -- never lose work ---------------------------------------------------------------------


def test_typing_into_a_new_item_reaches_the_database_within_a_second(
    make_panel: Panels, demo_db: Path, qtbot: QtBot
) -> None:
    panel = make_panel()
    item_id = panel.new_item("news")
    assert panel.current_item_id() == item_id
    assert panel.form.title.text() == "Untitled"
    text = "Секретарь провёл встречу. The Secretary General met the press."
    type_text(qtbot, panel.editor, text)
    qtbot.waitUntil(lambda: fresh(demo_db, item_id).body == text, timeout=1500)
    # The write runs on a worker thread; the window hears of it an instant later.
    qtbot.waitUntil(lambda: not panel.autosave.is_pending(), timeout=500)


def test_the_slug_of_a_new_draft_follows_its_title(
    make_panel: Panels, demo_db: Path, qtbot: QtBot
) -> None:
    panel = make_panel()
    item_id = panel.new_item("news")
    panel.form.title.selectAll()
    qtbot.keyClicks(panel.form.title, "Seminar in Minsk")
    assert panel.form.slug.text() == "seminar-in-minsk"
    panel.flush()
    stored = fresh(demo_db, item_id).summary
    assert (stored.title, stored.slug) == ("Seminar in Minsk", "seminar-in-minsk")
    panel.form.slug.selectAll()
    qtbot.keyClicks(panel.form.slug, "minsk-seminar")
    qtbot.keyClicks(panel.form.title, " 2025")
    assert panel.form.slug.text() == "minsk-seminar"


def test_an_invalid_field_is_kept_on_screen_and_the_rest_saved(
    make_panel: Panels, demo_db: Path, qtbot: QtBot
) -> None:
    panel = make_panel()
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    item_id = panel.new_item("news")
    panel.form.date.clear()
    qtbot.keyClicks(panel.form.date, "2025-13-01")
    qtbot.keyClicks(panel.editor, "Body text.")
    panel.flush()
    stored = fresh(demo_db, item_id)
    assert stored.body == "Body text."
    assert stored.summary.date is None
    assert panel.form.date.text() == "2025-13-01"
    assert any("Date" in message and "not saved" in message for message in messages)


def test_switching_items_saves_the_previous_one_first(
    make_panel: Panels, context_for: As, demo_db: Path, qtbot: QtBot
) -> None:
    panel = make_panel()
    first_id = panel.new_item("news")
    qtbot.keyClicks(panel.editor, "Typed just before switching.")
    other = first(context_for("ivanova"), "draft")
    panel.open_item(other)
    assert fresh(demo_db, first_id).body == "Typed just before switching."
    assert panel.editor.markdown() == fresh(demo_db, other).body


def test_a_missing_item_raises_and_leaves_the_panel_as_it_was(make_panel: Panels) -> None:
    panel = make_panel()
    with pytest.raises(NotFound):
        panel.open_item(999_999)
    assert panel.current_item_id() is None


def someone_else_saves(context_for: As, item_id: int, body: str) -> None:
    other = context_for("editor")
    version = queries.working_copy(other, item_id)[2]
    editing.autosave(other, item_id, {"body": body}, expected_version=version)


def test_a_conflict_keep_mine_keeps_mine_as_a_new_revision(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        autosave,
        "ask_conflict_choice",
        lambda _parent, message: asked.append(message) or ConflictChoice.KEEP_MINE,
    )
    panel = make_panel()
    item_id = panel.new_item("news")
    someone_else_saves(context_for, item_id, "Their text.")
    revisions = len(queries.history(context_for("ivanova"), item_id).revisions)
    qtbot.keyClicks(panel.editor, "My text.")
    qtbot.waitUntil(lambda: bool(asked), timeout=1500)
    assert "changed by someone else" in asked[0]
    qtbot.waitUntil(lambda: not panel.autosave.is_pending(), timeout=1000)
    assert fresh(demo_db, item_id).body == "My text."
    assert len(queries.history(context_for("ivanova"), item_id).revisions) == revisions + 1
    qtbot.keyClicks(panel.editor, " More.")
    panel.flush()
    assert fresh(demo_db, item_id).body == "My text. More."
    assert len(asked) == 1


def test_a_conflict_load_theirs_shows_theirs(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    monkeypatch.setattr(autosave, "ask_conflict_choice", lambda *_: ConflictChoice.LOAD_THEIRS)
    panel = make_panel()
    item_id = panel.new_item("news")
    someone_else_saves(context_for, item_id, "Their text.")
    qtbot.keyClicks(panel.editor, "My text.")
    panel.flush()
    assert panel.editor.markdown() == "Their text."
    assert fresh(demo_db, item_id).body == "Their text."
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.editor, " Mine after.")
    panel.flush()
    assert fresh(demo_db, item_id).body == "Their text. Mine after."


# -- editing what a reviewer relies on ------------------------------------------------------


def test_declining_to_edit_an_approved_item_reverts_and_stays_read_only(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    asked = answer_questions(monkeypatch, False)
    approved = first(context_for("ivanova"), "approved")
    before = fresh(demo_db, approved)
    panel = make_panel()
    panel.open_item(approved)
    panel.editor.moveCursor(panel.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(panel.editor, "x")
    assert len(asked) == 1 and "approved" in asked[0] and "new draft" in asked[0]
    assert panel.editor.markdown() == before.body
    assert panel.editor.isReadOnly() and panel.form.title.isReadOnly()
    assert not panel.header.banner.isHidden()
    qtbot.wait(700)
    after = fresh(demo_db, approved)
    assert after.summary == before.summary

    panel.header.edit_button.click()
    assert not panel.editor.isReadOnly()
    qtbot.keyClicks(panel.editor, " Edited.")
    panel.flush()
    edited = fresh(demo_db, approved)
    assert edited.body.endswith(" Edited.")
    assert edited.summary.status == "draft"
    assert edited.summary.approved_revision == before.summary.approved_revision
    assert len(asked) == 1


def test_accepting_to_edit_an_item_in_review_starts_a_draft(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    asked = answer_questions(monkeypatch, True)
    in_review = first(context_for("ivanova"), "in_review")
    panel = make_panel()
    panel.open_item(in_review)
    qtbot.keyClicks(panel.form.place, "X")
    qtbot.keyClicks(panel.editor, "More")
    assert len(asked) == 1 and "in review" in asked[0]
    panel.flush()
    stored = fresh(demo_db, in_review)
    assert stored.summary.status == "draft"
    assert stored.body.startswith("More")


def test_a_reviewer_without_the_author_role_reads_only(make_panel: Panels, context_for: As) -> None:
    panel = make_panel("petrov")
    panel.open_item(first(context_for("petrov"), "draft"))
    assert panel.editor.isReadOnly()
    assert "author role" in panel.header.banner_text.text()
    assert panel.header.edit_button.isHidden()


# -- workflow -------------------------------------------------------------------------------


def test_submit_as_author_then_approve_as_reviewer(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    warnings: list[str],
) -> None:
    author = make_panel("ivanova")
    saved: list[object] = []
    author.item_saved.connect(saved.append)
    item_id = author.new_item("news")
    author.form.title.selectAll()
    qtbot.keyClicks(author.form.title, "Council session")
    qtbot.keyClicks(author.editor, "The Council met in Bishkek.")
    author.submit()
    assert warnings == []
    submitted = fresh(demo_db, item_id)
    assert submitted.summary.status == "in_review"
    assert submitted.body == "The Council met in Bishkek."
    assert saved[-1].status == "in_review"  # type: ignore[attr-defined]

    reviewer = make_panel("petrov")
    reviewer.open_item(item_id)
    comment_with(monkeypatch, "Checked.")
    reviewer.approve()
    assert warnings == []
    approved = fresh(demo_db, item_id).summary
    assert approved.status == "approved"
    assert approved.approved_revision == submitted.summary.revision
    history = queries.history(context_for("petrov"), item_id)
    assert [(r.reviewer, r.decision, r.comment) for r in history.reviews] == [
        ("petrov", "approve", "Checked.")
    ]


def test_approving_ones_own_text_shows_the_reason_and_changes_nothing(
    make_panel: Panels,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    warnings: list[str],
) -> None:
    panel = make_panel("editor")  # both author and reviewer
    item_id = panel.new_item("news")
    qtbot.keyClicks(panel.editor, "My own text.")
    panel.submit()
    before = fresh(demo_db, item_id)
    comment_with(monkeypatch, "Fine by me.")
    panel.approve()
    assert len(warnings) == 1 and "four eyes" in warnings[0]
    assert fresh(demo_db, item_id) == before


def test_an_author_cannot_approve_and_is_told_why(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    in_review = first(context_for("ivanova"), "in_review")
    before = fresh(demo_db, in_review)
    panel = make_panel("ivanova")
    panel.open_item(in_review)
    comment_with(monkeypatch, "")
    panel.approve()
    assert warnings and "reviewer role" in warnings[0]
    assert "\n" not in warnings[0]
    assert fresh(demo_db, in_review) == before


def test_request_changes_needs_a_comment_and_sends_it(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    warnings: list[str],
) -> None:
    in_review = first(context_for("petrov"), "in_review")
    panel = make_panel("petrov")
    panel.open_item(in_review)
    comment_with(monkeypatch, "   ")
    panel.request_changes()
    assert warnings and fresh(demo_db, in_review).summary.status == "in_review"
    comment_with(monkeypatch, "Shorten the lead.")
    panel.request_changes()
    assert fresh(demo_db, in_review).summary.status == "changes_requested"
    comment_with(monkeypatch, "ignored", accepted=False)
    panel.approve()
    assert len(warnings) == 1


def test_save_point_cuts_a_revision(
    make_panel: Panels, context_for: As, qtbot: QtBot, warnings: list[str]
) -> None:
    panel = make_panel()
    item_id = panel.new_item("news")
    qtbot.keyClicks(panel.editor, "Worth keeping.")
    panel.save_point()
    history = queries.history(context_for("ivanova"), item_id)
    assert [r.reason for r in history.revisions] == ["create", "save_point"]
    assert queries.revision_content(
        context_for("ivanova"), item_id, history.revisions[-1].id
    ).body == ("Worth keeping.")
    qtbot.keyClicks(panel.editor, " Then more.")
    panel.flush()
    assert warnings == []


def test_restoring_from_the_history_reloads_the_editor(
    make_panel: Panels,
    context_for: As,
    demo_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    panel = make_panel()
    item_id = panel.new_item("news")
    qtbot.keyClicks(panel.editor, "The ministers met in Minsk.")
    panel.save_point()
    panel.editor.selectAll()
    qtbot.keyClicks(panel.editor, "The ministers met in Bishkek.")
    panel.save_point()
    qtbot.keyClicks(panel.editor, " Unsaved.")
    dialog = panel.show_history()
    assert dialog is not None and dialog.isVisible()
    rows = [dialog.revisions.topLevelItem(n) for n in range(dialog.revisions.topLevelItemCount())]
    assert [row.text(0) for row in rows] == ["Working copy", "3", "2", "1"]
    dialog.revisions.clearSelection()
    rows[1].setSelected(True)
    changed = [row for row in dialog.body_rows() if row.kind == "replace"]
    assert [s.text for s in changed[0].new if s.changed] == ["Bishkek"]

    answer_questions(monkeypatch, True)
    dialog.revisions.clearSelection()
    next(row for row in rows if row.text(0) == "2").setSelected(True)
    dialog.restore_button.click()
    assert panel.editor.markdown() == "The ministers met in Minsk."
    history = queries.history(context_for("ivanova"), item_id)
    assert history.revisions[-1].reason == "restore"
    dialog.close()
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.editor, " Again.")
    panel.flush()
    assert fresh(demo_db, item_id).body == "The ministers met in Minsk. Again."


# -- images ---------------------------------------------------------------------------------


def image_file(folder: Path) -> Path:
    path = folder / "photo.png"
    Image.new("RGB", (40, 30), "navy").save(path)
    return path


def test_insert_image_asks_for_alt_text_and_places_the_asset(
    make_panel: Panels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = image_file(tmp_path)
    monkeypatch.setattr(asset_dialog, "choose_image_file", lambda _parent: path)
    monkeypatch.setattr(
        asset_dialog,
        "ask_image_details",
        lambda _parent, _path: ImageDetails("Flags of the member states", "Minsk", "CSTO"),
    )
    panel = make_panel()
    panel.new_item("news")
    panel.insert_image()
    body = panel.editor.markdown()
    assert body.startswith("![Flags of the member states](asset:")
    assert '"Minsk")' in body


@pytest.mark.filterwarnings("ignore:.*QDragEnterEvent:DeprecationWarning")
def test_an_image_dropped_on_the_editor_becomes_an_asset(
    make_panel: Panels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    path = image_file(tmp_path)
    asked: list[Path] = []

    def details(_parent: object, dropped: Path) -> ImageDetails:
        asked.append(dropped)
        return ImageDetails("Dropped photo")

    monkeypatch.setattr(asset_dialog, "ask_image_details", details)
    panel = make_panel()
    panel.new_item("news")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel.editor.viewport(), enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(panel.editor.viewport(), drop)
    qtbot.waitUntil(lambda: "![Dropped photo](asset:" in panel.editor.markdown(), timeout=2000)
    assert asked == [path]


def test_declining_the_image_details_inserts_nothing(
    make_panel: Panels, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = image_file(tmp_path)
    monkeypatch.setattr(asset_dialog, "choose_image_file", lambda _parent: path)
    monkeypatch.setattr(asset_dialog, "ask_image_details", lambda *_: None)
    panel = make_panel()
    panel.new_item("news")
    panel.insert_image()
    assert panel.editor.markdown() == ""


# -- preview, counts and scrolling ------------------------------------------------------------


def test_the_preview_shows_what_is_typed(make_panel: Panels, qtbot: QtBot) -> None:
    panel = make_panel()
    panel.new_item("news")
    assert panel.preview.wait_until_idle(3000)
    qtbot.keyClicks(panel.editor, "The seminar opened in Minsk.")
    view = panel.preview.view
    assert isinstance(view, QTextBrowser)
    qtbot.waitUntil(lambda: "The seminar opened in Minsk." in view.toPlainText(), timeout=3000)
    assert "Untitled" in view.toPlainText()


def test_every_change_requests_the_preview_with_the_last_valid_values(
    make_panel: Panels, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    panel = make_panel()
    panel.new_item("news")
    shown: list[ItemContent] = []

    def show_item(content: ItemContent | ContentSource, _around: object) -> None:
        shown.append(content if isinstance(content, ItemContent) else content())

    monkeypatch.setattr(panel.preview, "show_item", show_item)
    qtbot.keyClicks(panel.editor, "Hi")
    assert [content.body for content in shown] == ["H", "Hi"]
    panel.form.title.selectAll()
    qtbot.keyClicks(panel.form.title, "Meeting")
    assert shown[-1].title == "Meeting"
    panel.form.title.clear()
    panel.form.title.textEdited.emit("")
    assert "title" in panel.form.errors()
    assert shown[-1].title == "Meeting"


def test_counts_follow_the_body(make_panel: Panels, qtbot: QtBot) -> None:
    panel = make_panel()
    counts: list[tuple[int, int]] = []
    panel.counts_changed.connect(lambda words, chars: counts.append((words, chars)))
    panel.new_item("news")
    type_text(qtbot, panel.editor, "Два слова")
    assert counts[-1] == (2, 9)


def test_editor_and_preview_scroll_together_without_echo(
    make_panel: Panels, context_for: As, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    panel = make_panel()
    panel.open_item(first(context_for("ivanova"), "draft"))
    to_preview: list[int] = []
    to_editor: list[int] = []
    monkeypatch.setattr(panel.preview, "scroll_to_source_line", to_preview.append)
    monkeypatch.setattr(panel.editor, "scroll_to_source_line", to_editor.append)
    panel.editor.clearFocus()
    panel.editor.top_line_changed.emit(7)
    assert to_preview == [7]
    panel.preview.source_line_scrolled.emit(7)  # the preview's echo: not followed
    assert to_editor == []
    qtbot.wait(ECHO_MS + 50)  # a moment later, the user scrolls the preview
    panel.preview.source_line_scrolled.emit(12)
    assert to_editor == [12]
    panel.editor.top_line_changed.emit(12)  # the editor's echo
    assert to_preview == [7]
