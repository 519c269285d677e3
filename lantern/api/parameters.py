"""The API's parameters: the shapes every operation checks before it reads the
library, and the helpers that read the ones pydantic cannot check alone."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.utils import timezone
from ninja import Query
from pydantic import StringConstraints

from lantern.api.errors import ApiError
from lantern.api.pagination import DEFAULT_LIMIT, MAX_LIMIT

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,79}$")]
RegionName = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 .'-]{0,99}$")
]
YearText = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
Cursor = Annotated[
    str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[A-Za-z0-9_:.-]+$")
]
OutputFormat = Literal["json", "csv"]
EntryFormat = Literal["web", "pdf", "doc", "book", "video", "audio", "other"]
Section = Literal["current", "archive"]
Collection = Literal["trafficking", "street-children"]
PublisherKind = Literal[
    "government", "intergovernmental", "ngo", "news", "academic", "other"
]
LinkStatus = Literal[
    "alive",
    "moved",
    "dead",
    "soft-dead",
    "drifted",
    "blocked",
    "server-error",
    "timeout",
    "network-error",
    "redirect-loop",
    "unchecked",
]
SortName = Literal["relevance", "published", "added", "verified"]

Limit = Annotated[
    int, Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
]
CursorParam = Annotated[
    Cursor | None,
    Query(None, description="Where the page starts: copy it from `next`."),
]
FormatParam = Annotated[
    OutputFormat | None, Query(None, description="`csv` for CSV; JSON otherwise.")
]
NO_VALUES: Any = []


def timestamp(name: str, text: str) -> dt.datetime:
    """An ISO 8601 time the database can compare; one without a zone is UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().upper())
    except ValueError as error:
        raise ApiError(
            name, "not an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."
        ) from error
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as error:
        raise ApiError(name, "the time is out of range.") from error


def text(name: str, value: str) -> str:
    """Free text without control characters (which no stored text has)."""
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ApiError(name, "control characters are not allowed.")
    return value.strip()


def in_region(code: str, *, prefix: str) -> Q:
    """Countries in a UN M49 region, sub-region or intermediate region."""
    return (
        Q(**{f"{prefix}region_code": code})
        | Q(**{f"{prefix}sub_region_code": code})
        | Q(**{f"{prefix}intermediate_region_code": code})
    )
