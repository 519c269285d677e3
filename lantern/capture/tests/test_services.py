"""Adding a source from its URL against real pages served on 127.0.0.1: one fetch,
the entry with its suggestions, the first access and the WARC snapshot; refusals of
duplicates, private addresses, bad addresses and error pages; capture jobs."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from lantern.capture.models import Snapshot
from lantern.capture.services import CaptureError, add_from_url, capture_entry
from lantern.capture.warc import read_warc
from lantern.core import jobs
from lantern.core.fakeweb import FakeWeb
from lantern.core.models import Job
from lantern.library.models import Access, Entry
from lantern.library.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def a_second_ago() -> dt.datetime:
    # SQLite's clock (Now()) has millisecond precision: a job due "now" to the
    # microsecond may not be due yet to the database within the same millisecond.
    return timezone.now() - dt.timedelta(seconds=1)


def test_add_from_url_creates_the_entry_access_and_snapshot_from_one_fetch(
    web: FakeWeb,
):
    url = web.url("/gold")
    before = len(web.hits("/gold"))
    started = time.monotonic()
    added = add_from_url(url, pick=[1, 2])
    took = time.monotonic() - started
    assert len(web.hits("/gold")) == before + 1  # fetched once, for everything
    assert took < 5, f"adding a local page took {took:.2f} s"

    entry = Entry.objects.get(pk=added.entry.pk)
    assert (
        entry.title == "Gold, debt and silence: forced labour in Peru's Madre de Dios"
    )
    assert entry.authors == ["María Quispe", "John Carter"]
    assert entry.publisher.name == "Andean Observer"
    assert (
        entry.source_line == "María Quispe, John Carter, Andean Observer, 12 March 2021"
    )
    assert (entry.published_date, entry.published_precision) == (
        dt.date(2021, 3, 12),
        "day",
    )
    assert entry.language == "en" and entry.format == "web"
    assert entry.origin == "curator" and entry.url == url
    assert entry.primary_country_id == "PE"
    assert list(entry.countries.values_list("code", flat=True)) == ["PE"]
    assert {"debt-bondage", "mining", "forced-labour"} <= set(
        entry.topics.values_list("slug", flat=True)
    )
    # Picked proposals, in the order they stand on the page.
    assert len(entry.excerpt) == 2
    assert entry.excerpt[0].startswith("Many of them never see those wages.")
    assert entry.excerpt[1].startswith("Girls as young as 14")
    assert entry.cached_link_status == "alive"

    access = Access.objects.get(entry=entry)
    assert access.origin == "curator" and access.is_verification
    assert access.accessed_on == timezone.localdate()
    assert access.outcome == "alive" and access.http_status == 200
    assert access.final_url == url and access.redirect_chain == []
    assert access.excerpt_found is True
    assert len(access.content_hash) == 64 and access.elapsed_ms is not None
    assert access.checked_at is not None

    snapshot = Snapshot.objects.get(entry=entry)
    assert snapshot.http_status == 200 and snapshot.content_type == "text/html"
    assert default_storage.exists(snapshot.warc_path)
    assert read_warc(snapshot.warc_path).payload == added.preview.result.body
    assert snapshot.title == entry.title and not snapshot.truncated


def test_pasted_excerpt_is_kept_verbatim_and_checked_against_the_page(web: FakeWeb):
    text = (
        "Girls as young as 14 are trafficked into the bars that serve the mining "
        "camps, where they are forced into prostitution.\n\nPeruvian authorities say "
        "they have increased patrols."
    )
    added = add_from_url(web.url("/gold-other"), excerpt=text, topics=["mining"])
    assert added.entry.excerpt == [
        "Girls as young as 14 are trafficked into the bars that serve the mining "
        "camps, where they are forced into prostitution.",
        "Peruvian authorities say they have increased patrols.",
    ]
    assert list(added.entry.topics.values_list("slug", flat=True)) == ["mining"]
    assert added.access.excerpt_found is True


def test_a_pdf_gets_its_title_date_and_the_page_of_the_excerpt(web: FakeWeb):
    added = add_from_url(
        web.url("/kilns.pdf"),
        country="NP",
        excerpt="Children as young as ten carry loads of bricks for twelve hours a day.",
    )
    entry = added.entry
    assert entry.format == "pdf"
    assert entry.title == "Forced Labour in the Brick Kilns of Nepal"
    assert entry.published_date == dt.date(2020, 6, 12)
    assert entry.publisher.name == "Anti-Slavery International"
    assert entry.publisher.kind == "ngo"
    assert entry.page_ref == "2"
    assert entry.primary_country_id == "NP"
    assert added.snapshot.content_type == "application/pdf"
    assert added.access.excerpt_found is True


def test_a_report_of_a_series_is_recognised(web: FakeWeb):
    entry = add_from_url(web.url("/tip-peru.pdf")).entry
    assert entry.series.slug == "tip-report" and entry.edition_year == 2021
    assert entry.primary_country_id == "PE"
    assert entry.publisher.kind == "government"


def test_a_gzip_page_is_read_decoded_and_archived_compressed(web: FakeWeb):
    added = add_from_url(web.url("/gold-gz"))
    assert added.entry.title.startswith("Gold, debt and silence")
    assert read_warc(added.snapshot.warc_path).raw_payload[:2] == b"\x1f\x8b"


def test_a_permanent_redirect_is_recorded_as_moved(web: FakeWeb):
    added = add_from_url(web.url("/old-gold"))
    assert added.access.outcome == "moved"
    assert added.access.final_url == web.url("/gold-moved")
    assert added.access.redirect_chain == [{"url": web.url("/old-gold"), "status": 301}]
    assert added.snapshot.final_url == web.url("/gold-moved")


def test_a_spanish_page_is_stored_in_spanish(web: FakeWeb):
    added = add_from_url(web.url("/trata"), country="BO")
    assert added.entry.language == "es"
    assert list(added.entry.countries.values_list("code", flat=True)) == ["BO", "PE"]


def test_duplicates_are_refused_before_fetching(web: FakeWeb):
    existing = EntryFactory(url=web.url("/gold") + "/")  # written a little differently
    before = len(web.hits("/gold"))
    with pytest.raises(CaptureError) as caught:
        add_from_url(web.url("/gold"))
    assert caught.value.kind == "duplicate" and caught.value.entry == existing
    assert f"entry {existing.pk}" in str(caught.value)
    assert len(web.hits("/gold")) == before


def test_a_redirect_to_a_cited_page_is_a_duplicate(web: FakeWeb):
    EntryFactory(url=web.url("/gold-other"))
    with pytest.raises(CaptureError, match="already in the library"):
        add_from_url(web.url("/via-temporary"))
    assert not Snapshot.objects.exists()


def test_private_addresses_are_refused_unless_allowed(web: FakeWeb, settings):
    settings.LANTERN_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(CaptureError) as caught:
        add_from_url(web.url("/gold"))
    assert caught.value.kind == "refused-address"
    assert "127.0.0.1 is a loopback address" in str(caught.value)
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    "url", ["not a url", "ftp://example.org/report.pdf", "javascript:alert(1)", ""]
)
def test_bad_addresses_are_refused(url: str):
    with pytest.raises(CaptureError) as caught:
        add_from_url(url)
    assert caught.value.kind == "bad-url"


def test_an_error_page_is_not_added(web: FakeWeb):
    with pytest.raises(CaptureError) as caught:
        add_from_url(web.url("/no-such-report"))
    assert caught.value.kind == "http-error" and "404" in str(caught.value)
    assert not Entry.objects.exists() and not Snapshot.objects.exists()


def test_unknown_country_topic_or_pick_are_refused_and_nothing_is_written(
    web: FakeWeb,
):
    with pytest.raises(CaptureError, match="no country"):
        add_from_url(web.url("/gold"), country="QQ")
    with pytest.raises(CaptureError, match="no such topic: gold-rush"):
        add_from_url(web.url("/gold"), topics=["gold-rush"])
    with pytest.raises(CaptureError) as caught:
        add_from_url(web.url("/gold"), pick=[9])
    assert caught.value.kind == "bad-pick"
    assert not Entry.objects.exists() and not Snapshot.objects.exists()


def test_dry_run_writes_nothing(web: FakeWeb):
    added = add_from_url(web.url("/press"), dry_run=True)
    assert added.dry_run and added.entry is None and added.snapshot is None
    assert added.plan.title == "Fishing crews rescued from forced labour at sea"
    assert added.plan.published.raw == "4 May 2019"
    assert not Entry.objects.exists()


def test_capture_entry_stores_a_snapshot_of_an_existing_entry(web: FakeWeb):
    entry = EntryFactory(url=web.url("/gold-gz"))
    snapshot = capture_entry(entry)
    assert snapshot.entry == entry and snapshot.http_status == 200
    assert snapshot.title.startswith("Gold, debt and silence")
    assert snapshot.payload_size == len(read_warc(snapshot.warc_path).payload)


def test_capture_entry_fails_clearly_and_stores_nothing(web: FakeWeb):
    with pytest.raises(CaptureError) as caught:
        capture_entry(EntryFactory(url=web.url("/reset")))
    assert caught.value.kind == "fetch-failed"
    with pytest.raises(CaptureError, match="404"):
        capture_entry(EntryFactory(url=web.url("/gone")))
    with pytest.raises(CaptureError) as caught:
        capture_entry(EntryFactory(url=""))
    assert caught.value.kind == "no-url"
    assert not Snapshot.objects.exists()


def test_a_capture_job_snapshots_its_entry(web: FakeWeb):
    entry = EntryFactory(url=web.url("/kilns.pdf"))
    jobs.enqueue(Job.Kind.CAPTURE, entry_id=entry.pk, run_after=a_second_ago())
    job = jobs.run_one(kinds=[Job.Kind.CAPTURE])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert entry.snapshots.get().content_type == "application/pdf"


def test_a_failing_capture_job_is_retried_later(web: FakeWeb):
    entry = EntryFactory(url=web.url("/gone"))
    jobs.enqueue(Job.Kind.CAPTURE, entry_id=entry.pk, run_after=a_second_ago())
    job = jobs.run_one(kinds=[Job.Kind.CAPTURE])
    job.refresh_from_db()
    assert job.status == Job.Status.PENDING and "404" in job.error
