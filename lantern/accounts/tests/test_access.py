"""Who may write what: readers nothing, curators add and edit, editors also delete
and manage users. Every write needs a signed-in account, the permission and the
CSRF token."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lantern.accounts.tests.conftest import entry_form, signed_in
from lantern.library.models import Entry, Helpline, Publisher
from lantern.library.tests.factories import (
    AccessFactory,
    CountryProfileFactory,
    EntryFactory,
    HelplineFactory,
    PublisherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records() -> dict[str, Any]:
    entry = EntryFactory()
    return {
        "entry": entry,
        "access": AccessFactory(entry=entry),
        "helpline": HelplineFactory(),
        "profile": CountryProfileFactory(),
        "publisher": PublisherFactory(),
    }


def write_urls(records: dict[str, Any]) -> list[str]:
    """Every page of the curators' tools that writes when posted to."""
    entry = records["entry"]
    urls = [
        reverse("admin:library_entry_add"),
        reverse("admin:library_entry_change", args=[entry.pk]),
        reverse("admin:library_entry_delete", args=[entry.pk]),
        reverse("admin:library_entry_changelist"),  # bulk actions
        reverse("admin:library_access_change", args=[records["access"].pk]),
        reverse("admin:library_helpline_add"),
        reverse("admin:library_helpline_delete", args=[records["helpline"].pk]),
        reverse("admin:library_countryprofile_change", args=[records["profile"].pk]),
        reverse("admin:library_publisher_delete", args=[records["publisher"].pk]),
        reverse("admin:library_topic_add"),
        reverse("admin:teaching_resourcelink_add"),
        reverse("admin:capture_add_from_url"),
        reverse("admin:auth_user_add"),
    ]
    history = entry.history.first()
    if history is not None:
        urls.append(
            reverse(
                "admin:library_entry_simple_history",
                args=[entry.pk, history.history_id],
            )
        )
    return urls


def nothing_changed(records: dict[str, Any]) -> None:
    entry = Entry.objects.get(pk=records["entry"].pk)
    assert entry.title == records["entry"].title
    assert Helpline.objects.filter(pk=records["helpline"].pk).exists()
    assert Publisher.objects.filter(pk=records["publisher"].pk).exists()
    assert Entry.objects.count() == 1
    assert not get_user_model().objects.filter(username="intruder").exists()


POST = {
    "title": "Changed by someone who may not",
    "action": "delete_selected",
    "_selected_action": "1",
    "post": "yes",
    "username": "intruder",
    "password1": "a long enough pass phrase",
    "password2": "a long enough pass phrase",
    "url": "https://example.org/",
}


def test_readers_are_sent_to_sign_in_from_every_write_url(client, records):
    for url in write_urls(records):
        response = client.post(url, POST)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    nothing_changed(records)


def test_a_signed_in_account_without_a_role_may_not_write(no_role, records):
    client = signed_in(no_role)
    for url in write_urls(records):
        response = client.post(url, POST)
        assert response.status_code == 403, url
    nothing_changed(records)


def test_the_curators_pages_are_for_curators(client, no_role, curator, editor):
    for url in ("/curate/links/", "/curate/links/changes.atom"):
        assert client.get(url).status_code == 302
        assert signed_in(no_role).get(url).status_code == 403
        assert signed_in(curator).get(url).status_code == 200
        assert signed_in(editor).get(url).status_code == 200


def test_curators_add_and_edit_entries(curator_client, curator, records):
    entry = records["entry"]
    url = reverse("admin:library_entry_change", args=[entry.pk])
    data = entry_form(curator_client, entry, title="A better title")

    response = curator_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Entry.objects.get(pk=entry.pk).title == "A better title"
    added = curator_client.post(
        reverse("admin:library_entry_add"),
        entry_form(curator_client, entry, title="A new entry", key=""),
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    new = Entry.objects.get(title="A new entry")
    assert new.added_by == curator


def test_curators_may_not_delete(curator_client, records):
    entry = records["entry"]
    delete = reverse("admin:library_entry_delete", args=[entry.pk])
    assert curator_client.get(delete).status_code == 403
    assert curator_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:library_entry_changelist")
    curator_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert Entry.objects.filter(pk=entry.pk).exists()
    helpline = reverse("admin:library_helpline_delete", args=[records["helpline"].pk])
    assert curator_client.post(helpline, {"post": "yes"}).status_code == 403
    assert Helpline.objects.filter(pk=records["helpline"].pk).exists()
    # No delete button on the change page either.
    page = curator_client.get(reverse("admin:library_entry_change", args=[entry.pk]))
    assert delete not in page.content.decode()


def test_curators_do_not_see_users(curator_client):
    assert curator_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    index = curator_client.get(reverse("admin:index")).content.decode()
    assert "/admin/auth/user/" not in index
    assert "/admin/library/entry/" in index


def test_editors_delete_entries(editor_client, records):
    entry = records["entry"]
    delete = reverse("admin:library_entry_delete", args=[entry.pk])

    response = editor_client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_editors_delete_entries_that_have_snapshots(editor_client, records):
    from lantern.capture.models import Snapshot

    entry = records["entry"]
    Snapshot.objects.create(entry=entry, url=entry.url, captured_at="2024-01-01T00:00Z")

    response = editor_client.post(
        reverse("admin:library_entry_delete", args=[entry.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_editors_manage_users_but_cannot_make_superusers(editor_client, curator):
    response = editor_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert get_user_model().objects.filter(username="newcomer").exists()
    page = editor_client.get(reverse("admin:auth_user_change", args=[curator.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="groups"' in html
    assert 'name="is_superuser"' not in html


def test_editors_cannot_change_a_superuser(editor_client, admin_user):
    change = reverse("admin:auth_user_change", args=[admin_user.pk])
    password = reverse("admin:auth_user_password_change", args=[admin_user.pk])
    assert editor_client.post(change, {"username": "taken-over"}).status_code == 403
    assert (
        editor_client.post(
            password, {"password1": "x" * 20, "password2": "x" * 20}
        ).status_code
        == 403
    )
    admin_user.refresh_from_db()
    assert admin_user.username == "admin"
    assert not admin_user.check_password("x" * 20)


# ------------------------------------------------------------------------------ CSRF


def test_posts_without_the_csrf_token_are_refused(curator, editor, records):
    entry = records["entry"]
    as_curator = signed_in(curator, csrf=True)
    data = entry_form(as_curator, entry, title="Forged change")
    for url in (
        reverse("admin:library_entry_change", args=[entry.pk]),
        reverse("admin:library_entry_add"),
        reverse("admin:capture_add_from_url"),
    ):
        assert as_curator.post(url, data).status_code == 403, url
    as_editor = signed_in(editor, csrf=True)
    delete = reverse("admin:library_entry_delete", args=[entry.pk])
    assert as_editor.post(delete, {"post": "yes"}).status_code == 403
    assert Entry.objects.get(pk=entry.pk).title == entry.title


def test_a_post_with_the_token_goes_through(curator, records):
    entry = records["entry"]
    browser = signed_in(curator, csrf=True)
    url = reverse("admin:library_entry_change", args=[entry.pk])
    data = entry_form(browser, entry, title="Changed with the token")
    data["csrfmiddlewaretoken"] = browser.cookies["csrftoken"].value

    assert browser.post(url, data).status_code == 302
    assert Entry.objects.get(pk=entry.pk).title == "Changed with the token"
