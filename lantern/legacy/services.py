"""Importing legacy pages into the library.

`import_files(paths)` reads each file, parses it (`parser.parse_page`, pure) and
stores the result in one transaction per page: the page with its blocks and unparsed
lines, the profile, help-lines, entries with their accesses, TIP summaries and
teaching records. Re-importing an unchanged file changes nothing; a changed page
updates its entries in place (matched by title and date), adds new ones and removes
entries that left the page. Entries of the demo library or added by curators that
the page also lists are adopted, not duplicated.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from lantern.core.dates import parse_date
from lantern.core.db import insert_rows
from lantern.core.text import fold
from lantern.legacy.document import decode
from lantern.legacy.entries import ParsedEntry
from lantern.legacy.parser import PARSER_VERSION, ParsedPage, parse_page
from lantern.legacy.report import ImportReport, PageResult, result_from_parsed
from lantern.library.models import (
    Access,
    CountryProfile,
    Entry,
    Helpline,
    SourcePage,
    TierPlacement,
    TipSummary,
)
from lantern.library.publishers import split_source
from lantern.library.services import (
    LibraryCache,
    content_hash,
    entry_key,
    save_helpline,
    tier_for,
)
from lantern.library.signals import announce, gathered
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
    guidance_key,
)

PAGE_SUFFIXES = {".htm", ".html", ".txt", ".text", ".shtml", ""}


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the page files inside folders named (recursively, sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and not p.name.startswith(".")
                    and p.suffix.lower() in PAGE_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if not sample:
        return False
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return b"\x00" in sample or controls / len(sample) > 0.05


def import_files(
    paths: Iterable[str | Path],
    *,
    dry_run: bool = False,
    on_page: Callable[[PageResult], None] | None = None,
) -> ImportReport:
    """Import legacy pages (and Lantern JSON exports) from files and folders.

    Touches the database (one transaction per page) and reads the files. With
    `dry_run` nothing is written. Bad files are reported, never half-stored.
    """

    report = ImportReport()
    cache = LibraryCache.load()
    seen: dict[str, str] = {}  # page key → the file that gave it in this run
    # Search and tagging take the run's entries in one go at the end.
    with gathered():
        _import_each(paths, report, cache, seen, dry_run, on_page)
    return report


def _import_each(
    paths: Iterable[str | Path],
    report: ImportReport,
    cache: LibraryCache,
    seen: dict[str, str],
    dry_run: bool,
    on_page: Callable[[PageResult], None] | None,
) -> None:
    from lantern.library.export import is_export
    from lantern.library.restore import restore_export

    for path in expand_paths(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = PageResult(
                str(path), "error", error=f"cannot read: {exc.strerror or exc}"
            )
        else:
            if path.suffix.lower() == ".json" or is_export(data):
                result = restore_export(path, data, dry_run=dry_run)
                cache = LibraryCache.load()
            elif not data.strip():
                result = PageResult(str(path), "error", error="empty file")
            elif looks_binary(data):
                result = PageResult(str(path), "error", error="binary data, not a page")
            else:
                result = import_page(
                    path, data, cache=cache, dry_run=dry_run, seen=seen
                )
        report.pages.append(result)
        if on_page is not None:
            on_page(result)


def import_page(
    path: Path,
    data: bytes,
    *,
    cache: LibraryCache,
    dry_run: bool = False,
    seen: dict[str, str] | None = None,
) -> PageResult:
    """Parse one page's bytes and store it. Database only (through `store_page`)."""
    parsed = parse_page(
        data,
        resolve_country=cache.resolve_country,
        known_publishers=cache.known_publishers,
        file_name=str(path),
    )
    if dry_run:
        return result_from_parsed(str(path), parsed, "parsed")
    if seen is not None:
        if parsed.key in seen:
            result = result_from_parsed(str(path), parsed, "error")
            result.error = f"the same page ({parsed.key}) as {seen[parsed.key]}; not imported again"
            return result
        seen[parsed.key] = str(path)
    existing = SourcePage.objects.filter(key=parsed.key).first()
    if (
        existing is not None
        and existing.content_hash == parsed.content_hash
        and existing.parser_version == PARSER_VERSION
    ):
        result = result_from_parsed(str(path), parsed, "unchanged")
        result.entries_unchanged = existing.entries.count()
        if existing.file_path != str(path):
            SourcePage.objects.filter(pk=existing.pk).update(file_path=str(path))
        return result
    try:
        with transaction.atomic():
            return store_page(path, data, parsed, cache=cache, existing=existing)
    except (DatabaseError, ValueError) as exc:
        # The transaction is rolled back: nothing of this file is stored.
        result = result_from_parsed(str(path), parsed, "error")
        result.error = f"could not be stored: {exc}"
        return result


def store_page(
    path: Path,
    data: bytes,
    parsed: ParsedPage,
    *,
    cache: LibraryCache,
    existing: SourcePage | None,
) -> PageResult:
    """Write a parsed page and everything on it. Call inside a transaction."""
    result = result_from_parsed(str(path), parsed, "updated" if existing else "created")
    country = cache.countries.get(parsed.country or "")
    topic = cache.topic_for_title(parsed.topic_title) if parsed.topic_title else None
    title = parsed.title
    if country is not None:
        title = title.replace(f"– {country.code}", f"– {country.name}")
    page = existing or SourcePage(key=parsed.key)
    page.kind = parsed.kind
    page.rendering = parsed.rendering
    page.file_path = str(path)[:1000]
    page.title = title[:300]
    page.country = country
    page.topic = topic
    page.part = parsed.part
    page.content_hash = parsed.content_hash
    page.parser_version = PARSER_VERSION
    page.source_text = decode(data).replace("\x00", "\ufffd")
    page.line_count = parsed.line_count
    page.blocks = parsed.blocks
    page.unparsed = parsed.unparsed
    page.warnings = parsed.warnings
    page.save()

    entries = _store_entries(page, parsed, cache=cache, result=result)
    if country is not None:
        _store_helplines(
            page, parsed, country_code=country.code, entries=entries, cache=cache
        )
        if parsed.profile is not None:
            _store_profile(page, parsed, country_code=country.code)
        if parsed.tip is not None:
            _store_tip(page, parsed, country_code=country.code)
    _store_teaching(page, parsed)
    return result


# --------------------------------------------------------------------------- entries


def _entry_values(
    parsed: ParsedEntry,
    page: SourcePage,
    position: int,
    cache: LibraryCache,
    collection: str,
) -> dict[str, Any]:
    parts = split_source(parsed.source_line, cache.place_names)
    series, edition = cache.series_for(parsed.title, parsed.source_line)
    publisher = cache.publisher(parts.publisher) if parts.publisher else None
    return {
        "title": parsed.title,
        "format": parsed.format,
        "authors": parts.authors,
        "publisher": publisher,
        "source_line": parsed.source_line,
        "place": parts.place[:200],
        "published_raw": parts.date.raw[:200],
        "published_date": parts.date.date,
        "published_precision": parts.date.precision,
        "url": parsed.url[:2000],
        "other_urls": parsed.other_urls,
        "page_ref": parsed.page_ref[:40],
        "excerpt": parsed.excerpt,
        "excerpt_is_summary": False,
        "notes": parsed.notes,
        "archived_copy_note": parsed.archived_copy_note,
        "archived_copy_url": parsed.archived_copy_url[:2000],
        "section": parsed.section,
        "collection": collection,
        "series": series,
        "edition_year": edition,
        "origin": Entry.Origin.IMPORT,
        "source_page": page,
        "first_line": parsed.first_line,
        "last_line": parsed.last_line,
        "position": position,
    }


def _store_entries(
    page: SourcePage, parsed: ParsedPage, *, cache: LibraryCache, result: PageResult
) -> list[Entry]:
    """Create, update and remove the page's entries; return them in page order."""
    existing = {e.key: e for e in Entry.objects.filter(source_page=page)}
    adoptable: dict[str, Entry] = {}
    if page.country_id:
        adoptable = {
            e.key: e
            for e in Entry.objects.filter(
                source_page__isnull=True,
                primary_country_id=page.country_id,
                origin__in=[
                    Entry.Origin.DEMO,
                    Entry.Origin.CURATOR,
                    Entry.Origin.RESTORE,
                ],
            )
        }
    topic_slugs: list[str] = []
    if page.topic is not None:
        topic_slugs.append(page.topic.slug)
    if parsed.collection == "street-children":
        topic_slugs.append("street-children")

    all_values = [
        _entry_values(item, page, position, cache, parsed.collection)
        for position, item in enumerate(parsed.entries)
    ]
    keys = _page_keys(parsed.entries, [v["published_raw"] for v in all_values])
    by_url = {e.url: e for e in existing.values() if e.url}
    ordered: list[Entry] = []
    creates: list[Entry] = []
    rewrite: list[tuple[Entry, ParsedEntry, list[str]]] = []
    moved: list[Entry] = []
    for item, key, values in zip(parsed.entries, keys, all_values, strict=True):
        codes = [c for c in [item.country or page.country_id] if c]
        placement = {k: values.pop(k) for k in ("position", "first_line", "last_line")}
        fingerprint = content_hash(
            {
                **{
                    k: v
                    for k, v in values.items()
                    if k not in {"publisher", "series", "source_page"}
                },
                "publisher": values["publisher"].pk if values["publisher"] else None,
                "series": values["series"].pk if values["series"] else None,
                "accesses": [(a.raw, a.date, a.url, a.problem) for a in item.accesses],
                "countries": codes,
                "topics": topic_slugs,
            }
        )
        values.update(placement)
        entry = existing.pop(key, None) or adoptable.pop(key, None)
        if entry is None and item.url and item.url in by_url:
            # Same address, new title or date: the same source, edited on the page.
            candidate = by_url.pop(item.url)
            if existing.pop(candidate.key, None) is not None:
                entry = candidate

        if entry is not None and entry.cached_import_hash == fingerprint:
            result.entries_unchanged += 1
            ordered.append(entry)
            # Moved on the page, not changed: keep its place and lines current.
            if any(getattr(entry, k) != v for k, v in placement.items()):
                for k, v in placement.items():
                    setattr(entry, k, v)
                moved.append(entry)
            continue
        if entry is None:
            entry = Entry(key=key, **values)
            entry.primary_country_id = codes[0] if codes else None
            entry.cached_import_hash = fingerprint
            creates.append(entry)
            result.entries_created += 1
        else:
            for name, value in values.items():
                setattr(entry, name, value)
            entry.key = key
            entry.primary_country_id = codes[0] if codes else None
            entry.cached_import_hash = fingerprint
            entry.save()
            result.entries_updated += 1
        ordered.append(entry)
        rewrite.append((entry, item, codes))

    Entry.objects.bulk_create(creates)
    Entry.objects.bulk_update(moved, ["position", "first_line", "last_line"])
    if existing:
        result.entries_removed = len(existing)
        Entry.objects.filter(pk__in=[e.pk for e in existing.values()]).delete()

    changed_ids = [entry.pk for entry, _, _ in rewrite]
    Access.objects.filter(
        entry_id__in=changed_ids, origin=Access.Origin.IMPORT
    ).delete()
    CountryThrough = Entry.countries.through
    TopicThrough = Entry.topics.through
    # Countries and topics are only ever added by an import: those a curator (or
    # the tagger) gave an entry stay.
    access_rows: list[tuple[object, ...]] = []
    country_rows: list[tuple[int, str]] = []
    topic_rows: list[tuple[int, int]] = []
    for entry, item, codes in rewrite:
        for position, access in enumerate(item.accesses):
            access_rows.append(
                (
                    entry.pk,
                    position,
                    access.url[:2000],
                    _partial(access.date),
                    _precision(access.date),
                    access.raw[:300],
                    access.problem[:200],
                    Access.Origin.IMPORT.value,
                    "",
                    "",
                )
            )
        country_rows += [(entry.pk, c) for c in codes]
        topic_rows += [
            (entry.pk, cache.topics[s].pk)
            for s in dict.fromkeys(topic_slugs)
            if s in cache.topics
        ]
    insert_rows(
        Access,
        ("entry_id", "position", "url", "accessed_on", "accessed_precision", "raw",
         "problem", "origin",
         "outcome", "final_url"),
        access_rows,
    )  # fmt: skip
    # New entries have no links yet: plain inserts. Links an updated or adopted entry
    # already has are skipped (conflicts ignored).
    created_ids = {entry.pk for entry in creates}
    insert_rows(
        CountryThrough,
        ("entry_id", "country_id"),
        [row for row in country_rows if row[0] in created_ids],
    )
    CountryThrough.objects.bulk_create(
        [
            CountryThrough(entry_id=e, country_id=c)
            for e, c in country_rows
            if e not in created_ids
        ],
        ignore_conflicts=True,
    )
    TopicThrough.objects.bulk_create(
        [TopicThrough(entry_id=e, topic_id=t) for e, t in topic_rows],
        ignore_conflicts=True,
    )
    if changed_ids:
        announce(changed_ids, origin="import")
    return ordered


def _page_keys(entries: list[ParsedEntry], dates: list[str]) -> list[str]:
    """Each entry's identity on its page: folded title and date as written; entries
    that share those are told apart by what differs (address, source, excerpt), and
    only identical twins by their order."""
    bases = [entry_key(e.title, d) for e, d in zip(entries, dates, strict=True)]
    counts = Counter(bases)
    keys: list[str] = []
    seen: Counter[str] = Counter()
    for entry, base in zip(entries, bases, strict=True):
        key = base
        if counts[base] > 1:
            detail = (
                entry.url or entry.source_line + "|" + (entry.excerpt[:1] or [""])[0]
            )
            key = f"{base}#{content_hash(detail)[:10]}"
        seen[key] += 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


def _precision(iso: str | None) -> str:
    """The precision of an ISO date written to its precision (2011, 2011-08, …)."""
    return {4: "year", 7: "month"}.get(len(iso or ""), "day")


def _partial(iso: str | None) -> dt.date | None:
    """The date of an ISO date written to its precision (2011, 2011-08, 2011-08-22)."""
    if not iso:
        return None
    if len(iso) == 10:
        return dt.date.fromisoformat(iso)
    return parse_date(iso).date


# ------------------------------------------------------------------ page-level data


def _store_helplines(
    page: SourcePage,
    parsed: ParsedPage,
    *,
    country_code: str,
    entries: list[Entry],
    cache: LibraryCache,
) -> None:
    country = cache.countries[country_code]
    kept: list[int] = []
    for position, item in enumerate(parsed.helplines):
        if not (item.number or item.organisation):
            continue
        source_entry = (
            entries[item.entry_index] if item.entry_index is not None else None
        )
        helpline, _ = save_helpline(
            country=country,
            organisation=item.organisation,
            number=item.number,
            country_code=item.country_code,
            notes=item.notes,
            source_entry=source_entry,
            source_page=page,
            position=position,
        )
        kept.append(helpline.pk)
    # A number the page no longer lists is no longer offered to readers.
    Helpline.objects.filter(source_page=page).exclude(pk__in=kept).delete()


def _store_profile(page: SourcePage, parsed: ParsedPage, *, country_code: str) -> None:
    data = parsed.profile
    assert data is not None
    profile, created = CountryProfile.objects.get_or_create(country_id=country_code)
    if (
        parsed.kind != "country"
        and not created
        and profile.source_page_id
        not in (
            None,
            page.pk,
        )
    ):
        # A street-children page only fills what the country page left empty.
        profile.official_name = profile.official_name or data.official_name
        if not profile.background:
            profile.background = data.background
            profile.background_source = data.background_source
            profile.background_year = data.background_year
        profile.save()
        return
    profile.official_name = data.official_name or profile.official_name
    if data.background:
        profile.background = data.background
        profile.background_source = data.background_source
        profile.background_year = data.background_year
        profile.background_is_summary = False
    if data.tip_summary:
        profile.tip_summary = data.tip_summary
        profile.tip_source = data.tip_source
        profile.tip_report_year = data.tip_year
        profile.tip_report_month = data.tip_month
        profile.tip_links = data.tip_links
        profile.tip_tier = tier_for(country_code, data.tip_year)
        profile.tip_is_summary = False
    profile.source_page = page
    profile.save()


def _store_tip(page: SourcePage, parsed: ParsedPage, *, country_code: str) -> None:
    tip = parsed.tip
    assert tip is not None
    TipSummary.objects.update_or_create(
        country_id=country_code,
        report_year=tip.report_year,
        defaults={
            "tier": tip.tier,
            "tier_line": tip.tier_line,
            "summary": tip.summary,
            "recommendations": tip.recommendations,
            "source_page": page,
        },
    )
    if tip.report_year and tip.tier:
        TierPlacement.objects.update_or_create(
            country_id=country_code,
            report_year=tip.report_year,
            source=TierPlacement.Source.LEGACY_PAGE,
            defaults={"tier": tip.tier},
        )


def _store_teaching(page: SourcePage, parsed: ParsedPage) -> None:
    _store_guidance(page, parsed)
    if parsed.kind not in {"teachers-menu", "debate", "lesson-plan"}:
        return
    if parsed.links or page.resource_links.exists():
        page.resource_links.all().delete()
        ResourceLink.objects.bulk_create(
            [
                ResourceLink(
                    title=link["title"][:300],
                    url=link["url"][:2000],
                    description=link["description"],
                    menu=link["menu"][:200],
                    position=position,
                    source_page=page,
                )
                for position, link in enumerate(parsed.links)
            ]
        )
    if parsed.propositions or page.propositions.exists():
        page.propositions.all().delete()
        DebateProposition.objects.bulk_create(
            [
                DebateProposition(number=number, text=text, source_page=page)
                for number, text in parsed.propositions
            ]
        )
    if parsed.lesson_plan is not None:
        plan = parsed.lesson_plan
        LessonPlan.objects.update_or_create(
            source_page=page,
            defaults={
                "title": (plan.title or page.title)[:300],
                "unit_topic": plan.unit_topic[:300],
                "grade_level": plan.grade_level[:200],
                "objectives": plan.objectives,
                "fields": plan.fields,
            },
        )


def _store_guidance(page: SourcePage, parsed: ParsedPage) -> None:
    for guidance in parsed.guidance:
        text = "\n\n".join(guidance.paragraphs)
        Guidance.objects.get_or_create(
            text_key=guidance_key(guidance.audience, guidance.paragraphs),
            defaults={
                "audience": guidance.audience,
                "heading": guidance.heading[:200],
                "paragraphs": guidance.paragraphs,
                "topics_mentioned": _topics_named(text),
                "first_seen_page": page,
            },
        )


def _topics_named(text: str) -> list[str]:
    from lantern.library.vocabulary import VOCABULARY

    folded = f" {fold(text)} "
    found = []
    for group in VOCABULARY:
        for spec in group.topics:
            names = [spec.name.split(" / ")[0], *spec.keywords[:2]]
            if any(f" {fold(n)} " in folded for n in names):
                found.append(spec.slug)
    return found
