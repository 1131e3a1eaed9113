"""The editor's own link schemes, item:N and asset:SHA256, turned into real addresses."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?P<attributes>(?:\s+[^\s\"'>/=]+=\"[^\"]*\")*)")
"""A start tag and its attributes, as html5ever (nh3) writes them: every value in double
quotes with ``"``, ``<`` and ``>`` escaped, while ``<`` in text is always ``&lt;``.
Only real tags match, never text that merely looks like ``href="item:1"``."""
_LINK_ATTRIBUTE = re.compile(
    r'(?P<attr>\s(?:href|src))="(?P<scheme>item|asset):(?P<ref>[^"#]*)(?P<frag>#[^"]*)?"',
    re.IGNORECASE,
)

Resolver = Callable[[str, str], str | None]
"""(scheme, reference) -> an address, or None when the target does not exist."""


def resolve_links(sanitised_html: str, resolve: Resolver) -> str:
    """Replace item: and asset: addresses in sanitised HTML (nh3 always quotes with ").

    The scheme is matched in any case (``ITEM:5`` is ``item:5``); a target that does not
    exist becomes ``#missing``. Only ``href`` and ``src`` attributes of tags change;
    text that reads ``href="item:1"`` (in a code span, say) is left as written.
    """

    def replace(match: re.Match[str]) -> str:
        target = resolve(match["scheme"].lower(), html.unescape(match["ref"]))
        if target is None:
            target = "#missing"
        fragment = html.unescape(match["frag"] or "")
        return f'{match["attr"]}="{html.escape(target + fragment, quote=True)}"'

    def in_tag(match: re.Match[str]) -> str:
        attributes = _LINK_ATTRIBUTE.sub(replace, match["attributes"])
        return f"<{match['name']}{attributes}"

    return _TAG.sub(in_tag, sanitised_html)
