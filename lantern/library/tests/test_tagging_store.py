"""Tagging stored entries: accepted topics go on entries with their evidence, the
curators' decisions survive re-tagging, imported entries are tagged as they are
stored, `lantern tag`, and the admin's review of suggestions."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.legacy.services import import_files
from lantern.library.models import Entry, Topic, TopicSuggestion
from lantern.library.signals import entries_written
from lantern.library.tagging_services import decide, tag_entries
from lantern.library.tests.factories import EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[2] / "legacy/tests/data/pages"
State = TopicSuggestion.State

FISHING = (
    "Migrant men were held for months on fishing boats off Songkhla; the crews "
    "worked twenty hours a day and were beaten when they asked to leave."
)
QUIET = "The harbour authority published its annual statistics on fuel prices."


def slugs(entry: Entry) -> set[str]:
    return set(entry.topics.values_list("slug", flat=True))


def suggestion(entry: Entry, slug: str) -> TopicSuggestion:
    return TopicSuggestion.objects.get(entry=entry, topic__slug=slug)


def test_accepted_topics_go_on_the_entry_with_their_evidence() -> None:
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    summary = tag_entries([entry.pk])
    assert {"forced-labour", "fishing", "men", "migrants"} <= slugs(entry)
    fishing = suggestion(entry, "fishing")
    assert fishing.state == State.SUGGESTED and fishing.applied and fishing.accepted
    phrases = {p["phrase"]: p for p in fishing.evidence["phrases"]}
    assert {"fishing", "boats", "at sea"} <= set(phrases)
    snippet = phrases["fishing"]["snippets"][0]
    assert snippet["field"] == "excerpt" and snippet["match"] == "fishing"
    assert snippet["before"].endswith("held for months on ")
    assert snippet["after"].startswith(" boats off Songkhla")
    assert summary.tagged == 1 and summary.added["fishing"] == 1
    assert summary.topics_added == len(slugs(entry))


def test_a_rejected_topic_stays_off_whatever_the_retagging() -> None:
    curator = UserFactory()
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    tag_entries([entry.pk])
    decide(suggestion(entry, "fishing"), State.REJECTED, curator)
    assert "fishing" not in slugs(entry)

    summary = tag_entries([entry.pk], retag=True)
    entry.excerpt = [FISHING, "More boats were searched in March."]
    entry.save()
    tag_entries([entry.pk])

    assert "fishing" not in slugs(entry)
    rejected = suggestion(entry, "fishing")
    assert rejected.state == State.REJECTED and rejected.decided_by == curator
    assert summary.kept_off == 1 and summary.added["fishing"] == 0
    # The evidence is still kept up to date for the curator.
    assert rejected.accepted and rejected.evidence["phrases"]


def test_a_topic_given_by_hand_is_never_taken_off() -> None:
    mining = Topic.objects.get(slug="mining")
    fishing = Topic.objects.get(slug="fishing")
    entry = EntryFactory(title="At sea", excerpt=[FISHING], topics=[mining, fishing])
    tag_entries([entry.pk])
    assert not suggestion(entry, "fishing").applied  # it was there already
    entry.excerpt = [QUIET]
    entry.save()
    tag_entries([entry.pk])
    assert {"mining", "fishing"} <= slugs(entry)


def test_a_topic_the_tagger_gave_comes_off_when_the_text_no_longer_says_it() -> None:
    entry = EntryFactory(title="Harbour report", excerpt=[FISHING])
    tag_entries([entry.pk])
    assert "fishing" in slugs(entry)
    entry.excerpt = [QUIET]
    entry.save()
    summary = tag_entries([entry.pk])
    assert "fishing" not in slugs(entry)
    assert not TopicSuggestion.objects.filter(entry=entry, topic__slug="fishing")
    assert summary.removed["fishing"] == 1


def test_a_confirmed_topic_stays_after_an_edit_and_shows_its_new_evidence() -> None:
    curator = UserFactory()
    entry = EntryFactory(title="Harbour report", excerpt=[FISHING])
    tag_entries([entry.pk])
    decide(suggestion(entry, "fishing"), State.CONFIRMED, curator)
    entry.excerpt = [QUIET]
    entry.save()
    tag_entries([entry.pk])
    confirmed = suggestion(entry, "fishing")
    assert "fishing" in slugs(entry)
    assert confirmed.state == State.CONFIRMED and not confirmed.accepted
    assert confirmed.evidence == {}  # nothing in the new text


def test_confirming_a_suggestion_puts_its_topic_back() -> None:
    curator = UserFactory()
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    tag_entries([entry.pk])
    fishing = suggestion(entry, "fishing")
    decide(fishing, State.REJECTED, curator)
    decide(fishing, State.CONFIRMED, curator)
    assert "fishing" in slugs(entry)
    assert suggestion(entry, "fishing").decided_at is not None


def test_only_entries_whose_text_changed_are_read_again() -> None:
    entries = EntryFactory.create_batch(3, excerpt=[FISHING])
    ids = [e.pk for e in entries]
    assert tag_entries(ids).tagged == 3
    again = tag_entries(ids)
    assert (again.tagged, again.unchanged) == (0, 3)
    entries[0].title = "Forced labour on the boats"
    entries[0].save()
    assert tag_entries(ids).tagged == 1
    assert tag_entries(ids, retag=True).tagged == 3


def test_tagging_in_bulk_costs_the_same_queries_for_few_or_many_entries() -> None:
    few = [e.pk for e in EntryFactory.create_batch(2, excerpt=[FISHING])]
    many = [e.pk for e in EntryFactory.create_batch(40, excerpt=[FISHING])]
    with CaptureQueriesContext(connection) as small:
        tag_entries(few)
    with CaptureQueriesContext(connection) as large:
        tag_entries(many)
    # Rows are written in batches: a few more statements, never one per entry.
    assert len(large) <= len(small) + 3
    with CaptureQueriesContext(connection) as retag:
        tag_entries(many, retag=True)
    assert len(retag) <= len(small) + 2  # old suggestions deleted, decided ones kept


def test_a_dry_run_writes_nothing() -> None:
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    summary = tag_entries([entry.pk], dry_run=True)
    assert summary.added["fishing"] == 1
    assert not slugs(entry) and not TopicSuggestion.objects.exists()
    assert Entry.objects.get(pk=entry.pk).tagging_hash == ""


# ------------------------------------------------------------------------ on import


def test_imported_entries_are_tagged_as_they_are_stored() -> None:
    report = import_files([PAGES / "111-debt.txt"])
    assert report.pages[0].status != "error"
    kiln = Entry.objects.get(title__startswith="Bonded to the kiln")
    assert {"brick-kilns", "debt-bondage"} <= slugs(kiln)
    evidence = suggestion(kiln, "brick-kilns").evidence
    assert any("bricks" in p["phrase"] for p in evidence["phrases"])
    assert not Entry.objects.filter(tagging_hash="").exists()
    # Importing the same file again changes nothing.
    before = TopicSuggestion.objects.count()
    import_files([PAGES / "111-debt.txt"])
    assert TopicSuggestion.objects.count() == before


def test_only_imports_are_tagged_as_they_are_written_and_tagging_is_announced() -> None:
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    entries_written.send(Entry, ids={entry.pk}, origin="check")
    assert not TopicSuggestion.objects.exists()
    heard: list[tuple[set[int], str]] = []

    def listen(sender: object, ids: set[int], origin: str, **kwargs: object) -> None:
        heard.append((set(ids), origin))

    entries_written.connect(listen, dispatch_uid="test.tagging.listen")
    try:
        entries_written.send(Entry, ids={entry.pk}, origin="import")
    finally:
        entries_written.disconnect(dispatch_uid="test.tagging.listen")
    assert "fishing" in slugs(entry)
    # Search (and anyone else) hears of the topics written in bulk.
    assert ({entry.pk}, "tag") in heard


def test_an_import_of_many_pages_is_announced_once_at_the_end() -> None:
    heard: list[tuple[set[int], str]] = []

    def listen(sender: object, ids: set[int], origin: str, **kwargs: object) -> None:
        heard.append((set(ids), origin))

    entries_written.connect(listen, dispatch_uid="test.tagging.gathered")
    try:
        report = import_files([PAGES / "111-debt.txt", PAGES / "Bolivia.txt"])
    finally:
        entries_written.disconnect(dispatch_uid="test.tagging.gathered")
    imports = [ids for ids, origin in heard if origin == "import"]
    assert len(imports) == 1
    assert imports[0] == set(Entry.objects.values_list("pk", flat=True))
    assert sum(p.entries_created for p in report.pages) == len(imports[0])


def test_import_no_tag_leaves_tagging_for_later() -> None:
    call_command(
        "import", str(PAGES / "111-debt.txt"), "--no-tag", "--quiet",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    kiln = Entry.objects.get(title__startswith="Bonded to the kiln")
    assert not TopicSuggestion.objects.exists()
    assert kiln.tagging_hash == ""
    run_tag("--all")
    assert {"brick-kilns", "debt-bondage"} <= slugs(kiln)


# -------------------------------------------------------------------- lantern tag


def run_tag(*args: str) -> str:
    out = io.StringIO()
    call_command("tag", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_lantern_tag_prints_a_summary_with_topics() -> None:
    EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    EntryFactory(title="Harbour statistics", excerpt=[QUIET])
    output = run_tag("--all")
    assert re.search(r"entries 2 · tagged 2 · unchanged 0 · topics added \d+", output)
    assert re.search(r"^fishing\s+1\s+0$", output, re.M)
    again = run_tag("--all")
    assert "tagged 0 · unchanged 2 · topics added 0" in again


def test_lantern_tag_dry_run_and_choices() -> None:
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    EntryFactory(title="Elsewhere", excerpt=[FISHING], primary_country_id="TH")
    dry = run_tag("--entry", str(entry.pk), "--dry-run")
    assert "dry run · entries 1 · tagged 1" in dry and "nothing written" in dry
    assert not TopicSuggestion.objects.exists()
    assert "entries 1 · tagged 1" in run_tag("--country", "th")
    with pytest.raises(CommandError, match="no entry with id 999999"):
        run_tag("--entry", "999999")
    with pytest.raises(CommandError, match="no country with code 'ZZ'"):
        run_tag("--country", "ZZ")


# --------------------------------------------------------------------------- admin


def change_url(entry: Entry) -> str:
    return reverse("admin:library_entry_change", args=[entry.pk])


def form_data(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The entry's change form as the browser would send it back."""
    data: dict[str, object] = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for field in formset.management_form:
            data[field.html_name] = field.value()
        for sub in formset.forms:
            for field in sub:
                value = field.value()
                if value is not None:
                    data[field.html_name] = value
    return data


def suggestion_field(response, slug: str) -> str:  # type: ignore[no-untyped-def]
    for inline in response.context["inline_admin_formsets"]:
        for sub in inline.formset.forms:
            if sub.instance.topic.slug == slug if hasattr(sub.instance, "topic") else 0:
                return sub["state"].html_name
    raise AssertionError(f"no suggestion form for {slug}")


def test_the_entry_page_shows_the_evidence_escaped(admin_client: Client) -> None:
    entry = EntryFactory(
        title="Sea", excerpt=["<b>Crews</b> on fishing boats were held <script>."]
    )
    tag_entries([entry.pk])
    html = admin_client.get(change_url(entry)).content.decode()
    assert "Suggested topics" in html
    assert "<mark>fishing</mark>" in html and "<mark>boats</mark>" in html
    assert "&lt;b&gt;Crews&lt;/b&gt; on " in html and "<script>." not in html


def test_a_curator_rejects_and_confirms_on_the_entry_page(admin_client: Client) -> None:
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    tag_entries([entry.pk])
    page = admin_client.get(change_url(entry))
    data = form_data(page)
    data[suggestion_field(page, "fishing")] = State.REJECTED
    data[suggestion_field(page, "men")] = State.CONFIRMED
    response = admin_client.post(change_url(entry), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "fishing" not in slugs(entry) and "men" in slugs(entry)
    rejected = suggestion(entry, "fishing")
    assert rejected.state == State.REJECTED and rejected.decided_by is not None
    assert suggestion(entry, "men").state == State.CONFIRMED
    # A topic taken off by hand counts as rejected; retagging leaves it off.
    page = admin_client.get(change_url(entry))
    data = form_data(page)
    migrants = str(Topic.objects.get(slug="migrants").pk)
    data["topics"] = [t for t in data["topics"] if t != migrants]  # type: ignore[union-attr]
    assert admin_client.post(change_url(entry), data).status_code == 302
    tag_entries([entry.pk], retag=True)
    assert "migrants" not in slugs(entry)
    assert suggestion(entry, "migrants").state == State.REJECTED


def test_decisions_need_a_logged_in_curator_and_the_csrf_token() -> None:
    entry = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    tag_entries([entry.pk])
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(change_url(entry), {"title": "x"})
    assert response.status_code in (302, 403)
    staff = UserFactory(is_staff=True, is_superuser=True)
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(staff)
    assert checked.post(change_url(entry), {"title": "x"}).status_code == 403
    assert suggestion(entry, "fishing").state == State.SUGGESTED
    assert Entry.objects.get(pk=entry.pk).title == "Forced labour at sea"


def test_entries_with_unreviewed_suggestions_can_be_listed(
    admin_client: Client,
) -> None:
    tagged = EntryFactory(title="Forced labour at sea", excerpt=[FISHING])
    EntryFactory(title="Harbour statistics", excerpt=[QUIET])
    tag_entries([tagged.pk])
    url = reverse("admin:library_entry_changelist")
    html = admin_client.get(url, {"suggestions": "unreviewed"}).content.decode()
    assert "Forced labour at sea" in html and "Harbour statistics" not in html
    html = admin_client.get(url, {"suggestions": "untagged"}).content.decode()
    assert "Harbour statistics" in html and "Forced labour at sea" not in html
