"""Editor and preview scrolled together, both ways, without chasing each other."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject

ECHO_MS = 250
"""How long the side that was just scrolled to is not followed back."""


class ScrollLink(QObject):
    """Passes source lines between two views; ignores the echo of its own scrolling.

    ``editor_scrolled`` and ``preview_scrolled`` are the slots for the two views'
    "scrolled to this source line" signals; ``follow_preview`` says whether a
    preview report is the user's doing (not a re-render restoring its position).
    """

    def __init__(
        self,
        scroll_preview: Callable[[int], None],
        scroll_editor: Callable[[int], None],
        follow_preview: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._scroll_preview = scroll_preview
        self._scroll_editor = scroll_editor
        self._follow_preview = follow_preview
        self._driver = ""
        self._clock = QElapsedTimer()
        self._clock.start()

    def _echo_of(self, driver: str) -> bool:
        return self._driver == driver and self._clock.elapsed() < ECHO_MS

    def editor_scrolled(self, line: int) -> None:
        if self._echo_of("preview"):
            return
        self._driver = "editor"
        self._clock.restart()
        self._scroll_preview(line)

    def preview_scrolled(self, line: int) -> None:
        if self._echo_of("editor") or not self._follow_preview():
            return
        self._driver = "preview"
        self._clock.restart()
        self._scroll_editor(line)
