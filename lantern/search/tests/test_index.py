"""The index stays in step with every write: saves, deletes, countries and topics,
accesses, publishers, bulk writes that announce themselves, rolled-back
transactions, and `lantern reindex`."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from lantern.library.models import Entry, Publisher
from lantern.library.tests.factories import AccessFactory, EntryFactory
from lantern.search import index
from lantern.search.facets import Filters
from lantern.search.index import get_backend
from lantern.search.services import run_search

from .conftest import country, topic

PAGES = Path(__file__).resolve().parents[2] / "legacy" / "tests" / "data" / "pages"


def found(text: str, **filters: str) -> list[int]:
    params = {k: [v] for k, v in filters.items()}
    page = run_search(text, filters=Filters.from_params(params), per_page=100)
    return [f.entry.pk for f in page.found]


def counts(text: str, key: str) -> dict[str, int]:
    page = run_search(text)
    return {v.value: v.count for g in page.facets if g.key == key for v in g.values}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run what waits for the commit when the block ends, as a real commit would."""

    def block():  # type: ignore[no-untyped-def]
        return django_capture_on_commit_callbacks(execute=True)

    return block


def test_a_new_entry_is_found_once_committed(backend, committed):
    with committed() as callbacks:
        entry = EntryFactory(title="Quarry workers freed", excerpt=["Pumice."])
        assert found("quarry") == []  # not before the commit
    assert callbacks
    assert found("quarry") == [entry.pk]
    assert found("pumice") == [entry.pk]


def test_editing_the_title_and_excerpt_reindexes(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry workers freed", excerpt=["Pumice."])
    with committed():
        entry.title = "Mine workers freed"
        entry.excerpt = ["Basalt and granite."]
        entry.save()
    assert found("quarry") == []
    assert found("pumice") == []
    assert found("mine") == [entry.pk]
    assert found("granite") == [entry.pk]


def test_changing_countries_and_topics_reindexes(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry workers", primary_country=country("PE"))
    assert found("quarry", country="BO") == []
    with committed():
        entry.countries.add(country("BO"))
        entry.topics.add(topic("fishing"))
    assert found("quarry", country="BO") == [entry.pk]
    assert found("quarry", topic="fishing") == [entry.pk]
    with committed():
        entry.countries.remove(country("BO"))
        entry.topics.clear()
    assert found("quarry", country="BO") == []
    assert found("quarry", topic="fishing") == []
    assert found("quarry", country="PE") == [entry.pk]


def test_changes_from_the_country_side_reindex(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry workers", primary_country=country("PE"))
    bolivia = country("BO")
    with committed():
        bolivia.entries.add(entry)
    assert found("quarry", country="BO") == [entry.pk]
    with committed():
        bolivia.entries.clear()
    assert found("quarry", country="BO") == []


def test_facet_counts_follow_edits(backend, committed):
    with committed():
        entries = [EntryFactory(title=f"Quarry {n}") for n in range(3)]
    # Most of the library matches: counted from the whole library's counts.
    assert counts("quarry", "country") == {"PE": 3}
    with committed():
        entries[0].countries.add(country("BO"))
        entries[1].delete()
    assert counts("quarry", "country") == {"PE": 2, "BO": 1}
    assert counts("", "country") == {"PE": 2, "BO": 1}


def test_a_new_access_updates_last_verified(backend, committed):
    with committed():
        older = EntryFactory(title="Quarry one")
        newer = EntryFactory(title="Quarry two")
        AccessFactory(entry=older, accessed_on=dt.date(2015, 1, 1))
    page = run_search("quarry", sort="verified")
    assert [f.entry.pk for f in page.found] == [older.pk, newer.pk]
    with committed():
        AccessFactory(entry=newer, accessed_on=dt.date(2020, 1, 1))
    page = run_search("quarry", sort="verified")
    assert [f.entry.pk for f in page.found] == [newer.pk, older.pk]


def test_a_link_status_change_reindexes(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry one")
    assert found("quarry", status="dead") == []
    with committed():
        entry.cached_link_status = "dead"
        entry.save(update_fields=["cached_link_status"])
    assert found("quarry", status="dead") == [entry.pk]


def test_renaming_a_publisher_reindexes_its_entries(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry one", source_line="")
    publisher = entry.publisher
    with committed():
        publisher.name = "Obsidian Watch"
        publisher.kind = Publisher.Kind.ACADEMIC
        publisher.save()
    assert found("obsidian") == [entry.pk]
    assert found("quarry", kind="academic") == [entry.pk]


def test_deleting_a_publisher_reindexes_its_entries(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry one", source_line="")
        entry.publisher.name = "Obsidian Watch"
        entry.publisher.save()
    assert found("obsidian") == [entry.pk]
    with committed():
        entry.publisher.delete()
    assert found("obsidian") == []
    assert found("quarry") == [entry.pk]


def test_a_deleted_entry_leaves_the_index(backend, committed):
    with committed():
        kept = EntryFactory(title="Quarry one")
        gone = EntryFactory(title="Quarry two")
    before = get_backend().count()
    with committed():
        gone.delete()
    assert found("quarry") == [kept.pk]
    assert get_backend().count() == before - 1


def test_a_rolled_back_transaction_leaves_the_index_untouched(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry one")
    with (
        committed() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        EntryFactory(title="Quarry two")
        entry.title = "Granite one"
        entry.save()
        Entry.objects.get(pk=entry.pk).delete()
        raise RuntimeError
    assert not callbacks
    assert found("quarry") == [entry.pk]
    assert found("granite") == []


def test_bulk_writers_announce_what_they_wrote(backend, committed):
    with committed():
        entry = EntryFactory(title="Quarry one")
    with committed():
        Entry.objects.filter(pk=entry.pk).update(title="Granite one")
    assert found("granite") == []  # no signal: the index cannot know
    with committed():
        index.entries_changed([entry.pk])
    assert found("granite") == [entry.pk]


def test_automatic_updates_can_be_turned_off(backend, committed, settings):
    settings.LANTERN_SEARCH_AUTO_UPDATE = False
    with committed() as callbacks:
        EntryFactory(title="Quarry one")
    assert not callbacks
    assert found("quarry") == []


def test_a_broken_index_does_not_undo_the_write(backend, committed, settings):
    settings.LANTERN_SEARCH_BACKEND = "nonsense"
    with committed():
        entry = EntryFactory(title="Quarry one")
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_importing_a_legacy_page_makes_its_entries_findable(
    backend, committed, tmp_path
):
    from lantern.legacy.services import import_files

    path = tmp_path / "Bolivia.txt"
    shutil.copy(PAGES / "Bolivia.txt", path)
    with committed():
        report = import_files([path])
    assert report.pages[0].status != "error"
    entries = list(Entry.objects.in_country("BO"))
    assert entries
    assert sorted(found("", country="BO")) == sorted(e.pk for e in entries)
    assert get_backend().count() == Entry.objects.count()


def test_reindex_rebuilds_the_whole_index(backend, committed, settings):
    settings.LANTERN_SEARCH_AUTO_UPDATE = False
    with committed():
        entries = [EntryFactory(title=f"Quarry {n}") for n in range(3)]
    assert found("quarry") == []
    out = StringIO()
    call_command("reindex", stdout=out)
    assert f"search index ({backend})" in out.getvalue()
    assert "entries 3" in out.getvalue()
    assert sorted(found("quarry")) == sorted(e.pk for e in entries)
    # Again: the same entries, not twice as many.
    call_command("reindex", stdout=StringIO())
    assert get_backend().count() == 3


def test_reindex_drops_entries_no_longer_in_the_library(backend, committed, settings):
    with committed():
        kept = EntryFactory(title="Quarry one")
        gone = EntryFactory(title="Quarry two")
    settings.LANTERN_SEARCH_AUTO_UPDATE = False
    with committed():
        gone.delete()
    assert get_backend().count() == 2  # the index still holds it
    assert found("quarry") == [kept.pk]  # but a vanished entry is never shown
    call_command("reindex", stdout=StringIO())
    assert get_backend().count() == 1
    assert found("quarry") == [kept.pk]


def test_an_empty_index_is_filled_from_the_library_once(backend, committed, settings):
    # As after an upgrade to a new index schema: entries, but nothing indexed.
    settings.LANTERN_SEARCH_AUTO_UPDATE = False
    with committed():
        entries = [EntryFactory(title=f"Quarry {n}") for n in range(2)]
    assert found("quarry") == []
    assert index.ensure_built() == 2
    assert sorted(found("quarry")) == sorted(e.pk for e in entries)
    assert index.ensure_built() == 0  # already built: nothing done


def test_accents_do_not_matter(backend, committed):
    with committed():
        entry = EntryFactory(
            title="Cocoa farms of Côte d’Ivoire",
            excerpt=[
                "Children from Burkina Faso work on the plantations of São Pedro."
            ],
        )
        EntryFactory(title="Cocoa elsewhere", excerpt=["Nothing accented here."])
    assert found("cote") == [entry.pk]
    assert found("côte") == [entry.pk]
    assert found('"sao pedro"') == [entry.pk]
    page = run_search("cote")
    if backend == "tantivy":
        assert "<mark>Côte</mark>" in page.found[0].hit.title_html
    else:
        # PostgreSQL's headline marks only words spelled as typed.
        assert "<mark>Côte</mark>" in run_search("côte").found[0].hit.title_html
