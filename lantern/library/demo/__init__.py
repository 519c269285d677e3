"""The demo library: Peru's entries as bibliographic records with our own summaries."""

from __future__ import annotations

from pathlib import Path

DEMO_FILE = Path(__file__).resolve().parent / "library.json"


def load_demo(*, force: bool = False) -> bool:
    """Load the demo library when the library has no entries (or when forced).

    Touches the database. Returns whether it was loaded.
    """
    from lantern.library.models import Entry
    from lantern.library.restore import restore_export

    if Entry.objects.exists() and not force:
        return False
    result = restore_export(DEMO_FILE, DEMO_FILE.read_bytes())
    if result.status == "error":
        raise RuntimeError(f"{DEMO_FILE}: {result.error}")
    return True
