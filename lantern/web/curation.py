"""What the curators' link dashboard shows: per country, how many entries have
link problems, and which entries' latest link check came out differently from the
one before. Each figure is aggregated in the database, in a fixed number of queries.
Reads only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from lantern.capture.models import Snapshot
from lantern.library.models import Access, Entry
from lantern.web.pages import outcome_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_COUNTRY = "none"  # the `country` value of entries without a primary country


def _verifications() -> QuerySet[Access]:
    return Access.objects.verifications().filter(entry=OuterRef("pk"))


# The day an access verified its link, in the database (`pages.verified_on`).
VERIFIED_ON = Coalesce(
    TruncDate("checked_at"), F("accessed_on"), output_field=DateField()
)


@dataclass(frozen=True)
class Cell:
    """One column of the dashboard: which entries it counts and, when the admin's
    entry list can show exactly those, the changelist query that does."""

    key: str
    label: StrOrPromise  # in the reader's language
    description: StrOrPromise
    condition: Q
    admin_query: dict[str, str] | None = None

    @property
    def alias(self) -> str:
        return "n_" + self.key.replace("-", "_")


# The outcome's label, looked up when shown (in the reader's language).
_outcome_label = lazy(outcome_label, str)


def _status(outcome: str, description: StrOrPromise) -> Cell:
    return Cell(
        key=outcome,
        label=_outcome_label(outcome),
        description=description,
        condition=Q(cached_link_status=outcome),
        admin_query={"cached_link_status__exact": outcome},
    )


CELLS: tuple[Cell, ...] = (
    Cell(
        "entries",
        gettext_lazy("Entries"),
        gettext_lazy("Entries whose primary country this is."),
        Q(),
        {},
    ),
    Cell(
        "never-verified",
        gettext_lazy("Never verified"),
        gettext_lazy("No access line with a date and no successful link check."),
        ~Q(Exists(_verifications())),
    ),
    _status(
        "dead",
        gettext_lazy("The latest check found the page gone (404, 410, no such host)."),
    ),
    _status(
        "soft-dead", gettext_lazy("A “not found” page, or a redirect to the home page.")
    ),
    _status(
        "drifted", gettext_lazy("The page is there but the quoted excerpt is not.")
    ),
    _status(
        "blocked",
        gettext_lazy("The site refused the checker (401, 403, 429, bot wall)."),
    ),
    Cell(
        "no-url",
        gettext_lazy("No URL"),
        gettext_lazy("No address is known."),
        Q(url=""),
        {"url__exact": ""},
    ),
    Cell(
        "no-snapshot",
        gettext_lazy("No snapshot"),
        gettext_lazy("An address, but no usable snapshot of it in Lantern’s archive."),
        ~Q(url="") & ~Q(Exists(Snapshot.objects.usable().filter(entry=OuterRef("pk")))),
    ),
)
CELLS_BY_KEY = {cell.key: cell for cell in CELLS}


@dataclass(frozen=True)
class CellValue:
    cell: Cell
    count: int
    url: str  # the admin changelist, or the dashboard's own list of these entries


@dataclass(frozen=True)
class CountryHealth:
    """One row of the dashboard."""

    code: str  # ISO alpha-2, or NO_COUNTRY
    name: str
    values: list[CellValue]
    oldest_verification: dt.date | None


@dataclass(frozen=True)
class Dashboard:
    rows: list[CountryHealth]
    totals: list[CellValue]
    oldest_verification: dt.date | None
    last_checked_at: dt.datetime | None
    cells: Sequence[Cell] = field(default=CELLS)


def entries_in(code: str) -> QuerySet[Entry]:
    """Entries whose primary country is `code` (NO_COUNTRY: none)."""
    if code == NO_COUNTRY:
        return Entry.objects.filter(primary_country__isnull=True)
    return Entry.objects.filter(primary_country_id=code.upper())


def cell_url(cell: Cell, code: str | None) -> str:
    """Where a dashboard cell leads: the admin's entry list filtered to exactly those
    entries when it can be, else the dashboard's own list of them."""
    if cell.admin_query is not None:
        query: dict[str, str] = {}
        if code == NO_COUNTRY:
            query["primary_country__isnull"] = "True"
        elif code:
            query["primary_country__code__exact"] = code
        query.update(cell.admin_query)
        base = reverse("admin:library_entry_changelist")
        return f"{base}?{urlencode(query)}" if query else base
    query = {"cell": cell.key}
    if code:
        query["country"] = code
    return f"{reverse('web:curate-entries')}?{urlencode(query)}"


def _counts(row: dict[str, Any], code: str | None) -> list[CellValue]:
    return [CellValue(c, row[c.alias], cell_url(c, code)) for c in CELLS]


def dashboard() -> Dashboard:
    """Link health per primary country, with totals. Two queries."""
    last_verified = Subquery(
        _verifications()
        .annotate(on=VERIFIED_ON)
        .order_by(F("on").desc(nulls_last=True))
        .values("on")[:1],
        output_field=DateField(),
    )
    aggregates: dict[str, Any] = {
        cell.alias: Count("pk", filter=cell.condition) for cell in CELLS
    }
    aggregates["oldest"] = Min(last_verified)
    # The stubs type values() rows without the annotations.
    per_country = cast(
        "QuerySet[Entry, dict[str, Any]]",
        Entry.objects.values("primary_country_id", "primary_country__name")
        .annotate(**aggregates)
        .order_by(F("primary_country__name").asc(nulls_last=True)),
    )
    rows = []
    for row in per_country:
        code = row["primary_country_id"] or NO_COUNTRY
        rows.append(
            CountryHealth(
                code=code,
                name=row["primary_country__name"] or gettext("No country"),
                values=_counts(row, code),
                oldest_verification=row["oldest"],
            )
        )
    totals = Entry.objects.aggregate(
        **aggregates, last_checked=Max("cached_last_checked_at")
    )
    return Dashboard(
        rows=rows,
        totals=_counts(totals, None),
        oldest_verification=totals["oldest"],
        last_checked_at=totals["last_checked"],
    )


# --------------------------------------------------------------------------- changes


@dataclass(frozen=True)
class Change:
    """An entry whose latest check came out differently from the one before."""

    entry: Entry
    previous: str
    latest: str
    checked_at: dt.datetime
    run_id: int | None

    @property
    def previous_label(self) -> str:
        return outcome_label(self.previous)

    @property
    def latest_label(self) -> str:
        return outcome_label(self.latest)

    @property
    def summary(self) -> str:
        return f"{self.previous_label} → {self.latest_label}"


def status_changes(*, limit: int = 50) -> list[Change]:
    """Entries whose latest link-check outcome differs from the previous check's
    (alive → dead, dead → alive, …), newest first. One query."""
    checks = (
        Access.objects.filter(entry=OuterRef("pk"), origin=Access.Origin.CHECKER)
        .exclude(outcome="")
        .order_by(F("checked_at").desc(nulls_last=True), "-position", "-id")
    )
    entries = (
        Entry.objects.filter(cached_last_checked_at__isnull=False)
        .annotate(
            latest_outcome=Subquery(checks.values("outcome")[:1]),
            previous_outcome=Subquery(checks.values("outcome")[1:2]),
            changed_at=Subquery(checks.values("checked_at")[:1]),
            changed_in_run=Subquery(checks.values("run_id")[:1]),
        )
        .filter(previous_outcome__isnull=False, changed_at__isnull=False)
        .exclude(latest_outcome=F("previous_outcome"))
        .select_related("primary_country")
        .only("id", "title", "url", "primary_country__code", "primary_country__name")
        .order_by("-changed_at", "-id")[:limit]
    )
    return [
        Change(
            entry=e,
            previous=e.previous_outcome,  # type: ignore[attr-defined]
            latest=e.latest_outcome,  # type: ignore[attr-defined]
            checked_at=e.changed_at,  # type: ignore[attr-defined]
            run_id=e.changed_in_run,  # type: ignore[attr-defined]
        )
        for e in entries
    ]
