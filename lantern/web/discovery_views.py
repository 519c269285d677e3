"""Discovery pages: topics (entries grouped by country), compare (countries and
regions side by side) and the world map. Adapters like `views`: they read through
`topics`, `compare`, `stats`, `charts` and `maps`, and render. They never write.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext

from lantern.library.models import Country, Topic
from lantern.library.reference import tier_facts
from lantern.web import (
    charts,
    compare,
    differences,
    maps,
    pages,
    stats,
    topic_charts,
    topics,
)

TOPIC_PAGE_SIZE = 25


def topic_index(request: HttpRequest) -> HttpResponse:
    """The topic vocabulary, by group, with entry counts."""
    groups = list(
        Topic.objects.filter(parent__isnull=True).prefetch_related(
            Prefetch(
                "children",
                queryset=Topic.objects.annotate(entry_count=Count("entries")),
            )
        )
    )
    return render(request, "web/topics.html", {"groups": groups, "nav": "topics"})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A topic's entries grouped by country (the "Lecture Resources" layout), with
    counts, a chart of entries per year and links into search; `?country=pe` lists
    every entry for one country, a page at a time."""
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    children = (
        list(
            topic.children.annotate(
                entry_count=Count("entries", distinct=True)
            ).order_by("position", "name")
        )
        if topic.is_group
        else []
    )
    context: dict[str, Any] = {
        "topic": topic,
        "children": children,
        "search_url": topics.search_url(topic=topic.slug),
        "nav": "topics",
    }
    code = request.GET.get("country", "").strip().lower()
    if code:
        return _topic_in_country(request, topic, code, context)

    counted = topics.country_counts(topic)
    other = topics.uncountried_count(topic)
    per_year = stats.year_counts(topics.entries_about(topic))
    listing: list[tuple[str, str, int]] = [
        (c.code.lower(), c.name, n) for c, n in counted
    ]
    if other:
        listing.append((topics.NO_COUNTRY, gettext("Other entries"), other))
    page = Paginator(listing, topics.COUNTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    shown = {code for code, _, _ in page.object_list}
    page_of = {
        code: (i // topics.COUNTRIES_PER_PAGE) + 1
        for i, (code, _, _) in enumerate(listing)
    }
    context.update(
        {
            "total": per_year.total,
            "country_total": len(counted),
            "index": [(code, name, n, page_of[code]) for code, name, n in listing],
            "page": page,
            "groups": topics.groups(
                topic,
                [(c, n) for c, n in counted if c.code.lower() in shown],
                other=other if topics.NO_COUNTRY in shown else 0,
            ),
            "per_country": topics.ENTRIES_PER_COUNTRY,
            "year_chart": charts.entries_per_year(
                per_year.counts,
                chart_id="chart-topic-per-year",
                subject=topic.name,
                undated=per_year.undated,
            ),
        }
    )
    return render(request, "web/topic.html", context)


def _topic_in_country(
    request: HttpRequest, topic: Topic, code: str, context: dict[str, Any]
) -> HttpResponse:
    country = None
    if code != topics.NO_COUNTRY:
        country = Country.objects.filter(code=code.upper()).only("code", "name").first()
        if country is None:
            raise Http404("No such country code.")
    entries = topics.entries_in(topic, code).with_listing_data()
    page = Paginator(entries, TOPIC_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {
            "country": country,
            "country_code": code,
            "page": page,
            "items": pages.listed(list(page.object_list)),
            "country_search_url": topics.search_url(
                topic=topic.slug, country=country.code if country else ""
            ),
        }
    )
    return render(request, "web/topic_country.html", context)


# ------------------------------------------------------------------ compare and map


def compare_view(request: HttpRequest) -> HttpResponse:
    """Two to six countries or regions side by side; without a choice, the form.
    A choice that cannot be compared gets the form again with what to change
    (status 400)."""
    countries = {
        c.code: c
        for c in Country.objects.only(
            "code", "name", "region", "region_code", "sub_region", "sub_region_code",
            "intermediate_region", "intermediate_region_code", "gsi_prevalence",
            "gsi_people",
        )
    }  # fmt: skip
    regions = compare.regions_of(countries.values())
    picked = compare.split_codes(
        request.GET.getlist("countries") + request.GET.getlist("country")
    )[: compare.MAX_CODES_READ]
    context: dict[str, Any] = {
        "form": {
            "regions_tree": compare.form_regions(countries.values(), picked),
            "regions": sorted(
                regions.values(),
                key=lambda r: (compare.LEVELS.index(r.level), r.name),
            ),
        },
        "picked": picked,
        "nav": "countries",
    }
    try:
        selection = compare.select(request.GET, countries, regions)
    except compare.SelectionError as error:
        context["errors"] = error.messages
        return render(request, "web/compare.html", context, status=400)
    if selection is None:
        return render(request, "web/compare.html", context)
    if request.META.get("QUERY_STRING", "") != selection.query:
        return redirect(f"{reverse('web:compare')}?{selection.query}")

    data = compare.gather(selection.subjects, countries)
    subjects = selection.subjects
    names = [s.name for s in subjects]
    country_subjects = [s for s in subjects if s.is_country]
    context.update(
        {
            "selection": selection,
            "subjects": subjects,
            "focus_countries": [countries[c] for c in selection.focus.countries]
            if selection.focus
            else [],
            "data": data,
            "rows": [
                {
                    "subject": s,
                    "total": data.total(s),
                    "undated": data.years[s.key].undated,
                    "estimate": data.estimates[s.key],
                    "helplines": [
                        h for c in s.codes for h in data.helplines.get(c, [])
                    ],
                    "helpline_countries": sum(
                        1 for c in s.codes if data.helplines.get(c)
                    ),
                    "tier_mix": data.tier_mix.get(s.key),
                    "remove_url": _without(selection, s),
                }
                for s in subjects
            ],
            "names": names,
            "tier_chart": charts.tier_strip(
                [(s.name, data.tier_cells[s.codes[0]]) for s in country_subjects],
                chart_id="chart-compare-tiers",
            )
            if country_subjects
            else None,
            "year_chart": charts.entries_per_year_compared(
                [(s.name, data.years[s.key].counts) for s in subjects],
                chart_id="chart-compare-years",
            ),
            "topic_chart": topic_charts.topic_profile(
                data.topic_rows,
                [(s.name, data.total(s), data.topics[s.key]) for s in subjects],
                chart_id="chart-compare-topics",
            ),
            "publisher_rows": differences.publisher_rows(data),
            "topic_gaps": differences.topic_gaps(data),
            "year_gaps": differences.year_gaps(data),
            "fact_gaps": differences.fact_gaps(data),
            "gsi_source": differences.gsi_source(),
        }
    )
    return render(request, "web/compare.html", context)


def _without(selection: compare.Selection, subject: compare.Subject) -> str:
    """The comparison without one subject, when at least two would remain."""
    rest = [s for s in selection.subjects if s.key != subject.key]
    if len(rest) < compare.MIN_SUBJECTS or selection.focus is not None:
        return ""
    return compare.compare_url(
        [s.codes[0] for s in rest if s.is_country],
        [s.region.code for s in rest if s.region is not None],
    )


MAP_VIEWS = ("coverage", "tiers")


def world_map(request: HttpRequest) -> HttpResponse:
    """The world map of coverage (entries per country) or of TIP tiers (latest, or
    one report year chosen by plain links)."""
    show = request.GET.get("show", "coverage")
    if show not in MAP_VIEWS:
        show = "coverage"
    countries = stats.map_countries()
    context: dict[str, Any] = {"show": show, "nav": "countries"}
    if show == "coverage":
        context["chart"] = maps.coverage_map(countries, stats.entries_per_country())
    else:
        raw_year = request.GET.get("year", "latest")
        year = int(raw_year) if raw_year.isdigit() else None
        data = stats.tier_states(year)
        if year is not None and year not in data.years:
            year = None
            data = stats.tier_states(None)
        year_label = str(year) if year else gettext("latest report year with data")
        context.update(
            {
                "year": year,
                "years": data.years,
                "chart": maps.tier_map(countries, data.states, year_label=year_label),
                "tier_sources": sorted(tier_facts()["sources"].items()),
            }
        )
    context["atlas"] = maps.atlas_record()
    return render(request, "web/map.html", context)
