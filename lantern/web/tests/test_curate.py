"""The curators' link dashboard and change feed: staff only, counts per country
aggregated in the database, each count leading to those entries, and the entries
whose latest check differs from the one before."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from lantern.capture.models import Snapshot
from lantern.library.models import Access, Country, Entry
from lantern.library.tests.factories import AccessFactory, EntryFactory, UserFactory
from lantern.linkcheck.models import CheckRun
from lantern.web import curation, pages

pytestmark = pytest.mark.django_db

DASHBOARD = "/curate/links/"
FEED = "/curate/links/changes.atom"
ATOM = "{http://www.w3.org/2005/Atom}"


def check(entry: Entry, outcome: str, at: dt.datetime, run: CheckRun | None = None):
    Entry.objects.filter(pk=entry.pk).update(
        cached_link_status=outcome, cached_last_checked_at=at
    )
    return AccessFactory(
        entry=entry,
        origin=Access.Origin.CHECKER,
        accessed_on=None,
        raw="",
        checked_at=at,
        outcome=outcome,
        run=run,
    )


def snapshot(entry: Entry, status: int = 200) -> Snapshot:
    return Snapshot.objects.create(
        entry=entry,
        url=entry.url,
        captured_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        http_status=status,
        warc_path=f"warcs/{entry.pk}-{status}.warc.gz",
    )


def at(day: int) -> dt.datetime:
    return dt.datetime(2025, 3, day, 12, 0, tzinfo=dt.UTC)


def row(dashboard: curation.Dashboard, code: str) -> dict[str, int]:
    found = next(r for r in dashboard.rows if r.code == code)
    return {v.cell.key: v.count for v in found.values}


# --------------------------------------------------------------------------- access


def test_urls_are_named_in_the_web_namespace():
    assert reverse("web:curate-links") == DASHBOARD
    assert reverse("web:curate-feed") == FEED
    assert reverse("web:curate-entries") == "/curate/links/entries/"


@pytest.mark.parametrize("url", [DASHBOARD, FEED, "/curate/links/entries/?cell=dead"])
def test_anonymous_users_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "next=/curate/links/" in response["Location"]


@pytest.mark.parametrize("url", [DASHBOARD, FEED, "/curate/links/entries/?cell=dead"])
def test_signed_in_readers_who_are_not_staff_get_403(client, url):
    client.force_login(UserFactory(is_staff=False))

    response = client.get(url)

    assert response.status_code == 403
    assert "This page is for the library’s curators" in response.content.decode()


def test_the_footer_links_the_dashboard_for_staff_only(client, admin_client):
    assert DASHBOARD not in client.get("/").content.decode()
    assert f'href="{DASHBOARD}"' in admin_client.get("/").content.decode()


# ------------------------------------------------------------------------ dashboard


@pytest.fixture
def library() -> dict[str, Entry]:
    bolivia = Country.objects.get(code="BO")
    entries = {
        "verified": EntryFactory(),  # PE, access line, alive check, snapshot
        "dead": EntryFactory(),  # PE, dead, no verification, bad snapshot only
        "drifted": EntryFactory(),  # PE, drifted after an alive check
        "no-url": EntryFactory(url=""),  # PE, no URL, never verified
        "blocked": EntryFactory(primary_country=bolivia),  # BO
        "soft-dead": EntryFactory(primary_country=None),  # no country
    }
    AccessFactory(entry=entries["verified"], accessed_on=dt.date(2010, 12, 16))
    check(entries["verified"], "alive", at(2))
    snapshot(entries["verified"])
    check(entries["dead"], "dead", at(3))
    snapshot(entries["dead"], status=404)
    check(entries["drifted"], "alive", dt.datetime(2019, 5, 1, tzinfo=dt.UTC))
    check(entries["drifted"], "drifted", at(4))
    check(entries["blocked"], "blocked", at(5))
    AccessFactory(entry=entries["blocked"], accessed_on=dt.date(2015, 6, 7))
    check(entries["soft-dead"], "soft-dead", at(6))
    return entries


def test_dashboard_counts_link_problems_per_country(admin_client, library):
    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    board = response.context["dashboard"]
    assert [r.name for r in board.rows] == ["Bolivia", "Peru", "No country"]
    assert row(board, "PE") == {
        "entries": 4,
        "never-verified": 2,  # dead, no-url
        "dead": 1,
        "soft-dead": 0,
        "drifted": 1,
        "blocked": 0,
        "no-url": 1,
        "no-snapshot": 2,  # dead (its only snapshot is a 404), drifted
    }
    assert row(board, "BO")["blocked"] == 1
    assert row(board, "BO")["never-verified"] == 0
    assert row(board, curation.NO_COUNTRY)["soft-dead"] == 1
    totals = {v.cell.key: v.count for v in board.totals}
    assert totals["entries"] == 6
    assert totals["never-verified"] == 3


def test_oldest_verification_is_the_stalest_entrys_latest(admin_client, library):
    board = admin_client.get(DASHBOARD).context["dashboard"]

    by_code = {r.code: r.oldest_verification for r in board.rows}
    # Peru: "verified" was last confirmed on 2 March 2025, "drifted" on 1 May 2019.
    assert by_code["PE"] == dt.date(2019, 5, 1)
    assert by_code["BO"] == dt.date(2015, 6, 7)
    assert by_code[curation.NO_COUNTRY] is None
    assert board.oldest_verification == dt.date(2015, 6, 7)
    html = admin_client.get(DASHBOARD).content.decode()
    assert '<time datetime="2019-05-01">1 May 2019</time>' in html


def test_last_verified_in_the_database_agrees_with_the_pages(library):
    for entry in Entry.objects.with_listing_data():
        item = pages.listed([entry])[0]
        in_db = (
            Access.objects.verifications()
            .filter(entry=entry)
            .annotate(on=curation.VERIFIED_ON)
            .order_by("-on")
            .values_list("on", flat=True)
            .first()
        )
        assert in_db == item.last_verified


def test_each_cell_leads_to_exactly_its_entries(admin_client, library):
    board = admin_client.get(DASHBOARD).context["dashboard"]
    peru = next(r for r in board.rows if r.code == "PE")

    for value in peru.values:
        html = admin_client.get(value.url).content.decode()
        wanted = Entry.objects.filter(primary_country_id="PE").filter(
            value.cell.condition
        )
        assert wanted.count() == value.count
        for entry in Entry.objects.all():
            shown = f">{entry.title}<" in html
            assert shown == wanted.filter(pk=entry.pk).exists(), (
                value.cell.key,
                entry.title,
            )


def test_status_cells_open_the_admin_changelist(admin_client, library):
    board = admin_client.get(DASHBOARD).context["dashboard"]
    urls = {
        v.cell.key: v.url for v in next(r for r in board.rows if r.code == "PE").values
    }

    assert urls["dead"] == (
        "/admin/library/entry/?primary_country__code__exact=PE"
        "&cached_link_status__exact=dead"
    )
    assert urls["no-url"].startswith("/admin/library/entry/?")
    assert urls["no-snapshot"] == "/curate/links/entries/?cell=no-snapshot&country=PE"
    no_country = next(r for r in board.rows if r.code == curation.NO_COUNTRY)
    soft = next(v for v in no_country.values if v.cell.key == "soft-dead")
    html = admin_client.get(soft.url).content.decode()
    assert library["soft-dead"].title in html
    assert library["dead"].title not in html


def test_cell_list_of_entries_links_the_admin_and_public_pages(admin_client, library):
    response = admin_client.get("/curate/links/entries/?cell=never-verified&country=PE")

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("dead", "no-url"):
        entry = library[name]
        assert f'href="/admin/library/entry/{entry.pk}/change/"' in html
        assert f'href="/entries/{entry.pk}/"' in html
    assert library["verified"].title not in html
    assert admin_client.get("/curate/links/entries/?cell=nope").status_code == 404


def test_dashboard_queries_are_bounded(admin_client, django_assert_max_num_queries):
    countries = list(Country.objects.filter(code__in=["PE", "BO", "CL", "EC", "CO"]))
    run = CheckRun.objects.create()
    for i in range(60):
        entry = EntryFactory(primary_country=countries[i % 5])
        AccessFactory(entry=entry)
        check(entry, "alive", at(1))
        check(entry, "dead" if i % 3 else "alive", at(2), run=run)
        if i % 2:
            snapshot(entry)

    # session, user, per-country aggregate, totals, changes
    with django_assert_max_num_queries(5):
        response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    assert len(response.context["changes"]) == 40
    with django_assert_max_num_queries(4):
        assert admin_client.get(FEED).status_code == 200


# -------------------------------------------------------------------------- changes


@pytest.fixture
def history() -> dict[str, Entry]:
    run = CheckRun.objects.create()
    entries = {
        "went-dead": EntryFactory(title="Went dead"),
        "came-back": EntryFactory(title="Came back"),
        "still-dead": EntryFactory(title="Still dead"),
        "checked-once": EntryFactory(title="Checked once"),
    }
    check(entries["went-dead"], "alive", at(1))
    check(entries["went-dead"], "dead", at(20), run=run)
    check(entries["came-back"], "dead", at(2))
    check(entries["came-back"], "timeout", at(3))
    check(entries["came-back"], "alive", at(10))
    check(entries["still-dead"], "dead", at(4))
    check(entries["still-dead"], "dead", at(21), run=run)
    check(entries["checked-once"], "dead", at(22), run=run)
    return entries


def test_changes_list_entries_whose_latest_outcome_differs_newest_first(history):
    changes = curation.status_changes()

    assert [(c.entry.title, c.summary) for c in changes] == [
        ("Went dead", "Alive → Dead"),
        ("Came back", "Timeout → Alive"),
    ]
    assert changes[0].checked_at == at(20)
    assert changes[0].run_id is not None


def test_dashboard_lists_the_changes_and_the_latest_check(admin_client, history):
    html = admin_client.get(DASHBOARD).content.decode()

    assert "Latest link check: <time" in html
    assert "22 March 2025, 12:00 UTC" in html
    changes = html[html.index('id="changes-heading"') :]
    assert changes.index("Went dead") < changes.index("Came back")
    assert "Still dead" not in changes
    assert "Checked once" not in changes
    went_dead = changes[: changes.index("Came back")]
    assert (
        '<span class="link-status link-status--alive">Alive</span> → '
        '<span class="link-status link-status--dead">Dead</span>'
    ) in went_dead
    assert "in run #" in went_dead
    assert f'href="{FEED}"' in html


def test_atom_feed_lists_the_changes(admin_client, history):
    response = admin_client.get(FEED)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["Went dead: Alive → Dead", "Came back: Timeout → Alive"]
    first = entries[0]
    went_dead = history["went-dead"]
    assert (
        first.find(f"{ATOM}link")
        .get("href")
        .endswith(f"/admin/library/entry/{went_dead.pk}/change/")
    )
    assert first.findtext(f"{ATOM}id").startswith(
        f"lantern-link-change:{went_dead.pk}:"
    )
    assert first.findtext(f"{ATOM}updated").startswith("2025-03-20T12:00:00")
    assert "check run #" in first.findtext(f"{ATOM}summary")
