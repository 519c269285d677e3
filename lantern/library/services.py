"""Writes to the library that more than one entry point needs: resolving publishers,
series and countries, identifying entries, saving help-lines, choosing a profile's
tier. Every function here touches the database only (no network, no files)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from lantern.core.text import fold
from lantern.library.models import (
    Country,
    Entry,
    Helpline,
    Publisher,
    Series,
    SourcePage,
    TierPlacement,
    Topic,
    best_placements,
)
from lantern.library.phones import check_number, digits_of
from lantern.library.publishers import COMMON_PUBLISHERS, US_STATES, guess_kind
from lantern.library.vocabulary import match_series


def publisher_key(name: str) -> str:
    """The name a publisher is recognised by (case, accents, punctuation ignored)."""
    return fold(name)[:300]


def entry_key(title: str, published_raw: str) -> str:
    """An entry's identity on its page: its folded title and date as written."""
    return f"{fold(title)[:300]}|{fold(published_raw)[:60]}"


def content_hash(values: Any) -> str:
    """A stable hash of plain data (for "did this entry change?")."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class LibraryCache:
    """Lookups loaded once per import run: countries by alias, publishers, topics,
    series. Creates publishers as needed."""

    aliases: dict[str, str] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    publishers: dict[str, Publisher] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)

    @classmethod
    def load(cls) -> LibraryCache:
        cache = cls()
        for country in Country.objects.all():
            cache.countries[country.code] = country
            for alias in [country.name, country.official_name, *country.aliases]:
                cache.aliases.setdefault(fold(alias), country.code)
        cache.publishers = {p.name_key: p for p in Publisher.objects.all()}
        cache.topics = {t.slug: t for t in Topic.objects.all()}
        cache.series = {s.slug: s for s in Series.objects.all()}
        return cache

    def resolve_country(self, folded_name: str) -> str | None:
        return self.aliases.get(folded_name)

    @cached_property
    def place_names(self) -> frozenset[str]:
        """Folded country names and aliases, and US states: words that end a place."""
        return frozenset(self.aliases) | US_STATES

    @cached_property
    def known_publishers(self) -> frozenset[str]:
        names = {p.name.lower() for p in self.publishers.values() if len(p.name) > 3}
        return frozenset(names | set(COMMON_PUBLISHERS))

    def publisher(self, name: str, kind: str = "") -> Publisher | None:
        """The publisher of this name, created when new."""
        name = name.strip()
        key = publisher_key(name)
        if not key:
            return None
        found = self.publishers.get(key)
        if found is None:
            found, _ = Publisher.objects.get_or_create(
                name_key=key,
                defaults={"name": name[:300], "kind": kind or guess_kind(name)},
            )
            self.publishers[key] = found
        return found

    def series_for(
        self, title: str, source_line: str
    ) -> tuple[Series | None, int | None]:
        matched = match_series(title, source_line)
        if matched is None:
            return None, None
        slug, year = matched
        return self.series.get(slug), year

    def topic_for_title(self, title: str) -> Topic | None:
        """The vocabulary topic a page title names ("Debt Bondage", "Prevention")."""
        wanted = fold(title)
        if not wanted:
            return None
        for topic in self.topics.values():
            names = [topic.name, topic.slug.replace("-", " ")]
            names += topic.name.split(" / ")
            if any(fold(n) == wanted for n in names):
                return topic
        for topic in self.topics.values():
            if topic.parent_id and (
                fold(topic.name) in wanted or topic.slug.replace("-", " ") in wanted
            ):
                return topic
        return None


def tier_for(country_code: str, year: int | None) -> str:
    """The tier a country held in a TIP report year, by source precedence, or ''."""
    if year is None:
        return ""
    placements = TierPlacement.objects.filter(country_id=country_code, report_year=year)
    best = best_placements(placements).get(year)
    return best.tier if best else ""


def helpline_key(number: str, organisation: str) -> str:
    """What makes a help-line the same one: its digits, or for an agency listed
    without a number, its folded name."""
    return digits_of(number) or f"org:{fold(organisation)}"[:40]


def save_helpline(
    *,
    country: Country,
    organisation: str,
    number: str,
    country_code: str = "",
    notes: str = "",
    source_entry: Entry | None = None,
    source_page: SourcePage | None = None,
    position: int = 0,
) -> tuple[Helpline, bool]:
    """Create or update the help-line with this number in this country.

    Invalid numbers are kept and flagged (`is_valid=False`, `problem`), never dropped.
    Returns (helpline, created).
    """
    check = check_number(number, country.code, country_code) if number else None
    key = helpline_key(number, organisation)
    defaults: dict[str, Any] = {
        "number_raw": number[:100],
        "country_code_raw": country_code[:20],
        "e164": check.e164 if check else "",
        "is_valid": check.is_valid if check else False,
        "is_short_code": check.is_short_code if check else False,
        "problem": check.problem if check else "no number given",
        "position": position,
    }
    helpline = Helpline.objects.filter(country=country, number_key=key).first()
    if helpline is None:
        helpline = Helpline(country=country, number_key=key)
        created = True
    else:
        created = False
    for name, value in defaults.items():
        setattr(helpline, name, value)
    if organisation or not helpline.organisation:
        helpline.organisation = (organisation or helpline.organisation)[:300]
    if notes:
        helpline.notes = notes
    if source_entry is not None:
        helpline.source_entry = source_entry
    if source_page is not None:
        helpline.source_page = source_page
    helpline.save()
    return helpline, created
