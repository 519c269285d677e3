"""The library: countries, topics, publishers, entries and their accesses, country
profiles with TIP tiers, help-lines, recurring report series, and the legacy pages
they were imported from.

Models hold fields, names and QuerySet methods only; every write with side effects
lives in `services.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Iterable


# --------------------------------------------------------------------------- countries


class CountryQuerySet(models.QuerySet["Country"]):
    def in_region(self, region_code: str) -> CountryQuerySet:
        """Countries in a UN M49 region or sub-region, by its numeric code."""
        return self.filter(Q(region_code=region_code) | Q(sub_region_code=region_code))

    def with_entry_counts(self) -> CountryQuerySet:
        """Annotate `entry_count`: entries that name the country (primary or not)."""
        return self.annotate(entry_count=Count("entries", distinct=True))

    def covered(self) -> CountryQuerySet:
        """Countries with at least one entry or a profile."""
        return self.filter(
            Q(entries__isnull=False) | Q(profile__isnull=False)
        ).distinct()


class Country(models.Model):
    """A country or territory, keyed by its ISO 3166-1 alpha-2 code (Kosovo: XK)."""

    code = models.CharField(
        max_length=2, primary_key=True, help_text="ISO 3166-1 alpha-2 code, e.g. PE."
    )
    alpha3 = models.CharField(max_length=3, unique=True, help_text="ISO alpha-3 code.")
    numeric = models.CharField(max_length=3, blank=True, help_text="ISO numeric code.")
    name = models.CharField(max_length=100, help_text="Short name, e.g. Peru.")
    official_name = models.CharField(
        max_length=200, help_text="Official name, e.g. Republic of Peru."
    )
    region = models.CharField(max_length=50, blank=True, help_text="UN M49 region.")
    region_code = models.CharField(max_length=3, blank=True)
    sub_region = models.CharField(
        max_length=80, blank=True, help_text="UN M49 sub-region."
    )
    sub_region_code = models.CharField(max_length=3, blank=True)
    intermediate_region = models.CharField(max_length=80, blank=True)
    intermediate_region_code = models.CharField(max_length=3, blank=True)
    calling_code = models.CharField(
        max_length=5, blank=True, help_text="International dialling code, e.g. 51."
    )
    independent = models.BooleanField(default=True)
    un_member = models.BooleanField(default=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names the legacy pages and sources use.",
    )
    neighbours = models.ManyToManyField(
        "self",
        symmetrical=True,
        blank=True,
        help_text="Countries sharing a land border.",
    )
    gsi_prevalence = models.FloatField(
        null=True,
        blank=True,
        help_text="Global Slavery Index 2023: people in modern slavery per 1,000.",
    )
    gsi_people = models.PositiveIntegerField(
        null=True, blank=True, help_text="Global Slavery Index 2023: number of people."
    )

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:country", args=[self.slug])

    @property
    def slug(self) -> str:
        return self.code.lower()


class Topic(models.Model):
    """A term of the two-level topic vocabulary (a group, or a topic inside one)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The group this topic belongs to; empty for a group.",
    )
    description = models.TextField(blank=True)
    keywords = models.JSONField(
        default=list, blank=True, help_text="Phrases that suggest this topic."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.parent_id is None


class Publisher(models.Model):
    """Who published an entry: an agency, organisation, outlet or press."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental")
        NGO = "ngo", _("NGO")
        NEWS = "news", _("News")
        ACADEMIC = "academic", _("Academic")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=300)
    name_key = models.CharField(
        max_length=300, unique=True, help_text="Folded name used to avoid duplicates."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    url = models.URLField(blank=True, max_length=500)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    """A recurring report published in editions (the TIP Report, …)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    publisher_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.name


# ----------------------------------------------------------------------------- entries


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class EntryQuerySet(models.QuerySet["Entry"]):
    def current(self) -> EntryQuerySet:
        return self.filter(section=Entry.Section.CURRENT)

    def archived(self) -> EntryQuerySet:
        return self.filter(section=Entry.Section.ARCHIVE)

    def in_country(self, code: str) -> EntryQuerySet:
        """Entries that name the country, primary or not."""
        return self.filter(countries__code=code.upper()).distinct()

    def primarily_in(self, code: str) -> EntryQuerySet:
        return self.filter(primary_country_id=code.upper())

    def about(self, topic_slug: str) -> EntryQuerySet:
        return self.filter(topics__slug=topic_slug).distinct()

    def in_page_order(self) -> EntryQuerySet:
        """As the page lists them: trafficking before street children, current
        before archive, then page position."""
        collection_rank = Case(
            When(collection=Entry.Collection.TRAFFICKING, then=Value(0)),
            default=Value(1),
        )
        section_rank = Case(
            When(section=Entry.Section.CURRENT, then=Value(0)), default=Value(1)
        )
        return self.order_by(collection_rank, section_rank, "position", "id")

    def recently_added(self) -> EntryQuerySet:
        return self.order_by("-created_at", "-id")

    def checkable(self) -> EntryQuerySet:
        """Entries with an address to check."""
        return self.exclude(url="")

    def due_for_check(self, now: dt.datetime, *, every_days: int = 30) -> EntryQuerySet:
        """Entries whose link should be checked again: never checked, checked more
        than `every_days` ago, or failing and checked more than a week ago (failures
        are looked at again sooner, as many are passing)."""
        failing = ["dead", "soft-dead", "server-error", "timeout", "network-error",
                   "blocked", "redirect-loop"]  # fmt: skip
        return (
            self.checkable()
            .filter(
                Q(cached_last_checked_at__isnull=True)
                | Q(cached_last_checked_at__lt=now - dt.timedelta(days=every_days))
                | Q(
                    cached_link_status__in=failing,
                    cached_last_checked_at__lt=now
                    - dt.timedelta(days=min(7, every_days)),
                )
            )
            .order_by(F("cached_last_checked_at").asc(nulls_first=True), "id")
        )

    def with_listing_data(self) -> EntryQuerySet:
        """Everything a listing shows, fetched in a fixed number of queries."""
        return self.select_related(
            "publisher", "primary_country", "series"
        ).prefetch_related("accesses", "countries", "topics")


class Entry(models.Model):
    """One published source (report, article, book …) in the library."""

    class Format(models.TextChoices):
        WEB = "web", _("Web page")
        PDF = "pdf", "PDF"
        DOC = "doc", "DOC"
        BOOK = "book", _("Book")
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        OTHER = "other", _("Other")

    class Section(models.TextChoices):
        CURRENT = "current", _("Current")
        ARCHIVE = "archive", _("Archive")

    class Collection(models.TextChoices):
        TRAFFICKING = "trafficking", _("Human trafficking")
        STREET_CHILDREN = "street-children", _("Street children")

    class Origin(models.TextChoices):
        IMPORT = "import", "Imported page"
        CURATOR = "curator", "Curator"
        DEMO = "demo", "Demo library"
        RESTORE = "restore", "Restored export"

    title = models.TextField(help_text="Title as published, without a format tag.")
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.WEB)
    authors = models.JSONField(
        default=list, blank=True, help_text="Personal authors, one name per item."
    )
    publisher = models.ForeignKey(
        Publisher,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
    )
    source_line = models.TextField(
        blank=True, help_text="The source line exactly as the page gave it."
    )
    place = models.CharField(max_length=200, blank=True, help_text="City, country.")
    published_raw = models.CharField(
        max_length=200, blank=True, help_text="Publication date as written."
    )
    published_date = models.DateField(
        null=True, blank=True, help_text="Parsed date; day or month 1 when imprecise."
    )
    published_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    url = models.CharField(
        max_length=2000, blank=True, help_text="Where the source is (may be unknown)."
    )
    other_urls = models.JSONField(
        default=list, blank=True, help_text="Further addresses the page listed."
    )
    page_ref = models.CharField(
        max_length=40,
        blank=True,
        help_text="Page of the excerpt in the source, e.g. 811.",
    )
    excerpt = models.JSONField(
        default=list, blank=True, help_text="Quoted paragraphs, verbatim."
    )
    excerpt_is_summary = models.BooleanField(
        default=False,
        help_text="The excerpt is our own summary, not a quotation from the source.",
    )
    notes = models.JSONField(default=list, blank=True, help_text="Curator's notes.")
    archived_copy_note = models.TextField(
        blank=True, help_text="Note that an archived copy of a dead link exists."
    )
    archived_copy_url = models.CharField(max_length=2000, blank=True)
    section = models.CharField(
        max_length=10, choices=Section.choices, default=Section.CURRENT
    )
    collection = models.CharField(
        max_length=20, choices=Collection.choices, default=Collection.TRAFFICKING
    )
    primary_country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="primary_entries",
    )
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="entries",
        help_text="Primary country included.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="entries")
    language = models.CharField(
        max_length=12, default="en", help_text="ISO 639-1 code."
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    edition_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Edition of the series this entry is."
    )
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.CURATOR
    )
    source_page = models.ForeignKey(
        "SourcePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        help_text="The imported page this entry came from.",
    )
    first_line = models.PositiveIntegerField(null=True, blank=True)
    last_line = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order on its page.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    key = models.CharField(
        max_length=400,
        db_index=True,
        help_text="Identity on its page (folded title and date), for re-imports.",
    )
    cached_import_hash = models.CharField(max_length=64, blank=True)
    tagging_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="What the topic tagger last read (text and vocabulary).",
    )
    cached_link_status = models.CharField(
        max_length=20, blank=True, help_text="Outcome of the latest link check."
    )
    cached_last_checked_at = models.DateTimeField(null=True, blank=True)
    wayback_url = models.CharField(
        max_length=2000,
        blank=True,
        help_text="The Internet Archive capture closest to the accessed date.",
    )
    wayback_captured_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(
                fields=["primary_country", "collection", "section", "position"]
            ),
            models.Index(fields=["published_date"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("web:entry", args=[self.pk])

    @property
    def link(self) -> str:
        """The address to fetch: the URL as cited, with a scheme when it had none."""
        if not self.url:
            return ""
        from lantern.core.http import normalise_url

        return normalise_url(self.url)

    @property
    def published_iso(self) -> str:
        """The publication date to its precision: YYYY-MM-DD, YYYY-MM, YYYY or ''."""
        return format_partial_date(self.published_date, self.published_precision)

    @property
    def format_tag(self) -> str:
        """The legacy title tag for this format ("[PDF]"), or '' for web pages."""
        return {"pdf": "[PDF]", "doc": "[DOC]", "book": "[BOOK]"}.get(self.format, "")

    def ordered_accesses(self) -> list[Access]:
        return sorted(self.accesses.all(), key=lambda a: a.position)

    def is_newer_edition_of(self, other: Entry) -> bool:
        """Whether this entry is a later edition of `other`'s series, same country."""
        return (
            other.series_id is not None
            and self.series_id == other.series_id
            and self.primary_country_id == other.primary_country_id
            and self.edition_year is not None
            and other.edition_year is not None
            and self.edition_year > other.edition_year
        )

    def newer_editions(self) -> EntryQuerySet:
        """Later editions of this entry's series about the same country (the query
        form of `is_newer_edition_of`)."""
        if self.series_id is None or self.edition_year is None:
            return Entry.objects.none()
        return Entry.objects.filter(
            series_id=self.series_id,
            primary_country_id=self.primary_country_id,
            edition_year__gt=self.edition_year,
        ).order_by("-edition_year")


def format_partial_date(value: dt.date | None, precision: str) -> str:
    """Render a date only as precisely as it is known."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


class AccessQuerySet(models.QuerySet["Access"]):
    def verifications(self) -> AccessQuerySet:
        """Accesses that confirm the link (the query form of `Access.is_verification`):
        dated access lines, and checks that found the page alive or moved."""
        return self.filter(
            Q(origin=Access.Origin.CHECKER, outcome__in=sorted(Access.VERIFIED))
            | (~Q(origin=Access.Origin.CHECKER) & Q(accessed_on__isnull=False))
        )


class Access(models.Model):
    """One verification of an entry's URL: an imported `[accessed …]` line, or a check."""

    class Origin(models.TextChoices):
        IMPORT = "import", "Imported"
        CURATOR = "curator", "Curator"
        CHECKER = "checker", "Link checker"

    class Outcome(models.TextChoices):
        ALIVE = "alive", _("Alive")
        MOVED = "moved", _("Moved")
        DEAD = "dead", _("Dead")
        SOFT_DEAD = "soft-dead", _("Soft-dead")
        DRIFTED = "drifted", _("Drifted")
        BLOCKED = "blocked", _("Blocked")
        SERVER_ERROR = "server-error", _("Server error")
        TIMEOUT = "timeout", _("Timeout")
        NETWORK_ERROR = "network-error", _("Network error")
        REDIRECT_LOOP = "redirect-loop", _("Redirect loop")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="accesses")
    position = models.PositiveSmallIntegerField(default=0)
    url = models.CharField(
        max_length=2000, blank=True, help_text="The address that was verified."
    )
    accessed_on = models.DateField(null=True, blank=True)
    accessed_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the date is known ([accessed August 2011]: month).",
    )
    raw = models.CharField(max_length=300, blank=True, help_text="The line as written.")
    problem = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the raw text could not be read fully.",
    )
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.IMPORT
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.CharField(max_length=2000, blank=True)
    excerpt_found = models.BooleanField(null=True, blank=True)
    run = models.ForeignKey(
        "linkcheck.CheckRun",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accesses",
        help_text="The link-check run that made this check.",
    )
    redirect_chain = models.JSONField(
        default=list, blank=True, help_text="Each hop: {url, status}."
    )
    content_hash = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the page's text."
    )
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "position"]
        verbose_name_plural = "accesses"
        constraints = [
            # A run checks an entry once: a resumed run cannot add a second check.
            models.UniqueConstraint(
                fields=["entry", "run"],
                condition=models.Q(run__isnull=False),
                name="one_check_per_entry_and_run",
            )
        ]

    # Outcomes that verify the citation: the page answered with what was cited.
    VERIFIED = frozenset({"alive", "moved"})

    def __str__(self) -> str:
        return self.raw or self.accessed_iso or "access"

    @property
    def is_verification(self) -> bool:
        """Whether this access confirms the link: an imported or curator's access
        line, or a check that found the page alive (or moved to a live page)."""
        if self.origin == self.Origin.CHECKER:
            return self.outcome in self.VERIFIED
        return self.accessed_on is not None

    @property
    def accessed_iso(self) -> str:
        """The access date to its precision: YYYY-MM-DD, YYYY-MM, YYYY or ''."""
        return format_partial_date(self.accessed_on, self.accessed_precision)

    @property
    def accessed_label(self) -> str:
        """The access date for readers: "16 December 2010", "August 2011", "2011"."""
        value = self.accessed_on
        if value is None:
            return ""
        if self.accessed_precision == DatePrecision.YEAR:
            return str(value.year)
        if self.accessed_precision == DatePrecision.MONTH:
            return f"{value:%B} {value.year}"
        return f"{value.day} {value:%B} {value.year}"


# ------------------------------------------------------------------- country profiles


class Tier(models.TextChoices):
    TIER1 = "tier1", "Tier 1"
    TIER2 = "tier2", "Tier 2"
    TIER2WL = "tier2wl", "Tier 2 Watch List"
    TIER3 = "tier3", "Tier 3"
    SPECIAL = "special", "Special Case"


class TierPlacement(models.Model):
    """A country's tier in one U.S. Trafficking in Persons Report, from one source."""

    class Source(models.TextChoices):
        KELLEY_HEISS = "kelley-heiss", "Kelley & Heiss compilation of TIP Reports"
        FACTBOOK = "factbook-tiers", "TIP lists as carried by the CIA World Factbook"
        LEGACY_PAGE = "legacy-page", "Imported TIP summary page"
        CURATOR = "curator", "Curator"

    # When several sources place a country in the same report year, the most
    # deliberate one wins: a curator's correction, then the country's own imported
    # TIP page, then the compilations.
    PRECEDENCE = (
        Source.CURATOR,
        Source.LEGACY_PAGE,
        Source.KELLEY_HEISS,
        Source.FACTBOOK,
    )

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="tiers")
    report_year = models.PositiveSmallIntegerField()
    tier = models.CharField(max_length=10, choices=Tier.choices)
    source = models.CharField(max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["country", "report_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "report_year", "source"], name="one_tier_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.report_year}: {self.get_tier_display()}"


def best_placements(placements: Iterable[TierPlacement]) -> dict[int, TierPlacement]:
    """One placement per report year, chosen by `TierPlacement.PRECEDENCE`."""
    rank = {str(source): i for i, source in enumerate(TierPlacement.PRECEDENCE)}
    best: dict[int, TierPlacement] = {}
    for placement in placements:
        current = best.get(placement.report_year)
        if current is None or rank.get(placement.source, 99) < rank.get(
            current.source, 99
        ):
            best[placement.report_year] = placement
    return best


class CountryProfile(models.Model):
    """What a country page says above its entries: background and TIP summary."""

    country = models.OneToOneField(
        Country, on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    official_name = models.CharField(max_length=200, blank=True)
    background = models.JSONField(default=list, blank=True, help_text="Paragraphs.")
    background_source = models.CharField(max_length=200, blank=True)
    background_year = models.PositiveSmallIntegerField(null=True, blank=True)
    background_is_summary = models.BooleanField(default=False)
    tip_summary = models.JSONField(default=list, blank=True, help_text="Paragraphs.")
    tip_source = models.CharField(max_length=300, blank=True, help_text="As written.")
    tip_report_year = models.PositiveSmallIntegerField(null=True, blank=True)
    tip_report_month = models.PositiveSmallIntegerField(null=True, blank=True)
    tip_tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    tip_links = models.JSONField(
        default=list, blank=True, help_text="Links to later reports: text and URL."
    )
    tip_is_summary = models.BooleanField(default=False)
    source_page = models.ForeignKey(
        "SourcePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.country_id}"


class TipSummary(models.Model):
    """A country-by-country TIP summary page: tier line, summary, recommendations."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="tip_summaries"
    )
    report_year = models.PositiveSmallIntegerField(null=True, blank=True)
    tier = models.CharField(max_length=10, choices=Tier.choices, blank=True)
    tier_line = models.TextField(blank=True, help_text="The heading line as written.")
    summary = models.JSONField(default=list, blank=True)
    recommendations = models.JSONField(default=list, blank=True)
    source_page = models.ForeignKey(
        "SourcePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["country", "-report_year"]
        verbose_name_plural = "TIP summaries"

    def __str__(self) -> str:
        return f"TIP summary {self.country_id} {self.report_year or ''}".strip()


class Helpline(models.Model):
    """A number victims can call, as dialled locally and in E.164 form."""

    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="helplines"
    )
    organisation = models.CharField(max_length=300, blank=True)
    number_raw = models.CharField(max_length=100, help_text="As written on the page.")
    country_code_raw = models.CharField(max_length=20, blank=True)
    e164 = models.CharField(max_length=20, blank=True, help_text="+51xxxxxxxx")
    is_valid = models.BooleanField(
        default=False, help_text="The number is valid for the country (phonenumbers)."
    )
    is_short_code = models.BooleanField(
        default=False, help_text="A short number dialled only inside the country."
    )
    problem = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    last_verified = models.DateField(null=True, blank=True)
    source_entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helplines",
    )
    source_page = models.ForeignKey(
        "SourcePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    number_key = models.CharField(max_length=40, help_text="Digits only, for dedupe.")

    class Meta:
        ordering = ["country", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "number_key"], name="one_helpline_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation or 'Help-line'} {self.number_raw}"

    @property
    def tel_href(self) -> str:
        """A `tel:` link: international form when valid, else the digits as written."""
        if self.e164:
            return f"tel:{self.e164}"
        digits = "".join(ch for ch in self.number_raw if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""


# ------------------------------------------------------------------------ legacy pages


class SourcePageQuerySet(models.QuerySet["SourcePage"]):
    def with_unparsed(self) -> SourcePageQuerySet:
        return self.exclude(unparsed=[])


class SourcePage(models.Model):
    """A page of the original site as imported, with every line accounted for."""

    class Kind(models.TextChoices):
        COUNTRY = "country", "Country page"
        TIP_SUMMARY = "tip-summary", "Country-by-country TIP summary"
        TOPIC = "topic", "Topic (Lecture Resources) page"
        TEACHERS_MENU = "teachers-menu", "Resources for Teachers menu"
        DEBATE = "debate", "Debate topics"
        LESSON_PLAN = "lesson-plan", "Lesson plan"
        STREET_CHILDREN = "street-children", "Street-children country page"
        ARCHIVE_PART = "archive-part", "Archive continuation"
        UNKNOWN = "unknown", "Not recognised"

    class Rendering(models.TextChoices):
        HTML = "html", "HTML"
        TEXT = "text", "Text"

    key = models.CharField(
        max_length=200, unique=True, help_text="Identity of the page, from its content."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rendering = models.CharField(max_length=10, choices=Rendering.choices)
    file_path = models.CharField(max_length=1000, help_text="Last file imported.")
    title = models.CharField(max_length=300, blank=True)
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    part = models.PositiveSmallIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    parser_version = models.CharField(max_length=20, blank=True)
    source_text = models.TextField(
        blank=True, help_text="The file as imported, so it can be parsed again later."
    )
    line_count = models.PositiveIntegerField(default=0)
    blocks = models.JSONField(
        default=list,
        blank=True,
        help_text="Page-level lines by field: [{line, field, text}].",
    )
    unparsed = models.JSONField(
        default=list, blank=True, help_text="Lines no field took: [{line, text}]."
    )
    warnings = models.JSONField(default=list, blank=True, help_text="[{line, message}]")
    first_imported_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(auto_now=True)

    objects = SourcePageQuerySet.as_manager()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title or self.file_path

    def block_text(self, field: str) -> list[str]:
        return [b["text"] for b in self.blocks if b.get("field") == field]


def bulk_country_map(codes: Iterable[str]) -> dict[str, Country]:
    """Countries by code for the given codes, in one query."""
    return {c.code: c for c in Country.objects.filter(code__in=set(codes))}


# The tagger's suggestions live in their own module; importing them here registers
# the model with the app.
from lantern.library.tagging_models import TopicSuggestion  # noqa: E402, F401
