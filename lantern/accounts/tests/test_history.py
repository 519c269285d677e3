"""The audit trail: who changed what and when, with the values before the change
kept, deletions included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.history import BASELINE_REASON
from lantern.accounts.tests.conftest import entry_form
from lantern.library.models import Country, Entry, Helpline, Topic
from lantern.library.tests.factories import (
    AccessFactory,
    EntryFactory,
    HelplineFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_an_admin_edit_keeps_the_previous_values_and_names_the_curator(
    curator_client, curator
):
    entry = EntryFactory(title="Old title", excerpt=["The original quotation."])
    url = reverse("admin:library_entry_change", args=[entry.pk])

    response = curator_client.post(
        url, entry_form(curator_client, entry, title="New title")
    )

    assert response.status_code == 302
    latest, before = entry.history.all()[:2]
    assert (latest.history_type, latest.title) == ("~", "New title")
    assert latest.history_user == curator
    assert before.title == "Old title"
    assert before.excerpt == ["The original quotation."]
    assert latest.diff_against(before).changed_fields == ["excerpt", "title"]


def test_one_admin_save_is_one_row_with_the_links_as_saved(curator_client):
    bolivia = Country.objects.get(code="BO")
    topic = TopicFactory()
    entry = EntryFactory(title="A report")
    rows_before = entry.history.count()
    data = entry_form(curator_client, entry, title="A report, corrected")
    data["countries"] = ["PE", "BO"]
    data["topics"] = [str(topic.pk)]

    curator_client.post(reverse("admin:library_entry_change", args=[entry.pk]), data)

    assert entry.history.count() == rows_before + 1
    latest = entry.history.first()
    assert latest.title == "A report, corrected"
    assert latest.countries == sorted(["PE", bolivia.code])
    assert latest.topics == [topic.slug]
    assert entry.history.all()[1].countries == ["PE"]


def test_a_deleted_entry_keeps_its_values_and_links(editor_client, editor):
    topic = TopicFactory()
    entry = EntryFactory(title="Soon gone", topics=[topic])
    access = AccessFactory(entry=entry, raw="[accessed 16 December 2010]")
    pk = entry.pk

    editor_client.post(
        reverse("admin:library_entry_delete", args=[pk]), {"post": "yes"}
    )

    assert not Entry.objects.filter(pk=pk).exists()
    gone = Entry.history.filter(id=pk).first()
    assert gone.history_type == "-"
    assert gone.history_user == editor
    assert gone.title == "Soon gone"
    assert gone.excerpt == entry.excerpt
    assert gone.countries == ["PE"] and gone.topics == [topic.slug]
    # Its accesses went with it, and are kept as well.
    kept = access.history.model.objects.get(id=access.pk, history_type="-")
    assert kept.raw == "[accessed 16 December 2010]"
    # The history page stays at the deleted entry's address.
    page = editor_client.get(reverse("admin:library_entry_history", args=[pk]))
    assert page.status_code == 200 and "Soon gone" in page.content.decode()


def test_a_record_written_without_history_keeps_its_stored_values(curator_client):
    """Rows the importer bulk-inserts have no history: the first change keeps the
    values it replaces as a baseline row."""
    entry = EntryFactory(title="Imported title")
    Entry.history.filter(id=entry.pk).delete()
    Entry.objects.filter(pk=entry.pk).update(notes=["Imported note."])

    curator_client.post(
        reverse("admin:library_entry_change", args=[entry.pk]),
        entry_form(curator_client, entry, title="Edited title", notes="[]"),
    )

    latest, baseline = entry.history.all()
    assert latest.title == "Edited title" and latest.history_user is not None
    assert baseline.title == "Imported title"
    assert baseline.notes == ["Imported note."]
    assert baseline.countries == ["PE"]
    assert baseline.history_user is None
    assert baseline.history_change_reason == BASELINE_REASON


def test_saves_outside_a_request_are_recorded_without_a_user():
    helpline = HelplineFactory(organisation="Old name")
    helpline.organisation = "New name"
    helpline.save()

    latest, created = helpline.history.all()[:2]
    assert (latest.organisation, latest.history_user) == ("New name", None)
    assert created.organisation == "Old name" and created.history_type == "+"
    assert Helpline.history.count() == 2


def test_a_change_of_links_alone_is_recorded():
    entry = EntryFactory()
    topic = Topic.objects.filter(parent__isnull=False).first()
    rows = entry.history.count()
    fresh = Entry.objects.get(pk=entry.pk)

    fresh.topics.add(topic)

    assert entry.history.count() == rows + 1
    assert entry.history.first().topics == [topic.slug]


def test_bulk_writes_leave_no_row():
    """Documented: machine writes in bulk (link checks, imports) are not recorded."""
    entry = EntryFactory()
    rows = entry.history.count()
    Entry.objects.filter(pk=entry.pk).update(cached_link_status="dead")
    assert entry.history.count() == rows


def test_curators_see_an_entrys_history_in_the_admin(curator_client, curator):
    entry = EntryFactory(title="First title")
    curator_client.post(
        reverse("admin:library_entry_change", args=[entry.pk]),
        entry_form(curator_client, entry, title="Second title"),
    )

    page = curator_client.get(reverse("admin:library_entry_history", args=[entry.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert curator.username in html
    assert "countries: PE · topics: —" in html
    old = entry.history.last()
    version = reverse(
        "admin:library_entry_simple_history", args=[entry.pk, old.history_id]
    )
    assert version in html
    assert "First title" in curator_client.get(version).content.decode()


def test_adding_a_link_the_entry_already_has_adds_no_row():
    entry = EntryFactory()
    Entry.objects.get(pk=entry.pk).topics.add(TopicFactory())
    rows = entry.history.count()

    fresh = Entry.objects.get(pk=entry.pk)
    fresh.countries.add(Country.objects.get(code="PE"))
    fresh.topics.set(list(fresh.topics.all()))

    assert entry.history.count() == rows
