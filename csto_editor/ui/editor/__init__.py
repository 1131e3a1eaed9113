"""The Markdown editor: source editing, highlighting, rich paste, find and replace."""

from csto_editor.core.html_to_markdown import html_to_markdown
from csto_editor.ui.editor.find_replace import FindReplaceBar
from csto_editor.ui.editor.highlighter import MarkdownHighlighter
from csto_editor.ui.editor.markdown_editor import MarkdownEditor

__all__ = ["FindReplaceBar", "MarkdownEditor", "MarkdownHighlighter", "html_to_markdown"]
