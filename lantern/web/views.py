"""The public site: server-rendered pages, readable without JavaScript; and the
curators' link dashboard (curators only).

Views are adapters: they read through QuerySet methods, `lantern.web.pages` and
`lantern.web.curation`, and render. They never write.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

import pycountry
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, to_locale

from lantern.cite.csl import webpage_to_csl
from lantern.library.models import (
    Country,
    CountryProfile,
    Entry,
    Helpline,
    Topic,
)
from lantern.library.reference import country_facts, tier_facts
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
)
from lantern.web import (
    charts,
    cite_views,
    compare,
    curation,
    maps,
    pages,
    stats,
    topic_charts,
)
from lantern.web.feeds import LinkChangesFeed
from lantern.web.metadata import entry_metadata

RECENT_ENTRIES = 8
ALSO_MENTIONED_LIMIT = 50


def home(request: HttpRequest) -> HttpResponse:
    """What the library is, its coverage, and what was added lately."""
    recent = list(
        Entry.objects.recently_added()
        .select_related("primary_country", "publisher")
        .only(
            "id",
            "title",
            "format",
            "published_raw",
            "source_line",
            "created_at",
            "primary_country__code",
            "primary_country__name",
            "publisher__name",
        )[:RECENT_ENTRIES]
    )
    coverage_map = maps.coverage_map(
        stats.map_countries(), stats.entries_per_country(), chart_id="home-map"
    )
    return render(
        request,
        "web/home.html",
        {
            "coverage": pages.coverage(),
            "recent": recent,
            "coverage_map": coverage_map,
            "nav": "home",
        },
    )


def country_index(request: HttpRequest) -> HttpResponse:
    """Every country, grouped by UN M49 region, with its entry count."""
    countries = Country.objects.with_entry_counts().only(
        "code",
        "name",
        "region",
        "region_code",
        "sub_region",
        "sub_region_code",
        "intermediate_region",
    )
    regions = pages.group_by_region(countries)
    covered = sum(r.covered_count for r in regions)
    total = sum(r.country_count for r in regions)
    return render(
        request,
        "web/countries.html",
        {"regions": regions, "covered": covered, "total": total, "nav": "countries"},
    )


def _profile_of(country: Country) -> CountryProfile | None:
    try:
        return country.profile
    except CountryProfile.DoesNotExist:
        return None


def country_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A country page: the legacy page's anatomy, top to bottom."""
    if code != code.lower():
        return redirect("web:country", code.lower(), permanent=True)
    if len(code) != 2 or not code.isalpha():
        raise Http404("No such country code.")
    country = get_object_or_404(
        Country.objects.select_related("profile"), code=code.upper()
    )
    profile = _profile_of(country)
    helplines = list(country.helplines.all())
    history = pages.tier_history(country.tiers.all())
    by_year = {cell.year: cell for cell in history}

    tip_tier_label = ""
    if profile is not None:
        if profile.tip_tier:
            tip_tier_label = pages.tier_label(profile.tip_tier)
        elif profile.tip_report_year and profile.tip_report_year in by_year:
            tip_tier_label = by_year[profile.tip_report_year].label
            if by_year[profile.tip_report_year].status != "placed":
                tip_tier_label = ""

    sections = pages.country_sections(country.code)
    also_mentioned = list(
        Entry.objects.in_country(country.code)
        .exclude(primary_country_id=country.code)
        .select_related("primary_country")
        .only(
            "id",
            "title",
            "published_raw",
            "primary_country__code",
            "primary_country__name",
        )
        .order_by(F("published_date").desc(nulls_last=True), "id")[
            :ALSO_MENTIONED_LIMIT
        ]
    )
    neighbours = list(
        country.neighbours.with_entry_counts().only("code", "name").order_by("name")
    )
    per_year = stats.year_counts(Entry.objects.filter(countries=country))
    topic_counts = stats.topic_counts(country.code)
    region_compare_url, region_compare_name = compare.region_url(country)
    guidance = (
        Guidance.objects.filter(
            audience__in=[Guidance.Audience.STUDENTS, Guidance.Audience.ALL]
        )
        .order_by("id")
        .first()
    )

    page_url = pages.public_url(request, country.get_absolute_url())
    today = timezone.localdate()
    citation = (
        f"{settings.LANTERN_CURATOR}, "
        f'"Human Trafficking & Modern-day Slavery \u2013 {country.name}", '
        f"{settings.LANTERN_SITE_NAME}, {page_url}, accessed {pages.long_date(today)}"
    )
    updated = Entry.objects.in_country(country.code).aggregate(at=Max("updated_at"))[
        "at"
    ]
    page_item = webpage_to_csl(
        title=f"Human Trafficking & Modern-day Slavery \u2013 {country.name}",
        url=page_url,
        author=settings.LANTERN_CURATOR,
        site_name=settings.LANTERN_SITE_NAME,
        accessed=today,
        updated=timezone.localdate(updated) if updated is not None else None,
    )
    context: dict[str, Any] = {
        "country": country,
        "profile": profile,
        "official_name": (profile.official_name if profile else "")
        or country.official_name,
        "helplines": helplines,
        "tier_history": history,
        "tier_sources": pages.tier_sources(history),
        "has_tier_data": any(c.status == "placed" for c in history),
        "tip_tier_label": tip_tier_label,
        "sections": sections,
        "also_mentioned": also_mentioned,
        "neighbours": neighbours,
        "tier_legend": charts.tier_legend(),
        "year_chart": charts.entries_per_year(
            per_year.counts,
            chart_id="chart-entries-per-year",
            subject=country.name,
            undated=per_year.undated,
        ),
        "topic_chart": topic_charts.topic_bars(
            topic_counts,
            total=per_year.total,
            subject=country.name,
            chart_id="chart-topics",
        ),
        "compare_neighbours_url": compare.neighbours_url(country, neighbours),
        "compare_region_url": region_compare_url,
        "compare_region_name": region_compare_name,
        "guidance": guidance,
        "citation": citation,
        "page_cite_blocks": cite_views.page_cite_blocks(page_item),
        "page_url": page_url,
        "today": today,
        "region_anchor": pages.region_anchor(country.region_code),
        "sub_region_anchor": pages.region_anchor(country.sub_region_code),
        "nav": "countries",
    }
    return render(request, "web/country.html", context)


@cache
def _language_names(locale: str) -> gettext.NullTranslations:
    """pycountry's translations of ISO 639 language names into `locale`."""
    wanted = [locale, locale.split("_")[0]]
    if locale.split("_")[0] == "pt":
        wanted.insert(0, "pt_BR")
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=wanted, fallback=True
    )


def _language_name(code: str) -> str:
    """An entry's language by name, in the reader's interface language."""
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    if language is None:
        return code
    interface = get_language() or "en"
    if interface.split("-")[0] == "en":
        return language.name
    return _language_names(to_locale(interface)).gettext(language.name)


def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything Lantern knows about one entry, with its access history."""
    entry = get_object_or_404(
        Entry.objects.select_related(
            "publisher", "primary_country", "series", "source_page"
        ).prefetch_related(
            "accesses",
            Prefetch("countries", queryset=Country.objects.only("code", "name")),
            Prefetch("topics", queryset=Topic.objects.select_related("parent")),
            "helplines",
        ),
        pk=pk,
    )
    other_editions: list[Entry] = []
    if entry.series_id is not None:
        other_editions = list(
            Entry.objects.filter(
                series_id=entry.series_id, primary_country_id=entry.primary_country_id
            )
            .exclude(pk=entry.pk)
            .only("id", "title", "edition_year", "published_raw")
            .order_by(F("edition_year").desc(nulls_last=True), "id")
        )
    newer = [
        e
        for e in other_editions
        if e.edition_year and entry.edition_year and e.edition_year > entry.edition_year
    ]
    snapshots = pages.usable_snapshots([entry]).get(entry.pk, [])
    item = pages.ListedEntry(
        entry=entry, accesses=entry.ordered_accesses(), snapshots=snapshots
    )
    return render(
        request,
        "web/entry.html",
        {
            "entry": entry,
            "item": item,
            "accesses": item.accesses,
            "latest_check": item.latest_check,
            "other_editions": other_editions,
            "newest_edition": newer[0] if newer else None,
            "language_name": _language_name(entry.language),
            "citation_metadata": entry_metadata(
                entry, pages.public_url(request, entry.get_absolute_url())
            ),
            "nav": "countries",
        },
    )


def helplines(request: HttpRequest) -> HttpResponse:
    """Every help-line in the library, by country."""
    numbers = list(
        Helpline.objects.select_related("country").order_by(
            "country__name", "position", "id"
        )
    )
    return render(request, "web/helplines.html", {"helplines": numbers, "nav": "help"})


def teachers(request: HttpRequest) -> HttpResponse:
    """Resources for teachers: menu items, debate propositions, lesson plans."""
    return render(
        request,
        "web/teachers.html",
        {
            # Page order (source page, position) keeps each menu's items together.
            "resources": list(ResourceLink.objects.all()),
            "propositions": list(DebateProposition.objects.all()),
            "lesson_plans": list(LessonPlan.objects.only("id", "title", "grade_level")),
            "guidance": list(
                Guidance.objects.filter(
                    audience__in=[Guidance.Audience.TEACHERS, Guidance.Audience.ALL]
                )
            ),
            "nav": "teachers",
        },
    )


def lesson_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """One lesson plan with every labelled field."""
    plan = get_object_or_404(LessonPlan, pk=pk)
    return render(request, "web/lesson_plan.html", {"plan": plan, "nav": "teachers"})


def term_papers(request: HttpRequest) -> HttpResponse:
    """Guidance for students writing a term paper."""
    topic_groups = list(
        Topic.objects.filter(parent__isnull=True).prefetch_related("children")
    )
    return render(
        request,
        "web/term_papers.html",
        {
            "guidance": list(
                Guidance.objects.filter(
                    audience__in=[Guidance.Audience.STUDENTS, Guidance.Audience.ALL]
                )
            ),
            "topic_groups": topic_groups,
            "nav": "term-papers",
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    """Scope, caution, fair use and where the reference facts come from."""
    return render(
        request,
        "web/about.html",
        {
            "country_sources": sorted(country_facts()["sources"].items()),
            "tier_sources": sorted(tier_facts()["sources"].items()),
            "coverage": pages.coverage(),
            "nav": "about",
        },
    )


# ------------------------------------------------------------------------ curators


# What makes someone a curator (the Curators and Editors groups have it; see
# lantern.accounts.roles): the curators' pages need it, not just an admin account.
CURATOR_PERMISSION = "library.change_entry"


def curator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Curators only: anonymous users are sent to sign in, other users get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_staff and request.user.has_perm(CURATOR_PERMISSION)):
            raise PermissionDenied("Curators only.")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


CHANGES_SHOWN = 50
CURATE_PAGE_SIZE = 50


@curator_required
def curate_links(request: HttpRequest) -> HttpResponse:
    """Link health per country, and what changed lately."""
    return render(
        request,
        "web/curate_links.html",
        {
            "dashboard": curation.dashboard(),
            "changes": curation.status_changes(limit=CHANGES_SHOWN),
            "nav": "curate",
        },
    )


@curator_required
def curate_entries(request: HttpRequest) -> HttpResponse:
    """The entries behind one dashboard cell, a page at a time."""
    cell = curation.CELLS_BY_KEY.get(request.GET.get("cell", ""))
    if cell is None:
        raise Http404("No such dashboard column.")
    code = request.GET.get("country", "")
    entries = curation.entries_in(code) if code else Entry.objects.all()
    entries = (
        entries.filter(cell.condition)
        .select_related("primary_country")
        .only(
            "id",
            "title",
            "url",
            "cached_link_status",
            "cached_last_checked_at",
            "primary_country__code",
            "primary_country__name",
        )
        .order_by("primary_country__name", "id")
    )
    page = Paginator(entries, CURATE_PAGE_SIZE).get_page(request.GET.get("page"))
    country = None
    if code and code != curation.NO_COUNTRY:
        country = Country.objects.filter(code=code.upper()).only("name").first()
    return render(
        request,
        "web/curate_entries.html",
        {
            "cell": cell,
            "code": code,
            "country": country,
            "page": page,
            "admin_url": curation.cell_url(cell, code or None)
            if cell.admin_query is not None
            else "",
            "nav": "curate",
        },
    )


link_changes_feed = curator_required(LinkChangesFeed())
