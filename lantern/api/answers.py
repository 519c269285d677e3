"""How the API's lists answer: a page of rows as JSON or CSV, with the link to
the next page, and the error answers every operation documents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from lantern.api import tables
from lantern.api.pagination import keyset_page, next_url
from lantern.api.schemas import ErrorOut

LIST_RESPONSES: dict[int, Any] = {400: ErrorOut, 429: ErrorOut}
DETAIL_RESPONSES: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}
CSV_CONTENT = {
    "responses": {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    }
}


def columns(schema: Any) -> list[str]:
    """A list item's field names: the CSV's header row."""
    return list(schema.model_fields)


def list_answer(
    request: HttpRequest,
    response: HttpResponse,
    *,
    format: str | None,
    name: str,
    columns: Sequence[str],
    rows: list[dict[str, Any]],
    total: int,
    limit: int,
    cursor: str,
) -> dict[str, Any] | HttpResponse:
    """A page of a list, as CSV when asked for, otherwise as the JSON object."""
    following = next_url(request, cursor)
    if tables.wants_csv(request, format):
        answer = tables.response(columns, rows, filename=name, next_url=following)
        patch_vary_headers(answer, ["Accept"])
        return answer
    # The same address answers CSV to `Accept: text/csv`: caches must know.
    patch_vary_headers(response, ["Accept"])
    return {"total": total, "limit": limit, "next": following, "results": rows}


def paged(
    request: HttpRequest,
    response: HttpResponse,
    queryset: Any,
    *,
    name: str,
    order: Sequence[str],
    cursor: str | None,
    limit: int,
    format: str | None,
    row: Callable[[Any], dict[str, Any]],
    schema: Any,
) -> dict[str, Any] | HttpResponse:
    """One page of `queryset` walked by keyset in `order`, as `list_answer`."""
    total = queryset.count()
    page = keyset_page(
        queryset, list_name=name, order=order, cursor=cursor, limit=limit
    )
    return list_answer(
        request,
        response,
        format=format,
        name=name,
        columns=columns(schema),
        rows=[row(r) for r in page.rows],
        total=total,
        limit=limit,
        cursor=page.next_cursor,
    )
