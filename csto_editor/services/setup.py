"""Creating or upgrading a database, its first admin, settings and demo content."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import func, select

from csto_editor.core import validation
from csto_editor.core.errors import InvalidInput
from csto_editor.core.workflow import Role
from csto_editor.services.accounts import add_user_in_session
from csto_editor.services.context import ServiceContext
from csto_editor.services.views import InitResult
from csto_editor.store.models import Item, Setting, User

DEFAULT_BASE_URL = "https://odkb-csto.org/"
_NOT_IN_URL = re.compile(r"[\s\"'<>\\^`{|}]")


def initialize(
    ctx: ServiceContext,
    *,
    demo: bool = False,
    base_url: str | None = None,
    demo_only_if_empty: bool = False,
) -> InitResult:
    """Create or upgrade the schema; the first caller becomes an admin.

    ``demo`` adds demo content to a database without items; with ``demo_only_if_empty``
    a database that has items is left as it is instead of refused.
    """
    validation.clean_login(ctx.login)
    url = clean_base_url(base_url) if base_url is not None else None
    first_time = ctx.database.new_file and ctx.database.schema_revision() is None
    try:
        result = _initialize(ctx, demo, url, demo_only_if_empty)
    except BaseException:
        if first_time:
            ctx.database.discard_new_file()
        raise
    ctx.database.new_file = False
    return result


def _initialize(
    ctx: ServiceContext, demo: bool, base_url: str | None, demo_only_if_empty: bool
) -> InitResult:
    existed = ctx.database.schema_revision() is not None
    upgraded = ctx.database.migrate() and existed
    admin: str | None = None
    demo_items = 0
    with ctx.database.session() as session:
        if session.scalar(select(func.count(User.id))) == 0:
            add_user_in_session(session, ctx.login, ctx.login, [Role.ADMIN.value])
            admin = ctx.login
            ctx.audit(session, "init", admin=ctx.login)
        elif (demo and not demo_only_if_empty) or base_url:
            ctx.require(session, (Role.ADMIN,), "add demo content or change settings")
        if base_url is not None or session.get(Setting, "base_url") is None:
            session.merge(Setting(key="base_url", value=base_url or DEFAULT_BASE_URL))
        has_items = bool(session.scalar(select(func.count(Item.id))))
        if demo and has_items and not demo_only_if_empty:
            raise InvalidInput("demo content goes only into a database without items")
        if demo and not has_items:
            # Demo content goes through the import's reader, which brings Pillow and the
            # Word and web-page readers: loaded only when asked for.
            from csto_editor.services.demo import add_demo_content

            demo_items = add_demo_content(ctx, session)
    return InitResult(
        created=not existed,
        upgraded=upgraded,
        admin=admin,
        demo_items=demo_items,
        schema=ctx.database.schema_revision() or "",
    )


def clean_base_url(value: str) -> str:
    """An absolute http(s) URL ending in a slash.

    Refused: another scheme, no host, a query or fragment (page paths are appended to
    it), and spaces, quotes, angle brackets or backslashes, which would make every
    feed, sitemap and canonical link in a bundle an invalid address.
    """
    url = validation.clean_line(value, "base URL", required=True, limit=500)
    problem = f"base URL {value!r} must be an absolute http:// or https:// address"
    if _NOT_IN_URL.search(url):
        raise InvalidInput(f"{problem} without spaces, quotes, <, > or backslashes")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise InvalidInput(problem) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or "://" not in url:
        raise InvalidInput(problem)
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise InvalidInput(f"{problem} without a query (?) or fragment (#)")
    return url if url.endswith("/") else url + "/"
