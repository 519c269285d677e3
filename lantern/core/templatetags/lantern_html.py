"""`{{ value|clean_html }}` and `{{ value|clean_html:"mark" }}`: outside HTML through
`lantern.core.html.clean_html`, keeping the inline tags (or only those named,
comma-separated). Use it wherever such HTML would otherwise be marked safe."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from lantern.core.html import INLINE_TAGS
from lantern.core.html import clean_html as clean

register = template.Library()


@register.filter(name="clean_html")
def clean_html(value: object, tags: str = "") -> SafeString:
    names = [t.strip() for t in tags.split(",") if t.strip()] if tags else INLINE_TAGS
    return clean(str(value or ""), tags=names)
