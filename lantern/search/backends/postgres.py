"""PostgreSQL full-text search: one `search_entry` row per entry with a weighted
`tsvector` (title A, publisher B, excerpt and notes C) under a GIN index, facet
values in jsonb arrays (GIN too, for filters). Ranked by `ts_rank`, highlighted by
`ts_headline` for the hits shown, facet counts in one query over the matches.
Several machines share it simply by sharing the database."""

from __future__ import annotations

import html
import itertools
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from lantern.search import query as q
from lantern.search.backends.base import (
    SNIPPET_CHARS,
    Hit,
    IndexDoc,
    SearchBackend,
    SearchRequest,
    SearchResult,
    highlight,
    sort_facets,
)
from lantern.search.facets import decade_counts

CONFIG = "english"
# ts_headline marks matches with these; the text itself never holds them.
START, STOP = "\x02", "\x03"
STAGE_BATCH = 10_000
# ts_headline drops what looks like an HTML tag: angle brackets are swapped for
# these before it reads the text, and swapped back after.
LT, GT = "\x04", "\x05"
ANGLES_SQL = "translate({}, '<>', E'\\x04\\x05')"
COLUMNS = ("entry_id", "title", "body", "publisher", "countries", "regions", "topics",
           "kind", "format", "section", "status", "year", "published", "added",
           "verified", "title_plain", "body_plain", "publisher_plain")  # fmt: skip
# As created by migration search/0001.
INDEXES = (
    "CREATE INDEX search_entry_document ON search_entry USING gin (document)",
    "CREATE INDEX search_entry_countries ON search_entry USING gin (countries jsonb_path_ops)",
    "CREATE INDEX search_entry_regions ON search_entry USING gin (regions jsonb_path_ops)",
    "CREATE INDEX search_entry_topics ON search_entry USING gin (topics jsonb_path_ops)",
)
ARRAY_FACETS = ("country", "region", "topic")
SCALAR_FACETS = ("kind", "format", "section", "status", "year")
COLUMN_OF = {"country": "countries", "region": "regions", "topic": "topics"}
SORT_SQL = {
    "published": "published DESC NULLS LAST, entry_id DESC",
    "added": "added DESC NULLS LAST, entry_id DESC",
    "verified": "verified DESC NULLS LAST, entry_id DESC",
}
# Each text with, when it has accents, its accentless copy (`*_plain`), so "cote"
# finds "Côte" and "côte" still does.
VECTOR_SQL = (
    f"setweight(to_tsvector('{CONFIG}', s.title || ' ' || s.title_plain), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', s.publisher || ' ' || s.publisher_plain), 'B') || "
    f"setweight(to_tsvector('{CONFIG}', s.body || ' ' || s.body_plain), 'C')"
)
INSERT_SQL = f"""
    INSERT INTO search_entry (entry_id, document, title, body, countries, regions,
        topics, kind, format, section, status, year, published, added, verified)
    SELECT s.entry_id, {VECTOR_SQL}, s.title, s.body, s.countries, s.regions, s.topics,
        s.kind, s.format, s.section, s.status, s.year, s.published, s.added, s.verified
    FROM search_staging s
    ON CONFLICT (entry_id) DO UPDATE SET document = EXCLUDED.document,
        title = EXCLUDED.title, body = EXCLUDED.body, countries = EXCLUDED.countries,
        regions = EXCLUDED.regions, topics = EXCLUDED.topics, kind = EXCLUDED.kind,
        format = EXCLUDED.format, section = EXCLUDED.section, status = EXCLUDED.status,
        year = EXCLUDED.year, published = EXCLUDED.published, added = EXCLUDED.added,
        verified = EXCLUDED.verified
"""
STAGING_SQL = """
    CREATE TEMPORARY TABLE IF NOT EXISTS search_staging (
        entry_id bigint, title text, body text, publisher text, countries jsonb,
        regions jsonb, topics jsonb, kind text, format text, section text,
        status text, year int, published date, added timestamptz, verified date,
        title_plain text, body_plain text, publisher_plain text
    ) ON COMMIT DELETE ROWS
"""


def _clean(text: str) -> str:
    for char in (START, STOP, LT, GT):
        text = text.replace(char, " ")
    return text.replace("\x00", "")


def _accentless(text: str) -> str:
    """`text` without its accents ("Côte" → "Cote"); "" when it has none."""
    plain = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", text)
        if not unicodedata.combining(ch)
    )
    return plain if plain != unicodedata.normalize("NFKD", text) else ""


def _row(doc: IndexDoc) -> tuple[Any, ...]:
    title, body, publisher = _clean(doc.title), _clean(doc.body), _clean(doc.publisher)
    return (
        doc.id, title, body, publisher,
        json.dumps(list(doc.countries)), json.dumps(list(doc.regions)),
        json.dumps(list(doc.topics)), doc.kind, doc.format, doc.section, doc.status,
        doc.year, doc.published, doc.added, doc.verified,
        _accentless(title), _accentless(body), _accentless(publisher),
    )  # fmt: skip


def tsquery(node: q.Node) -> tuple[str, list[Any]]:
    """SQL for a tsquery of the parsed query, and its parameters."""
    if isinstance(node, q.Term) and node.prefix:
        # Words are letters and digits only (`query.words`), safe in tsquery syntax.
        return "to_tsquery('simple', %s)", [f"{node.text}:*"]
    if isinstance(node, q.Term):
        return f"plainto_tsquery('{CONFIG}', %s)", [node.text]
    if isinstance(node, q.Phrase):
        return f"phraseto_tsquery('{CONFIG}', %s)", [" ".join(node.words)]
    if isinstance(node, q.Not):
        sql, params = tsquery(node.item)
        return f"(!! {sql})", params
    op = " && " if isinstance(node, q.And) else " || "
    parts = [tsquery(item) for item in node.items]
    return "(" + op.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]


class PostgresBackend(SearchBackend):
    name = "postgres"

    # ------------------------------------------------------------------ writing

    def _stage(self, cursor: Any, docs: Iterable[IndexDoc]) -> int:
        cursor.execute(STAGING_SQL)
        count = 0
        # A batch at a time: `docs` may itself read the database on this connection
        # (`index.documents`), which must not happen while a COPY is open on it.
        pending = iter(docs)
        while batch := [_row(doc) for doc in itertools.islice(pending, STAGE_BATCH)]:
            with cursor.cursor.copy(
                f"COPY search_staging ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in batch:
                    copy.write_row(row)
            count += len(batch)
        return count

    def write(self, docs: Sequence[IndexDoc], deleted: Iterable[int]) -> None:
        gone = list(deleted)
        with transaction.atomic(), connection.cursor() as cursor:
            if gone:
                cursor.execute(
                    "DELETE FROM search_entry WHERE entry_id = ANY(%s)", [gone]
                )
            if docs:
                self._stage(cursor, docs)
                cursor.execute(INSERT_SQL)
                cursor.execute("TRUNCATE search_staging")

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        # One transaction: searches wait for it (TRUNCATE's lock) and then see the
        # new rows; the indexes are built once at the end, far faster than row by row.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("TRUNCATE search_entry")
            for sql in INDEXES:
                cursor.execute("DROP INDEX IF EXISTS " + sql.split()[2])
            count = self._stage(cursor, docs)
            cursor.execute(INSERT_SQL)
            cursor.execute("TRUNCATE search_staging")
            for sql in INDEXES:
                cursor.execute(sql)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")
        return count

    def count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_entry")
            return int(cursor.fetchone()[0])

    # ---------------------------------------------------------------- searching

    def _where(self, request: SearchRequest) -> tuple[str, list[Any], str, list[Any]]:
        """WHERE clause and params, and the tsquery SQL and params ('' if none)."""
        clauses: list[str] = []
        params: list[Any] = []
        query_sql: str = ""
        query_params: list[Any] = []
        if request.query is not None:
            query_sql, query_params = tsquery(request.query)
            clauses.append(f"document @@ {query_sql}")
            params += query_params
        for key, value in request.filters.items():
            if key in COLUMN_OF:
                clauses.append(f"{COLUMN_OF[key]} @> %s::jsonb")
                params.append(json.dumps([value]))
            elif key == "year":
                clauses.append("year = %s")
                params.append(int(value))
            elif key == "decade":
                clauses.append("year BETWEEN %s AND %s")
                params += [int(value), int(value) + 9]
            else:
                clauses.append(f"{key} = %s")
                params.append(value)
        where = " AND ".join(clauses) or "TRUE"
        return where, params, query_sql, query_params

    def search(self, request: SearchRequest) -> SearchResult:
        where, params, query_sql, query_params = self._where(request)
        sort = request.sort if request.sort in SORT_SQL else "relevance"
        if not query_sql and sort == "relevance":
            sort = "published"
        with connection.cursor() as cursor:
            if sort == "relevance":
                cursor.execute(
                    f"SELECT entry_id, ts_rank(document, {query_sql}) AS rank "
                    f"FROM search_entry WHERE {where} ORDER BY rank DESC, entry_id "
                    "LIMIT %s OFFSET %s",
                    [*query_params, *params, request.limit, request.offset],
                )
            else:
                cursor.execute(
                    f"SELECT entry_id, NULL FROM search_entry WHERE {where} "
                    f"ORDER BY {SORT_SQL[sort]} LIMIT %s OFFSET %s",
                    [*params, request.limit, request.offset],
                )
            found = cursor.fetchall()
            hits = self._hits(cursor, request, found, query_sql, query_params)
            if request.facets:
                total, facets = self._facets(cursor, where, params)
            else:
                cursor.execute(
                    f"SELECT count(*) FROM search_entry WHERE {where}", params
                )
                total, facets = int(cursor.fetchone()[0]), {}
        return SearchResult(total=total, hits=hits, facets=facets, backend=self.name)

    def _hits(
        self,
        cursor: Any,
        request: SearchRequest,
        found: list[tuple[int, float | None]],
        query_sql: str,
        query_params: list[Any],
    ) -> list[Hit]:
        if not found:
            return []
        ids = [row[0] for row in found]
        words = q.positive_terms(request.query)
        if request.snippets and words:
            # Highlight the words a hit must or may contain, not the excluded ones.
            mark_sql, mark_params = tsquery(
                q.Or(tuple(words)) if len(words) > 1 else words[0]
            )
            options = (
                f"StartSel={START}, StopSel={STOP}, MaxFragments=2, MaxWords=30, "
                'MinWords=12, FragmentDelimiter=" … "'
            )
            cursor.execute(
                "SELECT entry_id, "
                f"ts_headline('{CONFIG}', {ANGLES_SQL.format('title')}, m.q, %s), "
                f"ts_headline('{CONFIG}', {ANGLES_SQL.format('body')}, m.q, %s), body "
                f"FROM search_entry, (SELECT {mark_sql} AS q) m WHERE entry_id = ANY(%s)",
                [options.replace("MaxFragments=2", "HighlightAll=true"), options,
                 *mark_params, ids],
            )  # fmt: skip
            rows = {r[0]: (r[1], r[2], r[3]) for r in cursor.fetchall()}
        else:
            cursor.execute(
                "SELECT entry_id, title, NULL, body FROM search_entry "
                "WHERE entry_id = ANY(%s)",
                [ids],
            )
            rows = {r[0]: (r[1], r[2], r[3]) for r in cursor.fetchall()}
        hits = []
        for entry_id, rank in found:
            title, headline, body = rows.get(entry_id, ("", None, ""))
            if request.snippets:
                snippet = (
                    _marked(headline)
                    if headline and START in headline
                    else _start(body)
                )
            else:
                snippet = ""
            hits.append(
                Hit(
                    entry_id=entry_id,
                    score=float(rank) if rank is not None else None,
                    title_html=_marked(title),
                    snippet_html=snippet,
                )
            )
        return hits

    def _facets(
        self, cursor: Any, where: str, params: list[Any]
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        parts = ["SELECT 'total', '', count(*) FROM m"]
        for key in ARRAY_FACETS:
            parts.append(
                f"SELECT '{key}', v, count(*) FROM m, "
                f"jsonb_array_elements_text(m.{COLUMN_OF[key]}) v GROUP BY v"
            )
        for key in SCALAR_FACETS:
            parts.append(f"SELECT '{key}', {key}::text, count(*) FROM m GROUP BY {key}")
        cursor.execute(
            "WITH m AS MATERIALIZED (SELECT countries, regions, topics, kind, format, "
            f"section, status, year FROM search_entry WHERE {where}) "
            + " UNION ALL ".join(parts),
            params,
        )
        total = 0
        counts: dict[str, dict[str, int]] = {}
        for key, value, count in cursor.fetchall():
            if key == "total":
                total = int(count)
            elif value not in ("", "0", None):
                counts.setdefault(key, {})[value] = int(count)
        counts["decade"] = decade_counts(counts.get("year", {}))
        return total, {key: sort_facets(key, values) for key, values in counts.items()}


def _marked(text: str) -> str:
    """ts_headline's output (with START/STOP around matches) as escaped HTML."""
    out = html.escape(text).replace(LT, "&lt;").replace(GT, "&gt;")
    return out.replace(START, "<mark>").replace(STOP, "</mark>")


def _start(body: str) -> str:
    if len(body) <= SNIPPET_CHARS:
        return highlight(body, [])
    return highlight(body[:SNIPPET_CHARS].rsplit(" ", 1)[0], []) + " …"
