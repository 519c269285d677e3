"""The Internet Archive capture closest to the curator's accessed date, found with a
local fake of the availability API that answers in the real API's shape."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from lantern.capture.wayback import (
    WaybackError,
    parse_availability,
    target_date,
    update_wayback,
)
from lantern.core.fakeweb import FakeWeb
from lantern.library.tests.factories import AccessFactory, EntryFactory

pytestmark = pytest.mark.django_db

CITED = "http://www.example.org/reports/peru-2010.html"


def capture(timestamp: str, status: str = "200") -> dict[str, object]:
    return {
        "status": status,
        "available": True,
        "url": f"http://web.archive.org/web/{timestamp}/{CITED}",
        "timestamp": timestamp,
    }


def asked(web: FakeWeb) -> dict[str, list[str]]:
    last = [r for r in web.hits() if r.path.startswith("/wayback/available?")][-1]
    return parse_qs(urlsplit(last.path).query)


def test_closest_capture_to_the_accessed_date_is_kept(web: FakeWeb, wayback_api):
    wayback_api[CITED] = capture("20101219083015")
    entry = EntryFactory(url=CITED)
    AccessFactory(entry=entry, accessed_on=dt.date(2010, 12, 16))
    AccessFactory(entry=entry, accessed_on=dt.date(2012, 3, 1))
    found = update_wayback(entry)
    assert asked(web) == {"url": [CITED], "timestamp": ["20101216"]}
    assert found.captured_at == dt.datetime(2010, 12, 19, 8, 30, 15, tzinfo=dt.UTC)
    entry.refresh_from_db()
    assert entry.wayback_url == f"https://web.archive.org/web/20101219083015/{CITED}"
    assert entry.wayback_captured_at == found.captured_at


def test_failed_checks_are_not_the_accessed_date(web: FakeWeb, wayback_api):
    entry = EntryFactory(url=CITED, published_date=dt.date(2009, 5, 1))
    AccessFactory(
        entry=entry, origin="checker", outcome="dead", accessed_on=dt.date(2008, 1, 1)
    )
    assert target_date(entry) == dt.date(2009, 5, 1)  # the publication date
    update_wayback(entry)
    assert asked(web)["timestamp"] == ["20090501"]


def test_no_capture_leaves_the_entry_alone(web: FakeWeb, wayback_api):
    entry = EntryFactory(url="www.example.org/never-archived")
    assert update_wayback(entry) is None
    assert asked(web)["url"] == ["http://www.example.org/never-archived"]
    entry.refresh_from_db()
    assert entry.wayback_url == "" and entry.wayback_captured_at is None


def test_an_archived_error_page_is_no_copy():
    answer = {
        "url": CITED,
        "archived_snapshots": {"closest": capture("20110101000000", "404")},
    }
    assert parse_availability(json.dumps(answer).encode()) is None


def test_a_broken_api_is_an_error_not_an_answer(web: FakeWeb, wayback_api):
    with pytest.raises(WaybackError, match="503"):
        update_wayback(EntryFactory(url="http://www.example.org/api-broken"))
    with pytest.raises(WaybackError, match="no JSON"):
        parse_availability(b"<html>maintenance</html>")


def test_a_wayback_job_finds_the_copy(web: FakeWeb, wayback_api) -> None:
    from lantern.core.jobs import enqueue, run_one

    wayback_api[CITED] = capture("20110102030405")
    entry = EntryFactory(url=CITED, cached_link_status="dead")
    enqueue(
        "wayback", entry_id=entry.pk, run_after=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )
    job = run_one(kinds=["wayback"])
    assert job is not None and job.status == "done"
    entry.refresh_from_db()
    assert entry.wayback_url.endswith(f"/20110102030405/{CITED}")
