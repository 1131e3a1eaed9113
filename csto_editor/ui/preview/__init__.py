"""The page preview beside the editor: rendered off the GUI thread, kept in scroll step."""
