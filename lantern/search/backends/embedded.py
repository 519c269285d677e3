"""The embedded default: a Tantivy index in a folder (LANTERN_SEARCH_DIR, by default
`LANTERN_DATA_DIR/search/`).

Text fields are stemmed (English) with accents folded; facets are counted by Tantivy's aggregations in
one pass over the matching documents, which also gives their number; snippets are
made for the hits of the page shown only. Facets are indexed for filtering as they
are, and counted from single-valued fast fields, which Tantivy counts several times
faster than multi-valued ones, and the fewer the better: kind, format, section and
status joined in one field (`joined`), an entry's regions joined in one
(`regions`), the first `SLOTS` countries and topics each in a field of its own
(`country_0`, `country_1`, …). Countries and topics beyond those go to
`country_more` and `topic_more`, counted separately over the few entries that have
any (`spill`). Every pair of neighbouring words (as indexed: stemmed) is indexed as
one term in `pairs`, so a phrase of common words is looked for only in the entries
that have all its pairs, instead of reading the positions of every entry with its
words. Measurements: docs/benchmarks.md, "Search".

Several processes on one machine share the folder: any number read, and writers
take Tantivy's lock in turn (a writer that finds it taken waits and tries again).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import math
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import tantivy

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

# Bump when the schema changes: a new folder is used, and `lantern reindex` fills it.
SCHEMA_VERSION = 4
# Text fields: words lower-cased, accents folded (côte → cote), English stems.
TOKENIZER = "lantern_en"
TEXT_FIELDS = ("title", "body", "publisher")
BOOSTS = {"title": 3.0, "publisher": 1.5}
KEYWORD_FACETS = ("country", "region", "topic", "kind", "format", "section", "status")
SLOTTED_FACETS = ("country", "topic")
JOINED_FACETS = ("kind", "format", "section", "status")
SEP = "\x1f"  # between joined values (never in a facet value)
SLOTS = 3
# Larger than any facet's number of values, so every value is counted.
BUCKETS = 65_000
SORT_FIELDS = {"published": "published", "added": "added", "verified": "verified"}
EPOCH = dt.date(1970, 1, 1)
# Far in the past, so undated entries sort last when newest come first.
MISSING = -(10**9)
WRITER_HEAP = 64_000_000
LOCK_WAIT_SECONDS = 30.0


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    sb.add_text_field("title", stored=True, tokenizer_name=TOKENIZER)
    sb.add_text_field("body", stored=True, tokenizer_name=TOKENIZER)
    sb.add_text_field("publisher", tokenizer_name=TOKENIZER)
    sb.add_text_field("pairs", tokenizer_name="whitespace", index_option="basic")
    for name in KEYWORD_FACETS:
        sb.add_text_field(name, tokenizer_name="raw", index_option="basic")
    counted = ["joined", "regions"]
    counted += [slot for name in SLOTTED_FACETS for slot in _slots(name)]
    for name in counted:
        sb.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    sb.add_unsigned_field("spill", indexed=True)
    sb.add_unsigned_field("year", indexed=True, fast=True)
    for name in SORT_FIELDS.values():
        sb.add_integer_field(name, fast=True)
    return sb.build()


def _slots(name: str) -> list[str]:
    """The single-valued fields holding a facet's first values for counting, and
    last the (multi-valued) field for values beyond them."""
    return [f"{name}_{i}" for i in range(SLOTS)] + [f"{name}_more"]


# The pseudo-facet that carries the number of matches through the counting.
TOTAL = "*"
# The single-valued fields counted.
COUNTED = ["joined", "regions", "year"] + [
    f"{key}_{i}" for key in SLOTTED_FACETS for i in range(SLOTS)
]
# A counting field → the facet it counts (`joined` holds several).
FACET_OF = {
    "regions": "region",
    "year": "year",
    **{slot: key for key in SLOTTED_FACETS for slot in _slots(key)},
}


def _days(value: dt.date | None) -> int:
    return (value - EPOCH).days if value is not None else MISSING


def _document(doc: IndexDoc) -> tantivy.Document:
    d = tantivy.Document()
    d.add_unsigned("id", doc.id)
    d.add_text("title", doc.title)
    d.add_text("body", doc.body)
    d.add_text("publisher", doc.publisher)
    pairs: set[str] = set()
    for text in (doc.title, doc.body, doc.publisher):
        words = _analyzer().analyze(text)
        pairs.update(map(_pair, words, words[1:]))
    d.add_text("pairs", " ".join(pairs))
    spill = False
    facets = doc.facet_values()
    for key, values in facets.items():
        if key in KEYWORD_FACETS:
            for value in values:
                d.add_text(key, value)
        if key in SLOTTED_FACETS:
            *slots, more = _slots(key)
            for i, value in enumerate(dict.fromkeys(values)):
                d.add_text(slots[i] if i < SLOTS else more, value)
                spill |= i >= SLOTS
    d.add_text("joined", SEP.join(_first(facets[key]) for key in JOINED_FACETS))
    if facets["region"]:
        d.add_text("regions", SEP.join(dict.fromkeys(facets["region"])))
    d.add_unsigned("spill", int(spill))
    d.add_unsigned("year", doc.year)
    d.add_integer("published", _days(doc.published))
    d.add_integer("added", int(doc.added.timestamp()) if doc.added else MISSING)
    d.add_integer("verified", _days(doc.verified))
    return d


class _Shared:
    """One open index per folder and process (Tantivy's readers are thread-safe)."""

    lock = threading.Lock()
    indexes: dict[Path, tantivy.Index] = {}
    library_counts: dict[Path, tuple[int | None, dict[str, dict[str, int]]]] = {}


class TantivyBackend(SearchBackend):
    name = "tantivy"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory) / f"v{SCHEMA_VERSION}"
        self.schema = build_schema()

    # ----------------------------------------------------------------- the index

    @property
    def index(self) -> tantivy.Index:
        with _Shared.lock:
            found = _Shared.indexes.get(self.directory)
            if found is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                found = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
                found.register_tokenizer(TOKENIZER, _analyzer())
                _Shared.indexes[self.directory] = found
            return found

    def _writer(self, heap: int = WRITER_HEAP, threads: int = 1) -> Any:
        """The index's writer, waiting while another process holds it."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return self.index.writer(heap, threads)
            except ValueError as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def write(self, docs: Sequence[IndexDoc], deleted: Iterable[int]) -> None:
        writer = self._writer()
        try:
            # By query: `delete_documents_by_term` makes a signed term from a Python
            # int, which never matches the unsigned `id` field.
            stale = sorted({*deleted, *(d.id for d in docs)})
            if stale:
                writer.delete_documents_by_query(
                    tantivy.Query.term_set_query(self.schema, "id", stale)
                )
            for doc in docs:
                writer.add_document(_document(doc))
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.index.reload()

    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        writer = self._writer(heap=512_000_000, threads=0)
        count = 0
        try:
            writer.delete_all_documents()
            for doc in docs:
                writer.add_document(_document(doc))
                count += 1
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        self.index.reload()
        return count

    def count(self) -> int:
        index = self.index
        index.reload()
        return int(index.searcher().num_docs)

    # --------------------------------------------------------------- searching

    def _text_query(self, node: q.Node) -> tantivy.Query:
        index = self.index
        Occur, Query = tantivy.Occur, tantivy.Query
        if isinstance(node, q.Term) and node.prefix:
            parts = []
            for name in TEXT_FIELDS:
                regex = Query.regex_query(self.schema, name, f"{_folded(node.text)}.*")
                boost = BOOSTS.get(name, 1.0)
                parts.append(
                    (
                        Occur.Should,
                        Query.boost_query(regex, boost) if boost != 1 else regex,
                    )
                )
            return Query.boolean_query(parts)
        if isinstance(node, q.Term | q.Phrase):
            words = (node.text,) if isinstance(node, q.Term) else node.words
            found = index.parse_query(
                '"' + " ".join(words) + '"', list(TEXT_FIELDS), field_boosts=BOOSTS
            )
            stems = [_analyzer().analyze(word) for word in words]
            if len(words) < 2 or any(len(s) != 1 for s in stems):
                return found
            # Entries with every pair of the phrase, as a filter that adds nothing
            # to the score.
            needed = [
                (
                    Occur.Must,
                    Query.const_score_query(
                        Query.term_query(self.schema, "pairs", _pair(a[0], b[0])), 0.0
                    ),
                )
                for a, b in itertools.pairwise(stems)
            ]
            return Query.boolean_query([(Occur.Must, found), *needed])
        if isinstance(node, q.Not):
            return Query.boolean_query(
                [
                    (Occur.Must, Query.all_query()),
                    (Occur.MustNot, self._text_query(node.item)),
                ]
            )
        if isinstance(node, q.And):
            return Query.boolean_query(
                [
                    (Occur.MustNot, self._text_query(item.item))
                    if isinstance(item, q.Not)
                    else (Occur.Must, self._text_query(item))
                    for item in node.items
                ]
            )
        return Query.boolean_query(
            [(Occur.Should, self._text_query(item)) for item in node.items]
        )

    def _query(self, request: SearchRequest) -> tantivy.Query:
        Occur, Query = tantivy.Occur, tantivy.Query
        clauses: list[tuple[Any, tantivy.Query]] = []
        if request.query is not None:
            clauses.append((Occur.Must, self._text_query(request.query)))
        for key, value in request.filters.items():
            if key in KEYWORD_FACETS:
                clauses.append((Occur.Must, Query.term_query(self.schema, key, value)))
            elif key == "year":
                clauses.append(
                    (Occur.Must, Query.term_query(self.schema, "year", int(value)))
                )
            elif key == "decade":
                start = int(value)
                clauses.append(
                    (
                        Occur.Must,
                        Query.range_query(
                            self.schema,
                            "year",
                            tantivy.FieldType.Unsigned,
                            start,
                            start + 9,
                        ),
                    )
                )
        if not clauses:
            return Query.all_query()
        if len(clauses) == 1:
            return clauses[0][1]
        return Query.boolean_query(clauses)

    def search(self, request: SearchRequest) -> SearchResult:
        index = self.index
        version = self._version()  # before reloading: never newer than the searcher
        index.reload()
        searcher = index.searcher()
        query = self._query(request)
        sort = request.sort if request.sort in SORT_FIELDS else "relevance"
        if request.query is None and sort == "relevance":
            sort = "published"
        # Facet counts are a second pass over the matches: run it beside the search
        # for the page of hits (Tantivy releases the GIL), not after it.
        pending = None
        if request.facets:
            broad = not request.filters and (
                request.query is None
                or self._share(searcher, request.query, searcher.num_docs) > 0.5
            )
            pending = _pool().submit(self._facets, searcher, query, broad, version)
        # The facet pass counts the matches too; without it, the search counts
        # them (which keeps it from skipping the low-scoring ones).
        count = pending is None
        if sort == "relevance":
            found = searcher.search(
                query, request.limit, count=count, offset=request.offset
            )
        else:
            found = searcher.search(
                query,
                request.limit,
                count=count,
                offset=request.offset,
                order_by_field=SORT_FIELDS[sort],
                order=tantivy.Order.Desc,
            )
        docs = [searcher.doc(address) for _, address in found.hits]
        hits = self._hits(searcher, request, found.hits, docs, sort == "relevance")
        if pending is not None:
            total, facets = pending.result()
        else:
            total, facets = found.count or 0, {}  # type: ignore[attr-defined]  # missing from the stubs
        return SearchResult(total=total, hits=hits, facets=facets, backend=self.name)

    def _hits(
        self,
        searcher: Any,
        request: SearchRequest,
        found: list[tuple[Any, Any]],
        docs: list[Any],
        by_score: bool,
    ) -> list[Hit]:
        highlighted = q.positive_terms(request.query)
        body_gen = title_gen = None
        if request.snippets and highlighted:
            # Snippets look for the words a hit must or may contain, not the excluded.
            words_query = self._snippet_query(searcher, highlighted)
            body_gen = tantivy.SnippetGenerator.create(
                searcher, words_query, self.schema, "body"
            )
            body_gen.set_max_num_chars(SNIPPET_CHARS)
            title_gen = tantivy.SnippetGenerator.create(
                searcher, words_query, self.schema, "title"
            )
            title_gen.set_max_num_chars(1000)
        hits = []
        for (key, _), doc in zip(found, docs, strict=True):
            title = doc.get_first("title") or ""
            body = doc.get_first("body") or ""
            title_html = highlight(title, [])
            snippet_html = ""
            if request.snippets:
                snippet_html = _plain_snippet(body)
                if body_gen is not None and title_gen is not None:
                    title_html = _from_snippet(title_gen.snippet_from_doc(doc), title)
                    made = body_gen.snippet_from_doc(doc)
                    if made.highlighted():
                        snippet_html = _from_snippet(made, body)
            hits.append(
                Hit(
                    entry_id=int(doc.get_first("id")),
                    score=float(key) if by_score else None,
                    title_html=title_html,
                    snippet_html=snippet_html,
                )
            )
        return hits

    def _snippet_query(
        self, searcher: Any, nodes: list[q.Term | q.Phrase]
    ) -> tantivy.Query:
        """The words to highlight as one query; a prefix becomes the indexed words
        it stands for (the snippet generator cannot highlight a pattern)."""
        Occur, Query = tantivy.Occur, tantivy.Query
        parts: list[tuple[Any, tantivy.Query]] = []
        for node in nodes:
            if isinstance(node, q.Term) and node.prefix:
                for name in ("title", "body"):
                    for term, _ in searcher.terms_with_prefix(
                        name, _folded(node.text), limit=20
                    ):
                        parts.append(
                            (Occur.Should, Query.term_query(self.schema, name, term))
                        )
            else:
                parts.append((Occur.Should, self._text_query(node)))
        return Query.boolean_query(parts) if parts else Query.empty_query()

    def _facets(
        self,
        searcher: Any,
        query: tantivy.Query,
        broad: bool,
        version: int | None,
    ) -> tuple[int, dict[str, list[tuple[str, int]]]]:
        """The number of matches, and counts of every facet over them. A query
        matching most of the library is counted through what it does not match:
        the whole library's counts (kept per index version) minus the counts of
        the few entries left out, which is exact and several times less work."""
        if broad:
            everything = self._library_counts(searcher, version)
            left_out = self._aggregate(
                searcher,
                tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, tantivy.Query.all_query()),
                        (tantivy.Occur.MustNot, query),
                    ]
                ),
            )
            counts = {
                key: {
                    value: n - left_out.get(key, {}).get(value, 0)
                    for value, n in values.items()
                }
                for key, values in everything.items()
            }
        else:
            counts = self._aggregate(searcher, query)
        total = counts.pop(TOTAL, {}).get("", 0)
        counts = {k: {v: n for v, n in c.items() if n > 0} for k, c in counts.items()}
        counts["decade"] = decade_counts(counts.get("year", {}))
        return total, {key: sort_facets(key, values) for key, values in counts.items()}

    def _share(self, searcher: Any, node: q.Node, total: int) -> float:
        """About what share of the library the query matches, from the words'
        document frequencies (words taken as independent): only to choose how to
        count facets, both ways being exact."""
        if total == 0:
            return 0.0
        if isinstance(node, q.Term) and node.prefix:
            found = sum(
                n
                for _, n in searcher.terms_with_prefix(
                    "body", _folded(node.text), limit=50
                )
            )
            return min(1.0, found / total)
        if isinstance(node, q.Term | q.Phrase):
            words = (node.text,) if isinstance(node, q.Term) else node.words
            shares = []
            for word in words:
                stems = _analyzer().analyze(word) or [word]
                shares.append(
                    max(searcher.doc_freq(name, stems[0]) for name in ("title", "body"))
                    / total
                )
            if isinstance(node, q.Phrase):
                # Words side by side are far rarer than the words anywhere.
                return 0.1 * math.prod(shares)
            return min(1.0, shares[0])
        if isinstance(node, q.Not):
            return 1.0 - self._share(searcher, node.item, total)
        shares = [self._share(searcher, item, total) for item in node.items]
        if isinstance(node, q.And):
            return math.prod(shares)
        return 1.0 - math.prod(1.0 - share for share in shares)

    def _aggregate(
        self, searcher: Any, query: tantivy.Query
    ) -> dict[str, dict[str, int]]:
        """Facet counts of the documents `query` matches, in one pass (Tantivy's
        terms aggregations over the fast fields; sizes cover every value). A
        multi-valued facet is the sum over its slots (an entry's values are
        distinct), plus, when any entry has more values than slots, a second pass
        over the matches among those entries only. The number of matches comes
        back as the facet `TOTAL` (every document has one year, 0 when
        undated)."""
        counts = self._terms(searcher, query, COUNTED)
        total = sum(counts["year"].values())
        if searcher.doc_freq("spill", 1):
            spilled = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, query),
                    (
                        tantivy.Occur.Must,
                        tantivy.Query.term_query(self.schema, "spill", 1),
                    ),
                ]
            )
            more = [_slots(key)[-1] for key in SLOTTED_FACETS]
            counts.update(self._terms(searcher, spilled, more))
        merged: dict[str, dict[str, int]] = {}
        for field, values in counts.items():
            for joined, n in values.items():
                pairs: Iterable[tuple[str, str]]
                if field == "joined":
                    pairs = zip(JOINED_FACETS, joined.split(SEP), strict=True)
                else:
                    pairs = ((FACET_OF[field], v) for v in joined.split(SEP))
                for key, value in pairs:
                    if value and (value != "0" or key != "year"):
                        into = merged.setdefault(key, {})
                        into[value] = into.get(value, 0) + n
        merged[TOTAL] = {"": total}
        return merged

    def _terms(
        self, searcher: Any, query: tantivy.Query, fields: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        """Value → number of matching documents, for each of `fields`."""
        spec = {name: {"terms": {"field": name, "size": BUCKETS}} for name in fields}
        result = searcher.aggregate(query, spec)
        return {
            name: {str(b["key"]): int(b["doc_count"]) for b in agg.get("buckets", [])}
            for name, agg in result.items()
        }

    def _library_counts(
        self, searcher: Any, version: int | None
    ) -> dict[str, dict[str, int]]:
        """Facet counts of the whole index, computed once per index version."""
        with _Shared.lock:
            cached = _Shared.library_counts.get(self.directory)
        if cached is not None and cached[0] == version and version is not None:
            return cached[1]
        counts = self._aggregate(searcher, tantivy.Query.all_query())
        with _Shared.lock:
            _Shared.library_counts[self.directory] = (version, counts)
        return counts

    def _version(self) -> int | None:
        """The index's commit stamp (changes with every commit, in any process)."""
        try:
            return int(
                json.loads((self.directory / "meta.json").read_text())["opstamp"]
            )
        except (OSError, ValueError, KeyError):
            return None


@functools.cache
def _pool() -> ThreadPoolExecutor:
    """Threads for facet counting (made on first use, so after a server forks)."""
    return ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-facets")


@functools.cache
def _analyzer() -> Any:
    """The analysis of the text fields (registered as TOKENIZER on the index), also
    used to look up a word's indexed form."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


@functools.cache
def _folder() -> Any:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _folded(prefix: str) -> str:
    """A prefix as the index spells the beginnings of words: lower case, accents
    folded, not stemmed ("Côt" → "cot")."""
    return "".join(_folder().analyze(prefix)) or prefix


def _pair(first: str, second: str) -> str:
    return f"{first}_{second}"


def _first(values: Sequence[str]) -> str:
    return values[0] if values else ""


def _from_snippet(snippet: Any, fallback: str) -> str:
    """A Tantivy snippet as escaped HTML with <mark>s (its ranges are in bytes)."""
    fragment = snippet.fragment()
    if not fragment:
        return highlight(fallback, [])
    raw = fragment.encode()
    ranges = [
        (
            len(raw[: r.start].decode(errors="ignore")),
            len(raw[: r.end].decode(errors="ignore")),
        )
        for r in snippet.highlighted()
    ]
    text = highlight(fragment, ranges)
    if fragment != fallback and len(fallback) > len(fragment):
        if not fallback.startswith(fragment):
            text = "… " + text
        if not fallback.endswith(fragment):
            text += " …"
    return text


def _plain_snippet(body: str) -> str:
    """The beginning of the text, cut at a word, when no word of the query is in it."""
    if len(body) <= SNIPPET_CHARS:
        return highlight(body, [])
    cut = body[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return highlight(cut, []) + " …"
