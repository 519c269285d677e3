"""Keeping the search index in step with the library.

Every write reaches the index through `entries_changed(ids)` / `entries_deleted(ids)`:
the ORM's signals call them for saves, deletes and many-to-many changes (see
`signals.py`), and bulk writers that bypass signals (`bulk_create`, `insert_rows`,
`QuerySet.update`) call them with the ids they touched. Changes are gathered per
transaction and applied once it commits, by reading the entries back from the
database: an entry that exists is (re)indexed, one that does not is taken out.
`rebuild` indexes the whole library (`lantern reindex`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q

from lantern.core.text import paragraphs
from lantern.search.backends.base import IndexDoc, SearchBackend
from lantern.search.facets import UNCHECKED

log = logging.getLogger(__name__)
CHUNK = 5_000


# ------------------------------------------------------------------- the backend


def backend_name() -> str:
    """`LANTERN_SEARCH_BACKEND` if set ("tantivy" or "postgres"), else PostgreSQL
    full-text search on PostgreSQL and the embedded Tantivy index elsewhere."""
    chosen = getattr(settings, "LANTERN_SEARCH_BACKEND", "") or ""
    if chosen:
        return chosen
    return "postgres" if connection.vendor == "postgresql" else "tantivy"


def get_backend() -> SearchBackend:
    """The backend the settings choose (the index folder is read from settings
    each time, so tests can point it elsewhere)."""
    name = backend_name()
    if name == "postgres":
        from lantern.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    if name == "tantivy":
        from lantern.search.backends.embedded import TantivyBackend

        return TantivyBackend(search_dir())
    raise ValueError(f"Unknown LANTERN_SEARCH_BACKEND: {name!r} (tantivy or postgres)")


def search_dir() -> Path:
    """Where the embedded index lives (LANTERN_SEARCH_DIR, default
    LANTERN_DATA_DIR/search)."""
    configured = getattr(settings, "LANTERN_SEARCH_DIR", "") or ""
    return Path(configured) if configured else Path(settings.DATA_DIR) / "search"


# ------------------------------------------------------------- reading entries


def _latest_verification(
    rows: Iterable[tuple[int, str, dt.date | None, dt.datetime | None]],
) -> dict[int, dt.date]:
    """Latest verification date per entry from (entry_id, origin, accessed_on,
    checked_at) of verifying accesses (as `ListedEntry.last_verified` counts them)."""
    latest: dict[int, dt.date] = {}
    for entry_id, _origin, accessed_on, checked_at in rows:
        day = checked_at.date() if checked_at is not None else accessed_on
        if day is not None and (entry_id not in latest or day > latest[entry_id]):
            latest[entry_id] = day
    return latest


def documents(ids: Iterable[int] | None = None) -> Iterator[IndexDoc]:
    """The index documents of the given entries (all entries when `ids` is None),
    read in chunks of a few queries each. Reads the database."""
    from lantern.library.models import Access, Entry

    if ids is None:
        hi = Entry.objects.order_by().aggregate(hi=Max("id"))["hi"] or 0
        chunks: Iterable[Q] = (
            Q(id__gt=start, id__lte=start + CHUNK) for start in range(0, hi, CHUNK)
        )
    else:
        wanted = sorted(set(ids))
        chunks = (
            Q(id__in=wanted[start : start + CHUNK])
            for start in range(0, len(wanted), CHUNK)
        )
    through_c = Entry.countries.through
    through_t = Entry.topics.through
    for where in chunks:
        rows = list(
            Entry.objects.filter(where)
            .order_by("id")
            .values_list(
                "id", "title", "excerpt", "notes", "source_line", "publisher__name",
                "publisher__kind", "format", "section", "published_date",
                "published_precision", "created_at", "cached_link_status",
            )
        )  # fmt: skip
        if not rows:
            continue
        entry_ids = [r[0] for r in rows]
        countries: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for entry_id, code, region in through_c.objects.filter(
            entry_id__in=entry_ids
        ).values_list("entry_id", "country_id", "country__region"):
            countries[entry_id].append((code, region))
        topics: dict[int, list[str]] = defaultdict(list)
        for entry_id, slug in through_t.objects.filter(
            entry_id__in=entry_ids
        ).values_list("entry_id", "topic__slug"):
            topics[entry_id].append(slug)
        verified = _latest_verification(
            Access.objects.verifications()
            .filter(entry_id__in=entry_ids)
            .values_list("entry_id", "origin", "accessed_on", "checked_at")
        )
        for (
            entry_id, title, excerpt, notes, source_line, publisher, kind, fmt,
            section, published, precision, created_at, status,
        ) in rows:  # fmt: skip
            body = [*paragraphs(excerpt), *paragraphs(notes)]
            codes = sorted(countries.get(entry_id, []))
            yield IndexDoc(
                id=entry_id,
                title=title,
                body="\n".join(body),
                publisher=" · ".join(p for p in (publisher or "", source_line) if p),
                countries=tuple(c for c, _ in codes),
                regions=tuple(sorted({r for _, r in codes if r})),
                topics=tuple(sorted(set(topics.get(entry_id, [])))),
                kind=kind or "",
                format=fmt,
                section=section,
                status=status or UNCHECKED,
                published=published if precision != "unknown" else None,
                added=created_at,
                verified=verified.get(entry_id),
            )


# ----------------------------------------------------------------- keeping up


def sync(ids: Iterable[int]) -> None:
    """Bring the index up to date for these entries now: (re)index those that
    exist, take out those that do not. Reads the database, writes the index."""
    wanted = set(ids)
    if not wanted:
        return
    docs = list(documents(wanted))
    gone = wanted - {d.id for d in docs}
    get_backend().write(docs, gone)


class _Batch:
    """Entry ids touched in one transaction, indexed when it commits."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        ids, self.ids = self.ids, set()
        try:
            sync(ids)
        except Exception:
            # The write itself has committed: a broken index must not undo it or
            # fail the request. `lantern reindex` repairs the index.
            log.exception("search index update failed for %d entries", len(ids))


def _pending_batch() -> _Batch:
    """This transaction's batch, registered to run on commit (a new one when the
    last one already ran or was discarded by a rollback)."""
    current = getattr(connection, "_lantern_search_batch", None)
    if (
        current is not None
        and not current.ran
        and connection.in_atomic_block
        and any(item[1] is current for item in connection.run_on_commit)
    ):
        return current
    batch = _Batch()
    connection._lantern_search_batch = batch  # type: ignore[attr-defined]
    if connection.in_atomic_block:
        transaction.on_commit(batch)
    return batch


def entries_changed(ids: Iterable[int]) -> None:
    """Entries were created or changed (fields, countries, topics, accesses,
    publisher): index them once the current transaction commits (at once outside
    a transaction). For bulk writers that bypass the ORM's signals."""
    _queue(ids)


def entries_deleted(ids: Iterable[int]) -> None:
    """Entries were deleted: take them out of the index once the transaction
    commits. (An id that turns out to exist after all is reindexed instead.)"""
    _queue(ids)


def _queue(ids: Iterable[int]) -> None:
    if not getattr(settings, "LANTERN_SEARCH_AUTO_UPDATE", True):
        return
    wanted = {int(i) for i in ids if i is not None}
    if not wanted:
        return
    batch = _pending_batch()
    batch.ids |= wanted
    if not connection.in_atomic_block:
        batch()


def rebuild(progress: Callable[[int], None] | None = None) -> int:
    """Index every entry afresh, replacing the index. Returns the number indexed."""

    def counted() -> Iterator[IndexDoc]:
        for n, doc in enumerate(documents(), start=1):
            if progress is not None and n % 10_000 == 0:
                progress(n)
            yield doc

    return get_backend().rebuild(counted())


def ensure_built() -> int:
    """Fill an empty index from the library (a new data directory's first start,
    or a new index schema after an upgrade). Returns the number indexed (0 when the
    index already had entries or the library has none)."""
    from lantern.library.models import Entry

    if get_backend().count() or not Entry.objects.exists():
        return 0
    return rebuild()
