"""`lantern search QUERY`: search the library from the command line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.search.facets import FACET_KEYS, SORTS, Filters
from lantern.search.services import QueryError, plain, run_search


class Command(BaseCommand):
    help = (
        "Search the library: hits (id, title, countries, score, snippet) and facet "
        'counts. QUERY takes words, "phrases", AND/OR/NOT, -word and prefix*.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", help="The words to look for.")
        parser.add_argument("--country", action="append", default=[],
                            help="Only entries about this country (ISO code, e.g. PE).")  # fmt: skip
        parser.add_argument("--topic", action="append", default=[],
                            help="Only entries on this topic (slug, e.g. forced-labour).")  # fmt: skip
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="FACET=VALUE",
            help=f"Any facet filter ({', '.join(FACET_KEYS)}), e.g. decade=2010.",
        )
        parser.add_argument("--sort", choices=sorted(SORTS), default="relevance")
        parser.add_argument("--limit", type=int, default=20, help="Hits to show.")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", dest="output"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        params: dict[str, list[str]] = {
            "country": options["country"],
            "topic": options["topic"],
        }
        for item in options["filter"]:
            key, sep, value = item.partition("=")
            if not sep or key not in FACET_KEYS:
                raise CommandError(
                    f"--filter takes FACET=VALUE with a facet among {', '.join(FACET_KEYS)}"
                )
            params.setdefault(key, []).append(value)
        text = " ".join(options["query"])
        try:
            page = run_search(
                text,
                filters=Filters.from_params(params),
                sort=options["sort"],
                page=options["page"],
                per_page=max(1, min(options["limit"], 200)),
            )
        except QueryError as error:
            raise CommandError(str(error)) from error
        hits: list[dict[str, Any]] = [
            {
                "id": f.entry.pk,
                "title": f.entry.title,
                "countries": [c.code for c in f.entry.countries.all()],
                "score": round(f.hit.score, 4) if f.hit.score is not None else None,
                "snippet": plain(f.hit.snippet_html),
                "url": f.entry.get_absolute_url(),
            }
            for f in page.found
        ]
        facets = {
            group.key: [
                {"value": v.value, "label": v.label, "count": v.count}
                for v in group.values
            ]
            for group in page.facets
        }
        if options["output"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "query": text,
                        "filters": dict(page.filters.values),
                        "sort": page.sort,
                        "total": page.total,
                        "page": page.page,
                        "hits": hits,
                        "facets": facets,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for n, hit in enumerate(hits, start=(page.page - 1) * page.per_page + 1):
            score = f" · score {hit['score']:.2f}" if hit["score"] is not None else ""
            self.stdout.write(
                f"{n}. [{hit['id']}] {hit['title']} ({', '.join(hit['countries'])}){score}"
            )
            if hit["snippet"]:
                self.stdout.write(f"   {hit['snippet']}")
        for group in page.facets:
            values = " · ".join(f"{v.label} {v.count}" for v in group.values[:10])
            self.stdout.write(f"{group.label}: {values}")
        self.stdout.write(f"entries {page.total:,} · page {page.page} of {page.pages}")
