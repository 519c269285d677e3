"""The importer against a corpus of varied legacy pages written for Lantern (every
page kind and rendering of docs/legacy-format.md), each with its expected result in
`<file>.expected.json`. The pages were written without looking at the parser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lantern.legacy.parser import ParsedPage
from lantern.legacy.tests.helpers import PAGES, parse_bytes, unaccounted

CASES = sorted(p for p in PAGES.glob("*.expected.json"))


def page_for(expected_file: Path) -> Path:
    return expected_file.with_name(expected_file.name.removesuffix(".expected.json"))


@pytest.fixture(params=CASES, ids=lambda p: p.name.removesuffix(".expected.json"))
def case(request: pytest.FixtureRequest) -> tuple[ParsedPage, dict[str, Any]]:
    expected = json.loads(request.param.read_text(encoding="utf-8"))
    source = page_for(request.param)
    return parse_bytes(source.read_bytes(), source.name), expected


def test_corpus_is_present() -> None:
    assert len(CASES) >= 20


def test_kind_rendering_and_country(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    assert page.kind == expected["kind"]
    assert page.rendering == expected.get("rendering", page.rendering)
    if "country" in expected:
        assert page.country == expected["country"]


def test_every_line_is_accounted_for(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    assert unaccounted(page) == set()
    if page.rendering == "text" and page.kind != "unknown":
        unparsed = sorted({int(u["line"]) for u in page.unparsed})
        assert unparsed == sorted(expected.get("unparsed_lines", []))


def test_entry_counts(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    if "entries" not in expected:
        return
    counts = expected["entries"]
    assert len(page.entries) == counts["total"]
    assert sum(e.section == "current" for e in page.entries) == counts.get("current", 0)
    assert sum(e.section == "archive" for e in page.entries) == counts.get("archive", 0)
    if "accesses" in expected:
        assert sum(len(e.accesses) for e in page.entries) == expected["accesses"]


def _date_to_precision(entry_date: str | None) -> str | None:
    return entry_date


def test_entry_fields(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    from lantern.library.publishers import US_STATES, split_source

    page, expected = case
    for check in expected.get("entry_checks", []):
        entry = page.entries[check["index"]]
        where = f"entry {check['index']} ({check.get('title', '')[:40]})"
        assert entry.title == check["title"], where
        assert entry.format == check.get("format", "web"), where
        assert entry.source_line == check.get("source_line", ""), where
        parts = split_source(entry.source_line, US_STATES)
        assert parts.date.raw == check.get("published_raw", ""), where
        assert (parts.date.iso or None) == check.get("published_date"), where
        urls = [u for u in [entry.url, *entry.other_urls] if u]
        assert urls == check.get("urls", []), where
        assert [a.raw for a in entry.accesses] == check.get("accessed_raw", []), where
        assert entry.page_ref == check.get("page", ""), where
        assert len(entry.notes) == check.get("notes", 0), where
        assert bool(entry.archived_copy_note) == check.get(
            "archived_copy_note", False
        ), where
        if "excerpt_paragraphs" in check:
            assert len(entry.excerpt) == check["excerpt_paragraphs"], where
        if check.get("excerpt_first_words"):
            assert entry.excerpt[0].startswith(check["excerpt_first_words"]), where
        assert entry.section == check.get("section", entry.section), where


def test_profile(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    if "profile" not in expected:
        return
    want = expected["profile"]
    assert page.profile is not None
    profile = page.profile
    if "official_name" in want:
        assert profile.official_name == (want["official_name"] or "")
    if "background_paragraphs" in want:
        assert len(profile.background) == want["background_paragraphs"]
    if "background_source" in want:
        assert profile.background_source == (want["background_source"] or "")
    if "background_year" in want:
        assert profile.background_year == want["background_year"]
    if "tip_report_year" in want:
        assert profile.tip_year == want["tip_report_year"]
    if "tip_report_month" in want:
        assert profile.tip_month == want["tip_report_month"]


def test_helplines(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    if "helplines" not in expected:
        return
    got = [
        (h.organisation, h.number, h.country_code.strip(" -+")) for h in page.helplines
    ]
    want = [
        (
            h.get("organisation") or "",
            h.get("number") or "",
            (h.get("country_code") or "").strip(" -+"),
        )
        for h in expected["helplines"]
    ]
    assert got == want


def test_tip_summary(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    if "tip" not in expected:
        return
    assert page.tip is not None
    assert page.tip.tier == expected["tip"]["tier"]
    assert page.tip.report_year == expected["tip"].get("report_year")
    if "recommendations" in expected["tip"]:
        assert len(page.tip.recommendations) == expected["tip"]["recommendations"]


def test_topic_pages(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    if "entries_by_country" in expected:
        counts: dict[str, int] = {}
        for entry in page.entries:
            counts[entry.country or ""] = counts.get(entry.country or "", 0) + 1
        assert counts == expected["entries_by_country"]
    if "topic_title" in expected:
        assert page.topic_title == expected["topic_title"]


def test_teaching_pages(case: tuple[ParsedPage, dict[str, Any]]) -> None:
    page, expected = case
    if "menu_links" in expected:
        assert len(page.links) == expected["menu_links"]
    if "propositions" in expected:
        assert len(page.propositions) == expected["propositions"]
    if "lesson_plan" in expected:
        plan = page.lesson_plan
        assert plan is not None
        want = expected["lesson_plan"]
        assert plan.title == want["title"]
        assert plan.unit_topic == want.get("unit_topic", "")
        assert plan.grade_level == want.get("grade_level", "")
        assert len(plan.objectives) == want.get("objectives", 0)
