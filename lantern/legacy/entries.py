"""Finding the entries in the entry zone of a legacy page and filling their fields.

An entry is: title, source line, URL lines, `[accessed …]` lines, notes, `[page N]`,
then excerpt paragraphs. Blank lines separate paragraphs inside an excerpt too, so
entries are found from their *anchors* (URL, accessed, note, page and archived-copy
lines, or a title that is a link): the title and source line are the lines just before
an anchor run, and the excerpt is everything up to the next entry's title. Entries
without anchors are found as a title followed by a line that is beyond doubt a
source line. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lantern.core.dates import parse_date, parse_trailing_date
from lantern.core.text import clean_space
from lantern.legacy import patterns as P
from lantern.legacy.document import Line, Link
from lantern.legacy.ledger import Ledger
from lantern.library.publishers import looks_like_publisher


@dataclass
class ParsedAccess:
    raw: str
    date: str | None  # ISO date
    problem: str
    url: str
    line: int


@dataclass
class ParsedEntry:
    title: str
    format: str = "web"
    source_line: str = ""
    url: str = ""
    other_urls: list[str] = field(default_factory=list)
    accesses: list[ParsedAccess] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    page_ref: str = ""
    archived_copy_note: str = ""
    archived_copy_url: str = ""
    excerpt: list[str] = field(default_factory=list)
    section: str = "current"
    country: str | None = None  # sub-heading country on topic pages
    first_line: int = 0
    last_line: int = 0
    helpline_numbers: list[str] = field(default_factory=list)


ANCHOR_KINDS = ("url", "accessed", "page", "note", "archived")


def anchor_kind(line: Line) -> str | None:
    """Which kind of anchor line this is, if any (worked out once per line)."""
    if line.anchor is not Ellipsis:
        return line.anchor  # type: ignore[return-value]
    line.anchor = _anchor_kind(line.text)
    return line.anchor  # type: ignore[return-value]


def _anchor_kind(text: str) -> str | None:
    if P.is_accessed_line(text):
        return "accessed"
    if P.is_url_line(text):
        return "url"
    if P.PAGE_REF.match(text):
        return "page"
    if P.NOTE.match(text):
        return "note"
    lowered = text.lower()
    if (
        len(text) < 400
        and ("archived" in lowered or "accessible" in lowered)
        and P.ARCHIVED_NOTE.search(text)
    ):
        return "archived"
    return None


def external_link(line: Line) -> Link | None:
    """The link a whole line is made of (an HTML title), when it points off-site."""
    for link in line.links:
        href = link.href
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        # Absolute links only: relative ones are the site's own navigation. A link
        # to the old site's own copy of an article is still the entry's address.
        if not re.match(r"^(https?:)?//|^www\.", href, re.I):
            continue
        if link.text and len(link.text) >= 0.6 * len(line.text):
            return link
    return None


# --------------------------------------------------------------------- flattened lines

_SPLIT_TOKENS = re.compile(
    r"(\[\s*accessed\b[^\]]*\]|\[\s*pages?\s+[\w\s,\-–]+?\]|"
    r"(?<!\S)(?:(?:https?|ftp)://|www\.)[^\s\]\[<>\"]+)",
    re.IGNORECASE,
)


def explode_flattened(lines: list[Line]) -> list[Line]:
    """Split lines where title, source, URL, accessed and excerpt run together.

    Only lines holding an `[accessed …]` mark, or a bare URL after something that
    reads like a source line, are split. The head (before the first mark) splits at
    double spaces into title and source; the tail stays whole as the excerpt. The
    pieces keep the physical line number.
    """
    out: list[Line] = []
    for line in lines:
        pieces = _flattened_pieces(line)
        if pieces is None:
            out.append(line)
        else:
            out.extend(
                Line(no=line.no, text=p, last=line.last, links=line.links)
                for p in pieces
            )
    return out


def _flattened_pieces(line: Line) -> list[str] | None:
    text = line.text
    if "[" not in text and "www." not in text and "://" not in text:
        return None
    tokens = list(_SPLIT_TOKENS.finditer(text))
    if not tokens or anchor_kind(line):
        return None
    if P.FAIR_USE.search(text) or P.CITE_START.search(text):
        return None
    head = text[: tokens[0].start()].strip()
    has_access = any(P.ACCESSED.match(t.group(0)) for t in tokens)
    if not has_access:
        # A URL quoted in running prose is not an anchor; after a source line that
        # ends with its date ("Agency, City, 01/01/2001  www…") it is.
        head_parts = re.split(r"\s{2,}", head)
        if not head or parse_trailing_date(head_parts[-1]).date is None:
            return None
    pieces = [p.strip() for p in re.split(r"\s{2,}", head) if p.strip()] if head else []
    if len(pieces) > 2:
        pieces = [" ".join(pieces[:-1]), pieces[-1]]
    for index, token in enumerate(tokens):
        pieces.append(token.group(0).strip())
        end = tokens[index + 1].start() if index + 1 < len(tokens) else len(text)
        between = text[token.end() : end].strip()
        if between:
            pieces.append(between)
    return pieces if len(pieces) > 1 else None


def split_flattened_head(
    text: str, known_publishers: frozenset[str]
) -> tuple[str, str]:
    """Title and source run together on one line: find where the source begins.

    Tries, in order: a double space; a known publisher name; a personal name or
    organisation just before the first comma of the trailing source. Returns
    (title, source); source is "" when no split is credible.
    """
    if "  " in text:
        left, right = (
            text.rsplit("  ", 1) if text.count("  ") == 1 else text.split("  ", 1)
        )
        if P.is_source_like(right) and left.strip():
            return left.strip(), right.strip()
    if not P.is_source_like(text):
        return text, ""
    folded = text.lower()
    best = -1
    for name in known_publishers:
        at = folded.find(name)
        if (
            at > 0
            and (best < 0 or at < best)
            and folded[at + len(name) :][:1] in {",", " "}
        ):
            best = at
    if best > 0:
        return text[:best].strip(" -–:"), text[best:].strip()
    first_comma = text.find(",")
    if first_comma <= 0:
        return text, ""
    head = text[:first_comma].split()
    # A personal name or short organisation: the last 2-3 capitalised words.
    for size in (2, 3):
        if len(head) > size and all(w[:1].isupper() for w in head[-size:]):
            cut = len(" ".join(head[:-size]))
            return text[:cut].strip(" -–:"), text[cut:].strip()
    return text, ""


# ------------------------------------------------------------------------- the zone


@dataclass
class ZoneResult:
    entries: list[ParsedEntry]
    # line indexes (into the zone) that are headings, for the caller to file
    consumed: set[int]


def find_entry_starts(
    lines: list[Line],
    barrier: Callable[[int], bool],
) -> list[tuple[int, int | None]]:
    """(title index, source index or None) of every entry in `lines`.

    `barrier(i)` is true for lines that can belong to no entry (headings).
    """
    kinds = [anchor_kind(line) for line in lines]
    starts: dict[int, int | None] = {}
    i = 0
    prev_end = 0  # first index after the previous anchor run
    while i < len(lines):
        if kinds[i] is None or barrier(i):
            i += 1
            continue
        run_start = i
        while i < len(lines) and kinds[i] is not None and not barrier(i):
            i += 1
        only_urls = all(kinds[k] == "url" for k in range(run_start, i))
        if only_urls and i < len(lines) and _is_help_detail(lines[i].text):
            # An agency's web address followed by its phone number: a help-line.
            continue
        title, source = _head_before(lines, run_start, prev_end, barrier)
        if title is not None:
            starts[title] = source
        prev_end = i
    # Entries with no anchors: a title-like line followed by a sure source line,
    # or a line that is all one off-site link (an HTML title).
    sources = {s for s in starts.values() if s is not None}
    for j, line in enumerate(lines):
        if j in starts or j in sources or kinds[j] is not None or barrier(j):
            continue
        nxt = j + 1 if j + 1 < len(lines) and not barrier(j + 1) else None
        if external_link(line) and P.is_title_like(line.text):
            source = (
                nxt if nxt is not None and P.is_source_like(lines[nxt].text) else None
            )
            if _inside_head(starts, j):
                continue
            starts[j] = source
            if source is not None:
                sources.add(source)
        elif (
            nxt is not None
            and kinds[nxt] is None
            and P.is_title_like(line.text)
            and not P.ends_with_full_stop(line.text)
            and P.is_strict_source(lines[nxt].text)
            and not _inside_head(starts, j)
            and not _inside_head(starts, nxt)
        ):
            starts[j] = nxt
            sources.add(nxt)
    return sorted(starts.items())


def _inside_head(starts: dict[int, int | None], index: int) -> bool:
    """Whether a line is already the title or source of a found entry."""
    return index in starts or index in starts.values()


def _is_help_detail(text: str) -> bool:
    """A phone number, country code or e-mail line: never an entry's title."""
    return bool(
        P.COUNTRY_CODE.match(text)
        or re.fullmatch(
            r"(?:[A-Za-z ]{0,20}:\s*)?\+?[\d\s().\-/]*\d{3}[\d\s().\-/]*", text
        )
        or re.search(r"^e-?mail\s*:|@[\w-]+\.\w", text, re.IGNORECASE)
    )


def _head_before(
    lines: list[Line], run_start: int, floor: int, barrier: Callable[[int], bool]
) -> tuple[int | None, int | None]:
    """Title and source indexes just before an anchor run starting at `run_start`."""
    p1 = run_start - 1
    if p1 < floor or barrier(p1):
        return None, None
    if _is_help_detail(lines[p1].text):
        # A web or e-mail line under a help-line number is no entry.
        return None, None
    if lines[p1].no == lines[run_start].no and lines[p1].last == lines[run_start].last:
        # Pieces of a flattened line: the title and source are on that line.
        p2 = p1 - 1
        same_line = p2 >= floor and lines[p2].no == lines[p1].no and not barrier(p2)
        if same_line and P.is_source_like(lines[p1].text):
            return p2, p1
        return p1, None
    p2 = p1 - 1
    has_p2 = p2 >= floor and not barrier(p2)
    link1 = external_link(lines[p1])
    if link1 and P.is_title_like(lines[p1].text):
        return p1, None
    if P.is_source_like(lines[p1].text) and has_p2 and P.is_title_like(lines[p2].text):
        prose = P.ends_with_full_stop(lines[p2].text) and not external_link(lines[p2])
        if not prose:
            return p2, p1
    if (
        has_p2
        and looks_like_publisher(lines[p1].text)
        and _starts_entry(lines, p2, floor, barrier)
    ):
        # A source line with no date ("Human Rights Watch") under a title.
        return p2, p1
    return p1, None


def _starts_entry(
    lines: list[Line], index: int, floor: int, barrier: Callable[[int], bool]
) -> bool:
    """Whether a title-like line stands where an entry may begin: after a heading,
    the zone's start or a paragraph of prose that ends the previous entry."""
    text = lines[index].text
    if not P.is_title_like(text) or P.ends_with_full_stop(text) or text.endswith(":"):
        return False
    before = index - 1
    if before < floor or barrier(before):
        return True
    previous = lines[before].text
    # After prose that ends the previous entry, or after a help-line's number.
    return (
        P.ends_with_full_stop(previous)
        or _is_help_detail(previous)
        or (len(previous) <= 40 and re.search(r"\d{3}", previous) is not None)
    )


def build_entries(
    lines: list[Line],
    starts: list[tuple[int, int | None]],
    *,
    section_at: Callable[[int], str],
    country_at: Callable[[int], str | None],
    barrier: Callable[[int], bool],
    ledger: Ledger,
    known_publishers: frozenset[str],
) -> list[ParsedEntry]:
    """Fill an entry for each start; its lines run until the next start or barrier."""
    entries: list[ParsedEntry] = []
    bounds = [t for t, _ in starts] + [len(lines)]
    for (title_i, source_i), next_start in zip(starts, bounds[1:], strict=True):
        end = title_i + 1
        while end < next_start and not barrier(end):
            end += 1
        entry = _fill_entry(
            lines,
            title_i,
            source_i,
            end,
            ledger=ledger,
            known_publishers=known_publishers,
        )
        entry.section = section_at(title_i)
        entry.country = country_at(title_i)
        entries.append(entry)
    return entries


def _fill_entry(
    lines: list[Line],
    title_i: int,
    source_i: int | None,
    end: int,
    *,
    ledger: Ledger,
    known_publishers: frozenset[str],
) -> ParsedEntry:
    title_line = lines[title_i]
    title = title_line.text
    link = external_link(title_line)
    source = ""
    if source_i is not None:
        source = lines[source_i].text
    elif title_line.text and not link:
        # A flattened line: "Title Publisher, Date" with the source run in.
        piece_of_line = (
            title_i + 1 < len(lines) and lines[title_i + 1].no == title_line.no
        )
        if piece_of_line:
            title, source = split_flattened_head(title, known_publishers)
    entry = ParsedEntry(title=title, first_line=title_line.no)
    tag = P.FORMAT_TAG.search(entry.title)
    if tag:
        entry.format = {"docx": "doc", "ppt": "other"}.get(
            tag["tag"].lower(), tag["tag"].lower()
        )
        entry.title = entry.title[: tag.start()].strip()
    entry.title = clean_space(entry.title)
    entry.source_line = source
    ledger.take(title_line, "entry.title")
    if source_i is not None:
        ledger.take(lines[source_i], "entry.source")
    if link:
        entry.url = link.href
    current_url = entry.url
    last = max(title_line.last, lines[source_i].last if source_i is not None else 0)
    body_start = (source_i if source_i is not None else title_i) + 1
    in_excerpt = False
    for k in range(body_start, end):
        line = lines[k]
        kind = anchor_kind(line)
        last = max(last, line.last)
        if (kind and not in_excerpt) or kind in {"accessed", "url"}:
            _take_anchor(entry, line, kind or "", current_url, ledger)
            if kind == "url":
                current_url = line.text
            continue
        in_excerpt = True
        entry.excerpt.append(line.text)
        ledger.take(line, "entry.excerpt")
    entry.last_line = last
    entry.helpline_numbers = _title_numbers(entry.title)
    if not entry.url and entry.other_urls:
        entry.url = entry.other_urls.pop(0)
    return entry


def _take_anchor(
    entry: ParsedEntry, line: Line, kind: str, current_url: str, ledger: Ledger
) -> None:
    text = line.text
    if kind == "accessed":
        for match in P.ACCESSED.finditer(text):
            raw = match.group(0)
            parsed = parse_date(match["date"])
            problem = "" if parsed.date else f"unreadable date {match['date']!r}"
            if parsed.date and parsed.precision != "day":
                problem = f"date only to the {parsed.precision}"
            entry.accesses.append(
                ParsedAccess(raw, parsed.iso or None, problem, current_url, line.no)
            )
        ledger.take(line, "entry.accessed")
    elif kind == "url":
        if not entry.url:
            entry.url = text
        elif text != entry.url and text not in entry.other_urls:
            entry.other_urls.append(text)
        ledger.take(line, "entry.url")
    elif kind == "page":
        page = P.PAGE_REF.match(text)
        entry.page_ref = page["page"].strip() if page else text
        ledger.take(line, "entry.page")
    elif kind == "note":
        entry.notes.append(text)
        ledger.take(line, "entry.note")
    elif kind == "archived":
        entry.archived_copy_note = (
            f"{entry.archived_copy_note} {text}".strip()
            if entry.archived_copy_note
            else text
        )
        for link in line.links:
            if link.href and not entry.archived_copy_url:
                entry.archived_copy_url = link.href
        ledger.take(line, "entry.archived_note")


def _title_numbers(title: str) -> list[str]:
    """Help-line numbers a title offers ("… Hotline 0800-2-3232")."""
    from lantern.library.phones import find_hotline_numbers

    return find_hotline_numbers(title)
