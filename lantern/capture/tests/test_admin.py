"""The admin's "Add from URL": staff only, CSRF protected, two steps over one fetch."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lantern.capture.models import Snapshot
from lantern.capture.services import capture_entry
from lantern.core.fakeweb import FakeWeb
from lantern.library.models import Entry
from lantern.library.tests.factories import EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = "admin:capture_add_from_url"


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_the_entry_list_links_to_add_from_url(admin_client):
    html = admin_client.get(reverse("admin:library_entry_changelist")).content.decode()
    assert f'href="{reverse(ADD)}"' in html and "Add from URL" in html


def test_fetch_then_confirm_creates_the_entry_from_one_fetch(
    admin_client, admin_user, web: FakeWeb
):
    url = web.url("/gold")
    before = len(web.hits("/gold"))
    step_one = admin_client.post(reverse(ADD), {"url": url})
    assert step_one.status_code == 200
    html = step_one.content.decode()
    assert "Create the entry" in html
    assert "Gold, debt and silence" in html and "Andean Observer" in html
    assert "debt-bondage" in html  # a suggested topic, with its evidence
    assert "[score " in html  # the proposed excerpts
    token = token_of(html)

    form = step_one.context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    data.update(
        token=token,
        title="Gold, debt and silence: forced labour in Madre de Dios",
        authors="María Quispe\nJohn Carter",
        place="Puerto Maldonado, Peru",
        primary_country="PE",
        countries=["BO"],
        topics=["debt-bondage", "mining"],
        pick=["1"],
        published_date="2021-03-12",
    )
    step_two = admin_client.post(reverse(ADD), data)
    entry = Entry.objects.get()
    assert step_two.status_code == 302
    assert step_two["Location"] == reverse(
        "admin:library_entry_change", args=[entry.pk]
    )
    assert len(web.hits("/gold")) == before + 1  # nothing fetched again
    assert entry.title == "Gold, debt and silence: forced labour in Madre de Dios"
    assert entry.place == "Puerto Maldonado, Peru"
    assert entry.source_line == (
        "María Quispe, John Carter, Andean Observer, Puerto Maldonado, Peru, 12 March 2021"
    )
    assert entry.added_by == admin_user
    assert list(entry.countries.values_list("code", flat=True)) == ["BO", "PE"]
    assert entry.primary_country_id == "PE"
    assert set(entry.topics.values_list("slug", flat=True)) == {
        "debt-bondage",
        "mining",
    }
    assert len(entry.excerpt) == 1
    snapshot = Snapshot.objects.get(entry=entry)
    assert entry.accesses.get().excerpt_found is True
    # The snapshot is the WARC stored at step one.
    assert token and snapshot.warc_path.startswith("warcs/")


def test_step_one_shows_why_a_url_cannot_be_added(admin_client, web: FakeWeb):
    existing = EntryFactory(url=web.url("/press"))
    html = admin_client.post(reverse(ADD), {"url": web.url("/press")}).content.decode()
    assert f"entry {existing.pk}" in html and "already in the library" in html
    html = admin_client.post(
        reverse(ADD), {"url": "javascript:alert(1)"}
    ).content.decode()
    assert "not a web address" in html


def test_a_tampered_token_is_refused(admin_client):
    response = admin_client.post(reverse(ADD), {"token": "forged:token", "title": "x"})
    assert response.status_code == 302 and response["Location"] == reverse(ADD)
    assert not Entry.objects.exists()


def test_only_staff_with_permission_may_add(client, web: FakeWeb):
    assert client.get(reverse(ADD)).status_code == 302  # to the login page
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(reverse(ADD)).status_code == 403
    assert not Entry.objects.exists()


def test_the_form_is_csrf_protected(admin_user, web: FakeWeb):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    assert browser.get(reverse(ADD)).status_code == 200
    response = browser.post(reverse(ADD), {"url": web.url("/gold")})
    assert response.status_code == 403


def test_snapshots_are_listed_read_only(admin_client, web: FakeWeb):
    snapshot = capture_entry(EntryFactory(url=web.url("/gold")))
    html = admin_client.get(
        reverse("admin:capture_snapshot_changelist")
    ).content.decode()
    assert snapshot.get_absolute_url() in html
    assert admin_client.get(reverse("admin:capture_snapshot_add")).status_code == 403


def test_a_pdf_added_in_the_admin_gets_the_page_of_the_pasted_excerpt(
    admin_client, web: FakeWeb
):
    step_one = admin_client.post(
        reverse(ADD), {"url": web.url("/kilns.pdf"), "country": "NP"}
    )
    form = step_one.context["form"]
    assert form["format"].value() == "pdf" and form["primary_country"].value() == "NP"
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    data["excerpt"] = (
        "Children as young as ten carry loads of bricks for twelve hours a day."
    )
    assert admin_client.post(reverse(ADD), data).status_code == 302
    entry = Entry.objects.get()
    assert (entry.format, entry.page_ref, entry.primary_country_id) == (
        "pdf",
        "2",
        "NP",
    )
