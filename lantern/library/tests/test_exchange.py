"""The JSON export and its restore: `lantern import` of an export gives back the same
library; a bad file changes nothing and names the bad record."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from lantern.capture.models import Snapshot
from lantern.legacy.services import import_files
from lantern.legacy.tests.helpers import PAGES
from lantern.library.export import export_library, write_export
from lantern.library.models import (
    Access,
    CountryProfile,
    Entry,
    Helpline,
    Publisher,
    SourcePage,
    TierPlacement,
    TipSummary,
)
from lantern.linkcheck.models import CheckRun
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
)

pytestmark = pytest.mark.django_db


def empty_library() -> None:
    for model in (
        Snapshot,
        Access,
        CheckRun,
        Helpline,
        Entry,
        CountryProfile,
        TipSummary,
        ResourceLink,
        DebateProposition,
        LessonPlan,
        Guidance,
        SourcePage,
        Publisher,
    ):
        model.objects.all().delete()
    TierPlacement.objects.filter(source__in=["legacy-page", "curator"]).delete()


def comparable(data: dict) -> dict:
    data = dict(data)
    data.pop("exported_at")
    return data


def add_link_evidence() -> dict[str, Entry]:
    """Checks, snapshots and Internet Archive captures on three imported entries,
    as the link checker, the capture and the worker leave them."""
    dead, moved, drifted = Entry.objects.order_by("id")[:3]
    for n, entry in enumerate((dead, moved, drifted)):
        if not entry.url:
            entry.url = f"https://example.org/source/{n}"
            entry.save(update_fields=["url"])
    run = CheckRun.objects.create(
        status=CheckRun.Status.FINISHED,
        finished_at=dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC),
        options={"due": True, "per_host": 2},
        counts={"alive": 1, "dead": 1, "moved": 1},
    )
    CheckRun.objects.filter(pk=run.pk).update(
        started_at=dt.datetime(2025, 6, 1, 8, 0, tzinfo=dt.UTC)
    )
    checked = dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC)
    for entry, outcome in ((dead, "dead"), (moved, "moved"), (drifted, "drifted")):
        position = entry.accesses.count()
        Access.objects.create(
            entry=entry,
            position=position,
            url=entry.url,
            origin=Access.Origin.CHECKER,
            accessed_on=checked.date(),
            checked_at=checked,
            outcome=outcome,
            http_status={"dead": 404, "moved": 200, "drifted": 200}[outcome],
            final_url="https://example.org/new-home" if outcome == "moved" else "",
            excerpt_found={"dead": None, "moved": True, "drifted": False}[outcome],
            run=run,
            redirect_chain=[{"url": entry.url, "status": 301}]
            if outcome == "moved"
            else [],
            content_hash="" if outcome == "dead" else "ab" * 32,
            elapsed_ms=412,
            attempts=2 if outcome == "dead" else 1,
            error="HTTP 404" if outcome == "dead" else "",
        )
        Entry.objects.filter(pk=entry.pk).update(
            cached_link_status=outcome, cached_last_checked_at=checked
        )
    # A check made outside any run (the worker's single checks).
    Access.objects.create(
        entry=dead,
        position=dead.accesses.count(),
        url=dead.url,
        origin=Access.Origin.CHECKER,
        checked_at=checked - dt.timedelta(days=40),
        outcome="timeout",
        elapsed_ms=45000,
        attempts=3,
        error="ReadTimeout",
    )
    Snapshot.objects.create(
        entry=dead,
        url=dead.url,
        final_url=dead.url,
        captured_at=dt.datetime(2019, 4, 22, 10, 0, tzinfo=dt.UTC),
        http_status=200,
        content_type="text/html; charset=utf-8",
        warc_path="warcs/2019/04/dead.warc.gz",
        warc_size=20480,
        payload_sha256="cd" * 32,
        payload_size=51200,
        title="The page as it was",
    )
    Snapshot.objects.create(  # a failed capture: kept, never offered to readers
        entry=dead,
        url=dead.url,
        captured_at=dt.datetime(2025, 6, 2, tzinfo=dt.UTC),
        http_status=404,
        warc_path="warcs/2025/06/dead.warc.gz",
        truncated=True,
    )
    Entry.objects.filter(pk=moved.pk).update(
        wayback_url="https://web.archive.org/web/20110101000000/http://example.org/",
        wayback_captured_at=dt.datetime(2011, 1, 1, tzinfo=dt.UTC),
    )
    return {"dead": dead, "moved": moved, "drifted": drifted}


def test_export_then_import_restores_the_same_library(
    seed_path: Path, tmp_path: Path
) -> None:
    import_files([seed_path, PAGES])
    add_link_evidence()
    first = export_library()
    assert len(first["check_runs"]) == 1
    assert sum(len(e["snapshots"]) for e in first["entries"]) == 2
    assert len(first["entries"]) > 100
    assert first["teaching"]["propositions"] and first["tip_summaries"]
    path = tmp_path / "library.json"
    write_export(first, path)

    empty_library()
    assert not Entry.objects.exists()
    report = import_files([path])

    assert report.errors == []
    second = export_library()
    assert comparable(second) == comparable(first)


def test_export_entry_has_the_documented_fields(seed_path: Path) -> None:
    import_files([seed_path])
    data = export_library(country="pe")
    assert data["scope"] == {"country": "PE"}
    assert {"countries", "entries", "helplines", "profiles", "pages"} <= set(data)
    assert {c["code"] for c in data["countries"]} == {
        "PE",
        "BO",
        "BR",
        "CL",
        "CO",
        "EC",
    }
    entry = next(e for e in data["entries"] if e["page"] == "811")
    for key in (
        "id",
        "title",
        "format",
        "authors",
        "publisher",
        "place",
        "published",
        "url",
        "accesses",
        "page",
        "notes",
        "archived_copy_note",
        "excerpt",
        "section",
        "countries",
        "topics",
    ):
        assert key in entry
    assert entry["published"] == {"raw": "2018", "date": "2018", "precision": "year"}
    assert entry["accesses"][0]["date"] == "2019-04-22"
    assert entry["accesses"][0]["raw"] == "[accessed 22 April 2019]"
    assert entry["countries"] == ["PE"]
    page = data["pages"][0]
    assert (page["kind"], page["country"], page["unparsed"]) == ("country", "PE", [])
    assert page["file"].endswith("000_7cac840d8231d509.txt")
    profile = data["profiles"][0]
    assert profile["tip"]["report_year"] == 2009
    assert {"year": 2009, "tier": "tier2", "source": "kelley-heiss"} in profile[
        "tier_history"
    ]


def test_bad_export_changes_nothing_and_names_the_record(
    seed_path: Path, tmp_path: Path
) -> None:
    import_files([seed_path])
    data = export_library()
    data["entries"][0]["title"] = "Changed"
    data["entries"][3]["countries"] = ["PE", "ZZ"]
    path = tmp_path / "bad.json"
    write_export(data, path)

    report = import_files([path])

    assert report.pages[0].status == "error"
    assert "entries[3].countries: unknown country 'ZZ'" in report.pages[0].error
    assert not Entry.objects.filter(title="Changed").exists()


def test_not_an_export_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"hello": 1}))
    report = import_files([path])
    assert report.pages[0].status == "error"
    assert "not a Lantern export" in report.pages[0].error
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "lantern-export",\n "version": 1,\n')
    report = import_files([broken])
    assert "not valid JSON (line 3)" in report.pages[0].error


def test_restoring_another_librarys_export_never_overwrites_by_id(
    seed_path: Path, tmp_path: Path
) -> None:
    # Another library: one Chilean page whose entries have ids 1, 2, …
    other = tmp_path / "Chile.txt"
    other.write_text(
        "Human Trafficking & Modern-day Slavery\n\n"
        "Published reports & articles from 2000 to 2025\n\nRepublic of Chile\n\n"
        "Vineyard workers found in debt\n\nLa Tercera, Santiago, March 3, 2011\n\n"
        "[accessed 5 April 2011]\n\nInspectors said the workers had been charged.\n",
        encoding="utf-8",
    )
    import_files([other])
    foreign = export_library()
    foreign_file = tmp_path / "chile.json"
    write_export(foreign, foreign_file)
    empty_library()

    import_files([seed_path])  # this library: Peru, ids 1–15
    peru_before = set(Entry.objects.values_list("pk", "title"))
    report = import_files([foreign_file])

    assert report.errors == []
    assert peru_before <= set(Entry.objects.values_list("pk", "title"))
    assert Entry.objects.count() == 16
    again = import_files([seed_path])
    assert again.pages[0].status == "unchanged"
    assert Entry.objects.filter(primary_country="PE").count() == 15


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["profiles"][0]["tier_history"].append(
                {"year": 2023, "tier": "tier9", "source": "curator"}
            ),
            "profiles[0].tier_history[0].tier: unknown value 'tier9'",
        ),
        (
            lambda d: d["entries"].__setitem__(0, "not an object"),
            "entries[0]: expected an object",
        ),
        (
            lambda d: d["entries"][0]["provenance"].__setitem__("position", "x"),
            "entries[0].provenance.position: expected a whole number",
        ),
        (
            lambda d: d["entries"][0].__setitem__("collection", "novels"),
            "entries[0].collection: unknown value 'novels'",
        ),
        (
            lambda d: d["entries"][0].__setitem__("series", {"slug": "nope"}),
            "entries[0].series.slug: unknown series 'nope'",
        ),
        (
            lambda d: d["entries"][0]["accesses"][0].__setitem__("http_status", -3),
            "entries[0].accesses[0].http_status: expected a whole number",
        ),
        (
            lambda d: d["helplines"][0].__setitem__("id", "one"),
            "helplines[0].id: expected a whole number",
        ),
        (
            lambda d: d["entries"][0]["accesses"][0].__setitem__("run", 999),
            "entries[0].accesses[0].run: no check run 999 in check_runs",
        ),
        (
            lambda d: d["entries"][0].__setitem__("link_status", "zombie"),
            "entries[0].link_status: unknown value 'zombie'",
        ),
        (
            lambda d: d["entries"][0].__setitem__(
                "snapshots", [{"url": "https://example.org/", "captured_at": None}]
            ),
            "entries[0].snapshots[0].captured_at: required",
        ),
        (
            lambda d: d["entries"][0]["accesses"][0].__setitem__(
                "redirect_chain", [{"status": 301}]
            ),
            "entries[0].accesses[0].redirect_chain[0].url: required",
        ),
    ],
)
def test_bad_records_are_named_and_change_nothing(
    seed_path: Path,
    tmp_path: Path,
    change,
    message,  # type: ignore[no-untyped-def]
) -> None:
    import_files([seed_path])
    data = export_library()
    data["profiles"][0]["tier_history"] = []
    data["entries"][1]["title"] = "Changed"
    change(data)
    path = tmp_path / "bad.json"
    write_export(data, path)
    report = import_files([path])
    assert report.pages[0].status == "error"
    assert message in report.pages[0].error
    assert not Entry.objects.filter(title="Changed").exists()


def test_country_export_carries_the_pages_its_entries_came_from(
    tmp_path: Path,
) -> None:
    topic = PAGES / "111-debt.txt"
    import_files([topic])
    data = export_library(country="IN")
    assert any(p["kind"] == "topic" for p in data["pages"])
    path = tmp_path / "india.json"
    write_export(data, path)
    empty_library()
    report = import_files([path])
    assert report.errors == []
    assert Entry.objects.filter(primary_country="IN").count() == len(data["entries"])


def test_month_precision_access_and_page_source_survive_the_round_trip(
    tmp_path: Path,
) -> None:
    page = tmp_path / "Chile.txt"
    page.write_text(
        "Human Trafficking & Modern-day Slavery\n\n"
        "Published reports & articles from 2000 to 2025\n\nRepublic of Chile\n\n"
        "Vineyard workers found in debt\n\nLa Tercera, Santiago, March 3, 2011\n\n"
        "[accessed August 2011]\n\nInspectors said the workers had been charged.\n",
        encoding="utf-8",
    )
    import_files([page])
    access = Access.objects.get()
    assert (access.accessed_iso, access.accessed_label) == ("2011-08", "August 2011")
    data = export_library()
    assert data["entries"][0]["accesses"][0]["date"] == "2011-08"
    assert "Vineyard workers found in debt" in data["pages"][0]["source_text"]
    path = tmp_path / "x.json"
    write_export(data, path)
    empty_library()
    import_files([path])
    assert Access.objects.get().accessed_label == "August 2011"
    assert "Vineyard" in SourcePage.objects.get().source_text


def test_export_carries_link_evidence_snapshots_and_archived_copy(
    seed_path: Path,
) -> None:
    import_files([seed_path])
    evidence = add_link_evidence()

    data = export_library(country="PE")

    by_id = {e["id"]: e for e in data["entries"]}
    dead = by_id[evidence["dead"].pk]
    check = next(a for a in dead["accesses"] if a["outcome"] == "dead")
    run = data["check_runs"][0]
    assert check == {
        "date": "2025-06-01",
        "raw": "",
        "url": evidence["dead"].url,
        "problem": "",
        "origin": "checker",
        "checked_at": "2025-06-01T08:30:00+00:00",
        "outcome": "dead",
        "http_status": 404,
        "final_url": "",
        "excerpt_found": None,
        "redirect_chain": [],
        "content_hash": "",
        "elapsed_ms": 412,
        "attempts": 2,
        "error": "HTTP 404",
        "run": run["id"],
    }
    assert run["started_at"] == "2025-06-01T08:00:00+00:00"
    assert run["counts"] == {"alive": 1, "dead": 1, "moved": 1}
    assert (dead["link_status"], dead["last_checked_at"]) == (
        "dead",
        "2025-06-01T08:30:00+00:00",
    )
    good = Snapshot.objects.get(warc_path="warcs/2019/04/dead.warc.gz")
    assert dead["snapshots"][0] == {
        "id": good.pk,
        "url": evidence["dead"].url,
        "final_url": evidence["dead"].url,
        "captured_at": "2019-04-22T10:00:00+00:00",
        "http_status": 200,
        "content_type": "text/html; charset=utf-8",
        "warc_path": "warcs/2019/04/dead.warc.gz",
        "warc_size": 20480,
        "payload_sha256": "cd" * 32,
        "payload_size": 51200,
        "truncated": False,
        "title": "The page as it was",
        "replay_url": f"/archive/{good.pk}/",
    }
    assert dead["snapshots"][1]["http_status"] == 404
    # The copy readers are offered: our usable snapshot, not the failed capture.
    assert dead["archived_copy"] == {
        "url": f"/archive/{good.pk}/",
        "kind": "snapshot",
        "captured_at": "2019-04-22T10:00:00+00:00",
    }
    moved = by_id[evidence["moved"].pk]
    assert moved["archived_copy"]["kind"] == "wayback"
    assert moved["wayback_captured_at"] == "2011-01-01T00:00:00+00:00"
    moved_check = next(a for a in moved["accesses"] if a["outcome"] == "moved")
    assert moved_check["redirect_chain"] == [
        {"url": evidence["moved"].url, "status": 301}
    ]
    assert by_id[evidence["drifted"].pk]["archived_copy"] is None


def test_importing_an_export_twice_changes_nothing_the_second_time(
    seed_path: Path, tmp_path: Path
) -> None:
    import_files([seed_path])
    add_link_evidence()
    path = tmp_path / "library.json"
    write_export(export_library(), path)
    before = comparable(export_library())

    for _ in range(2):
        report = import_files([path])
        assert report.errors == []

    assert comparable(export_library()) == before
    assert Snapshot.objects.count() == 2
    assert CheckRun.objects.count() == 1


def test_another_librarys_run_and_snapshot_ids_are_not_overwritten(
    seed_path: Path, tmp_path: Path
) -> None:
    import_files([seed_path])
    add_link_evidence()
    data = export_library()
    path = tmp_path / "library.json"
    write_export(data, path)
    run_id = data["check_runs"][0]["id"]
    snapshot_id = next(s["id"] for e in data["entries"] for s in e["snapshots"])
    empty_library()
    # This library already used those ids for records of its own.
    import_files([seed_path])
    ours = CheckRun.objects.create(pk=run_id, counts={"ours": 1})
    mine = Snapshot.objects.create(
        pk=snapshot_id,
        entry=Entry.objects.order_by("id").first(),
        url="https://example.org/mine",
        captured_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        http_status=200,
        warc_path="warcs/mine.warc.gz",
    )

    report = import_files([path])

    assert report.errors == []
    assert Snapshot.objects.get(pk=mine.pk).warc_path == "warcs/mine.warc.gz"
    assert CheckRun.objects.get(pk=ours.pk).counts == {"ours": 1}
    restored = Access.objects.get(outcome="dead", origin="checker")
    assert restored.run_id != ours.pk
    assert restored.run.counts == {"alive": 1, "dead": 1, "moved": 1}
    theirs = Snapshot.objects.get(warc_path="warcs/2019/04/dead.warc.gz")
    assert theirs.pk != mine.pk
    assert theirs.entry == restored.entry


def test_curators_topic_decisions_survive_export_and_restore(
    seed_path: Path, tmp_path: Path
) -> None:
    from django.core.management import call_command

    from lantern.library.models import TopicSuggestion
    from lantern.library.tagging_services import decide
    from lantern.library.tests.factories import UserFactory

    import_files([seed_path])
    curator = UserFactory(username="ana", is_staff=True)
    suggestion = TopicSuggestion.objects.select_related("entry", "topic").first()
    assert suggestion is not None, "the seed's entries are tagged on import"
    entry_id, slug = suggestion.entry_id, suggestion.topic.slug
    decide(suggestion, TopicSuggestion.State.REJECTED, curator)
    assert slug not in set(
        Entry.objects.get(pk=entry_id).topics.values_list("slug", flat=True)
    )
    data = export_library()
    record = next(e for e in data["entries"] if e["id"] == entry_id)
    assert record["topic_decisions"] == [
        {
            "topic": slug,
            "state": "rejected",
            "by": "ana",
            "at": record["topic_decisions"][0]["at"],
        }
    ]
    path = tmp_path / "library.json"
    write_export(data, path)

    empty_library()
    assert not import_files([path]).errors
    restored = TopicSuggestion.objects.get(entry_id=entry_id, topic__slug=slug)
    assert restored.state == TopicSuggestion.State.REJECTED
    assert restored.decided_by == curator
    # Tagging the restored library again keeps the rejected topic off.
    call_command("tag", "--all", "--retag", stdout=None)
    entry = Entry.objects.get(pk=entry_id)
    assert slug not in set(entry.topics.values_list("slug", flat=True))
    assert comparable(export_library())["entries"] == comparable(data)["entries"]


def test_a_bad_topic_decision_is_named(seed_path: Path, tmp_path: Path) -> None:
    import_files([seed_path])
    data = export_library()
    data["entries"][0]["topic_decisions"] = [
        {"topic": "forced-labour", "state": "maybe"}
    ]
    path = tmp_path / "bad.json"
    write_export(data, path)
    report = import_files([path])
    assert report.pages[0].status == "error"
    assert "entries[0].topic_decisions[0].state: unknown value 'maybe'" in (
        report.pages[0].error
    )
