"""What a topic page shows: the topic's entries grouped by country, as the original
site's "Lecture Resources" pages did, in a fixed number of queries however big the
topic is. Reads the database only.

An entry that names several countries is listed under each of them (the counts
agree with the countries index and with search's country facet); entries that name
no country come last, under "Other entries".
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext

from lantern.library.models import Country, Entry, EntryQuerySet, Topic
from lantern.web import pages

# Entries shown under each country on the topic page; the rest are a link away.
ENTRIES_PER_COUNTRY = 5
COUNTRIES_PER_PAGE = 30
NO_COUNTRY = "none"


def entries_about(topic: Topic) -> EntryQuerySet:
    """Entries tagged with the topic, or, for a group, with any topic in it."""
    if topic.is_group:
        return Entry.objects.filter(Q(topics=topic) | Q(topics__parent=topic))
    return Entry.objects.filter(topics=topic)


def search_url(*, topic: str = "", country: str = "", region: str = "") -> str:
    """The search page filtered to a topic, a country (ISO code) or a continent (its
    M49 name), in search's own parameter names (`lantern.search.facets`)."""
    params = {"q": ""}
    if topic:
        params["topic"] = topic
    if country:
        params["country"] = country.upper()
    if region:
        params["region"] = region
    return f"{reverse('search:search')}?{urlencode(params)}"


@dataclass(frozen=True)
class CountryGroup:
    """A country's entries about the topic: how many, and the newest few."""

    code: str  # ISO code, or NO_COUNTRY
    name: str
    count: int
    url: str  # the country page; '' for other entries
    items: list[pages.ListedEntry]
    search_url: str

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def country_counts(topic: Topic) -> list[tuple[Country, int]]:
    """Countries with entries about the topic, by name, with their counts (one
    query)."""
    ids = entries_about(topic).values("pk")
    return [
        (c, c.topic_entries)  # type: ignore[attr-defined]
        for c in Country.objects.filter(entries__pk__in=ids)
        .annotate(topic_entries=Count("entries", distinct=True))
        .only("code", "name")
        .order_by("name")
    ]


def uncountried_count(topic: Topic) -> int:
    return (
        entries_about(topic)
        .filter(countries__isnull=True)
        .values("pk")
        .distinct()
        .count()
    )


def groups(
    topic: Topic,
    counted: list[tuple[Country, int]],
    *,
    other: int = 0,
) -> list[CountryGroup]:
    """The newest `ENTRIES_PER_COUNTRY` entries of each listed country (and of the
    entries with no country when `other`), ready to list (a fixed number of
    queries: one ranked query, then the listing's)."""
    ids = entries_about(topic).values("pk")
    codes = [c.code for c, _ in counted]
    through = Entry.countries.through
    ranked = (
        through.objects.filter(entry_id__in=ids, country_id__in=codes)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("country_id")],
                order_by=[
                    F("entry__published_date").desc(nulls_last=True),
                    F("entry_id").desc(),
                ],
            )
        )
        .filter(Q(rank__lte=ENTRIES_PER_COUNTRY))
        .values_list("country_id", "entry_id")
    )
    wanted: dict[str, list[int]] = {code: [] for code in codes}
    for code, entry_id in ranked:
        wanted[code].append(entry_id)
    other_ids: list[int] = []
    if other:
        other_ids = list(
            entries_about(topic)
            .filter(countries__isnull=True)
            .order_by(F("published_date").desc(nulls_last=True), "-pk")
            .values_list("pk", flat=True)
            .distinct()[:ENTRIES_PER_COUNTRY]
        )
    all_ids = {i for ids_ in wanted.values() for i in ids_} | set(other_ids)
    entries = list(Entry.objects.filter(pk__in=all_ids).with_listing_data())
    by_id = {item.entry.pk: item for item in pages.listed(entries)}

    def ordered(entry_ids: list[int]) -> list[pages.ListedEntry]:
        items = [by_id[i] for i in entry_ids if i in by_id]
        items.sort(key=_newest_first)
        return items

    result = [
        CountryGroup(
            code=c.code,
            name=c.name,
            count=n,
            url=c.get_absolute_url(),
            items=ordered(wanted[c.code]),
            search_url=search_url(topic=topic.slug, country=c.code),
        )
        for c, n in counted
    ]
    if other:
        result.append(
            CountryGroup(
                code=NO_COUNTRY,
                name=gettext("Other entries"),
                count=other,
                url="",
                items=ordered(other_ids),
                search_url=search_url(topic=topic.slug),
            )
        )
    return result


def _newest_first(item: pages.ListedEntry) -> tuple[int, int]:
    date = item.entry.published_date
    return (-(date.toordinal() if date else 0), -item.entry.pk)


def entries_in(topic: Topic, code: str) -> EntryQuerySet:
    """All the topic's entries for one country (or with none), newest first."""
    entries = entries_about(topic)
    if code == NO_COUNTRY:
        entries = entries.filter(countries__isnull=True)
    else:
        entries = entries.filter(countries__code=code.upper())
    ids = entries.values("pk")
    return Entry.objects.filter(pk__in=ids).order_by(
        F("published_date").desc(nulls_last=True), "-pk"
    )
