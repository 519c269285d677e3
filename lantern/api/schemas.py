"""The shapes the API answers with (they make the OpenAPI schema). List items are
flat, lists of strings at most, so their CSV form has the same fields."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    parameter: str | None = None


# --------------------------------------------------------------------- countries


class CountryOut(Schema):
    code: str
    alpha3: str
    name: str
    official_name: str
    region: str
    region_code: str
    sub_region: str
    sub_region_code: str
    intermediate_region: str
    calling_code: str
    gsi_prevalence: float | None
    gsi_people: int | None
    entry_count: int
    site_url: str
    api_url: str


class CountryList(Schema):
    total: int
    limit: int
    next: str | None
    results: list[CountryOut]


class TipLinkOut(Schema):
    text: str
    url: str


class ProfileOut(Schema):
    official_name: str
    background: list[str]
    background_source: str
    background_year: int | None
    background_is_summary: bool
    tip_summary: list[str]
    tip_source: str
    tip_report_year: int | None
    tip_report_month: int | None
    tip_tier: str
    tip_tier_label: str
    tip_links: list[TipLinkOut]
    tip_is_summary: bool


class TierYearOut(Schema):
    year: int
    status: str
    tier: str
    label: str
    source: str


class HelplineOut(Schema):
    id: int
    country: str
    country_name: str
    organisation: str
    number: str
    e164: str
    tel: str
    is_valid: bool
    is_short_code: bool
    problem: str
    notes: str
    last_verified: dt.date | None
    source_entry: int | None
    site_url: str


class HelplineList(Schema):
    total: int
    limit: int
    next: str | None
    results: list[HelplineOut]


class CountryDetail(CountryOut):
    neighbours: list[str]
    profile: ProfileOut | None
    tier_history: list[TierYearOut]
    tier_sources: list[str]
    helplines: list[HelplineOut]
    entries_url: str


# ------------------------------------------------------------------------ topics


class TopicOut(Schema):
    slug: str
    name: str
    group: str | None
    description: str
    entry_count: int
    site_url: str


class TopicList(Schema):
    total: int
    limit: int
    next: str | None
    results: list[TopicOut]


# ----------------------------------------------------------------------- entries


class EntryOut(Schema):
    id: int
    title: str
    format: str
    authors: list[str]
    publisher: str
    publisher_kind: str
    source_line: str
    published: str
    published_date: str
    language: str
    section: str
    collection: str
    primary_country: str | None
    countries: list[str]
    topics: list[str]
    url: str
    link_status: str
    last_checked_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    site_url: str
    api_url: str


class EntryList(Schema):
    total: int
    limit: int
    next: str | None
    results: list[EntryOut]


class NamedCountry(Schema):
    code: str
    name: str
    primary: bool


class NamedTopic(Schema):
    slug: str
    name: str


class PublisherOut(Schema):
    name: str
    kind: str
    url: str


class SeriesOut(Schema):
    name: str
    publisher_name: str
    edition_year: int | None


class ArchivedCopyOut(Schema):
    url: str
    kind: str
    label: str
    captured_at: dt.datetime | None


class ProvenanceOut(Schema):
    origin: str
    source_file: str
    first_line: int | None
    last_line: int | None


class NamedHelpline(Schema):
    id: int
    number: str
    tel: str


class EntryDetail(Schema):
    id: int
    title: str
    format: str
    authors: list[str]
    publisher: PublisherOut | None
    source_line: str
    place: str
    published: str
    published_date: str
    published_precision: str
    url: str
    other_urls: list[str]
    page_ref: str
    excerpt: list[str]
    excerpt_is_summary: bool
    notes: list[str]
    archived_copy_note: str
    archived_copy: ArchivedCopyOut | None
    section: str
    collection: str
    primary_country: str | None
    countries: list[NamedCountry]
    topics: list[NamedTopic]
    language: str
    series: SeriesOut | None
    helplines: list[NamedHelpline]
    link_status: str
    last_checked_at: dt.datetime | None
    last_verified: dt.date | None
    provenance: ProvenanceOut
    created_at: dt.datetime
    updated_at: dt.datetime
    site_url: str
    cite_url: str
    accesses_url: str


class AccessOut(Schema):
    position: int
    accessed: str
    accessed_precision: str
    raw: str
    problem: str
    origin: str
    url: str
    checked_at: dt.datetime | None
    outcome: str
    http_status: int | None
    final_url: str
    excerpt_found: bool | None
    verifies: bool


class AccessList(Schema):
    total: int
    limit: int
    next: str | None
    results: list[AccessOut]


# ------------------------------------------------------------------------ search


class HitOut(EntryOut):
    score: float | None
    title_html: str
    snippet: str
    snippet_html: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    key: str
    parameter: str
    label: str
    values: list[FacetValueOut]


class SearchOut(Schema):
    q: str
    sort: str
    filters: dict[str, list[str]]
    total: int
    limit: int
    next: str | None
    results: list[HitOut]
    facets: list[FacetOut]
