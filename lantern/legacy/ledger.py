"""The ledger that proves nothing is lost: every line of a page is filed under the
field that took it, and whatever no field took becomes an unparsed line."""

from __future__ import annotations

from dataclasses import dataclass, field

from lantern.legacy.document import Line


@dataclass
class Ledger:
    # field name per line object (by identity), in the order lines were taken
    taken: dict[int, str] = field(default_factory=dict)
    # page-level blocks: (line, field, text) for lines outside entries
    blocks: list[dict[str, object]] = field(default_factory=list)

    def take(self, line: Line, field_name: str, *, keep_text: bool = False) -> None:
        """File a line under a field. `keep_text` records its text among the blocks
        (for page-level lines whose words no model field stores verbatim)."""
        self.taken[id(line)] = field_name
        if keep_text:
            self.blocks.append(
                {"line": line.no, "field": field_name, "text": line.text}
            )

    def block(self, line: Line, field_name: str) -> None:
        """File a page-level line and keep its text."""
        self.take(line, field_name, keep_text=True)

    def is_taken(self, line: Line) -> bool:
        return id(line) in self.taken

    def field_of(self, line: Line) -> str | None:
        return self.taken.get(id(line))

    def unparsed(self, lines: list[Line]) -> list[dict[str, object]]:
        """`{line, text}` (and `last` for a joined paragraph) of every line not taken."""
        found: list[dict[str, object]] = []
        for line in lines:
            if id(line) in self.taken:
                continue
            item: dict[str, object] = {"line": line.no, "text": line.text}
            if line.last != line.no:
                item["last"] = line.last
            found.append(item)
        return found
