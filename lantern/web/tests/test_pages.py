"""The public pages render what the library holds, in the legacy page's order."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from lantern.library.models import Country, Entry, Series, Tier, Topic
from lantern.library.tests.factories import (
    AccessFactory,
    CountryProfileFactory,
    DebatePropositionFactory,
    EntryFactory,
    GuidanceFactory,
    HelplineFactory,
    LessonPlanFactory,
    ResourceLinkFactory,
    SeriesFactory,
    SourcePageFactory,
    TierPlacementFactory,
)
from lantern.teaching.models import Guidance

pytestmark = pytest.mark.django_db


def peru() -> Country:
    return Country.objects.get(code="PE")


def country_url(code: str = "pe") -> str:
    return reverse("web:country", args=[code])


def text_of(response) -> str:
    return response.content.decode()


def position(html: str, needle: str) -> int:
    index = html.find(needle)
    assert index >= 0, f"{needle!r} not on the page"
    return index


# ------------------------------------------------------------------------------ home


def test_home_shows_coverage_numbers_and_recent_entries(client):
    entry = EntryFactory(title="The Fight Against Human Trafficking In Peru")
    AccessFactory(entry=entry)
    AccessFactory(entry=entry, accessed_on=dt.date(2021, 3, 3))
    HelplineFactory()

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = text_of(response)
    assert "The Fight Against Human Trafficking In Peru" in html
    assert reverse("web:entry", args=[entry.pk]) in html
    stats = re.sub(r"\s+", " ", html)
    assert "<dt>Countries covered</dt><dd>1</dd>" in stats
    assert "<dt>Reports &amp; articles</dt><dd>1</dd>" in stats
    assert "<dt>Accesses and link checks</dt><dd>2</dd>" in stats
    assert "<dt>Help-lines</dt><dd>1</dd>" in stats


def test_home_offers_a_help_line_route_and_the_countries(client):
    html = text_of(client.get(reverse("web:home")))

    assert "Need help now?" in html
    assert f'href="{reverse("web:helplines")}"' in html
    assert f'href="{reverse("web:countries")}"' in html


def test_every_page_has_landmarks_skip_link_and_language(client):
    html = text_of(client.get(reverse("web:home")))

    assert '<html lang="en">' in html
    assert 'href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert html.count("<h1") == 1


# ------------------------------------------------------------------- countries index


def test_countries_index_groups_by_region_and_lists_countries_without_entries(client):
    EntryFactory.create_batch(2)

    html = text_of(client.get(reverse("web:countries")))

    assert 'id="region-019"' in html  # Americas
    assert "South America" in html
    peru_item = re.search(
        r'<li class="has-entries"><a href="/countries/pe/">Peru</a>', html
    )
    assert peru_item is not None
    assert '<li class="no-entries"><a href="/countries/cl/">Chile</a>' in html
    assert position(html, ">Peru<") < position(html, "Western Europe")


def test_countries_index_counts_entries_naming_a_country(client):
    chile = Country.objects.get(code="CL")
    EntryFactory(countries=[chile])

    html = text_of(client.get(reverse("web:countries")))

    assert re.search(r'href="/countries/cl/">Chile</a> <span class="count">1<', html)


# ----------------------------------------------------------------------- country page


def test_country_page_keeps_the_legacy_anatomy_in_order(client):
    country = peru()
    CountryProfileFactory(
        country=country,
        official_name="Republic of Peru",
        background=["Peru's economy reflects its varied geography."],
        background_source="The World Factbook, U.S.C.I.A.",
        background_year=2009,
        tip_summary=["Peru is a source, transit, and destination country."],
        tip_source="U.S. State Dept Trafficking in Persons Report, June, 2009",
        tip_report_year=2009,
    )
    HelplineFactory(country=country)
    EntryFactory(title="Current report", section=Entry.Section.CURRENT)
    EntryFactory(title="Archived report", section=Entry.Section.ARCHIVE)

    response = client.get(country_url())

    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Peru</h1>" in html
    assert "Republic of Peru" in html
    assert "[The World Factbook, U.S.C.I.A. 2009]" in html
    assert "– U.S. State Dept Trafficking in Persons Report, June, 2009" in html
    # 2009 is Tier 2 in the Kelley & Heiss compilation loaded as reference data.
    assert "<dt>Tier</dt><dd><strong>Tier 2</strong></dd>" in html
    order = [
        "<h1>Peru</h1>",
        'id="help-heading"',
        'id="background-heading"',
        'id="tip-heading"',
        'id="caution-heading"',
        'id="guidance-heading"',
        "Current report",
        'id="archives-heading"',
        "Archived report",
        'id="neighbours-heading"',
        'id="fair-use-heading"',
        'id="cite-heading"',
    ]
    positions = [position(html, needle) for needle in order]
    assert positions == sorted(positions)
    assert "17&nbsp;U.S.C. §&nbsp;107" in html


def test_country_page_marks_summaries_in_lanterns_own_words(client):
    CountryProfileFactory(country=peru(), background_is_summary=True)
    EntryFactory(excerpt=["Our paraphrase."], excerpt_is_summary=True)

    html = text_of(client.get(country_url()))

    assert '<p class="label">Summary</p>' in html
    assert "Summary (Lantern’s own words)" in html


def test_country_page_shows_helplines_with_international_tel_links(client):
    HelplineFactory(organisation="Ministry of Interior", number_raw="01518 0000")

    html = text_of(client.get(country_url()))

    assert "Ministry of Interior" in html
    assert 'href="tel:+5115180000"' in html
    assert ">01518 0000<" in html
    assert "could not be verified" not in html


def test_country_page_flags_invalid_helpline_but_still_shows_it(client):
    HelplineFactory(
        number_raw="12345678901234",
        e164="",
        is_valid=False,
        problem="not a valid number for PE",
    )

    html = text_of(client.get(country_url()))

    assert ">12345678901234<" in html
    assert 'href="tel:12345678901234"' in html
    assert "This number could not be verified (not a valid number for PE)" in html


def test_country_page_lists_current_then_archive_entries_in_page_order(client):
    EntryFactory(title="Archive B", section=Entry.Section.ARCHIVE, position=5)
    EntryFactory(title="Current 2", section=Entry.Section.CURRENT, position=2)
    EntryFactory(title="Archive A", section=Entry.Section.ARCHIVE, position=3)
    EntryFactory(title="Current 1", section=Entry.Section.CURRENT, position=1)

    html = text_of(client.get(country_url()))

    titles = [
        "Current 1",
        "Current 2",
        'id="archives-heading"',
        "Archive A",
        "Archive B",
    ]
    positions = [position(html, t) for t in titles]
    assert positions == sorted(positions)


def test_country_page_puts_street_children_entries_in_their_own_section(client):
    EntryFactory(title="Trafficking report")
    EntryFactory(
        title="Children living on the streets of Lima",
        collection=Entry.Collection.STREET_CHILDREN,
    )

    html = text_of(client.get(country_url()))

    assert position(html, "Trafficking report") < position(
        html, 'id="street-children-heading"'
    )
    assert position(html, 'id="street-children-heading"') < position(
        html, "Children living on the streets of Lima"
    )


def test_country_page_shows_each_entrys_listing_fields(client):
    entry = EntryFactory(
        title="Putting children's right of the local agenda",
        format=Entry.Format.BOOK,
        source_line="Save the Children Sweden, 01/01/2004",
        notes=["Also check out this country’s report in the more recent edition"],
        page_ref="811",
        archived_copy_note="At one time this article had been archived",
        archived_copy_url="https://web.archive.org/web/2010/http://example.org/",
        url="www.example.org/demuna?a=1&b=2",
    )
    AccessFactory(entry=entry, accessed_on=dt.date(2010, 12, 16), position=0)
    AccessFactory(entry=entry, accessed_on=dt.date(2019, 2, 21), position=1)

    html = text_of(client.get(country_url()))

    assert 'href="http://www.example.org/demuna?a=1&amp;b=2"' in html
    assert '<span class="format-tag">[BOOK]</span>' in html
    assert "Save the Children Sweden, 01/01/2004" in html
    assert 'accessed <time datetime="2010-12-16">16 December 2010</time>' in html
    assert position(html, "16 December 2010") < position(html, "21 February 2019")
    assert "Also check out this country’s report" in html
    assert "[page 811]" in html
    assert "At one time this article had been archived" in html
    assert 'href="https://web.archive.org/web/2010/http://example.org/"' in html
    assert "<blockquote" in html
    assert reverse("web:entry", args=[entry.pk]) in html


def test_country_page_links_a_newer_edition(client):
    series = Series.objects.get(slug="worst-forms-child-labor")
    old = EntryFactory(
        title="2004 Findings on the Worst Forms of Child Labor",
        series=series,
        edition_year=2004,
    )
    new = EntryFactory(
        title="2017 Findings on the Worst Forms of Child Labor",
        series=series,
        edition_year=2017,
    )

    html = text_of(client.get(country_url()))

    assert html.count("A newer edition exists") == 1
    newer = re.search(r"A newer edition exists: <a href=\"([^\"]+)\">([^<]+)</a>", html)
    assert newer is not None
    assert newer.group(1) == reverse("web:entry", args=[new.pk])
    assert old.pk != new.pk


def test_country_page_shows_the_tier_history_with_unlisted_and_blank_years(client):
    TierPlacementFactory(country=peru(), report_year=2023, tier=Tier.TIER3)

    html = text_of(client.get(country_url()))

    table = html[position(html, '<table class="tier-strip"') :]
    table = table[: position(table, "</table>")]
    assert table.count('<th scope="col">') == 25
    cells = re.findall(r'<td class="([^"]+)">(.*?)</td>', table)
    by_year = dict(zip(range(2001, 2026), cells, strict=True))
    assert by_year[2004][0] == "tier-tier2wl"  # Kelley & Heiss
    assert "Tier 2 Watch List" in by_year[2004][1]
    assert by_year[2023][0] == "tier-tier3"  # curator placement
    assert "not on Watch List/Tier 3" in by_year[2020][1]
    assert by_year[2018][0] == "tier-no-data"
    assert "Kelley" in html  # the compilation is cited


def test_country_page_without_entries_still_renders(client):
    html = text_of(client.get(country_url("cl")))

    assert "<h1>Chile</h1>" in html
    assert "No entries for Chile yet." in html
    assert "No help-line for Chile is in the library yet." in html


def test_uppercase_country_code_redirects_to_lowercase(client):
    response = client.get("/countries/PE/")

    assert response.status_code == 301
    assert response["Location"] == "/countries/pe/"


def test_unknown_country_code_is_404(client):
    assert client.get("/countries/qq/").status_code == 404
    assert client.get("/countries/peru/").status_code == 404


@time_machine.travel(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC), tick=False)
def test_cite_this_page_gives_todays_date_and_absolute_url(client, settings):
    settings.LANTERN_CURATOR = "Patt, Prof. Martin"

    html = text_of(client.get(country_url()))

    assert (
        "Patt, Prof. Martin, "
        "&quot;Human Trafficking &amp; Modern-day Slavery – Peru&quot;, Lantern, "
        "http://testserver/countries/pe/, accessed 28 November 2026"
    ) in html


def page_citation(html: str, style: str) -> str:
    """The text of the country page's own citation in one style (tags removed)."""
    section = html[html.index('id="cite-heading"') :]
    match = re.search(
        rf'data-style="{style}"><dt>[^<]*</dt><dd[^>]*>(.*?)</dd>', section
    )
    assert match, style
    return re.sub(r"<[^>]+>", "", match.group(1))


@time_machine.travel(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC), tick=False)
def test_cite_this_page_in_the_named_styles(client, settings):
    settings.LANTERN_CURATOR = "Lantern contributors"
    settings.LANTERN_SITE_URL = "https://lantern.example.org"

    html = text_of(client.get(country_url()))

    def style(name: str) -> str:
        return page_citation(html, name)

    # The curator is a group author, never inverted ("contributors, L.").
    title = "Human Trafficking &amp; Modern-day Slavery – Peru"
    url = "https://lantern.example.org/countries/pe/"
    # A page without entries has no date of its own: "n.d." and the day it was read.
    assert style("apa") == (
        f"Lantern contributors. (n.d.). {title}. Lantern. "
        f"Retrieved November 28, 2026, from {url}"
    )
    assert style("mla").startswith(f"Lantern contributors. “{title}.” Lantern, ")
    assert "Accessed: 28 November 2026" in style("harvard")
    for name in ("chicago", "chicago-notes"):
        assert style(name).startswith("Lantern contributors. "), name


def test_cite_this_page_dates_the_page_by_its_latest_change(client, settings):
    settings.LANTERN_CURATOR = "Patt, Martin"
    with time_machine.travel(dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.UTC)):
        EntryFactory(primary_country=peru())
    with time_machine.travel(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)):
        html = text_of(client.get(country_url()))

    assert page_citation(html, "apa").startswith("Patt, M. (2024, March 4). Human")
    assert page_citation(html, "mla").startswith(
        "Patt, Martin. “Human Trafficking &amp; Modern-day Slavery – Peru.” "
        "Lantern, 4 Mar. 2024"
    )


def test_imported_text_is_escaped(client):
    attack = "<script>alert(1)</script>"
    CountryProfileFactory(country=peru(), background=[attack], tip_source=attack)
    HelplineFactory(organisation=attack)
    EntryFactory(
        title=attack,
        source_line=attack,
        excerpt=[attack],
        notes=[attack],
        url="javascript:alert(1)",
    )

    html = text_of(client.get(country_url()))

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_country_page_links_neighbours_and_region(client):
    html = text_of(client.get(country_url()))

    for code in ("bo", "br", "cl", "co", "ec"):
        assert f'href="/countries/{code}/"' in html
    assert f'href="{reverse("web:region", args=["419"])}"' in html


def test_country_page_uses_guidance_records_for_students(client):
    GuidanceFactory(paragraphs=["Would you like to write about Forced-Labor?"])
    GuidanceFactory(
        audience=Guidance.Audience.TEACHERS, paragraphs=["Teachers only, not here."]
    )

    html = text_of(client.get(country_url()))

    assert "Would you like to write about Forced-Labor?" in html
    assert "Teachers only, not here." not in html
    assert f'href="{reverse("web:teachers")}"' in html


def test_country_page_charts_its_entries_per_year(client):
    for year in (2004, 2004, 2009):
        EntryFactory(published_date=dt.date(year, 3, 1))
    EntryFactory(published_date=None, published_raw="")

    html = text_of(client.get(country_url()))

    assert 'id="chart-entries-per-year-svg"' in html
    assert 'role="img" aria-labelledby="chart-entries-per-year-title' in html
    assert "3 entries about Peru by year of publication, 2004–2009" in html
    assert "1 entry has no date" in html
    assert '<th scope="row">2004</th><td class="number">2</td>' in html


def test_country_page_query_count_is_bounded(client, django_assert_max_num_queries):
    country = peru()
    CountryProfileFactory(country=country)
    for number in ("01518 0000", "0800-2-3232", "1818"):
        HelplineFactory(country=country, number_raw=number)
    topic = Topic.objects.get(slug="forced-labour")
    series = SeriesFactory()
    for i in range(30):
        entry = EntryFactory(
            section=Entry.Section.ARCHIVE if i % 2 else Entry.Section.CURRENT,
            topics=[topic],
            countries=[Country.objects.get(code="BO")],
            series=series,
            edition_year=2000 + i,
        )
        AccessFactory.create_batch(2, entry=entry)
    EntryFactory(primary_country=Country.objects.get(code="BO"), countries=[country])

    # 12 for the page itself, one for each chart (entries per year, topics), one
    # for the date of the page's latest change ("Cite this page").
    with django_assert_max_num_queries(15):
        response = client.get(country_url())

    assert response.status_code == 200
    assert text_of(response).count('class="entry"') == 30


# ------------------------------------------------------------------------- entry page


def test_entry_page_shows_every_field_and_the_access_history(client):
    page = SourcePageFactory(file_path="humantrafficking/Peru.htm")
    topic = Topic.objects.get(slug="debt-bondage")
    entry = EntryFactory(
        title="Slavery in Peru",
        authors=["Lily Céspedes"],
        place="Lima, Peru",
        published_raw="May 05, 2008",
        published_date=dt.date(2008, 5, 5),
        topics=[topic],
        countries=[Country.objects.get(code="JP")],
        origin=Entry.Origin.IMPORT,
        source_page=page,
        first_line=120,
        last_line=131,
        language="es",
    )
    AccessFactory(entry=entry, position=0, raw="[accessed 16 December 2010]")
    AccessFactory(
        entry=entry,
        position=1,
        accessed_on=dt.date(2024, 1, 2),
        raw="",
        origin="checker",
        outcome="moved",
        http_status=301,
        final_url="https://example.org/moved",
        excerpt_found=True,
    )

    response = client.get(reverse("web:entry", args=[entry.pk]))

    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Slavery in Peru</h1>" in html
    assert "Lily Céspedes" in html
    assert "Lima, Peru" in html
    assert "May 05, 2008" in html
    assert 'href="/countries/pe/">Peru</a> <span class="muted">(primary)' in html
    assert 'href="/countries/jp/">Japan</a>' in html
    assert f'href="{reverse("web:topic", args=["debt-bondage"])}"' in html
    assert "Spanish" in html
    assert "[accessed 16 December 2010]" in html
    assert "Moved" in html
    assert "<td>301</td>" in html
    assert "https://example.org/moved" in html
    assert "<td>yes</td>" in html
    assert "humantrafficking/Peru.htm</span>, lines 120–131" in html


def test_entry_page_names_curator_and_demo_provenance(client):
    curator = EntryFactory(origin=Entry.Origin.CURATOR)
    demo = EntryFactory(origin=Entry.Origin.DEMO)

    assert "Added by a curator." in text_of(
        client.get(reverse("web:entry", args=[curator.pk]))
    )
    assert "Part of the demo library." in text_of(
        client.get(reverse("web:entry", args=[demo.pk]))
    )


def test_unknown_entry_is_404(client):
    assert client.get(reverse("web:entry", args=[999999])).status_code == 404


# ----------------------------------------------------------------- topics and help


def test_topic_page_lists_entries_about_the_topic(client):
    topic = Topic.objects.get(slug="mining")
    EntryFactory(title="Gold mines of Madre de Dios", topics=[topic])
    EntryFactory(title="Unrelated nightclub report")

    html = text_of(client.get(reverse("web:topic", args=["mining"])))

    assert "Gold mines of Madre de Dios" in html
    assert "Unrelated nightclub report" not in html
    group_html = text_of(client.get(reverse("web:topic", args=["sectors"])))
    assert "Gold mines of Madre de Dios" in group_html


def test_topic_index_lists_the_vocabulary(client):
    html = text_of(client.get(reverse("web:topics")))

    assert "Forms of exploitation" in html
    assert "Debt bondage" in html


def test_helplines_page_lists_numbers_by_country(client):
    HelplineFactory()
    HelplineFactory(
        country=Country.objects.get(code="IN"),
        organisation="CHILDLINE",
        number_raw="1098",
        e164="",
        is_short_code=True,
        number_key="1098",
    )

    html = text_of(client.get(reverse("web:helplines")))

    assert 'href="tel:+5115180000"' in html
    assert "CHILDLINE" in html
    assert 'href="tel:1098"' in html
    assert position(html, "India") < position(html, "Peru")


# ------------------------------------------------------------- teachers and students


def test_teachers_page_lists_resources_propositions_and_lesson_plans(client):
    ResourceLinkFactory(title="Teaching about slavery")
    DebatePropositionFactory(number=3, text="Resolved: boycotts work.")
    plan = LessonPlanFactory(title="Modern slavery in supply chains")
    GuidanceFactory(
        audience=Guidance.Audience.TEACHERS, paragraphs=["Use it in class."]
    )

    html = text_of(client.get(reverse("web:teachers")))

    assert "Teaching about slavery" in html
    assert '<li value="3">Resolved: boycotts work.</li>' in html
    assert f'href="{plan.get_absolute_url()}"' in html
    assert "Use it in class." in html


def test_lesson_plan_page_shows_every_labelled_field(client):
    plan = LessonPlanFactory(
        title="Forced labour",
        fields=[
            {"label": "Materials", "value": "Newspaper articles"},
            {"label": "Procedure", "value": ["Read", "Discuss"]},
        ],
    )

    html = text_of(client.get(reverse("web:lesson-plan", args=[plan.pk])))

    assert "<h1>Forced labour</h1>" in html
    assert "<dt>Materials</dt><dd>Newspaper articles</dd>" in html
    assert "<li>Discuss</li>" in html
    assert "Define human trafficking." in html
    assert "9-12" in html


def test_term_papers_page_shows_student_guidance_and_how_to_use_the_library(client):
    GuidanceFactory(paragraphs=["Scan other countries as well."])

    html = text_of(client.get(reverse("web:term-papers")))

    assert "Scan other countries as well." in html
    assert "Compare neighbouring countries" in html
    assert "Cite your sources" in html


def test_about_page_lists_reference_sources(client):
    html = text_of(client.get(reverse("web:about")))

    assert "UN M49 regions" in html
    assert "Kelley" in html
    assert "17&nbsp;U.S.C. §&nbsp;107" in html
    assert "about 190 countries" in html


def test_unknown_page_renders_the_friendly_404(client, settings):
    settings.DEBUG = False

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_cite_this_page_uses_the_public_site_url(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SITE_URL = "https://lantern.example.org/"
    response = client.get("/countries/pe/")
    assert "https://lantern.example.org/countries/pe/" in response.content.decode()
