"""Restoring a Lantern JSON export (docs/export-format.md) into the library.

One transaction per file, so a file with a bad record changes nothing; every error
names the record and field (`entries[3].countries: unknown country 'ZZ'`).

Records are matched to what the library holds by what they are, not only by id: a
page by its key, an entry by its page and key (or by id when that id holds the same
entry), a help-line by country and number. An id that belongs to a different record
is never overwritten; the restored record gets a new id instead, and references to
it (a help-line's source entry) follow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lantern.capture.models import Snapshot
from lantern.library.export import FORMAT, VERSION
from lantern.library.models import (
    Access,
    CountryProfile,
    DatePrecision,
    Entry,
    Helpline,
    SourcePage,
    Tier,
    TierPlacement,
    TipSummary,
    TopicSuggestion,
)
from lantern.library.records import ExportError, Record
from lantern.library.services import LibraryCache, entry_key, helpline_key
from lantern.linkcheck.models import CheckRun
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
    guidance_key,
)

if TYPE_CHECKING:
    from lantern.legacy.report import PageResult


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
            counts = _Restorer(document).run()
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


class _Restorer:
    def __init__(self, document: dict[str, Any]) -> None:
        self.root = Record(document, "export")
        self.cache = LibraryCache.load()
        self.users = {u.get_username(): u for u in get_user_model().objects.all()}
        self.pages: dict[str, SourcePage] = {p.key: p for p in SourcePage.objects.all()}
        self.entry_ids: dict[int, int] = {}  # id in the file → id in the library
        self.run_ids: dict[int, int] = {}  # check runs, likewise
        self.counts = {"entries": 0, "current": 0, "archive": 0, "accesses": 0,
                       "helplines": 0}  # fmt: skip

    def run(self) -> dict[str, int]:
        self.each("pages", self.page)
        self.each("check_runs", self.check_run)
        self.each("entries", self.entry)
        self.each("helplines", self.helpline)
        self.each("profiles", self.profile)
        self.each("tip_summaries", self.tip_summary)
        teaching = self.root.child("teaching")
        if teaching is not None:
            try:
                self.teaching(teaching)
            except ExportError:
                raise
            except (ValueError, TypeError, KeyError, DatabaseError) as exc:
                raise ExportError(f"teaching: {exc}") from exc
        _reset_sequences()
        return self.counts

    def each(
        self, name: str, restore: Callable[[Record], None], parent: Record | None = None
    ) -> None:
        parent = parent or self.root
        for n, value in enumerate(parent.items(name)):
            record = Record(
                value, f"{parent.at(name) if parent is not self.root else name}[{n}]"
            )
            try:
                restore(record)
            except ExportError:
                raise
            except (ValueError, TypeError, KeyError, DatabaseError) as exc:
                raise ExportError(f"{record.where}: {exc}") from exc

    # ------------------------------------------------------------------ references

    def country(self, value: Any, where: str) -> str:
        code = str(value or "").upper()
        if code not in self.cache.countries:
            raise ExportError(f"{where}: unknown country {value!r}")
        return code

    def page_of(self, record: Record, name: str) -> SourcePage | None:
        key = record.text(name)
        if not key:
            return None
        if key not in self.pages:
            raise ExportError(f"{record.at(name)}: unknown page {key!r}")
        return self.pages[key]

    # ----------------------------------------------------------------------- pages

    def page(self, record: Record) -> None:
        key = record.text("key", required=True, max_length=200)
        page = self.pages.get(key) or SourcePage(key=key)
        page.kind = record.choice("kind", SourcePage.Kind.values, "")
        page.rendering = record.choice("rendering", SourcePage.Rendering.values, "text")
        page.file_path = record.text("file", max_length=1000)
        page.title = record.text("title", max_length=300)
        page.country_id = (
            self.country(record.data["country"], record.at("country"))
            if record.has("country")
            else None
        )
        topic = record.text("topic")
        if topic and topic not in self.cache.topics:
            raise ExportError(f"{record.at('topic')}: unknown topic {topic!r}")
        page.topic = self.cache.topics.get(topic)
        page.part = record.integer("part", high=999)
        content_hash = record.text("content_hash", max_length=64)
        if page.content_hash != content_hash:
            page.parser_version = ""  # parse the file again when it is re-imported
        page.content_hash = content_hash
        page.line_count = record.integer("line_count") or 0
        page.blocks = record.items("blocks")
        page.unparsed = record.items("unparsed")
        page.warnings = record.items("warnings")
        if "source_text" in record.data:
            page.source_text = record.text("source_text")
        page.save()
        self.pages[key] = page

    # --------------------------------------------------------------------- entries

    def entry(self, record: Record) -> None:
        title = record.text("title", required=True)
        published = record.child("published") or Record({}, record.at("published"))
        precision = published.choice(
            "precision", DatePrecision.values, DatePrecision.UNKNOWN
        )
        published_date, _ = published.partial_date("date")
        provenance = record.child("provenance") or Record({}, record.at("provenance"))
        page = self.page_of(provenance, "page")
        raw_date = published.text("raw", max_length=200)
        key = provenance.text("key", max_length=400) or entry_key(title, raw_date)
        codes = [
            self.country(c, record.at("countries")) for c in record.items("countries")
        ]
        topics = []
        for slug in record.strings("topics"):
            if slug not in self.cache.topics:
                raise ExportError(f"{record.at('topics')}: unknown topic {slug!r}")
            topics.append(self.cache.topics[slug])
        publisher = None
        publisher_record = record.child("publisher")
        if publisher_record is not None:
            kind = publisher_record.choice("kind", ["government", "intergovernmental",
                                                    "ngo", "news", "academic", "other"],
                                           "other")  # fmt: skip
            publisher = self.cache.publisher(
                publisher_record.text("name", required=True, max_length=300), kind
            )
            if publisher is not None and publisher.kind != kind:
                publisher.kind = kind
                publisher.save(update_fields=["kind"])
        series_record = record.child("series")
        series = None
        edition = None
        if series_record is not None:
            slug = series_record.text("slug", required=True)
            if slug not in self.cache.series:
                raise ExportError(
                    f"{series_record.at('slug')}: unknown series {slug!r}"
                )
            series = self.cache.series[slug]
            edition = series_record.integer("edition_year", low=1800, high=2200)
        values = {
            "title": title,
            "format": record.choice("format", Entry.Format.values, Entry.Format.WEB),
            "authors": record.strings("authors"),
            "publisher": publisher,
            "source_line": record.text("source_line"),
            "place": record.text("place", max_length=200),
            "published_raw": raw_date,
            "published_date": published_date,
            "published_precision": precision
            if published_date
            else DatePrecision.UNKNOWN,
            "url": record.text("url", max_length=2000),
            "other_urls": record.strings("other_urls"),
            "page_ref": record.text("page", max_length=40),
            "excerpt": record.strings("excerpt"),
            "excerpt_is_summary": record.flag("excerpt_is_summary"),
            "notes": record.strings("notes"),
            "archived_copy_note": record.text("archived_copy_note"),
            "archived_copy_url": record.text("archived_copy_url", max_length=2000),
            "section": record.choice(
                "section", Entry.Section.values, Entry.Section.CURRENT
            ),
            "collection": record.choice(
                "collection", Entry.Collection.values, Entry.Collection.TRAFFICKING
            ),
            "primary_country_id": codes[0] if codes else None,
            "language": record.text("language", max_length=12) or "en",
            "series": series,
            "edition_year": edition,
            "origin": provenance.choice(
                "origin", Entry.Origin.values, Entry.Origin.RESTORE
            ),
            "source_page": page,
            "first_line": provenance.integer("first_line"),
            "last_line": provenance.integer("last_line"),
            "position": provenance.integer("position") or 0,
            "key": key,
            "cached_import_hash": "",
        }
        # Link evidence: a file written before these keys existed (or by hand)
        # leaves what the library knows alone.
        present = record.data.keys()
        if "link_status" in present:
            values["cached_link_status"] = record.choice(
                "link_status", ["", *Access.Outcome.values], ""
            )
        if "last_checked_at" in present:
            values["cached_last_checked_at"] = record.timestamp("last_checked_at")
        if "wayback_url" in present:
            values["wayback_url"] = record.text("wayback_url", max_length=2000)
        if "wayback_captured_at" in present:
            values["wayback_captured_at"] = record.timestamp("wayback_captured_at")
        accesses = [self.access(Record(a, f"{record.at('accesses')}[{m}]"), m)
                    for m, a in enumerate(record.items("accesses"))]  # fmt: skip
        snapshots = [Record(s, f"{record.at('snapshots')}[{m}]")
                     for m, s in enumerate(record.items("snapshots"))]  # fmt: skip
        stamps = {
            name: stamp for name in ("created_at", "updated_at")
            if (stamp := record.timestamp(name))
        }  # fmt: skip

        entry = self.match_entry(record.integer("id"), page, key)
        if entry is None:
            wanted = record.integer("id")
            free = wanted is not None and not Entry.objects.filter(pk=wanted).exists()
            entry = Entry(pk=wanted if free else None, **values)
            entry.save(force_insert=True)
        else:
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
        if record.integer("id") is not None:
            self.entry_ids[record.integer("id") or 0] = entry.pk
        entry.countries.set([self.cache.countries[c] for c in codes])
        entry.topics.set(topics)
        self.topic_decisions(record, entry)
        entry.accesses.all().delete()
        for access in accesses:
            access.entry = entry
        Access.objects.bulk_create(accesses)
        for snapshot in snapshots:
            self.snapshot(snapshot, entry)
        if stamps:
            Entry.objects.filter(pk=entry.pk).update(**stamps)
        self.counts["entries"] += 1
        self.counts[entry.section] = self.counts.get(entry.section, 0) + 1
        self.counts["accesses"] += len(accesses)

    def topic_decisions(self, record: Record, entry: Entry) -> None:
        """Curators' confirmed and rejected topics (the tagger's evidence is not
        exported: `lantern tag` finds it again, and keeps rejected topics off)."""
        entry.topic_suggestions.all().delete()
        rows = []
        for m, item in enumerate(record.items("topic_decisions")):
            decision = Record(item, f"{record.at('topic_decisions')}[{m}]")
            slug = decision.text("topic", required=True)
            if slug not in self.cache.topics:
                raise ExportError(f"{decision.at('topic')}: unknown topic {slug!r}")
            state = decision.choice("state", ["confirmed", "rejected"], "")
            at = decision.timestamp("at")
            username = decision.text("by", max_length=150)
            rows.append(
                TopicSuggestion(
                    entry=entry,
                    topic=self.cache.topics[slug],
                    state=state,
                    accepted=False,
                    decided_by=self.users.get(username) if username else None,
                    decided_at=at,
                    tagged_at=at or timezone.now(),
                )
            )
        TopicSuggestion.objects.bulk_create(rows, ignore_conflicts=True)

    def match_entry(
        self, wanted: int | None, page: SourcePage | None, key: str
    ) -> Entry | None:
        """The library's copy of an exported entry: same page and key; or the same
        id, when that id holds an entry with the same page and key."""
        if page is not None:
            found = Entry.objects.filter(source_page=page, key=key).first()
            if found is not None:
                return found
        if wanted is not None:
            same_id = Entry.objects.filter(pk=wanted).first()
            if (
                same_id is not None
                and same_id.key == key
                and same_id.source_page_id == (page.pk if page else None)
            ):
                return same_id
        return None

    def access(self, record: Record, position: int) -> Access:
        accessed_on, precision = record.partial_date("date")
        return Access(
            position=position,
            url=record.text("url", max_length=2000),
            accessed_on=accessed_on,
            accessed_precision=precision if accessed_on else DatePrecision.DAY,
            raw=record.text("raw", max_length=300),
            problem=record.text("problem", max_length=200),
            origin=record.choice("origin", Access.Origin.values, Access.Origin.IMPORT),
            checked_at=record.timestamp("checked_at"),
            outcome=record.choice("outcome", ["", *Access.Outcome.values], ""),
            http_status=record.integer("http_status", low=100, high=599),
            final_url=record.text("final_url", max_length=2000),
            excerpt_found=record.maybe_flag("excerpt_found"),
            redirect_chain=self.redirect_chain(record),
            content_hash=record.text("content_hash", max_length=64),
            elapsed_ms=record.integer("elapsed_ms"),
            attempts=record.integer("attempts", high=32767) or 0,
            error=record.text("error", max_length=300),
            run_id=self.run_of(record),
        )

    def redirect_chain(self, record: Record) -> list[dict[str, Any]]:
        hops = []
        for n, value in enumerate(record.items("redirect_chain")):
            hop = Record(value, f"{record.at('redirect_chain')}[{n}]")
            hops.append(
                {
                    "url": hop.text("url", required=True),
                    "status": hop.integer("status", low=100, high=599),
                }
            )
        return hops

    def run_of(self, record: Record) -> int | None:
        run = record.integer("run")
        if run is None:
            return None
        if run not in self.run_ids:
            raise ExportError(f"{record.at('run')}: no check run {run} in check_runs")
        return self.run_ids[run]

    # ------------------------------------------------------------- link checking

    def check_run(self, record: Record) -> None:
        """A link-check run, matched by the moment it started; a new run keeps the
        file's id when that id is free."""
        wanted = record.whole("id", low=1, high=2**63 - 1)
        started = record.timestamp("started_at")
        values = {
            "finished_at": record.timestamp("finished_at"),
            "status": record.choice(
                "status", CheckRun.Status.values, CheckRun.Status.FINISHED
            ),
            "options": record.data.get("options") or {},
            "counts": record.data.get("counts") or {},
        }
        for name in ("options", "counts"):
            if not isinstance(values[name], dict):
                raise ExportError(f"{record.at(name)}: expected an object")
        run = (
            CheckRun.objects.filter(started_at=started).order_by("id").first()
            if started is not None
            else None
        )
        if run is None:
            free = not CheckRun.objects.filter(pk=wanted).exists()
            run = CheckRun(pk=wanted if free else None, **values)
            run.save(force_insert=True)
            if started is not None:  # started_at is stamped on insert
                CheckRun.objects.filter(pk=run.pk).update(started_at=started)
        else:
            for name, value in values.items():
                setattr(run, name, value)
            run.save()
        self.run_ids[wanted] = run.pk

    def snapshot(self, record: Record, entry: Entry) -> None:
        """A snapshot's record (the WARC file travels separately): matched by its
        WARC file name, or, without one, by entry, address and capture time."""
        captured_at = record.timestamp("captured_at")
        if captured_at is None:
            raise ExportError(f"{record.at('captured_at')}: required")
        url = record.text("url", required=True, max_length=2000)
        warc_path = record.text("warc_path", max_length=500)
        values: dict[str, Any] = {
            "entry": entry,
            "url": url,
            "final_url": record.text("final_url", max_length=2000),
            "captured_at": captured_at,
            "http_status": record.integer("http_status", low=100, high=599),
            "content_type": record.text("content_type", max_length=200),
            "warc_path": warc_path,
            "warc_size": record.integer("warc_size", high=2**63 - 1) or 0,
            "payload_sha256": record.text("payload_sha256", max_length=64),
            "payload_size": record.integer("payload_size", high=2**63 - 1) or 0,
            "truncated": record.flag("truncated"),
            "title": record.text("title", max_length=500),
        }
        if warc_path:
            found = Snapshot.objects.filter(warc_path=warc_path).first()
        else:
            found = Snapshot.objects.filter(
                entry=entry, warc_path="", url=url, captured_at=captured_at
            ).first()
        if found is None:
            wanted = record.integer("id", low=1, high=2**63 - 1)
            free = (
                wanted is not None and not Snapshot.objects.filter(pk=wanted).exists()
            )
            found = Snapshot(pk=wanted if free else None, **values)
            found.save(force_insert=True)
        else:
            for name, value in values.items():
                setattr(found, name, value)
            found.save()

    # ------------------------------------------------------------------ help-lines

    def helpline(self, record: Record) -> None:
        wanted = record.integer("id")
        code = self.country(record.text("country", required=True), record.at("country"))
        source_entry = record.integer("source_entry")
        if source_entry is not None:
            source_entry = self.entry_ids.get(source_entry, source_entry)
            if not Entry.objects.filter(pk=source_entry).exists():
                raise ExportError(
                    f"{record.at('source_entry')}: no entry {source_entry}"
                )
        organisation = record.text("organisation", max_length=300)
        number = record.text("number", max_length=100)
        values: dict[str, Any] = {
            "organisation": organisation,
            "number_raw": number,
            "country_code_raw": record.text("country_code", max_length=20),
            "e164": record.text("e164", max_length=20),
            "is_valid": record.flag("is_valid"),
            "is_short_code": record.flag("is_short_code"),
            "problem": record.text("problem", max_length=200),
            "notes": record.text("notes"),
            "last_verified": record.date("last_verified"),
            "source_entry_id": source_entry,
            "source_page": self.page_of(record, "source_page"),
        }
        number_key = helpline_key(number, organisation)
        helpline = Helpline.objects.filter(
            country_id=code, number_key=number_key
        ).first()
        if helpline is None:
            free = (
                wanted is not None and not Helpline.objects.filter(pk=wanted).exists()
            )
            helpline = Helpline(pk=wanted if free else None, country_id=code,
                                number_key=number_key)  # fmt: skip
        for name, value in values.items():
            setattr(helpline, name, value)
        helpline.save()
        self.counts["helplines"] += 1

    # ------------------------------------------------------------ profiles and TIP

    def profile(self, record: Record) -> None:
        code = self.country(record.text("country", required=True), record.at("country"))
        tip = record.child("tip") or Record({}, record.at("tip"))
        CountryProfile.objects.update_or_create(
            country_id=code,
            defaults={
                "official_name": record.text("official_name", max_length=200),
                "background": record.strings("background"),
                "background_source": record.text("background_source", max_length=200),
                "background_year": record.integer("background_year", high=2200),
                "background_is_summary": record.flag("background_is_summary"),
                "tip_summary": tip.strings("summary"),
                "tip_source": tip.text("source", max_length=300),
                "tip_report_year": tip.integer("report_year", high=2200),
                "tip_report_month": tip.integer("report_month", low=1, high=12),
                "tip_tier": tip.choice("tier", ["", *Tier.values], ""),
                "tip_links": tip.items("links"),
                "tip_is_summary": tip.flag("is_summary"),
                "source_page": self.page_of(record, "source_page"),
            },
        )
        for m, value in enumerate(record.items("tier_history")):
            placement = Record(value, f"{record.at('tier_history')}[{m}]")
            source = placement.choice("source", TierPlacement.Source.values, "")
            if source not in {"legacy-page", "curator"}:
                continue  # reference facts come from the migration, not the file
            TierPlacement.objects.update_or_create(
                country_id=code,
                report_year=placement.whole("year", low=1990, high=2200),
                source=source,
                defaults={"tier": placement.choice("tier", Tier.values, "")},
            )

    def tip_summary(self, record: Record) -> None:
        code = self.country(record.text("country", required=True), record.at("country"))
        TipSummary.objects.update_or_create(
            country_id=code,
            report_year=record.integer("report_year", high=2200),
            defaults={
                "tier": record.choice("tier", ["", *Tier.values], ""),
                "tier_line": record.text("tier_line"),
                "summary": record.strings("summary"),
                "recommendations": record.strings("recommendations"),
                "source_page": self.page_of(record, "source_page"),
            },
        )

    # -------------------------------------------------------------------- teaching

    def teaching(self, teaching: Record) -> None:
        links = [
            Record(v, f"teaching.links[{n}]")
            for n, v in enumerate(teaching.items("links"))
        ]
        for page in {self.page_of(r, "source_page") for r in links}:
            ResourceLink.objects.filter(source_page=page).delete()
        for r in links:
            ResourceLink.objects.create(
                title=r.text("title", required=True, max_length=300),
                url=r.text("url", max_length=2000),
                description=r.text("description"),
                menu=r.text("menu", max_length=200),
                position=r.integer("position") or 0,
                source_page=self.page_of(r, "source_page"),
            )
        propositions = [Record(v, f"teaching.propositions[{n}]")
                        for n, v in enumerate(teaching.items("propositions"))]  # fmt: skip
        for page in {self.page_of(r, "source_page") for r in propositions}:
            DebateProposition.objects.filter(source_page=page).delete()
        for r in propositions:
            DebateProposition.objects.create(
                number=r.whole("number", high=9999),
                text=r.text("text", required=True),
                source_page=self.page_of(r, "source_page"),
            )
        for n, value in enumerate(teaching.items("lesson_plans")):
            r = Record(value, f"teaching.lesson_plans[{n}]")
            values = {
                "title": r.text("title", required=True, max_length=300),
                "unit_topic": r.text("unit_topic", max_length=300),
                "grade_level": r.text("grade_level", max_length=200),
                "objectives": r.strings("objectives"),
                "fields": r.items("fields"),
            }
            page = self.page_of(r, "source_page")
            if page is not None:
                LessonPlan.objects.update_or_create(source_page=page, defaults=values)
            else:
                LessonPlan.objects.update_or_create(
                    title=values["title"], source_page=None, defaults=values
                )
        for n, value in enumerate(teaching.items("guidance")):
            r = Record(value, f"teaching.guidance[{n}]")
            audience = r.choice("audience", Guidance.Audience.values, "")
            paragraphs = r.strings("paragraphs")
            Guidance.objects.update_or_create(
                text_key=guidance_key(audience, paragraphs),
                defaults={
                    "audience": audience,
                    "heading": r.text("heading", max_length=200),
                    "paragraphs": paragraphs,
                    "topics_mentioned": r.strings("topics_mentioned"),
                    "first_seen_page": self.page_of(r, "source_page"),
                },
            )


def _reset_sequences() -> None:
    """After rows were written with explicit ids, move PostgreSQL's id sequences past
    them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(
        no_style(), [Entry, Helpline, Snapshot, CheckRun]
    )
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
