"""Cursor pagination for the API's lists.

A cursor is opaque to clients: the sort key of the last row sent (or, for ranked
search results, the offset reached), signed with the site's secret so it cannot be
forged or edited, and tied to the list it came from. Lists are walked in a fixed
order that ends in the primary key, so every row is sent exactly once even while
rows are added. Pure apart from reading the database through the QuerySet given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode

from lantern.api.errors import ApiError

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
SALT = "lantern.api.cursor"

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows and the cursor of the next page ('' at the end)."""

    rows: list[T]
    next_cursor: str


def make_cursor(list_name: str, key: Sequence[Any]) -> str:
    """A signed cursor for `list_name` holding the sort key `key`."""
    return signing.dumps({"l": list_name, "k": list(key)}, salt=SALT, compress=True)


def read_cursor(list_name: str, cursor: str) -> list[Any]:
    """The sort key a cursor holds; `ApiError` (400, parameter `cursor`) when it is
    not one of ours, was edited, or belongs to another list."""
    try:
        data = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise ApiError(
            "cursor", "not a cursor this API gave out (copy the `next` URL)."
        ) from error
    if not isinstance(data, dict) or data.get("l") != list_name:
        raise ApiError("cursor", "this cursor belongs to another list.")
    key = data.get("k")
    if not isinstance(key, list):
        raise ApiError("cursor", "not a cursor this API gave out.")
    return key


def keyset_page(
    queryset: QuerySet[T],
    *,
    list_name: str,
    order: Sequence[str],
    cursor: str | None,
    limit: int,
) -> Page[T]:
    """The rows after `cursor` in the ascending order of the (non-null) fields
    `order`, the last of which must be unique. One query (limit + 1 rows)."""
    queryset = queryset.order_by(*order)
    if cursor:
        key = read_cursor(list_name, cursor)
        if len(key) != len(order) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in key
        ):
            raise ApiError("cursor", "not a cursor this API gave out.")
        try:
            queryset = queryset.filter(_after(order, key))
        except (ValueError, TypeError) as error:
            raise ApiError("cursor", "not a cursor this API gave out.") from error
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = ""
    if more and rows:
        next_cursor = make_cursor(list_name, [_value(rows[-1], f) for f in order])
    return Page(rows, next_cursor)


def _after(order: Sequence[str], key: Sequence[Any]) -> Q:
    """Rows strictly after `key` in lexicographic order of `order`."""
    condition = Q()
    for i, name in enumerate(order):
        step = Q(**{f"{name}__gt": key[i]})
        for before, value in zip(order[:i], key[:i], strict=True):
            step &= Q(**{before: value})
        condition |= step
    return condition


def _value(row: Model, name: str) -> Any:
    value: Any = row
    for part in name.split("__"):
        value = getattr(value, part)
    return value


def offset_cursor(list_name: str, offset: int, limit: int) -> str:
    """A cursor for ranked results: where the next page starts and the page size
    it was made for."""
    return make_cursor(list_name, [offset, limit])


def read_offset_cursor(list_name: str, cursor: str, limit: int) -> int:
    """The offset a ranked list's cursor holds; the page size must be unchanged."""
    key = read_cursor(list_name, cursor)
    if (
        len(key) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in key)
        or key[0] < 0
    ):
        raise ApiError("cursor", "not a cursor this API gave out.")
    if key[1] != limit:
        raise ApiError(
            "cursor", f"this cursor was made for limit={key[1]}; keep the same limit."
        )
    return int(key[0])


def next_url(request: HttpRequest, cursor: str) -> str | None:
    """This request's absolute URL with `cursor` set to the next page's, or None at
    the end."""
    if not cursor:
        return None
    params = [
        (k, v) for k, values in request.GET.lists() for v in values if k != "cursor"
    ]
    params.append(("cursor", cursor))
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")
