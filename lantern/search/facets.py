"""The facets search offers: what each one is called, which values it takes from an
entry, how a filter is written in a URL (`?country=PE&topic=forced-labour&decade=2010`),
and how counts are shown. Pure code except `value_labels`, which reads names from
the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_noop

# What an entry shows for a link never checked.
UNCHECKED = "unchecked"
UNCHECKED_LABEL = gettext_noop("Not yet checked")
# Facets whose value labels are the interface's words (model choices), which the
# search page translates; the others are names from the database.
TRANSLATED_VALUES = frozenset({"kind", "format", "section", "status"})


@dataclass(frozen=True)
class Facet:
    key: str  # the URL parameter and the name backends use
    # In English, as the API gives it; the search page translates it (gettext).
    label: str
    multi: bool = False  # an entry may have several values (countries, topics)
    numeric: bool = False


FACETS: tuple[Facet, ...] = (
    Facet("country", gettext_noop("Country"), multi=True),
    Facet("region", gettext_noop("Region"), multi=True),
    Facet("topic", gettext_noop("Topic"), multi=True),
    Facet("kind", gettext_noop("Publisher")),
    Facet("format", gettext_noop("Format")),
    Facet("section", gettext_noop("Section")),
    Facet("decade", gettext_noop("Decade"), numeric=True),
    Facet("year", gettext_noop("Year"), numeric=True),
    Facet("status", gettext_noop("Link status")),
)
FACET_KEYS = tuple(f.key for f in FACETS)
BY_KEY = {f.key: f for f in FACETS}

# Labels in English; the search page translates them (gettext).
SORTS = {
    "relevance": gettext_noop("Relevance"),
    "published": gettext_noop("Publication date"),
    "added": gettext_noop("Date added"),
    "verified": gettext_noop("Last verified"),
}
MAX_FILTER_VALUES = 10
SAFE_VALUE = re.compile(r"[\w][\w .'-]*")


@dataclass(frozen=True)
class Filters:
    """Facet values a search is narrowed to: every one must hold (values of one
    facet too, so `country=PE&country=BO` means entries about both)."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: Mapping[str, list[str]]) -> Filters:
        """From a query string's lists (`request.GET.lists()`); unknown facets and
        malformed values are dropped, never an error."""
        found: dict[str, tuple[str, ...]] = {}
        for key in FACET_KEYS:
            raw = [v.strip() for v in params.get(key, []) if v and v.strip()]
            cleaned = [normalise(key, v) for v in raw]
            kept = tuple(dict.fromkeys(v for v in cleaned if v))[:MAX_FILTER_VALUES]
            if kept:
                found[key] = kept
        return cls(found)

    def __bool__(self) -> bool:
        return bool(self.values)

    def items(self) -> list[tuple[str, str]]:
        return [(k, v) for k in FACET_KEYS for v in self.values.get(k, ())]

    def has(self, key: str, value: str) -> bool:
        return value in self.values.get(key, ())

    def adding(self, key: str, value: str) -> Filters:
        current = self.values.get(key, ())
        if value in current:
            return self
        return Filters({**self.values, key: (*current, value)})

    def removing(self, key: str, value: str) -> Filters:
        kept = tuple(v for v in self.values.get(key, ()) if v != value)
        values = {k: v for k, v in self.values.items() if k != key}
        if kept:
            values[key] = kept
        return Filters(values)


def normalise(key: str, value: str) -> str:
    """A filter value as the index stores it, or '' when it cannot be one."""
    value = value.strip()
    if key == "country":
        return value.upper() if len(value) == 2 and value.isalpha() else ""
    if key in {"decade", "year"}:
        if not value.isdigit() or len(value) != 4:
            return ""
        year = int(value)
        if key == "decade":
            year -= year % 10
        return str(year) if 1800 <= year <= 2200 else ""
    # Slugs, choice values and region names: anything else (control characters,
    # markup) cannot be a stored value, and would trouble some databases.
    if len(value) > 100 or not SAFE_VALUE.fullmatch(value):
        return ""
    return value.lower() if key != "region" else value


def year_of(value: dt.date | None) -> int:
    return value.year if value is not None else 0


def decade_counts(year_counts: Mapping[str, int]) -> dict[str, int]:
    """Decade counts from year counts ("2014": 3 → "2010": 3)."""
    decades: dict[str, int] = {}
    for year, count in year_counts.items():
        decade = str(int(year) - int(year) % 10)
        decades[decade] = decades.get(decade, 0) + count
    return decades


def value_labels() -> dict[str, dict[str, str]]:
    """How facet values are shown: country names, topic names, choice labels.
    Reads the database (countries, topics). Choice labels are in English whatever
    the interface language (the API gives them so); the search page translates
    them."""
    from lantern.library.models import Access, Country, Entry, Publisher, Topic

    with translation.override("en"):
        labels: dict[str, dict[str, str]] = {
            "country": dict(Country.objects.values_list("code", "name")),
            "topic": dict(Topic.objects.values_list("slug", "name")),
            "kind": {str(k): str(v) for k, v in Publisher.Kind.choices},
            "format": {str(k): str(v) for k, v in Entry.Format.choices},
            "section": {str(k): str(v) for k, v in Entry.Section.choices},
            "status": {
                **{str(k): str(v) for k, v in Access.Outcome.choices},
                UNCHECKED: UNCHECKED_LABEL,
            },
        }
    labels["decade"] = {}
    return labels


def label_for(labels: Mapping[str, Mapping[str, str]], key: str, value: str) -> str:
    if key == "decade":
        return f"{value}s"
    return labels.get(key, {}).get(value, value)
