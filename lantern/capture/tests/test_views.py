"""Replay: the banner page around a sandboxed frame, and the archived document
served so that nothing in it runs in Lantern's origin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.capture.services import add_from_url, capture_entry
from lantern.capture.tests.conftest import KILN_PDF, page
from lantern.core.fakeweb import FakeWeb
from lantern.library.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def test_replay_page_says_what_it_is_and_frames_the_copy(client, web: FakeWeb):
    added = add_from_url(web.url("/gold-gz"))
    snapshot = added.snapshot
    assert snapshot.get_absolute_url() == f"/archive/{snapshot.pk}/"
    response = client.get(snapshot.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Archived copy" in html
    assert web.url("/gold-gz") in html
    assert f"{snapshot.captured_at:%Y}" in html and "captured on" in html
    assert f'<time datetime="{snapshot.captured_at.isoformat()}' in html
    raw = reverse("capture:snapshot-raw", args=[snapshot.pk])
    assert f'<iframe class="archive-frame" src="{raw}" sandbox ' in html
    assert added.entry.get_absolute_url() in html
    assert response["X-Frame-Options"] == "DENY"


def test_raw_copy_is_served_sandboxed_with_its_type(client, web: FakeWeb):
    snapshot = add_from_url(web.url("/gold-gz")).snapshot
    response = client.get(reverse("capture:snapshot-raw", args=[snapshot.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response.content == page("andean-observer-gold.html")  # decoded


def test_a_pdf_is_served_as_a_pdf(client, web: FakeWeb):
    snapshot = capture_entry(EntryFactory(url=web.url("/kilns.pdf")))
    response = client.get(reverse("capture:snapshot-raw", args=[snapshot.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == KILN_PDF
    assert "PDF" in client.get(snapshot.get_absolute_url()).content.decode()


def test_archived_scripts_are_served_as_text(client, web: FakeWeb):
    snapshot = capture_entry(EntryFactory(url=web.url("/script.js")))
    response = client.get(reverse("capture:snapshot-raw", args=[snapshot.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Security-Policy"] == "sandbox"


def test_unknown_snapshots_are_not_found(client):
    assert client.get("/archive/999999/").status_code == 404
    assert client.get("/archive/999999/raw/").status_code == 404


def test_replay_is_read_only(client, web: FakeWeb):
    snapshot = capture_entry(EntryFactory(url=web.url("/gold")))
    assert client.post(snapshot.get_absolute_url()).status_code == 405


def test_replay_page_has_the_site_policy_and_the_copy_keeps_its_own(
    client, web: FakeWeb
):
    snapshot = add_from_url(web.url("/gold-gz")).snapshot
    banner = client.get(snapshot.get_absolute_url())
    policy = banner["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "<style" not in banner.content.decode()
    raw = client.get(reverse("capture:snapshot-raw", args=[snapshot.pk]))
    # The site's policy never replaces the copy's stricter one.
    assert raw["Content-Security-Policy"] == "sandbox"
    assert raw["X-Frame-Options"] == "SAMEORIGIN"
