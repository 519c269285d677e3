"""Restoring a Lantern JSON export (docs/export-format.md) into the library.

One transaction per file, so a file with a bad record changes nothing; every error
names the record (`entries[3].countries: unknown country 'ZZ'`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.color import no_style
from django.db import connection, transaction

from lantern.library.models import (
    Access,
    CountryProfile,
    DatePrecision,
    Entry,
    Helpline,
    Publisher,
    SourcePage,
    TierPlacement,
    TipSummary,
)
from lantern.library.services import LibraryCache, entry_key, helpline_key
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
    guidance_key,
)

if TYPE_CHECKING:
    from lantern.legacy.report import PageResult

from lantern.library.export import FORMAT, VERSION


class ExportError(ValueError):
    """A record in an export file that cannot be restored; names where it is."""


def _require(record: dict[str, Any], name: str, where: str) -> Any:
    if name not in record or record[name] in (None, ""):
        raise ExportError(f"{where}.{name}: required")
    return record[name]


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ExportError(f"{where}: not a date: {value!r}") from None


def _datetime(value: Any, where: str) -> dt.datetime | None:
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ExportError(f"{where}: not a timestamp: {value!r}") from None


def _partial_date(value: Any, precision: str, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    text = str(value)
    try:
        if precision == DatePrecision.YEAR or len(text) == 4:
            return dt.date(int(text[:4]), 1, 1)
        if precision == DatePrecision.MONTH or len(text) == 7:
            return dt.date(int(text[:4]), int(text[5:7]), 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ExportError(f"{where}: not a date: {value!r}") from None


def restore_export(path: Path, data: bytes, *, dry_run: bool = False) -> PageResult:
    """Restore a Lantern export file. One transaction: all of it, or nothing."""
    from lantern.legacy.report import PageResult

    result = PageResult(str(path), "error", kind="export")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        result.error = f"not valid JSON (line {line}): {exc}"
        return result
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        result.error = f'not a Lantern export (expected "format": "{FORMAT}")'
        return result
    if document.get("version") != VERSION:
        result.error = f"unsupported export version {document.get('version')!r}"
        return result
    try:
        with transaction.atomic():
            counts = _restore(document)
            if dry_run:
                transaction.set_rollback(True)
    except ExportError as exc:
        result.error = str(exc)
        return result
    result.status = "parsed" if dry_run else "updated"
    result.entries_updated = counts["entries"]
    result.current = counts["current"]
    result.archive = counts["archive"]
    result.accesses = counts["accesses"]
    result.helplines = counts["helplines"]
    return result


def _restore(document: dict[str, Any]) -> dict[str, int]:
    cache = LibraryCache.load()
    known = set(cache.countries)
    counts = {"entries": 0, "current": 0, "archive": 0, "accesses": 0, "helplines": 0}

    def country_code(value: Any, where: str) -> str:
        code = str(value or "").upper()
        if code not in known:
            raise ExportError(f"{where}: unknown country {value!r}")
        return code

    pages: dict[str, SourcePage] = {p.key: p for p in SourcePage.objects.all()}
    for n, record in enumerate(document.get("pages") or []):
        where = f"pages[{n}]"
        key = _require(record, "key", where)
        page = pages.get(key) or SourcePage(key=key)
        page.kind = _require(record, "kind", where)
        page.rendering = record.get("rendering") or "text"
        page.file_path = record.get("file") or ""
        page.title = record.get("title") or ""
        page.country_id = (
            country_code(record["country"], where) if record.get("country") else None
        )
        page.topic = cache.topics.get(record.get("topic") or "")
        page.part = record.get("part")
        if page.content_hash != record.get("content_hash"):
            page.parser_version = ""
        page.content_hash = record.get("content_hash") or ""
        page.line_count = record.get("line_count") or 0
        page.blocks = record.get("blocks") or []
        page.unparsed = record.get("unparsed") or []
        page.warnings = record.get("warnings") or []
        page.save()
        pages[key] = page

    def page_of(value: Any, where: str) -> SourcePage | None:
        if not value:
            return None
        if value not in pages:
            raise ExportError(f"{where}: unknown page {value!r}")
        return pages[value]

    restored_ids = []
    for n, record in enumerate(document.get("entries") or []):
        where = f"entries[{n}]"
        entry = _restore_entry(record, where, cache, country_code, page_of)
        restored_ids.append(entry.pk)
        counts["entries"] += 1
        counts[entry.section] = counts.get(entry.section, 0) + 1
        counts["accesses"] += len(record.get("accesses") or [])

    entry_ids = set(
        Entry.objects.filter(pk__in=restored_ids).values_list("pk", flat=True)
    )
    for n, record in enumerate(document.get("helplines") or []):
        where = f"helplines[{n}]"
        code = country_code(_require(record, "country", where), where)
        source_entry = record.get("source_entry")
        if (
            source_entry is not None
            and source_entry not in entry_ids
            and not Entry.objects.filter(pk=source_entry).exists()
        ):
            raise ExportError(f"{where}.source_entry: no entry {source_entry}")
        values = {
            "country_id": code,
            "organisation": record.get("organisation") or "",
            "number_raw": record.get("number") or "",
            "country_code_raw": record.get("country_code") or "",
            "e164": record.get("e164") or "",
            "is_valid": bool(record.get("is_valid")),
            "is_short_code": bool(record.get("is_short_code")),
            "problem": record.get("problem") or "",
            "notes": record.get("notes") or "",
            "last_verified": _date(
                record.get("last_verified"), f"{where}.last_verified"
            ),
            "source_entry_id": source_entry,
            "source_page": page_of(record.get("source_page"), f"{where}.source_page"),
        }
        number_key = helpline_key(values["number_raw"], values["organisation"])
        values["number_key"] = number_key
        clash = Helpline.objects.filter(country_id=code, number_key=number_key)
        if record.get("id") is not None:
            clash = clash.exclude(pk=record["id"])
            clash.delete()
            Helpline.objects.update_or_create(pk=record["id"], defaults=values)
        else:
            Helpline.objects.update_or_create(
                country_id=code, number_key=number_key, defaults=values
            )
        counts["helplines"] += 1

    for n, record in enumerate(document.get("profiles") or []):
        where = f"profiles[{n}]"
        code = country_code(_require(record, "country", where), where)
        tip = record.get("tip") or {}
        CountryProfile.objects.update_or_create(
            country_id=code,
            defaults={
                "official_name": record.get("official_name") or "",
                "background": record.get("background") or [],
                "background_source": record.get("background_source") or "",
                "background_year": record.get("background_year"),
                "background_is_summary": bool(record.get("background_is_summary")),
                "tip_summary": tip.get("summary") or [],
                "tip_source": tip.get("source") or "",
                "tip_report_year": tip.get("report_year"),
                "tip_report_month": tip.get("report_month"),
                "tip_tier": tip.get("tier") or "",
                "tip_links": tip.get("links") or [],
                "tip_is_summary": bool(tip.get("is_summary")),
                "source_page": page_of(
                    record.get("source_page"), f"{where}.source_page"
                ),
            },
        )
        for m, placement in enumerate(record.get("tier_history") or []):
            if placement.get("source") in {"legacy-page", "curator"}:
                TierPlacement.objects.update_or_create(
                    country_id=code,
                    report_year=_require(
                        placement, "year", f"{where}.tier_history[{m}]"
                    ),
                    source=placement["source"],
                    defaults={"tier": placement.get("tier") or ""},
                )

    for n, record in enumerate(document.get("tip_summaries") or []):
        where = f"tip_summaries[{n}]"
        code = country_code(_require(record, "country", where), where)
        TipSummary.objects.update_or_create(
            country_id=code,
            report_year=record.get("report_year"),
            defaults={
                "tier": record.get("tier") or "",
                "tier_line": record.get("tier_line") or "",
                "summary": record.get("summary") or [],
                "recommendations": record.get("recommendations") or [],
                "source_page": page_of(
                    record.get("source_page"), f"{where}.source_page"
                ),
            },
        )

    _restore_teaching(document.get("teaching") or {}, page_of)
    _reset_sequences()
    return counts


def _restore_entry(
    record: dict[str, Any],
    where: str,
    cache: LibraryCache,
    country_code: Any,
    page_of: Any,
) -> Entry:
    title = _require(record, "title", where)
    published = record.get("published") or {}
    precision = published.get("precision") or DatePrecision.UNKNOWN
    if precision not in DatePrecision.values:
        raise ExportError(f"{where}.published.precision: unknown value {precision!r}")
    section = record.get("section") or Entry.Section.CURRENT
    if section not in Entry.Section.values:
        raise ExportError(f"{where}.section: unknown value {section!r}")
    fmt = record.get("format") or Entry.Format.WEB
    if fmt not in Entry.Format.values:
        raise ExportError(f"{where}.format: unknown value {fmt!r}")
    codes = [
        country_code(c, f"{where}.countries") for c in record.get("countries") or []
    ]
    topics = []
    for slug in record.get("topics") or []:
        if slug not in cache.topics:
            raise ExportError(f"{where}.topics: unknown topic {slug!r}")
        topics.append(cache.topics[slug])
    provenance = record.get("provenance") or {}
    publisher_data = record.get("publisher")
    publisher: Publisher | None = None
    if publisher_data:
        publisher = cache.publisher(
            _require(publisher_data, "name", f"{where}.publisher"),
            publisher_data.get("kind") or "",
        )
        if (
            publisher is not None
            and publisher_data.get("kind")
            and (publisher.kind != publisher_data["kind"])
        ):
            publisher.kind = publisher_data["kind"]
            publisher.save(update_fields=["kind"])
    series_data = record.get("series")
    series = cache.series.get(series_data["slug"]) if series_data else None
    raw_date = published.get("raw") or ""
    values = {
        "title": title,
        "format": fmt,
        "authors": record.get("authors") or [],
        "publisher": publisher,
        "source_line": record.get("source_line") or "",
        "place": record.get("place") or "",
        "published_raw": raw_date,
        "published_date": _partial_date(
            published.get("date"), precision, f"{where}.published"
        ),
        "published_precision": precision,
        "url": record.get("url") or "",
        "other_urls": record.get("other_urls") or [],
        "page_ref": record.get("page") or "",
        "excerpt": record.get("excerpt") or [],
        "excerpt_is_summary": bool(record.get("excerpt_is_summary")),
        "notes": record.get("notes") or [],
        "archived_copy_note": record.get("archived_copy_note") or "",
        "archived_copy_url": record.get("archived_copy_url") or "",
        "section": section,
        "collection": record.get("collection") or Entry.Collection.TRAFFICKING,
        "primary_country_id": codes[0] if codes else None,
        "language": record.get("language") or "en",
        "series": series,
        "edition_year": series_data.get("edition_year") if series_data else None,
        "origin": provenance.get("origin") or Entry.Origin.RESTORE,
        "source_page": page_of(provenance.get("page"), f"{where}.provenance.page"),
        "first_line": provenance.get("first_line"),
        "last_line": provenance.get("last_line"),
        "position": provenance.get("position") or 0,
        "key": provenance.get("key") or entry_key(title, raw_date),
        "cached_import_hash": "",
    }
    if record.get("id") is not None:
        entry, _ = Entry.objects.update_or_create(pk=record["id"], defaults=values)
    else:
        entry = Entry.objects.create(**values)
    entry.countries.set(codes)
    entry.topics.set(topics)
    entry.accesses.all().delete()
    accesses = []
    for m, item in enumerate(record.get("accesses") or []):
        w = f"{where}.accesses[{m}]"
        accesses.append(
            Access(
                entry=entry,
                position=m,
                url=item.get("url") or "",
                accessed_on=_partial_date(item.get("date"), "", f"{w}.date"),
                raw=item.get("raw") or "",
                problem=item.get("problem") or "",
                origin=item.get("origin") or Access.Origin.IMPORT,
                checked_at=_datetime(item.get("checked_at"), f"{w}.checked_at"),
                outcome=item.get("outcome") or "",
                http_status=item.get("http_status"),
                final_url=item.get("final_url") or "",
                excerpt_found=item.get("excerpt_found"),
            )
        )
    Access.objects.bulk_create(accesses)
    stamps = {
        name: stamp
        for name in ("created_at", "updated_at")
        if (stamp := _datetime(record.get(name), f"{where}.{name}"))
    }
    if stamps:
        Entry.objects.filter(pk=entry.pk).update(**stamps)
    return entry


def _restore_teaching(teaching: dict[str, Any], page_of: Any) -> None:
    links = teaching.get("links") or []
    for page in {r.get("source_page") for r in links}:
        ResourceLink.objects.filter(
            source_page=page_of(page, "teaching.links")
        ).delete()
    for n, r in enumerate(links):
        ResourceLink.objects.create(
            title=_require(r, "title", f"teaching.links[{n}]"),
            url=r.get("url") or "",
            description=r.get("description") or "",
            menu=r.get("menu") or "",
            position=r.get("position") or 0,
            source_page=page_of(r.get("source_page"), f"teaching.links[{n}]"),
        )
    propositions = teaching.get("propositions") or []
    for page in {r.get("source_page") for r in propositions}:
        DebateProposition.objects.filter(
            source_page=page_of(page, "teaching.propositions")
        ).delete()
    for n, r in enumerate(propositions):
        DebateProposition.objects.create(
            number=_require(r, "number", f"teaching.propositions[{n}]"),
            text=_require(r, "text", f"teaching.propositions[{n}]"),
            source_page=page_of(r.get("source_page"), f"teaching.propositions[{n}]"),
        )
    for n, r in enumerate(teaching.get("lesson_plans") or []):
        where = f"teaching.lesson_plans[{n}]"
        values = {
            "title": _require(r, "title", where),
            "unit_topic": r.get("unit_topic") or "",
            "grade_level": r.get("grade_level") or "",
            "objectives": r.get("objectives") or [],
            "fields": r.get("fields") or [],
        }
        page = page_of(r.get("source_page"), where)
        if page is not None:
            LessonPlan.objects.update_or_create(source_page=page, defaults=values)
        else:
            LessonPlan.objects.update_or_create(
                title=values["title"], source_page=None, defaults=values
            )
    for n, r in enumerate(teaching.get("guidance") or []):
        where = f"teaching.guidance[{n}]"
        audience = _require(r, "audience", where)
        paragraphs = r.get("paragraphs") or []
        Guidance.objects.update_or_create(
            text_key=guidance_key(audience, paragraphs),
            defaults={
                "audience": audience,
                "heading": r.get("heading") or "",
                "paragraphs": paragraphs,
                "topics_mentioned": r.get("topics_mentioned") or [],
            },
        )


def _reset_sequences() -> None:
    """After rows were written with explicit ids, move PostgreSQL's id sequences past
    them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Entry, Helpline])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
