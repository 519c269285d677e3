"""The one gate for HTML that comes from outside Lantern (fetched pages, imported
files, search highlights built from stored text): `clean_html` keeps only the tags
and attributes asked for, with nh3 (ammonia), and drops scripts, event handlers,
styles and `javascript:` links whatever they are dressed as; `plain_text` turns
outside markup into text for fields shown escaped. Pure."""

from __future__ import annotations

import html
from collections.abc import Iterable

import nh3
from django.utils.safestring import SafeString, mark_safe

# Inline markup a reader's text may keep (a fetched description, an imported note).
INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "br", "cite", "code", "em", "i", "mark", "q", "small",
     "strong", "sub", "sup", "time"}
)  # fmt: skip
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(
    markup: str,
    *,
    tags: Iterable[str] = INLINE_TAGS,
    attributes: dict[str, Iterable[str]] | None = None,
) -> SafeString:
    """`markup` with only `tags` (and, per tag, `attributes`; links keep `href`
    with http, https or mailto only) left; everything else escaped or dropped, the
    content of script and style elements included. Safe to put in a page."""
    allowed = set(tags)
    attrs: dict[str, set[str]] = {
        tag: set(names) for tag, names in (attributes or {}).items()
    }
    if "a" in allowed:
        attrs.setdefault("a", set()).add("href")
    cleaned = nh3.clean(
        markup,
        tags=allowed,
        attributes=attrs,
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    # nh3 has just cleaned it.
    return mark_safe(cleaned)


def plain_text(markup: str) -> str:
    """Outside markup as plain text: tags (and script/style content) dropped, entities
    read. The result is text to be escaped where it is shown, never markup."""
    return html.unescape(nh3.clean(markup, tags=set(), strip_comments=True))
