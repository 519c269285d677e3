"""A reading list as plain data: an ordered list of entry ids, and the changes a
reader can make to it. Pure: no database, no request."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# The most entries a list holds: enough for any term paper, and its cookie stays
# under the 4 KB browsers keep (ids up to eight digits; see the tests).
CAP = 500

# An entry id as written in a cookie or a shared address.
_ID = re.compile(r"^[1-9][0-9]{0,17}$")

# BadIds' reason for a part that is not an id (the views word their messages by it).
NOT_AN_ID = "not an entry number"


class BadIds(ValueError):
    """Text that is not a list of entry ids; `value` is the first bad part."""

    def __init__(self, value: str, reason: str) -> None:
        super().__init__(f"{reason}: {value!r}")
        self.value = value
        self.reason = reason


def parse_id(text: str) -> int:
    """One entry id. Raises BadIds."""
    text = text.strip()
    if not _ID.match(text):
        raise BadIds(text[:40], NOT_AN_ID)
    return int(text)


def parse_ids(text: str) -> list[int]:
    """Entry ids written as `12,5,9`, in order, each once. Raises BadIds naming
    the first part that is not a positive whole number, or when there are more
    than CAP ids."""
    text = text.strip()
    if not text:
        return []
    ids: list[int] = []
    seen: set[int] = set()
    for part in text.split(","):
        pk = parse_id(part)
        if pk not in seen:
            seen.add(pk)
            ids.append(pk)
    if len(ids) > CAP:
        raise BadIds(f"{len(ids)} entries", f"more than a list holds ({CAP})")
    return ids


def format_ids(ids: list[int]) -> str:
    return ",".join(str(pk) for pk in ids)


class Outcome(Enum):
    ADDED = "added"
    ALREADY = "already"
    FULL = "full"
    REMOVED = "removed"
    ABSENT = "absent"
    MOVED = "moved"
    UNMOVED = "unmoved"


@dataclass(frozen=True)
class Change:
    ids: list[int]
    outcome: Outcome


def add(ids: list[int], pk: int) -> Change:
    """`pk` appended at the end, unless it is there already or the list is full."""
    if pk in ids:
        return Change(list(ids), Outcome.ALREADY)
    if len(ids) >= CAP:
        return Change(list(ids), Outcome.FULL)
    return Change([*ids, pk], Outcome.ADDED)


def remove(ids: list[int], pk: int) -> Change:
    if pk not in ids:
        return Change(list(ids), Outcome.ABSENT)
    return Change([i for i in ids if i != pk], Outcome.REMOVED)


def move(ids: list[int], pk: int, *, up: bool) -> Change:
    """`pk` swapped with its neighbour above (`up`) or below; at the end it
    stays."""
    if pk not in ids:
        return Change(list(ids), Outcome.ABSENT)
    at = ids.index(pk)
    to = at - 1 if up else at + 1
    if not 0 <= to < len(ids):
        return Change(list(ids), Outcome.UNMOVED)
    moved = list(ids)
    moved[at], moved[to] = moved[to], moved[at]
    return Change(moved, Outcome.MOVED)


def merge(ids: list[int], others: list[int]) -> tuple[list[int], int]:
    """`others` appended after `ids` (those not there yet), as many as fit; the
    new list and how many did not fit."""
    merged = list(ids)
    left_out = 0
    for pk in others:
        if pk in merged:
            continue
        if len(merged) >= CAP:
            left_out += 1
            continue
        merged.append(pk)
    return merged, left_out
