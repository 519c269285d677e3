"""The reading list's size, for the link in every page's header."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from lantern.readinglist.cookie import held


def reading_list(request: HttpRequest) -> dict[str, Any]:
    """`reading_list_count`: how many entries still in the library the reader's
    list holds. A callable, so the cookie is read (and the one query run) only
    on pages that show it."""

    @cache
    def count() -> int:
        return len(held(request).existing_ids())

    counter: Callable[[], int] = count
    return {"reading_list_count": counter}
