"""Signals the library sends for writes the ORM's own signals do not see.

`entries_written` is sent by the writers that change entries in bulk (the importer,
the link checker, `lantern add`, the tagger) once the rows are written, with:

- `ids`: the set of entry ids created or changed;
- `origin`: who wrote them, "import", "capture", "check" or "tag" (the tagger's
  topic writes).

Receivers keep derived data in step: search reindexes the entries once the
transaction commits, and tagging tags newly imported ones. Writers call `announce`;
a long run of writes (an import of many pages) wraps itself in `gathered()`, so
receivers get one call for the whole run instead of one per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

entries_written = Signal()

# origin → ids announced inside `gathered()`, or None outside it.
_gathering: ContextVar[dict[str, set[int]] | None] = ContextVar(
    "lantern_entries_gathering", default=None
)


def announce(ids: Iterable[int], origin: str) -> None:
    """Tell receivers these entries were written (now, or at the end of the
    surrounding `gathered()` block)."""
    wanted = {int(i) for i in ids}
    if not wanted:
        return
    gathering = _gathering.get()
    if gathering is not None:
        gathering.setdefault(origin, set()).update(wanted)
        return
    from lantern.library.models import Entry

    entries_written.send(Entry, ids=wanted, origin=origin)


@contextmanager
def gathered() -> Iterator[None]:
    """Hold back announcements until the block ends, then send one per origin (also
    when the block fails: what was committed before the failure is announced)."""
    if _gathering.get() is not None:
        yield  # an outer block sends
        return
    gathering: dict[str, set[int]] = {}
    token = _gathering.set(gathering)
    try:
        yield
    finally:
        _gathering.reset(token)
        # One transaction for all receivers, so what they write in turn (the tagger's
        # topics) joins the same commit and derived data (search) is updated once.
        with transaction.atomic():
            for origin, ids in gathering.items():
                announce(ids, origin)
