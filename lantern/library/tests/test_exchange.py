"""The JSON export and its restore: `lantern import` of an export gives back the same
library; a bad file changes nothing and names the bad record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
)

pytestmark = pytest.mark.django_db


def empty_library() -> None:
    for model in (
        Access,
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


def test_export_then_import_restores_the_same_library(
    seed_path: Path, tmp_path: Path
) -> None:
    import_files([seed_path, PAGES])
    first = export_library()
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
