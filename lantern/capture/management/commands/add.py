"""`lantern add URL`: add a source from its address, with its first access and a
WARC snapshot."""

from __future__ import annotations

import sys
import time
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from lantern.capture.services import (
    AddResult,
    CaptureError,
    EntryPlan,
    Preview,
    create_entry,
    preview,
)
from lantern.core.setup import prepare_database


class Command(BaseCommand):
    help = (
        "Add a source from its URL: metadata, suggestions, first access and snapshot.\n"
        "Fetches the page once; fills in title, authors, publisher, date and language; "
        "suggests countries, topics and the paragraphs to quote; records the first "
        "access and stores a WARC snapshot. Confirm with --yes or at the terminal."
    )
    # Tests answer the questions through call_command(..., stdin=…).
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("url", metavar="URL", help="the page or PDF to add")
        parser.add_argument(
            "--country", metavar="CC", help="primary country (ISO code, e.g. PE)"
        )
        parser.add_argument(
            "--topic",
            dest="topics",
            action="append",
            metavar="SLUG",
            help="a topic (repeat for more); default: the suggested ones",
        )
        excerpt = parser.add_mutually_exclusive_group()
        excerpt.add_argument(
            "--excerpt", metavar="TEXT", help="the passage to quote, verbatim"
        )
        excerpt.add_argument(
            "--pick",
            type=int,
            nargs="+",
            metavar="N",
            help="quote the proposed paragraphs with these numbers",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="accept the suggestions without asking",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="fetch and show, write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        started = time.monotonic()
        stdin: TextIO = options.get("stdin") or sys.stdin
        country, topics = options["country"], options["topics"]
        excerpt, pick = options["excerpt"], options["pick"]
        self.stderr.write(f"fetching {options['url']} …")
        try:
            found = preview(options["url"], country=country, topics=topics)
        except CaptureError as exc:
            raise CommandError(str(exc)) from exc
        self._show(found)
        if not options["dry_run"] and not options["yes"]:
            if not stdin.isatty():
                raise CommandError(
                    "nothing written: confirm with --yes (or run in a terminal to "
                    "choose), or look only with --dry-run"
                )
            country, topics, excerpt, pick, go = self._ask(
                found, stdin, country, topics, excerpt, pick
            )
            if not go:
                self.stdout.write("nothing written")
                return
        try:
            added = create_entry(
                found, country=country, topics=topics, excerpt=excerpt, pick=pick,
                dry_run=options["dry_run"],
            )  # fmt: skip
        except CaptureError as exc:
            raise CommandError(str(exc)) from exc
        self._done(added, time.monotonic() - started)

    # ----------------------------------------------------------------------- output

    def _show(self, found: Preview) -> None:
        meta, result, s = found.metadata, found.result, found.suggestions
        out = self.stdout.write
        moved = f" → {result.final_url}" if result.final_url != found.url else ""
        out(f"{result.status} {result.reason}{moved} · {result.content_type} · "
            f"{filesizeformat(len(result.body))} · {result.elapsed:.2f} s")  # fmt: skip
        out(f"title:      {meta.title or '—'}")
        out(f"authors:    {'; '.join(meta.authors) or '—'}")
        out(f"publisher:  {meta.publisher or '—'}")
        published = meta.published
        date = f" ({published.date}, {published.precision})" if published.date else ""
        out(f"published:  {published.raw or '—'}{date}")
        out(f"language:   {meta.language or '—'}")
        if meta.pages:
            out(f"pages:      {len(meta.pages)}")
        for problem in meta.problems:
            out(f"problem:    {problem}")
        countries = ", ".join(
            f"{m.code}{'*' if m.code in s.selected_countries else ''} {m.score} "
            f"({', '.join(m.phrases)})"
            for m in s.countries
        )
        out(
            f"countries:  {countries or '—'}   (* suggested; primary {s.primary or '—'})"
        )
        out("topics:" + ("     —" if not s.topics else ""))
        for t in s.topics:
            evidence = ", ".join(f"{p}×{n}" for p, n in t.phrases)
            out(f"  {t.slug} {t.score} ({evidence})")
        out("proposed excerpts:" + (" none" if not s.proposals else ""))
        for p in s.proposals:
            page = f", page {p.page}" if p.page else ""
            out(f"  [{p.number}] score {p.score}{page}: {p.text}")

    def _plan_line(self, plan: EntryPlan) -> str:
        excerpt = f"{len(plan.excerpt)} paragraph(s)" if plan.excerpt else "none"
        page = f" · page {plan.page_ref}" if plan.page_ref else ""
        return (
            f"entry: “{plan.title}” · {plan.source_line or 'no source line'} · "
            f"countries {', '.join(plan.countries) or '—'} · topics "
            f"{', '.join(plan.topics) or '—'} · excerpt {excerpt}{page}"
        )

    def _done(self, added: AddResult, elapsed: float) -> None:
        self.stdout.write(self._plan_line(added.plan))
        if added.dry_run or added.entry is None:
            self.stdout.write("dry run · nothing written")
            return
        access, snapshot = added.access, added.snapshot
        assert access is not None and snapshot is not None
        self.stdout.write(f"entry {added.entry.pk} · {added.entry.get_absolute_url()}")
        self.stdout.write(
            f"access {access.accessed_on} · {access.outcome} · HTTP "
            f"{access.http_status} · {access.elapsed_ms} ms · excerpt found: "
            f"{'—' if access.excerpt_found is None else access.excerpt_found}"
        )
        self.stdout.write(
            f"snapshot {snapshot.pk} · {snapshot.warc_path} · "
            f"{filesizeformat(snapshot.warc_size)} · {snapshot.get_absolute_url()}"
        )
        self.stdout.write(f"added 1 entry · 1 access · 1 snapshot · {elapsed:.1f} s")

    # -------------------------------------------------------------------- questions

    def _ask(
        self,
        found: Preview,
        stdin: TextIO,
        country: str | None,
        topics: list[str] | None,
        excerpt: str | None,
        pick: list[int] | None,
    ) -> tuple[str | None, list[str] | None, str | None, list[int] | None, bool]:
        """Let the curator confirm or change the suggestions on a terminal."""
        s = found.suggestions

        def ask(question: str) -> str:
            self.stdout.write(question, ending=" ")
            self.stdout.flush()
            return stdin.readline().strip()

        if not country:
            country = ask(f"primary country [{s.primary or 'none'}]:") or s.primary
        if topics is None:
            default = " ".join(s.selected_topics) or "none"
            answer = ask(f"topics, or - for none [{default}]:")
            topics = [] if answer == "-" else (answer.split() if answer else None)
        if not excerpt and not pick and s.proposals:
            answer = ask("excerpt: numbers to quote, or text to paste [none]:")
            numbers = answer.replace(",", " ").split()
            if numbers and all(n.isdigit() for n in numbers):
                pick = [int(n) for n in numbers]
            elif answer:
                excerpt = answer
        go = ask("create this entry? [Y/n]:").lower() in {"", "y", "yes"}
        return country, topics, excerpt, pick, go
