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
