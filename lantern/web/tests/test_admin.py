"""The curators' admin: login required, entries and imported pages render, filters
and search work."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from lantern.library.models import Country, Entry, Helpline, Publisher, Topic
from lantern.library.tests.factories import (
    AccessFactory,
    CountryProfileFactory,
    DebatePropositionFactory,
    EntryFactory,
    GuidanceFactory,
    HelplineFactory,
    LessonPlanFactory,
    ResourceLinkFactory,
    SourcePageFactory,
    TierPlacementFactory,
    TipSummaryFactory,
)

pytestmark = pytest.mark.django_db


def changelist(model: str, app: str = "library") -> str:
    return reverse(f"admin:{app}_{model}_changelist")


def change(model: str, pk: object, app: str = "library") -> str:
    return reverse(f"admin:{app}_{model}_change", args=[pk])


def test_anonymous_users_are_redirected_from_admin(client):
    for url in ("/admin/", changelist("entry"), changelist("sourcepage")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_entry_changelist_shows_columns_and_access_counts(admin_client):
    entry = EntryFactory(title="Slavery in Peru", published_raw="May 05, 2008")
    AccessFactory.create_batch(2, entry=entry)

    response = admin_client.get(changelist("entry"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Slavery in Peru" in html
    assert "May 05, 2008" in html
    assert '<td class="field-access_count">2</td>' in html


def test_entry_change_page_renders_with_inline_accesses(admin_client):
    page = SourcePageFactory(file_path="humantrafficking/Peru.htm")
    entry = EntryFactory(origin=Entry.Origin.IMPORT, source_page=page, first_line=3)
    AccessFactory(entry=entry, raw="[accessed 16 December 2010]")

    response = admin_client.get(change("entry", entry.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "[accessed 16 December 2010]" in html
    assert "accesses-TOTAL_FORMS" in html
    assert "humantrafficking/Peru.htm" in html
    assert "Imported from" in html


def test_entry_add_page_renders(admin_client):
    assert admin_client.get(reverse("admin:library_entry_add")).status_code == 200


def test_entry_changelist_filters_by_publication_year(admin_client):
    EntryFactory(title="From 2005", published_date=dt.date(2005, 4, 30))
    EntryFactory(title="From 2020", published_date=dt.date(2020, 11, 25))
    EntryFactory(title="Undated", published_date=None)

    html = admin_client.get(changelist("entry"), {"year": "2005"}).content.decode()
    assert "From 2005" in html
    assert "From 2020" not in html

    undated = admin_client.get(changelist("entry"), {"year": "none"}).content.decode()
    assert "Undated" in undated
    assert "From 2005" not in undated


def test_entry_changelist_filters_by_primary_country(admin_client):
    EntryFactory(title="About Peru")
    EntryFactory(title="About Bolivia", primary_country=Country.objects.get(code="BO"))

    html = admin_client.get(
        changelist("entry"), {"primary_country__code__exact": "BO"}
    ).content.decode()

    assert "About Bolivia" in html
    assert "About Peru" not in html


def test_entry_changelist_filters_by_topic_section_and_publisher_kind(admin_client):
    topic = Topic.objects.get(slug="mining")
    news = Publisher.objects.create(name="KTVU News", name_key="ktvu news", kind="news")
    EntryFactory(
        title="Mining archive", topics=[topic], section="archive", publisher=news
    )
    EntryFactory(title="Other current")

    html = admin_client.get(
        changelist("entry"),
        {
            "topics__id__exact": topic.pk,
            "section__exact": "archive",
            "publisher__kind": "news",
        },
    ).content.decode()

    assert "Mining archive" in html
    assert "Other current" not in html


def test_entry_search_finds_text_inside_the_excerpt(admin_client):
    EntryFactory(title="Has it", excerpt=["Remnants of the Shining Path use children."])
    EntryFactory(title="Lacks it", excerpt=["Nothing relevant."])

    html = admin_client.get(changelist("entry"), {"q": "shining path"}).content.decode()

    assert "Has it" in html
    assert "Lacks it" not in html


def test_entry_search_finds_non_ascii_words_inside_the_excerpt(admin_client):
    EntryFactory(title="Has it", excerpt=["Lily Céspedes wrote about El Pozo."])
    EntryFactory(title="Lacks it", excerpt=["Cespedes without the accent is not it."])

    html = admin_client.get(
        changelist("entry"), {"q": "céspedes pozo"}
    ).content.decode()

    assert "Has it" in html
    assert "Lacks it" not in html


def test_entry_search_finds_title_source_line_and_url(admin_client):
    EntryFactory(
        title="Peruvian Nanny Exploited",
        source_line="KTVU News, Walnut Creek",
        url="https://ktvu.example/nanny",
    )

    for term in ("nanny exploited", "walnut creek", "ktvu.example"):
        html = admin_client.get(changelist("entry"), {"q": term}).content.decode()
        assert "Peruvian Nanny Exploited" in html, term


def test_saving_an_entry_in_admin_keeps_primary_country_in_countries(admin_client):
    entry = EntryFactory()
    entry.countries.clear()
    url = change("entry", entry.pk)
    data = {
        "title": entry.title,
        "format": "web",
        "url": entry.url,
        "other_urls": "[]",
        "section": "current",
        "collection": "trafficking",
        "source_line": entry.source_line,
        "authors": "[]",
        "published_raw": entry.published_raw,
        "published_date": "2020-11-25",
        "published_precision": "day",
        "language": "en",
        "primary_country": "PE",
        "position": "0",
        "excerpt": '["A quoted paragraph."]',
        "notes": "[]",
        "origin": "curator",
        "key": entry.key,
        "accesses-TOTAL_FORMS": "1",
        "accesses-INITIAL_FORMS": "0",
        "accesses-MIN_NUM_FORMS": "0",
        "accesses-MAX_NUM_FORMS": "1000",
        "accesses-0-position": "0",
        "accesses-0-accessed_on": "2021-03-03",
        "accesses-0-raw": "[accessed 3 March 2021]",
        "accesses-0-origin": "curator",
    }

    # Other inlines on the form (whatever they are) are sent back empty.
    page = admin_client.get(url).content.decode()
    for prefix in set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page)) - {"accesses"}:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    entry.refresh_from_db()
    assert list(entry.countries.values_list("code", flat=True)) == ["PE"]
    assert entry.accesses.get().accessed_on == dt.date(2021, 3, 3)


def test_source_page_change_shows_unparsed_lines_readably(admin_client):
    page = SourcePageFactory(
        file_path="humantrafficking/Peru.htm",
        unparsed=[{"line": 12, "text": "Description: Description: <b>Peru</b>"}],
        warnings=[{"line": 40, "message": "typo in accessed date"}],
        blocks=[{"line": 9, "field": "official_name", "text": "Republic of Peru"}],
    )

    response = admin_client.get(change("sourcepage", page.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "humantrafficking/Peru.htm:12  "
        "Description: Description: &lt;b&gt;Peru&lt;/b&gt;" in html
    )
    assert "humantrafficking/Peru.htm:40  typo in accessed date" in html
    assert "<td>official_name</td><td>Republic of Peru</td>" in html


def test_source_page_changelist_counts_and_filters_unparsed_lines(admin_client):
    SourcePageFactory(title="Clean page", unparsed=[])
    SourcePageFactory(
        title="Messy page",
        unparsed=[{"line": 1, "text": "?"}, {"line": 2, "text": "??"}],
        warnings=[{"line": 2, "message": "odd"}],
    )

    html = admin_client.get(changelist("sourcepage")).content.decode()
    assert '<td class="field-unparsed_count">2</td>' in html
    assert '<td class="field-warnings_count">1</td>' in html

    messy = admin_client.get(
        changelist("sourcepage"), {"unparsed": "yes"}
    ).content.decode()
    assert "Messy page" in messy
    assert "Clean page" not in messy

    clean = admin_client.get(
        changelist("sourcepage"), {"unparsed": "no"}
    ).content.decode()
    assert "Clean page" in clean
    assert "Messy page" not in clean


def test_every_admin_changelist_and_change_page_renders(admin_client):
    peru = Country.objects.get(code="PE")
    entry = EntryFactory()
    AccessFactory(entry=entry)
    CountryProfileFactory(country=peru)
    HelplineFactory()
    TierPlacementFactory(country=peru, report_year=2024)
    TipSummaryFactory(country=peru)
    SourcePageFactory()
    ResourceLinkFactory()
    DebatePropositionFactory()
    LessonPlanFactory()
    GuidanceFactory()

    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in {"library", "teaching"}:
            continue
        listing = admin_client.get(changelist(meta.model_name, meta.app_label))
        assert listing.status_code == 200, meta.label
        obj = model._default_manager.first()
        detail = admin_client.get(change(meta.model_name, obj.pk, meta.app_label))
        assert detail.status_code == 200, meta.label


def test_helpline_admin_checks_the_number_on_save(admin_client):
    response = admin_client.post(
        reverse("admin:library_helpline_add"),
        {
            "country": "PE",
            "organisation": "IDB hotline",
            "number_raw": "0800-2-3232",
            "country_code_raw": "",
            "notes": "",
            "position": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    helpline = Helpline.objects.get(organisation="IDB hotline")
    assert helpline.is_valid
    assert helpline.e164 == "+5180023232"
    assert helpline.number_key == "080023232"


def test_publisher_admin_fills_the_name_key(admin_client):
    response = admin_client.post(
        reverse("admin:library_publisher_add"),
        {"name": "The Borgen Project", "kind": "ngo", "url": "", "name_key": ""},
    )

    assert response.status_code == 302
    assert Publisher.objects.get(name="The Borgen Project").name_key == "borgen project"


def test_countries_cannot_be_added_in_admin(admin_client):
    assert admin_client.get(reverse("admin:library_country_add")).status_code == 403
