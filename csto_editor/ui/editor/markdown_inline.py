"""Inline Markdown editing on a QTextDocument: emphasis markers and links.

Positions here are QTextDocument positions (UTF-16 code units); text is read
through the document, never by slicing a Python string with them.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument

__all__ = ["insert_link", "toggle_emphasis"]

URL_PLACEHOLDER = "url"
_URL_STARTS = ("http://", "https://", "mailto:", "www.")


def _run_before(document: QTextDocument, position: int, floor: int) -> int:
    count = 0
    while position - count > floor and document.characterAt(position - count - 1) == "*":
        count += 1
    return count


def _run_after(document: QTextDocument, position: int, ceiling: int) -> int:
    count = 0
    while position + count < ceiling and document.characterAt(position + count) == "*":
        count += 1
    return count


def _has(marker: str, before: int, after: int) -> bool:
    if marker == "**":
        return before >= 2 and after >= 2
    return before % 2 == 1 and after % 2 == 1


def _segments(cursor: QTextCursor) -> list[tuple[int, int]]:
    """The selection cut at line ends, without outer spaces and outer asterisks."""
    document = cursor.document()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    result: list[tuple[int, int]] = []
    block = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        low = max(start, block.position())
        high = min(end, block.position() + block.length() - 1)
        while low < high and document.characterAt(low) in " \t*":
            low += 1
        while high > low and document.characterAt(high - 1) in " \t*":
            high -= 1
        if low < high:
            result.append((low, high))
        block = block.next()
    return result


def _select_word(cursor: QTextCursor) -> bool:
    probe = QTextCursor(cursor)
    probe.select(QTextCursor.SelectionType.WordUnderCursor)
    if any(char.isalnum() for char in probe.selectedText()):
        cursor.setPosition(probe.selectionStart())
        cursor.setPosition(probe.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
        return True
    return False


def toggle_emphasis(cursor: QTextCursor, marker: str) -> None:
    """Wrap the selection (or the word at the cursor) in ``marker``, or unwrap it.

    ``marker`` is ``"**"`` (bold) or ``"*"`` (italic); ``***both***`` counts as both.
    With no selection and no word, inserts an empty pair with the cursor inside it
    (or removes an empty pair the cursor is in). Every line of a multi-line selection
    is wrapped on its own, since emphasis cannot cross paragraphs.
    """
    document = cursor.document()
    if not cursor.hasSelection() and not _select_word(cursor):
        position = cursor.position()
        block_start = cursor.block().position()
        block_end = block_start + cursor.block().length() - 1
        before = _run_before(document, position, block_start)
        after = _run_after(document, position, block_end)
        cursor.beginEditBlock()
        if _has(marker, before, after) and before == after == len(marker):
            cursor.setPosition(position - len(marker))
            cursor.setPosition(position + len(marker), QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()
        else:
            cursor.insertText(marker * 2)
            cursor.setPosition(cursor.position() - len(marker))
        cursor.endEditBlock()
        return
    segments = _segments(cursor)
    if not segments:
        return
    states = []
    for low, high in segments:
        block = document.findBlock(low)
        block_end = block.position() + block.length() - 1
        before = _run_before(document, low, block.position())
        after = _run_after(document, high, block_end)
        states.append(_has(marker, before, after))
    remove = all(states)
    size = len(marker)
    edit = QTextCursor(document)
    edit.beginEditBlock()
    shift = 0
    new_segments: list[tuple[int, int]] = []
    for (low, high), present in zip(segments, states, strict=True):
        low, high = low + shift, high + shift
        if remove:
            edit.setPosition(high)
            edit.setPosition(high + size, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            edit.setPosition(low - size)
            edit.setPosition(low, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            new_segments.append((low - size, high - size))
            shift -= 2 * size
        elif not present:
            edit.setPosition(high)
            edit.insertText(marker)
            edit.setPosition(low)
            edit.insertText(marker)
            new_segments.append((low + size, high + size))
            shift += 2 * size
        else:
            new_segments.append((low, high))
    edit.endEditBlock()
    cursor.setPosition(new_segments[0][0])
    cursor.setPosition(new_segments[-1][1], QTextCursor.MoveMode.KeepAnchor)


def _clean_url(url: str) -> str:
    return url.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def insert_link(cursor: QTextCursor, url: str, text: str, text_placeholder: str) -> None:
    """Write ``[text](url)`` over the selection and select what the user types next.

    The selection (or ``text``) becomes the link text; a selected address becomes the
    URL instead. Without a URL the ``url`` placeholder is selected; with a URL but no
    text, the text placeholder is.
    """
    selected = cursor.selectedText().replace("\u2029", " ").strip()
    url = _clean_url(url)
    if selected and not url and selected.lower().startswith(_URL_STARTS) and " " not in selected:
        url, selected = _clean_url(selected), ""
    label = selected or text.strip()
    cursor.beginEditBlock()
    start = cursor.selectionStart()
    shown_label = label or text_placeholder
    shown_url = url or URL_PLACEHOLDER
    cursor.insertText(f"[{shown_label}]({shown_url})")
    cursor.endEditBlock()
    if not url:
        select_from = start + len(shown_label.encode("utf-16-le")) // 2 + 3
        cursor.setPosition(select_from)
        cursor.setPosition(select_from + len(shown_url), QTextCursor.MoveMode.KeepAnchor)
    elif not label:
        cursor.setPosition(start + 1)
        cursor.setPosition(
            start + 1 + len(shown_label.encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor
        )
