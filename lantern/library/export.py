"""The Lantern JSON export (docs/export-format.md): the library written out as one
document. Reads the database only; `restore.py` reads such a document back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from lantern.capture.models import Snapshot
from lantern.library.models import (
    Access,
    Country,
    CountryProfile,
    Entry,
    Helpline,
    SourcePage,
    TierPlacement,
    TipSummary,
    TopicSuggestion,
    format_partial_date,
)
from lantern.linkcheck.models import CheckRun
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
)

# The archived copy is the one the public pages offer, chosen by the same function.
from lantern.web.pages import ArchivedCopy, archived_copy

FORMAT = "lantern-export"
VERSION = 1


def is_export(data: bytes) -> bool:
    """Whether a file's bytes are a Lantern JSON export (cheap sniff of the start)."""
    head = data[:200].lstrip()
    return head.startswith(b"{") and FORMAT.encode() in data[:400]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_library(*, country: str | None = None) -> dict[str, Any]:
    """The library (or one country's part of it) as export-format data."""
    code = country.upper() if country else None
    countries = Country.objects.prefetch_related("neighbours")
    entries = Entry.objects.select_related(
        "publisher", "series", "source_page"
    ).prefetch_related(
        "accesses",
        "countries",
        "topics",
        "snapshots",
        Prefetch(
            "snapshots", queryset=Snapshot.objects.usable(), to_attr="usable_snapshots"
        ),
        Prefetch(
            "topic_suggestions",
            queryset=TopicSuggestion.objects.exclude(
                state=TopicSuggestion.State.SUGGESTED
            ).select_related("topic", "decided_by"),
            to_attr="topic_decisions",
        ),
    )
    helplines = Helpline.objects.select_related("source_page")
    profiles = CountryProfile.objects.select_related("source_page")
    pages = SourcePage.objects.select_related("topic")
    summaries = TipSummary.objects.select_related("source_page")
    if code:
        neighbours = set(
            Country.neighbours.through.objects.filter(from_country_id=code).values_list(
                "to_country_id", flat=True
            )
        )
        countries = countries.filter(code__in={code, *neighbours})
        entries = entries.filter(countries__code=code).distinct()
        helplines = helplines.filter(country_id=code)
        profiles = profiles.filter(country_id=code)
        summaries = summaries.filter(country_id=code)
        # The country's pages, and any other page its records came from (a topic
        # page listing one of its entries), so the file restores on its own.
        referenced = (
            set(entries.values_list("source_page_id", flat=True))
            | set(helplines.values_list("source_page_id", flat=True))
            | set(profiles.values_list("source_page_id", flat=True))
            | set(summaries.values_list("source_page_id", flat=True))
        )
        pages = pages.filter(Q(country_id=code) | Q(pk__in=referenced - {None}))
    tiers: dict[str, list[dict[str, Any]]] = {}
    tier_rows = TierPlacement.objects.order_by("country_id", "report_year", "source")
    if code:
        tier_rows = tier_rows.filter(country_id=code)
    for tier in tier_rows:
        tiers.setdefault(tier.country_id, []).append(
            {"year": tier.report_year, "tier": tier.tier, "source": tier.source}
        )
    entry_list = list(entries.order_by("id"))
    run_ids = {a.run_id for e in entry_list for a in e.accesses.all() if a.run_id}
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "scope": {"country": code} if code else {},
        "countries": [_country(c) for c in countries.order_by("code")],
        "profiles": [
            _profile(p, tiers.get(p.country_id, []))
            for p in profiles.order_by("country")
        ],
        "helplines": [_helpline(h) for h in helplines.order_by("id")],
        "entries": [_entry(e) for e in entry_list],
        "check_runs": [
            _check_run(r)
            for r in CheckRun.objects.filter(pk__in=run_ids).order_by("id")
        ],
        "pages": [_page(p) for p in pages.order_by("key")],
        "tip_summaries": [
            _tip_summary(t) for t in summaries.order_by("country", "report_year")
        ],
        "teaching": _teaching()
        if not code
        else {"links": [], "propositions": [], "lesson_plans": [], "guidance": []},
    }
    return data


def _country(c: Country) -> dict[str, Any]:
    return {
        "code": c.code,
        "alpha3": c.alpha3,
        "numeric": c.numeric,
        "name": c.name,
        "official_name": c.official_name,
        "region": c.region,
        "region_code": c.region_code,
        "sub_region": c.sub_region,
        "sub_region_code": c.sub_region_code,
        "calling_code": c.calling_code,
        "neighbours": sorted(n.code for n in c.neighbours.all()),
    }


def _profile(p: CountryProfile, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "country": p.country_id,
        "official_name": p.official_name,
        "background": p.background,
        "background_source": p.background_source,
        "background_year": p.background_year,
        "background_is_summary": p.background_is_summary,
        "tip": {
            "summary": p.tip_summary,
            "source": p.tip_source,
            "report_year": p.tip_report_year,
            "report_month": p.tip_report_month,
            "tier": p.tip_tier,
            "links": p.tip_links,
            "is_summary": p.tip_is_summary,
        },
        "tier_history": history,
        "source_page": p.source_page.key if p.source_page else None,
    }


def _helpline(h: Helpline) -> dict[str, Any]:
    return {
        "id": h.pk,
        "country": h.country_id,
        "organisation": h.organisation,
        "number": h.number_raw,
        "country_code": h.country_code_raw,
        "e164": h.e164,
        "is_valid": h.is_valid,
        "is_short_code": h.is_short_code,
        "problem": h.problem,
        "notes": h.notes,
        "last_verified": _iso(h.last_verified),
        "source_entry": h.source_entry_id,
        "source_page": h.source_page.key if h.source_page else None,
    }


def _access(a: Access) -> dict[str, Any]:
    return {
        "date": a.accessed_iso or None,
        "raw": a.raw,
        "url": a.url,
        "problem": a.problem,
        "origin": a.origin,
        "checked_at": _iso(a.checked_at),
        "outcome": a.outcome,
        "http_status": a.http_status,
        "final_url": a.final_url,
        "excerpt_found": a.excerpt_found,
        "redirect_chain": a.redirect_chain,
        "content_hash": a.content_hash,
        "elapsed_ms": a.elapsed_ms,
        "attempts": a.attempts,
        "error": a.error,
        "run": a.run_id,
    }


def _snapshot(s: Snapshot) -> dict[str, Any]:
    return {
        "id": s.pk,
        "url": s.url,
        "final_url": s.final_url,
        "captured_at": _iso(s.captured_at),
        "http_status": s.http_status,
        "content_type": s.content_type,
        "warc_path": s.warc_path,
        "warc_size": s.warc_size,
        "payload_sha256": s.payload_sha256,
        "payload_size": s.payload_size,
        "truncated": s.truncated,
        "title": s.title,
        "replay_url": s.get_absolute_url(),
    }


def _archived_copy(copy: ArchivedCopy | None) -> dict[str, Any] | None:
    if copy is None:
        return None
    return {"url": copy.url, "kind": copy.kind, "captured_at": _iso(copy.captured_at)}


def _check_run(r: CheckRun) -> dict[str, Any]:
    return {
        "id": r.pk,
        "started_at": _iso(r.started_at),
        "finished_at": _iso(r.finished_at),
        "status": r.status,
        "options": r.options,
        "counts": r.counts,
    }


def _entry(e: Entry) -> dict[str, Any]:
    snapshots = sorted(e.snapshots.all(), key=lambda s: (s.captured_at, s.pk))
    countries = sorted(c.code for c in e.countries.all())
    if e.primary_country_id in countries:
        countries.remove(e.primary_country_id)
        countries.insert(0, e.primary_country_id)
    return {
        "id": e.pk,
        "title": e.title,
        "format": e.format,
        "authors": e.authors,
        "publisher": {"name": e.publisher.name, "kind": e.publisher.kind}
        if e.publisher
        else None,
        "source_line": e.source_line,
        "place": e.place,
        "published": {
            "raw": e.published_raw,
            "date": format_partial_date(e.published_date, e.published_precision)
            or None,
            "precision": e.published_precision,
        },
        "url": e.url,
        "other_urls": e.other_urls,
        "accesses": [
            _access(a) for a in sorted(e.accesses.all(), key=lambda a: a.position)
        ],
        "page": e.page_ref,
        "notes": e.notes,
        "archived_copy_note": e.archived_copy_note,
        "archived_copy_url": e.archived_copy_url,
        "wayback_url": e.wayback_url,
        "wayback_captured_at": _iso(e.wayback_captured_at),
        "snapshots": [_snapshot(s) for s in snapshots],
        "archived_copy": _archived_copy(
            archived_copy(e, getattr(e, "usable_snapshots", []))
        ),
        "link_status": e.cached_link_status,
        "last_checked_at": _iso(e.cached_last_checked_at),
        "excerpt": e.excerpt,
        "excerpt_is_summary": e.excerpt_is_summary,
        "section": e.section,
        "collection": e.collection,
        "countries": countries,
        "topics": sorted(t.slug for t in e.topics.all()),
        "topic_decisions": sorted(
            (
                {
                    "topic": d.topic.slug,
                    "state": d.state,
                    "by": d.decided_by.get_username() if d.decided_by else None,
                    "at": _iso(d.decided_at),
                }
                for d in getattr(e, "topic_decisions", [])
            ),
            key=lambda d: d["topic"],
        ),
        "language": e.language,
        "series": {"slug": e.series.slug, "edition_year": e.edition_year}
        if e.series
        else None,
        "provenance": {
            "origin": e.origin,
            "page": e.source_page.key if e.source_page else None,
            "file": e.source_page.file_path if e.source_page else "",
            "first_line": e.first_line,
            "last_line": e.last_line,
            "position": e.position,
            "key": e.key,
        },
        "created_at": _iso(e.created_at),
        "updated_at": _iso(e.updated_at),
    }


def _page(p: SourcePage) -> dict[str, Any]:
    return {
        "key": p.key,
        "file": p.file_path,
        "kind": p.kind,
        "rendering": p.rendering,
        "title": p.title,
        "country": p.country_id,
        "topic": p.topic.slug if p.topic else None,
        "part": p.part,
        "content_hash": p.content_hash,
        "line_count": p.line_count,
        "blocks": p.blocks,
        "unparsed": p.unparsed,
        "warnings": p.warnings,
        "source_text": p.source_text,
    }


def _tip_summary(t: TipSummary) -> dict[str, Any]:
    return {
        "country": t.country_id,
        "report_year": t.report_year,
        "tier": t.tier,
        "tier_line": t.tier_line,
        "summary": t.summary,
        "recommendations": t.recommendations,
        "source_page": t.source_page.key if t.source_page else None,
    }


def _teaching() -> dict[str, Any]:
    def key(page: SourcePage | None) -> str | None:
        return page.key if page else None

    return {
        "links": [
            {"title": r.title, "url": r.url, "description": r.description, "menu": r.menu,
             "position": r.position, "source_page": key(r.source_page)}
            for r in ResourceLink.objects.select_related("source_page").order_by("id")
        ],
        "propositions": [
            {"number": d.number, "text": d.text, "source_page": key(d.source_page)}
            for d in DebateProposition.objects.select_related("source_page").order_by("id")
        ],
        "lesson_plans": [
            {"title": lp.title, "unit_topic": lp.unit_topic, "grade_level": lp.grade_level,
             "objectives": lp.objectives, "fields": lp.fields,
             "source_page": key(lp.source_page)}
            for lp in LessonPlan.objects.select_related("source_page").order_by("id")
        ],
        "guidance": [
            {"audience": g.audience, "heading": g.heading, "paragraphs": g.paragraphs,
             "topics_mentioned": g.topics_mentioned,
             "source_page": key(g.first_seen_page)}
            for g in Guidance.objects.select_related("first_seen_page").order_by("id")
        ],
    }  # fmt: skip


def write_export(data: dict[str, Any], path: Path | None) -> str:
    """Serialise export data; write it to `path` when given. Returns the text."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text
