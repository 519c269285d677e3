"""What readers see of link checks: "accessed" dates from successful verifications
only, the full history on the entry page, dead links pointing to an archived copy,
and Robust Links attributes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from lantern.capture.models import Snapshot
from lantern.library.models import Access, Entry
from lantern.library.tests.factories import AccessFactory, EntryFactory
from lantern.web import pages

pytestmark = pytest.mark.django_db

CAPTURED = dt.datetime(2024, 3, 5, 10, 30, tzinfo=dt.UTC)
CHECKED = dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)


def snapshot(entry: Entry, **fields: object) -> Snapshot:
    values: dict[str, object] = {
        "url": entry.url,
        "final_url": entry.url,
        "captured_at": CAPTURED,
        "http_status": 200,
        "content_type": "text/html",
        "warc_path": f"warcs/{entry.pk}-{Snapshot.objects.count()}.warc.gz",
        "title": "Captured page",
    }
    values.update(fields)
    return Snapshot.objects.create(entry=entry, **values)


def check(entry: Entry, outcome: str, at: dt.datetime = CHECKED, **fields: object):
    return AccessFactory(
        entry=entry,
        origin=Access.Origin.CHECKER,
        accessed_on=None,
        raw="",
        checked_at=at,
        outcome=outcome,
        **fields,
    )


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def country_page(client) -> str:
    return html_of(client, reverse("web:country", args=["pe"]))


def entry_page(client, entry: Entry) -> str:
    return html_of(client, reverse("web:entry", args=[entry.pk]))


def listing_of(html: str, entry: Entry) -> str:
    start = html.index(f'id="entry-{entry.pk}"')
    return html[start : html.index("</article>", start)]


# ------------------------------------------------------------------ "accessed" dates


def test_listing_shows_only_successful_verifications_as_accessed(client):
    entry = EntryFactory()
    AccessFactory(entry=entry, position=0, accessed_on=dt.date(2010, 12, 16))
    check(entry, "dead", position=1, at=dt.datetime(2023, 1, 9, tzinfo=dt.UTC))
    check(entry, "timeout", position=2, at=dt.datetime(2024, 2, 10, tzinfo=dt.UTC))
    check(entry, "alive", position=3, at=dt.datetime(2025, 4, 11, tzinfo=dt.UTC))
    check(entry, "moved", position=4, at=dt.datetime(2025, 5, 12, tzinfo=dt.UTC))

    listing = listing_of(country_page(client), entry)

    assert 'accessed <time datetime="2010-12-16">16 December 2010</time>' in listing
    assert 'verified <time datetime="2025-04-11">11 April 2025</time>' in listing
    assert '12 May 2025</time> <span class="entry__outcome">(moved)' in listing
    assert "9 January 2023" not in listing
    assert "10 February 2024" not in listing
    assert "dead" not in listing.lower().replace("entry__", "")


def test_entry_page_keeps_the_full_history_with_outcomes(client):
    entry = EntryFactory()
    AccessFactory(entry=entry, position=0, accessed_on=dt.date(2010, 12, 16))
    check(entry, "dead", position=1, http_status=404)
    check(entry, "blocked", position=2, http_status=403)

    html = entry_page(client, entry)

    history = html[html.index('id="accesses-heading"') :]
    assert "16 December 2010" in history
    assert "<td>Dead</td>" in history
    assert "<td>404</td>" in history
    assert "<td>Blocked</td>" in history


def test_verification_query_agrees_with_is_verification():
    entry = EntryFactory()
    accesses = [
        AccessFactory(entry=entry, accessed_on=dt.date(2010, 1, 1)),
        AccessFactory(entry=entry, accessed_on=None, raw="[accessed someday]"),
        AccessFactory(entry=entry, origin="curator", accessed_on=dt.date(2020, 2, 2)),
        *(check(entry, outcome) for outcome in Access.Outcome.values),
    ]

    in_query = set(Access.objects.verifications().values_list("pk", flat=True))

    assert in_query == {a.pk for a in accesses if a.is_verification}
    assert len(in_query) == 4  # two access lines, alive, moved


# ------------------------------------------------------------------ archived copies


def test_archived_copy_prefers_our_latest_usable_snapshot_then_wayback_then_legacy():
    entry = EntryFactory(
        wayback_url="https://web.archive.org/web/2011/http://example.org/",
        wayback_captured_at=dt.datetime(2011, 1, 2, tzinfo=dt.UTC),
        archived_copy_url="www.example.net/copy.html",
    )
    older = snapshot(entry, captured_at=CAPTURED - dt.timedelta(days=30))
    newer = snapshot(entry)
    snapshot(entry, captured_at=CAPTURED + dt.timedelta(days=1), http_status=404)
    snapshot(entry, captured_at=CAPTURED + dt.timedelta(days=2), warc_path="")
    usable = list(Snapshot.objects.usable().filter(entry=entry))
    assert set(usable) == {older, newer}

    chosen = pages.archived_copy(entry, usable)
    assert chosen == pages.ArchivedCopy(f"/archive/{newer.pk}/", "snapshot", CAPTURED)
    assert chosen.url == newer.get_absolute_url()

    wayback = pages.archived_copy(entry, [])
    assert wayback == pages.ArchivedCopy(
        entry.wayback_url, "wayback", entry.wayback_captured_at
    )
    entry.wayback_url = ""
    legacy = pages.archived_copy(entry, [])
    assert legacy == pages.ArchivedCopy("http://www.example.net/copy.html", "legacy")
    entry.archived_copy_url = "javascript:alert(1)"
    assert pages.archived_copy(entry, []) is None


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("dead", "This link is dead"),
        ("soft-dead", "This link no longer leads to the source"),
        ("drifted", "The page at this link no longer shows the quoted text"),
    ],
)
def test_gone_links_point_readers_to_our_snapshot(client, status, message):
    entry = EntryFactory(
        cached_link_status=status,
        cached_last_checked_at=CHECKED,
        wayback_url="https://web.archive.org/web/2011/http://example.org/",
    )
    copy = snapshot(entry)

    listing = listing_of(country_page(client), entry)

    assert message in listing
    assert 'checked <time datetime="2025-06-01">1 June 2025</time>' in listing
    link = re.search(r'<a href="(/archive/\d+/)"[^>]*>Read the archived copy', listing)
    assert link is not None
    assert link.group(1) == copy.get_absolute_url() == f"/archive/{copy.pk}/"
    assert "Lantern’s archived copy, 5 March 2024" in listing
    assert "web.archive.org" not in listing


def test_gone_link_without_snapshot_uses_wayback_then_legacy(client):
    wayback = EntryFactory(
        cached_link_status="dead",
        wayback_url="https://web.archive.org/web/2011/http://example.org/a",
        wayback_captured_at=dt.datetime(2011, 5, 6, tzinfo=dt.UTC),
    )
    legacy = EntryFactory(
        cached_link_status="soft-dead",
        archived_copy_note="May possibly still be accessible here",
        archived_copy_url="https://archive.example.org/b",
    )
    nothing = EntryFactory(cached_link_status="drifted")

    html = country_page(client)

    assert (
        '<a href="https://web.archive.org/web/2011/http://example.org/a" '
        'rel="external nofollow noopener"'
    ) in listing_of(html, wayback)
    assert "Internet Archive copy, 6 May 2011" in listing_of(html, wayback)
    assert re.search(
        r'<a href="https://archive.example.org/b"[^>]*>Read the archived copy',
        listing_of(html, legacy),
    )
    assert "No archived copy is known." in listing_of(html, nothing)


def test_live_links_are_not_flagged_but_still_offer_the_copy(client):
    entry = EntryFactory(cached_link_status="alive", cached_last_checked_at=CHECKED)
    copy = snapshot(entry)
    unchecked = EntryFactory()

    html = country_page(client)

    listing = listing_of(html, entry)
    assert "entry__gone" not in listing
    assert f'href="{copy.get_absolute_url()}"' in listing
    assert "entry__gone" not in listing_of(html, unchecked)


# ---------------------------------------------------------------------- robust links


def test_entry_links_carry_robust_links_attributes(client):
    entry = EntryFactory(url="https://example.org/report", cached_link_status="dead")
    copy = snapshot(entry)

    listing = listing_of(country_page(client), entry)

    original = re.search(r'<a href="https://example.org/report"[^>]*>', listing)
    assert original is not None
    assert 'data-originalurl="https://example.org/report"' in original.group(0)
    assert f'data-versionurl="http://testserver/archive/{copy.pk}/"' in original.group(
        0
    )
    assert 'data-versiondate="2024-03-05T10:30:00Z"' in original.group(0)
    archived = re.search(rf'<a href="/archive/{copy.pk}/"[^>]*>', listing)
    assert archived is not None
    assert 'data-originalurl="https://example.org/report"' in archived.group(0)
    assert 'data-versiondate="2024-03-05T10:30:00Z"' in archived.group(0)


def test_robust_links_use_the_public_site_url_and_accessed_date(client, settings):
    settings.LANTERN_SITE_URL = "https://lantern.example.org"
    entry = EntryFactory(
        url="https://example.org/r",
        archived_copy_url="https://archive.example.org/r",
    )
    AccessFactory(entry=entry, accessed_on=dt.date(2012, 7, 8))
    with_snapshot = EntryFactory(url="https://example.org/s")
    copy = snapshot(with_snapshot)

    html = country_page(client)

    legacy = listing_of(html, entry)
    assert 'data-versionurl="https://archive.example.org/r"' in legacy
    assert 'data-versiondate="2012-07-08"' in legacy  # the date of linking
    assert (
        f'data-versionurl="https://lantern.example.org/archive/{copy.pk}/"'
        in listing_of(html, with_snapshot)
    )


def test_links_without_an_archived_copy_have_no_robust_attributes(client):
    entry = EntryFactory()

    listing = listing_of(country_page(client), entry)

    assert "data-versionurl" not in listing
    assert "data-originalurl" not in listing


# ------------------------------------------------------------------------ entry page


def test_entry_page_shows_the_link_status_and_where_it_moved(client):
    entry = EntryFactory(
        url="http://example.org/old",
        cached_link_status="moved",
        cached_last_checked_at=CHECKED,
    )
    check(entry, "alive", at=CHECKED - dt.timedelta(days=40), position=0)
    check(
        entry,
        "moved",
        position=1,
        http_status=301,
        final_url="https://example.org/new",
        excerpt_found=True,
    )
    copy = snapshot(entry)

    html = entry_page(client, entry)

    status = html[
        html.index('id="link-status-heading"') : html.index("accesses-heading")
    ]
    assert (
        '<time datetime="2025-06-01T08:00:00+00:00">1 June 2025, 08:00 UTC</time>'
        in (status)
    )
    assert '<span class="link-status link-status--moved">Moved</span>' in status
    assert "(HTTP 301)" in status
    assert 'href="https://example.org/new"' in status
    assert "Quoted text on the page</dt><dd>found" in status
    assert f'href="/archive/{copy.pk}/"' in status
    assert re.search(r"Open the source</a>", html)
    assert 'data-versionurl="http://testserver/archive/' in html


def test_entry_page_of_a_dead_link_says_so_and_opens_the_copy(client):
    entry = EntryFactory(cached_link_status="dead", cached_last_checked_at=CHECKED)
    check(entry, "dead", http_status=404)
    copy = snapshot(entry)

    html = entry_page(client, entry)

    assert "This link is dead" in html
    assert re.search(rf'href="/archive/{copy.pk}/"[^>]*>Open the archived copy', html)
    assert '<span class="link-status link-status--dead">Dead</span>' in html


def test_entry_page_of_an_unchecked_link_says_so(client):
    entry = EntryFactory()

    html = entry_page(client, entry)

    assert "link checker has not checked this address yet" in html


def test_entry_page_of_a_link_known_dead_without_a_check_of_its_own(client):
    # A status carried over (an import, a restore) with no checker access behind it:
    # the page says what is known instead of failing.
    entry = EntryFactory(
        cached_link_status="dead", cached_last_checked_at=CHECKED, url="https://x.org/"
    )
    AccessFactory(entry=entry, origin="curator")

    html = entry_page(client, entry)

    assert 'class="link-status link-status--dead"' in html


def test_country_page_stays_bounded_with_snapshots_and_checks(
    client, django_assert_max_num_queries
):
    for i in range(20):
        entry = EntryFactory(cached_link_status="dead" if i % 2 else "alive")
        AccessFactory(entry=entry)
        check(entry, "dead" if i % 2 else "alive")
        snapshot(entry)

    # As many as without checks and snapshots (test_pages bounds the same page).
    with django_assert_max_num_queries(14):
        html = country_page(client)

    assert html.count("Read the archived copy") == 10
