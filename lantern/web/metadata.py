"""Citation metadata embedded in an entry's page, so reference managers (Zotero) and
Google Scholar can pick the entry up: Highwire Press `citation_*` meta tags, Dublin
Core `DC.*` meta tags and a COinS span (an OpenURL ContextObject in a span's title).

Pure: `entry_metadata(entry, page_url)` reads the entry (with its publisher) and the
absolute address of its Lantern page, and returns plain strings; the template escapes
them. Nothing is emitted for an empty field.

Choices follow what Zotero's translators read (the *Embedded Metadata* translator,
the RDF translator it hands `DC.*` tags to, and the COinS translator, which Zotero
tries first because of its higher priority):

- Persons are written inverted ("Quispe, María"): Zotero splits a name with a comma
  at the comma, and Google Scholar's examples use that form. Organisations are never
  inverted. Highwire and Dublin Core have no way to mark a name as an organisation,
  so Zotero's Embedded Metadata splits a multi-word one at its last space; the COinS
  span says `rft.aucorp`, which Zotero keeps whole.
- The item type: `citation_technical_report_institution` makes Zotero file a report;
  news and web pages get no Highwire type tag (`citation_journal_title` would make
  them journal articles) but a `DC.type` Zotero's RDF translator knows ("News Item",
  "Web Page") with the outlet as `DC.source` (newspaper or website title).
- Dates: Google Scholar's form, YYYY/MM/DD (YYYY/MM, YYYY when less is known) in
  `citation_publication_date` and `citation_date`; W3C-DTF (YYYY-MM-DD …) in `DC.date`
  and `rft.date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from lantern.library.models import DatePrecision, Entry, Publisher
from lantern.library.publishers import is_organisation
from lantern.web.pages import external_href

if TYPE_CHECKING:
    import datetime as dt

DC_SCHEMA = "http://purl.org/dc/elements/1.1/"

# Item kinds, named as Zotero names its item types.
REPORT = "report"
BOOK = "book"
NEWS = "newspaperArticle"
WEBPAGE = "webpage"
VIDEO = "videoRecording"
AUDIO = "audioRecording"

# DC.type per kind: words Zotero's RDF translator maps back to the kind, DCMI types
# for recordings.
_DC_TYPES = {
    REPORT: "Report",
    BOOK: "Book",
    NEWS: "News Item",
    WEBPAGE: "Web Page",
    VIDEO: "MovingImage",
    AUDIO: "Sound",
}


@dataclass(frozen=True)
class Creator:
    """An author as cited: a person (family and given names) or an organisation."""

    name: str  # as stored: "María Quispe", "UNICEF"
    family: str = ""
    given: str = ""
    organisation: bool = False

    @property
    def inverted(self) -> str:
        """ "Family, Given" for persons with both parts; the name otherwise."""
        if self.organisation or not self.given:
            return self.family or self.name
        return f"{self.family}, {self.given}"


@dataclass(frozen=True)
class EmbeddedMetadata:
    kind: str
    highwire: list[tuple[str, str]] = field(default_factory=list)
    dublin_core: list[tuple[str, str]] = field(default_factory=list)
    coins: str = ""
    dc_schema: str = DC_SCHEMA

    @property
    def meta(self) -> list[tuple[str, str]]:
        """Every meta tag as (name, content), Highwire first."""
        return [*self.highwire, *self.dublin_core]


# --------------------------------------------------------------------------- names

_PARTICLES = frozenset(
    ["da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "la", "le",
     "ten", "ter", "van", "von", "den", "bin", "ibn", "al", "el"]
)  # fmt: skip
_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])


def person(name: str) -> Creator:
    """A person's name split into family and given names. Written "Given Family" (as
    Lantern stores them) the family name is the last word with any lowercase
    particles before it ("Ludwig van Beethoven" → "van Beethoven"); a name already
    written "Family, Given" keeps its split; one word is a family name alone."""
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return Creator(name=name, family=family.strip(), given=given.strip())
    words = name.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop()
    if len(words) < 2:
        return Creator(name=name, family=name)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    family = " ".join(words[start:])
    given = " ".join(words[:start])
    if suffix:
        given = f"{given}, {suffix}"
    return Creator(name=name, family=family, given=given)


def creators(entry: Entry) -> list[Creator]:
    """The entry's authors: each stored name, a person or an organisation; with no
    names, the publisher as the organisation responsible (reports of agencies)."""
    found: list[Creator] = []
    for raw in entry.authors or []:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if is_organisation(name):
            found.append(Creator(name=name, family=name, organisation=True))
        else:
            found.append(person(name))
    publisher = _publisher(entry)
    if not found and publisher is not None and publisher.name.strip():
        name = " ".join(publisher.name.split())
        found.append(Creator(name=name, family=name, organisation=True))
    return found


# --------------------------------------------------------------------- other fields

_PAGE_PREFIX = re.compile(r"^(?:pages?\b|pgs?\b\.?|pp?\b\.?|s\.)\s*", re.IGNORECASE)
_PAGE = r"[0-9]+[a-z]?|[ivxlcdm]+"
_PAGE_RANGE = re.compile(
    rf"^({_PAGE})(?:\s*(?:[-‐‑‒–—]+|to)\s*({_PAGE}))?\.?$", re.IGNORECASE
)


def page_range(page_ref: str) -> tuple[str, str]:
    """First and last page of a page reference ("pp. 12-15" → ("12", "15"),
    "p. 7" → ("7", ""), "811" → ("811", "")); ("", "") when it is not one."""
    text = _PAGE_PREFIX.sub("", " ".join((page_ref or "").split()))
    match = _PAGE_RANGE.match(text)
    if not match:
        return "", ""
    first, last = match.group(1), match.group(2) or ""
    if last == first:
        last = ""
    return first, last


def scholar_date(value: dt.date | None, precision: str) -> str:
    """A publication date as Google Scholar reads it: 2020/11/25, 2020/11, 2020."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}/{value.month:02d}"
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def item_kind(entry: Entry) -> str:
    """What kind of item a reference manager should file the entry as."""
    publisher = _publisher(entry)
    if entry.format == Entry.Format.BOOK:
        return BOOK
    if entry.format == Entry.Format.VIDEO:
        return VIDEO
    if entry.format == Entry.Format.AUDIO:
        return AUDIO
    if publisher is not None and publisher.kind == Publisher.Kind.NEWS:
        return NEWS
    if entry.format in (Entry.Format.PDF, Entry.Format.DOC) or entry.series_id:
        return REPORT
    return WEBPAGE


def _publisher(entry: Entry) -> Publisher | None:
    return entry.publisher if entry.publisher_id is not None else None


def _clean(text: str) -> str:
    return " ".join((text or "").split())


# ---------------------------------------------------------------------- the builder


def entry_metadata(entry: Entry, page_url: str) -> EmbeddedMetadata:
    """Highwire, Dublin Core and COinS metadata for an entry whose Lantern page is at
    `page_url` (absolute)."""
    kind = item_kind(entry)
    title = _clean(entry.title)
    authors = creators(entry)
    publisher = _publisher(entry)
    publisher_name = _clean(publisher.name) if publisher is not None else ""
    source_url = external_href(entry.url)
    first_page, last_page = page_range(entry.page_ref)
    iso_date = entry.published_iso
    language = _clean(entry.language)

    highwire: list[tuple[str, str]] = []

    def hw(name: str, value: str) -> None:
        if value:
            highwire.append((name, value))

    hw("citation_title", title)
    for creator in authors:
        hw("citation_author", creator.inverted)
    date = scholar_date(entry.published_date, entry.published_precision)
    hw("citation_publication_date", date)
    hw("citation_date", date)
    hw("citation_publisher", publisher_name)
    if kind == REPORT:
        hw("citation_technical_report_institution", publisher_name)
    hw("citation_firstpage", first_page)
    hw("citation_lastpage", last_page)
    hw("citation_language", language)
    hw("citation_public_url", source_url)
    hw("citation_abstract_html_url", page_url)
    if entry.format == Entry.Format.PDF:
        hw("citation_pdf_url", source_url)

    dublin_core: list[tuple[str, str]] = []

    def dc(name: str, value: str) -> None:
        if value:
            dublin_core.append((name, value))

    dc("DC.title", title)
    for creator in authors:
        dc("DC.creator", creator.inverted)
    dc("DC.date", iso_date)
    dc("DC.publisher", publisher_name)
    if kind in (NEWS, WEBPAGE):
        dc("DC.source", publisher_name)
    dc("DC.identifier", source_url)
    dc("DC.language", language)
    dc("DC.type", _DC_TYPES[kind])

    return EmbeddedMetadata(
        kind=kind,
        highwire=highwire,
        dublin_core=dublin_core,
        coins=coins(
            kind=kind,
            title=title,
            authors=authors,
            date=iso_date,
            publisher=publisher_name,
            first_page=first_page,
            last_page=last_page,
            url=source_url or page_url,
            language=language,
        ),
    )


def coins(
    *,
    kind: str,
    title: str,
    authors: list[Creator],
    date: str,
    publisher: str,
    first_page: str,
    last_page: str,
    url: str,
    language: str,
) -> str:
    """An OpenURL 1.0 ContextObject (KEV) for a COinS span's title: the book format
    for books and reports, Dublin Core otherwise (with Zotero's item type in
    `rft.type`, which its COinS reader takes). Every value is percent-encoded."""
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004")]
    if kind in (BOOK, REPORT):
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
            ("rft.genre", kind),
            ("rft.btitle", title),
        ]
        publisher_key = "rft.pub"
    else:
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
            ("rft.type", kind),
            ("rft.title", title),
        ]
        publisher_key = "rft.publisher"
        if kind in (NEWS, WEBPAGE):
            pairs.append(("rft.source", publisher))
    for creator in authors:
        if creator.organisation:
            pairs.append(("rft.aucorp", creator.name))
        else:
            pairs.append(("rft.au", creator.inverted))
    pairs += [
        ("rft.date", date),
        (publisher_key, publisher),
        ("rft.spage", first_page),
        ("rft.epage", last_page),
        ("rft.language", language),
        ("rft_id", url),
    ]
    return urlencode([(k, v) for k, v in pairs if v], quote_via=quote, safe="")
