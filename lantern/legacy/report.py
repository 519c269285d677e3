"""What an import did: one `PageResult` per file and the `ImportReport` summary line
the command prints. Plain data; no database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lantern.legacy.parser import ParsedPage


@dataclass
class PageResult:
    """What importing one file did."""

    path: str
    status: str  # created | updated | unchanged | error | parsed (dry run)
    kind: str = ""
    key: str = ""
    country: str = ""
    entries_created: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    entries_removed: int = 0
    current: int = 0
    archive: int = 0
    accesses: int = 0
    helplines: int = 0
    unparsed: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def entries(self) -> int:
        return self.current + self.archive


@dataclass
class ImportReport:
    pages: list[PageResult] = field(default_factory=list)

    @property
    def errors(self) -> list[PageResult]:
        return [p for p in self.pages if p.status == "error"]

    def total(self, name: str) -> int:
        return sum(int(getattr(p, name)) for p in self.pages)

    @property
    def unparsed_count(self) -> int:
        return sum(len(p.unparsed) for p in self.pages)

    def summary(self) -> str:
        """One line: `pages 1 (country 1) · entries 15 (current 2, archive 13; …) · …`."""
        ok = [p for p in self.pages if p.status != "error"]
        kinds = Counter(p.kind for p in ok)
        statuses = Counter(p.status for p in ok)
        kind_text = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        status_text = ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))
        changes = [
            f"{label} {n}"
            for label, n in (
                ("created", self.total("entries_created")),
                ("updated", self.total("entries_updated")),
                ("unchanged", self.total("entries_unchanged")),
                ("removed", self.total("entries_removed")),
            )
            if n
        ]
        parts = [
            f"pages {len(ok)}" + (f" ({kind_text}; {status_text})" if ok else ""),
            f"entries {self.total('entries')} (current {self.total('current')}, "
            f"archive {self.total('archive')}"
            + (f"; {', '.join(changes)})" if changes else ")"),
            f"accesses {self.total('accesses')}",
            f"help-lines {self.total('helplines')}",
            f"unparsed {self.unparsed_count}",
        ]
        unknown = sum(1 for p in ok if p.kind == "unknown")
        if unknown:
            parts.append(f"not recognised {unknown}")
        if self.errors:
            parts.append(f"errors {len(self.errors)}")
        return " · ".join(parts)


def result_from_parsed(path: str, parsed: ParsedPage, status: str) -> PageResult:
    return PageResult(
        path=path,
        status=status,
        kind=parsed.kind,
        key=parsed.key,
        country=parsed.country or "",
        current=sum(1 for e in parsed.entries if e.section == "current"),
        archive=sum(1 for e in parsed.entries if e.section == "archive"),
        accesses=sum(len(e.accesses) for e in parsed.entries),
        helplines=len([h for h in parsed.helplines if h.number or h.organisation]),
        unparsed=list(parsed.unparsed),
        warnings=list(parsed.warnings),
    )
