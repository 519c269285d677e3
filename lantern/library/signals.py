"""Signals the library sends for writes the ORM's own signals do not see.

`entries_written` is sent by the writers that change entries in bulk (the importer,
the link checker, `lantern add`, the tagger) once the rows are written, inside the writer's
transaction, with:

- `ids`: the set of entry ids created or changed;
- `origin`: who wrote them, "import", "capture", "check" or "tag" (the tagger's
  topic writes).

Receivers keep derived data in step: search reindexes the entries once the
transaction commits, and tagging tags newly imported or captured ones.
"""

from __future__ import annotations

from django.dispatch import Signal

entries_written = Signal()
