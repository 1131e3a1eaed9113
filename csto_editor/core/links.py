"""The editor's own link schemes, item:N and asset:SHA256, turned into real addresses."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

_LINK_ATTRIBUTE = re.compile(
    r'(?P<attr>\b(?:href|src))="(?P<scheme>item|asset):(?P<ref>[^"#]*)(?P<frag>#[^"]*)?"'
)

Resolver = Callable[[str, str], str | None]
"""(scheme, reference) -> an address, or None when the target does not exist."""


def resolve_links(sanitised_html: str, resolve: Resolver) -> str:
    """Replace item: and asset: addresses in sanitised HTML (nh3 always quotes with ")."""

    def replace(match: re.Match[str]) -> str:
        target = resolve(match["scheme"], html.unescape(match["ref"]))
        if target is None:
            target = "#missing"
        fragment = match["frag"] or ""
        return f'{match["attr"]}="{html.escape(target + fragment, quote=True)}"'

    return _LINK_ATTRIBUTE.sub(replace, sanitised_html)
