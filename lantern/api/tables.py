"""The CSV form of the API's lists: a header row, then one row per item, with the
same fields as the JSON. Lists inside a field are joined with "; ", and text that a
spreadsheet would run as a formula is defused. Pure."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse

LIST_JOINER = "; "
# A cell starting with one of these is read as a formula by spreadsheets (OWASP's
# "CSV injection"); tab and carriage return can lead to one as well.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv"


def cell(value: Any) -> str:
    """One value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.date):
        # Written as the JSON writes it, so the two forms agree.
        return str(DjangoJSONEncoder().default(value))
    if isinstance(value, list | tuple):
        return safe_text(LIST_JOINER.join(cell_text(v) for v in value))
    return safe_text(cell_text(value))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return " ".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value)


def safe_text(text: str) -> str:
    """Text that spreadsheets show as written: a leading formula character gets an
    apostrophe in front of it."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def render(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """CSV text: the header row, then each row's `columns` in order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in columns])
    return out.getvalue()


def wants_csv(request: HttpRequest, format: str | None) -> bool:
    """Whether the client asked for CSV: `?format=csv`, or, without `format`, an
    Accept header naming text/csv and not JSON."""
    if format:
        return format == "csv"
    accept = request.headers.get("Accept", "")
    return CSV_TYPE in accept and "application/json" not in accept


def response(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    *,
    filename: str,
    next_url: str | None,
) -> HttpResponse:
    """The CSV response; the next page's URL goes in a `Link` header."""
    answer = HttpResponse(
        render(columns, rows), content_type=f"{CSV_TYPE}; charset=utf-8"
    )
    answer["Content-Disposition"] = f'inline; filename="{filename}.csv"'
    if next_url:
        answer["Link"] = f'<{next_url}>; rel="next"'
    return answer
