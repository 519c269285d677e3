"""Curators act on links from the entry list: filters by link status and snapshot,
and actions that check now or queue work for the worker."""

from __future__ import annotations

import pytest

from lantern.core.fakeweb import FakeWeb, html
from lantern.core.models import Job
from lantern.library.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_link_status_filter(admin_client) -> None:  # type: ignore[no-untyped-def]
    dead = EntryFactory(
        title="A dead report", url="www.gone.example/x", cached_link_status="dead"
    )
    EntryFactory(
        title="A live report", url="www.live.example/x", cached_link_status="alive"
    )
    page = admin_client.get("/admin/library/entry/", {"link": "dead"}).content.decode()
    assert dead.title in page and "A live report" not in page


def test_check_now_action_records_a_check(admin_client) -> None:  # type: ignore[no-untyped-def]
    with FakeWeb({"/r": html("<p>Brick kilns and debt.</p>")}) as web:
        entry = EntryFactory(url=web.url("/r"), excerpt=[])
        response = admin_client.post(
            "/admin/library/entry/",
            {"action": "check_now", "_selected_action": [entry.pk]},
            follow=True,
        )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.cached_link_status == "alive"
    assert entry.accesses.filter(origin="checker", outcome="alive").exists()


def test_queue_actions_add_jobs_once(admin_client) -> None:  # type: ignore[no-untyped-def]
    entry = EntryFactory(url="www.example.org/a")
    for _ in range(2):
        admin_client.post(
            "/admin/library/entry/",
            {"action": "queue_capture", "_selected_action": [entry.pk]},
        )
    assert Job.objects.filter(kind="capture", entry=entry).count() == 1
