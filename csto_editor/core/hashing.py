"""The canonical form of an item's content and its SHA-256."""

from __future__ import annotations

import hashlib
import json

from csto_editor.core.content import ItemContent


def canonical_json(content: ItemContent) -> str:
    """A stable serialisation: sorted keys, no insignificant white space, NFC untouched."""
    return json.dumps(content.as_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_sha256(content: ItemContent) -> str:
    """The hex SHA-256 of the canonical content: what an approval is pinned to."""
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()
