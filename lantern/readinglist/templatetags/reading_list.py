"""`{% reading_list_button entry %}`: the "Add to / Remove from reading list"
button of an entry, with the note about the last change to it beside it."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from lantern.library.models import Entry
from lantern.readinglist.cookie import held
from lantern.readinglist.status import note_for

register = template.Library()


@register.inclusion_tag("readinglist/_button.html", takes_context=True)
def reading_list_button(
    context: template.Context, entry: Entry | None, anchor: bool = False
) -> dict[str, Any]:
    """The button for `entry`; nothing on the static site (no server to post
    to) or outside a request. `anchor` puts the entry's `entry-<id>` anchor on
    the button (for pages without one)."""
    request = context.get("request")
    if entry is None or not isinstance(request, HttpRequest):
        return {"show": False}
    if context.get("static_site"):
        return {"show": False}
    return {
        "show": True,
        "entry": entry,
        "anchor": anchor,
        "listed": entry.pk in held(request).ids,
        "next": request.get_full_path(),
        "status": note_for(request, entry.pk),
        "csrf_token": context.get("csrf_token"),
    }
