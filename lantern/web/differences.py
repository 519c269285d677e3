"""What differs between the subjects of a comparison: topics, years and facts
covered for one and missing for another, and the publisher mix. Pure code over a
gathered `compare.Comparison`; no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy, ngettext

from lantern.library.models import Publisher
from lantern.library.reference import country_facts
from lantern.web.compare import Comparison, Subject

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class GapRow:
    """A topic or a year covered for some subjects and missing for others."""

    label: str
    url: str
    counts: tuple[int, ...]


def topic_gaps(comparison: Comparison) -> list[GapRow]:
    rows = []
    for t in comparison.topic_rows:
        counts = tuple(
            comparison.topics[s.key].get(t.slug, 0) for s in comparison.subjects
        )
        if any(counts) and not all(counts):
            rows.append(GapRow(t.name, t.url, counts))
    return rows


def year_gaps(comparison: Comparison) -> list[GapRow]:
    every = [y for yc in comparison.years.values() for y in yc.counts]
    if not every:
        return []
    rows = []
    for year in range(min(every), max(every) + 1):
        counts = tuple(
            comparison.years[s.key].counts.get(year, 0) for s in comparison.subjects
        )
        if any(counts) and not all(counts):
            rows.append(GapRow(str(year), "", counts))
    return rows


# Labels stay lazy: they are shown in the reader's language.
PUBLISHER_KINDS: tuple[tuple[str, StrOrPromise], ...] = (
    *((str(k.value), k.label) for k in Publisher.Kind),
    ("unknown", gettext_lazy("Not recorded")),
)


def publisher_rows(comparison: Comparison) -> list[tuple[str, list[tuple[int, int]]]]:
    """(kind label, [(entries, percent) per subject]) for kinds any subject has."""
    rows = []
    for kind, label in PUBLISHER_KINDS:
        cells = []
        for s in comparison.subjects:
            n = comparison.kinds[s.key].get(kind, 0)
            total = comparison.total(s)
            cells.append((n, round(n * 100 / total) if total else 0))
        if any(n for n, _ in cells):
            rows.append((str(label), cells))
    return rows


def gsi_source() -> str:
    return str(country_facts()["sources"].get("gsi-2023", ""))


@dataclass(frozen=True)
class FactGap:
    """A fact the library or the reference data has for some subjects and not for
    others; a cell is '' where it is missing."""

    label: str
    cells: tuple[str, ...]


def _helplines(comparison: Comparison, subject: Subject) -> str:
    numbers = [h for c in subject.codes for h in comparison.helplines.get(c, [])]
    if not numbers:
        return ""
    n = len(numbers)
    if subject.is_country:
        return ngettext("%(n)s help-line", "%(n)s help-lines", n) % {"n": n}
    covered = sum(1 for c in subject.codes if comparison.helplines.get(c))
    return ngettext(
        "%(n)s help-line in %(covered)s of %(total)s countries",
        "%(n)s help-lines in %(covered)s of %(total)s countries",
        n,
    ) % {"n": n, "covered": covered, "total": len(subject.codes)}


def _estimate(comparison: Comparison, subject: Subject) -> str:
    estimate = comparison.estimates.get(subject.key)
    if estimate is None or estimate.prevalence is None:
        return ""
    if subject.is_country:
        return gettext("%(prevalence)s per 1,000") % {"prevalence": estimate.prevalence}
    return gettext(
        "%(prevalence)s per 1,000 (%(with_data)s of %(countries)s countries)"
    ) % {
        "prevalence": estimate.prevalence,
        "with_data": estimate.countries_with_data,
        "countries": estimate.countries,
    }


def _tiers(comparison: Comparison, subject: Subject) -> str:
    if subject.is_country:
        cells = comparison.tier_cells.get(subject.codes[0], [])
        placed = [c for c in cells if c.status == "placed"]
        return f"{placed[-1].label} ({placed[-1].year})" if placed else ""
    n = comparison.placed.get(subject.key, 0)
    if not n:
        return ""
    return gettext("%(n)s of %(total)s countries ranked") % {
        "n": n,
        "total": len(subject.codes),
    }


def fact_gaps(comparison: Comparison) -> list[FactGap]:
    """Entries, help-lines, the Global Slavery Index estimate and a TIP Report
    ranking, for the ones that some subjects have and others lack."""
    subjects = comparison.subjects
    rows = [
        FactGap(
            gettext("Entries in the library"),
            tuple(
                f"{comparison.total(s):,}" if comparison.total(s) else ""
                for s in subjects
            ),
        ),
        FactGap(
            gettext("Help-lines"), tuple(_helplines(comparison, s) for s in subjects)
        ),
        FactGap(
            gettext("Global Slavery Index 2023 estimate"),
            tuple(_estimate(comparison, s) for s in subjects),
        ),
        FactGap(
            gettext("TIP Report tier (latest placement)"),
            tuple(_tiers(comparison, s) for s in subjects),
        ),
    ]
    return [r for r in rows if any(r.cells) and not all(r.cells)]
