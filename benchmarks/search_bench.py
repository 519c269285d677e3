"""Search latency on the synthetic library, for a fixed mix of queries.

    uv run python benchmarks/search_bench.py --entries 1000000 [--seed 1]
        [--data-dir DIR] [--database-url postgres://postgres@127.0.0.1:5432/lantern_search]
        [--repeat 30] [--bare-repeat N] [--baseline-repeat 3] [--no-baseline]
        [--reindex] [--only sqlite|postgres]

Builds the corpus of `benchmarks/corpus.py` (unless DIR or the database already
holds one of that size), indexes it, then times every query of the mix, with and
without facet filters, each asking what the search page shows: the top 20 hits,
the total count, highlighted snippets and the counts of every facet.

Columns, in milliseconds (p50/p95/p99 over --repeat runs after one warm-up):

- *tantivy*: Lantern's embedded default (`lantern.search`, Tantivy) on SQLite, the
  backend's `search` (top 20, total, snippets, every facet's counts);
- *page*: `run_search`, all the search page needs: the above plus reading the 20
  entries shown and the facet labels from the database;
- *bare FTS5*: the same words as a plain FTS5 `MATCH … ORDER BY bm25 LIMIT 20`
  (filters as `rowid IN (…)`), no count, facets or snippets, over --bare-repeat
  runs (default --repeat);
- *FTS5 full*: a straightforward FTS5 implementation of the whole page (bm25
  top 20, `count(*)`, `snippet()`, one GROUP BY join per facet), over
  --baseline-repeat runs;
- with --database-url, in a child process on that database: *postgres*
  (`lantern.search`'s PostgreSQL backend: tsvector + GIN, ts_rank, ts_headline for
  the 20 hits, facet counts), *page* as above, and *bare tsvector* (`WHERE document
  @@ q ORDER BY ts_rank LIMIT 20`).

Index sizes: the Tantivy folder, the FTS5 table's pages (`dbstat`; it keeps its
own copy of the text, as Tantivy stores title and excerpt for snippets), and
`pg_total_relation_size('search_entry')`.

Nothing here is part of the test run.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

# (label, query) and the filter sets each query runs with.
QUERIES = (
    ("common word", "trafficking"),
    ("rare word", "ombudsman"),
    ("very rare word", "trokosi"),
    ("phrase", '"forced labor"'),
    ("AND", "children AND police"),
    ("OR", "kafala OR sponsorship"),
    ("NOT", "trafficking NOT children"),
    ("prefix", "traff*"),
    ("prefix, narrower", "recruit*"),
)
FILTER_SETS: tuple[tuple[str, dict[str, tuple[str, ...]]], ...] = (
    ("", {}),
    ("country", {"country": ()}),  # the busiest country, found at run time
    (
        "region+format+decade",
        {"region": ("Africa",), "format": ("pdf",), "decade": ("2010",)},
    ),
)


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))]

    return rank(0.50), rank(0.95), rank(0.99)


def timed(run: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    result = run()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def busiest_country() -> str:
    from django.db.models import Count

    from lantern.library.models import Entry

    row = (
        Entry.objects.values("primary_country_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return row["primary_country_id"] if row else "PE"


def filter_sets() -> list[tuple[str, dict[str, tuple[str, ...]]]]:
    top = busiest_country()
    return [
        (label, {**f, "country": (top,)} if "country" in f else f)
        for label, f in FILTER_SETS
    ]


def ensure_corpus(entries: int, seed: int) -> float:
    """Build the corpus unless the database holds one of this size; seconds taken."""
    from lantern.library.models import Entry

    if Entry.objects.count() == entries:
        return 0.0
    return float(corpus.build(entries, seed=seed)["seconds"])


def ensure_index(rebuild: bool) -> float:
    from lantern.library.models import Entry
    from lantern.search import index

    backend = index.get_backend()
    if not rebuild and backend.count() == Entry.objects.count():
        return 0.0
    started = time.perf_counter()
    index.rebuild(
        lambda n: (
            print(f"  indexed {n:,}", file=sys.stderr, flush=True)
            if n % 100_000 == 0
            else None
        )
    )
    return time.perf_counter() - started


def index_sizes() -> dict[str, float]:
    """Megabytes on disk: the search index, and the library database."""
    from django.db import connection

    from lantern.search.index import search_dir

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_entry'), "
                "pg_database_size(current_database())"
            )
            index, database = cursor.fetchone()
            return {"postgres_mb": index / 1e6, "database_mb": database / 1e6}
        cursor.execute(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'bench_fts%%'"
        )
        fts5 = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        database = pages * cursor.fetchone()[0]
    tantivy = sum(f.stat().st_size for f in search_dir().rglob("*") if f.is_file())
    return {
        "tantivy_mb": tantivy / 1e6,
        "fts5_mb": fts5 / 1e6,
        "database_mb": (database - fts5) / 1e6,
    }


def versions() -> str:
    import tantivy
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    return (
        f"Python {platform.python_version()} · {database} · tantivy-py "
        f"{getattr(tantivy, '__version__', '?')}"
    )


# ------------------------------------------------------------------ FTS5 baseline


def fts5_match(node: Any) -> str:
    """The parsed query in FTS5's query syntax."""
    from lantern.search import query as q

    if isinstance(node, q.Term):
        return f'"{node.text}"' + ("*" if node.prefix else "")
    if isinstance(node, q.Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, q.And):
        positive = [i for i in node.items if not isinstance(i, q.Not)]
        negative = [i for i in node.items if isinstance(i, q.Not)]
        text = "(" + " AND ".join(fts5_match(i) for i in positive) + ")"
        for item in negative:
            text = f"({text} NOT {fts5_match(item.item)})"
        return text
    if isinstance(node, q.Or):
        return "(" + " OR ".join(fts5_match(i) for i in node.items) + ")"
    raise ValueError("a lone NOT")


def build_fts5() -> float:
    """A plain FTS5 table over the same text (title, excerpt and notes, publisher)."""
    from django.db import connection, transaction

    from lantern.search.index import documents

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'bench_fts'")
        if cursor.fetchone()[0]:
            return 0.0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE VIRTUAL TABLE bench_fts USING fts5(title, body, publisher, "
            "tokenize = 'porter unicode61')"
        )
        batch: list[tuple[Any, ...]] = []
        for doc in documents():
            batch.append((doc.id, doc.title, doc.body, doc.publisher))
            if len(batch) == 5000:
                cursor.executemany(
                    "INSERT INTO bench_fts (rowid, title, body, publisher) VALUES (%s, %s, %s, %s)",
                    batch,
                )
                batch = []
        cursor.executemany(
            "INSERT INTO bench_fts (rowid, title, body, publisher) VALUES (%s, %s, %s, %s)",
            batch,
        )
        cursor.execute("INSERT INTO bench_fts (bench_fts) VALUES ('optimize')")
    return time.perf_counter() - started


def fts5_filters(filters: dict[str, tuple[str, ...]]) -> tuple[str, list[Any]]:
    sql, params = [], []
    for key, values in filters.items():
        for value in values:
            if key == "country":
                sql.append(
                    "+rowid IN (SELECT entry_id FROM library_entry_countries WHERE country_id = %s)"
                )
            elif key == "region":
                sql.append(
                    "+rowid IN (SELECT ec.entry_id FROM library_entry_countries ec JOIN library_country c ON c.code = ec.country_id WHERE c.region = %s)"
                )
            elif key == "format":
                sql.append("+rowid IN (SELECT id FROM library_entry WHERE format = %s)")
            elif key == "decade":
                sql.append(
                    "+rowid IN (SELECT id FROM library_entry WHERE CAST(strftime('%%Y', published_date) AS INTEGER) / 10 * 10 = CAST(%s AS INTEGER))"
                )
            else:
                raise ValueError(key)
            params.append(value)
    return "".join(f" AND {s}" for s in sql), params


FTS5_FACETS = {
    "country": "SELECT ec.country_id, count(*) FROM m JOIN library_entry_countries ec ON ec.entry_id = m.rowid GROUP BY 1",
    "region": "SELECT c.region, count(DISTINCT m.rowid) FROM m JOIN library_entry_countries ec ON ec.entry_id = m.rowid JOIN library_country c ON c.code = ec.country_id GROUP BY 1",
    "topic": "SELECT t.slug, count(*) FROM m JOIN library_entry_topics et ON et.entry_id = m.rowid JOIN library_topic t ON t.id = et.topic_id GROUP BY 1",
    "kind": "SELECT p.kind, count(*) FROM m JOIN library_entry e ON e.id = m.rowid JOIN library_publisher p ON p.id = e.publisher_id GROUP BY 1",
    "format": "SELECT e.format, count(*) FROM m JOIN library_entry e ON e.id = m.rowid GROUP BY 1",
    "section": "SELECT e.section, count(*) FROM m JOIN library_entry e ON e.id = m.rowid GROUP BY 1",
    "year": "SELECT strftime('%%Y', e.published_date), count(*) FROM m JOIN library_entry e ON e.id = m.rowid GROUP BY 1",
    "status": "SELECT e.cached_link_status, count(*) FROM m JOIN library_entry e ON e.id = m.rowid GROUP BY 1",
}


def fts5_bare(match: str, filters: dict[str, tuple[str, ...]]) -> Callable[[], Any]:
    from django.db import connection

    extra, params = fts5_filters(filters)

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM bench_fts WHERE bench_fts MATCH %s{extra} "
                "ORDER BY bm25(bench_fts, 3.0, 1.0, 1.5) LIMIT 20",
                [match, *params],
            )
            return cursor.fetchall()

    return run


def fts5_full(match: str, filters: dict[str, tuple[str, ...]]) -> Callable[[], Any]:
    from django.db import connection

    extra, params = fts5_filters(filters)

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, bm25(bench_fts, 3.0, 1.0, 1.5) AS r, "
                "highlight(bench_fts, 0, '<mark>', '</mark>'), "
                "snippet(bench_fts, 1, '<mark>', '</mark>', '…', 30) "
                f"FROM bench_fts WHERE bench_fts MATCH %s{extra} ORDER BY r LIMIT 20",
                [match, *params],
            )
            hits = cursor.fetchall()
            cursor.execute(
                f"SELECT count(*) FROM bench_fts WHERE bench_fts MATCH %s{extra}",
                [match, *params],
            )
            total = cursor.fetchone()[0]
            facets = {}
            for key, sql in FTS5_FACETS.items():
                cursor.execute(
                    f"WITH m AS (SELECT rowid FROM bench_fts WHERE bench_fts MATCH %s{extra}) {sql}",
                    [match, *params],
                )
                facets[key] = cursor.fetchall()
            return hits, total, facets

    return run


# ------------------------------------------------------------- tsvector baseline


def tsvector_bare(node: Any, filters: dict[str, tuple[str, ...]]) -> Callable[[], Any]:
    from django.db import connection

    from lantern.search.backends.base import SearchRequest
    from lantern.search.backends.postgres import PostgresBackend
    from lantern.search.facets import Filters

    where, params, query_sql, query_params = PostgresBackend()._where(
        SearchRequest(node, Filters(filters))
    )

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entry_id FROM search_entry WHERE {where} "
                f"ORDER BY ts_rank(document, {query_sql}) DESC LIMIT 20",
                [*params, *query_params],
            )
            return cursor.fetchall()

    return run


# ----------------------------------------------------------------------- the run


def run_engine(
    repeat: int, bare_repeat: int, baseline_repeat: int, baseline: bool
) -> dict[str, Any]:
    """Time the mix on the configured database; rows keyed by (query, filters)."""
    from django.db import connection

    from lantern.search.backends.base import SearchRequest
    from lantern.search.facets import Filters
    from lantern.search.index import get_backend
    from lantern.search.query import parse
    from lantern.search.services import run_search
    from lantern.search.variants import expand

    backend = get_backend()
    postgres = connection.vendor == "postgresql"
    rows = []
    for label, text in QUERIES:
        # As `run_search` asks the backend: with other spellings (labor, labour).
        node = expand(parse(text))
        for filter_label, filters in filter_sets():
            request = SearchRequest(node, Filters(filters))
            times, result = timed(functools.partial(backend.search, request), repeat)
            page, shown = timed(
                functools.partial(run_search, text, filters=Filters(filters)), repeat
            )
            assert shown.total == result.total
            row: dict[str, Any] = {
                "query": f"{label}: {text}",
                "filters": filter_label or "none",
                "matches": result.total,
                backend.name: percentiles(times),
                "page": percentiles(page),
            }
            if postgres:
                bare, _ = timed(tsvector_bare(node, filters), bare_repeat)
                row["bare tsvector"] = percentiles(bare)
            elif bare_repeat >= 0:
                match = fts5_match(node)
                bare, _ = timed(fts5_bare(match, filters), bare_repeat)
                row["bare FTS5"] = percentiles(bare)
                if baseline:
                    full, _ = timed(fts5_full(match, filters), baseline_repeat)
                    row["FTS5 full"] = percentiles(full)
            rows.append(row)
            print(f"  {row}", file=sys.stderr, flush=True)
    return {"rows": rows}


def print_table(title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    print(f"\n{title}\n")
    columns = [c for c in columns if any(r.get(c) for r in rows)]
    head = ["query", "filters", "matches"]
    for column in columns:
        head += (
            [f"{column} p50", "p95", "p99"]
            if column in {"tantivy", "postgres", "page"}
            else [f"{column} p50", "p95"]
        )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        cells = [row["query"], row["filters"], f"{row['matches']:,}"]
        for column in columns:
            values = row.get(column)
            n = 3 if column in {"tantivy", "postgres", "page"} else 2
            cells += [f"{v:,.1f}" for v in values[:n]] if values else ["–"] * n
        print("| " + " | ".join(cells) + " |")
    worst = {
        c: max(r[c][1] for r in rows if r.get(c))
        for c in columns
        if any(r.get(c) for r in rows)
    }
    print("\nworst p95 (ms): " + " · ".join(f"{c} {v:,.1f}" for c, v in worst.items()))


def child_main(args: argparse.Namespace) -> None:
    corpus.setup_django(args.data_dir, args.database_url)
    built = ensure_corpus(args.entries, args.seed)
    indexed = ensure_index(args.reindex)
    out: dict[str, Any] = {"corpus_s": built, "index_s": indexed}
    if not args.database_url:
        out["fts5_s"] = build_fts5()
    out.update(index_sizes())
    out["versions"] = versions()
    out.update(
        run_engine(
            args.repeat,
            args.bare_repeat or args.repeat,
            args.baseline_repeat,
            not args.no_baseline and args.bare_repeat >= 0,
        )
    )
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--database-url")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--bare-repeat", type=int, default=0, help="-1 skips bare FTS5 (and FTS5 full)"
    )
    parser.add_argument("--baseline-repeat", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true", help="skip FTS5 full")
    parser.add_argument("--reindex", action="store_true")
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return
    # Each database in a child process of its own (Django has one configuration).
    results = {}
    runs = [("sqlite", None)] + (
        [("postgres", args.database_url)] if args.database_url else []
    )
    runs = [(name, url) for name, url in runs if args.only in (None, name)]
    for name, url in runs:
        command = [sys.executable, __file__, "--child", "--entries", str(args.entries),
                   "--seed", str(args.seed), "--repeat", str(args.repeat),
                   "--bare-repeat", str(args.bare_repeat),
                   "--baseline-repeat", str(args.baseline_repeat)]  # fmt: skip
        if url:
            command += ["--database-url", url]
        elif args.data_dir:
            command += ["--data-dir", str(args.data_dir)]
        if args.no_baseline:
            command.append("--no-baseline")
        if args.reindex:
            command.append("--reindex")
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        done = subprocess.run(
            command, env=env, check=True, stdout=subprocess.PIPE, text=True
        )
        results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"entries {args.entries:,} · seed {args.seed} · repeat {args.repeat} · "
        f"{os.cpu_count()} CPUs · load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    if "sqlite" in results:
        sqlite = results["sqlite"]
        print(
            f"SQLite ({sqlite['versions']}): corpus {sqlite['corpus_s']:.0f} s, "
            f"library {sqlite['database_mb']:,.0f} MB; index build: tantivy "
            f"{sqlite['index_s']:.0f} s, {sqlite['tantivy_mb']:,.0f} MB; FTS5 "
            f"{sqlite['fts5_s']:.0f} s, {sqlite['fts5_mb']:,.0f} MB (0 s = reused)"
        )
    if "postgres" in results:
        pg = results["postgres"]
        print(
            f"PostgreSQL ({pg['versions']}): corpus {pg['corpus_s']:.0f} s, "
            f"database {pg['database_mb']:,.0f} MB; index build {pg['index_s']:.0f} s, "
            f"search_entry {pg['postgres_mb']:,.0f} MB (0 s = reused)"
        )
    if "sqlite" in results:
        columns = ["tantivy", "page", "bare FTS5"] + (
            [] if args.no_baseline else ["FTS5 full"]
        )
        print_table(
            "SQLite: embedded default (Tantivy) and FTS5",
            results["sqlite"]["rows"],
            columns,
        )
    if "postgres" in results:
        print_table(
            "PostgreSQL: tsvector backend",
            results["postgres"]["rows"],
            ["postgres", "page", "bare tsvector"],
        )


if __name__ == "__main__":
    main()
