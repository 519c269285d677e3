"""Notes about the reader's last change to the list, carried to the next page
by Django's messages (in a cookie, like the list)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest

# Messages about the list carry this tag (and "entry-<id>" for one entry), so
# each button can show the one about its own entry.
TAG = "reading-list"

_ON_REQUEST = "_lantern_reading_list_messages"


def say(request: HttpRequest, pk: int | None, text: str, *, warn: bool = False) -> None:
    """Leave a note for the next page, about entry `pk` or the whole list."""
    tags = TAG if pk is None else f"{TAG} entry-{pk}"
    level = messages.WARNING if warn else messages.SUCCESS
    messages.add_message(request, level, text, extra_tags=tags)


def notes(request: HttpRequest) -> list[Message]:
    """The reading list's notes for this page (read once per request); other
    apps' messages stay queued for the page that shows them."""
    cached = getattr(request, _ON_REQUEST, None)
    if isinstance(cached, list):
        return cached
    ours: list[Message] = []
    others: list[Message] = []
    for message in messages.get_messages(request):
        tags = message.extra_tags.split() if message.extra_tags else []
        (ours if TAG in tags else others).append(message)
    for message in others:
        messages.add_message(
            request, message.level, message.message, extra_tags=message.extra_tags
        )
    setattr(request, _ON_REQUEST, ours)
    return ours


def note_for(request: HttpRequest, pk: int) -> Message | None:
    """The note about entry `pk`, if the last change was to it."""
    for message in notes(request):
        if f"entry-{pk}" in (message.extra_tags or "").split():
            return message
    return None
