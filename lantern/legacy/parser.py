"""Parsing a legacy page into plain data: which kind of page it is, its blocks, its
entries and help-lines, and the lines nothing could take.

`parse_page(data, resolve_country=…)` is pure (bytes in, `ParsedPage` out). The kind
is recognised by content, never by file name. Every line of the page is filed by the
ledger under a field, or comes back in `ParsedPage.unparsed`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lantern.core.text import clean_space, fold, slugify_ascii
from lantern.legacy import patterns as P
from lantern.legacy.document import Document, Line, is_debris, read_document
from lantern.legacy.entries import (
    ParsedEntry,
    explode_flattened,
)
from lantern.legacy.ledger import Ledger

# Bumped whenever parsing changes, so unchanged files are parsed again.
PARSER_VERSION = "1"

Resolver = Callable[[str], str | None]


@dataclass
class ParsedHelpline:
    organisation: str
    number: str
    country_code: str = ""
    notes: str = ""
    line: int = 0
    entry_index: int | None = None  # the entry whose title carried the number


@dataclass
class ParsedProfile:
    official_name: str = ""
    background: list[str] = field(default_factory=list)
    background_source: str = ""
    background_year: int | None = None
    tip_summary: list[str] = field(default_factory=list)
    tip_source: str = ""
    tip_year: int | None = None
    tip_month: int | None = None
    tip_links: list[dict[str, str]] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.official_name or self.background or self.tip_summary)


@dataclass
class ParsedTip:
    tier: str
    tier_line: str
    report_year: int | None
    summary: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)


@dataclass
class ParsedGuidance:
    audience: str  # students | teachers | all
    heading: str
    paragraphs: list[str]


@dataclass
class ParsedLessonPlan:
    title: str = ""
    unit_topic: str = ""
    grade_level: str = ""
    objectives: list[str] = field(default_factory=list)
    fields: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ParsedPage:
    kind: str
    rendering: str
    key: str
    title: str = ""
    country: str | None = None
    topic_title: str = ""
    collection: str = "trafficking"
    part: int | None = None
    entries: list[ParsedEntry] = field(default_factory=list)
    helplines: list[ParsedHelpline] = field(default_factory=list)
    profile: ParsedProfile | None = None
    tip: ParsedTip | None = None
    links: list[dict[str, str]] = field(default_factory=list)
    propositions: list[tuple[int, str]] = field(default_factory=list)
    lesson_plan: ParsedLessonPlan | None = None
    guidance: list[ParsedGuidance] = field(default_factory=list)
    blocks: list[dict[str, object]] = field(default_factory=list)
    unparsed: list[dict[str, object]] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)
    line_count: int = 0
    content_hash: str = ""
    # every non-blank physical line, and the lines the ledger filed (for checks)
    nonblank: list[int] = field(default_factory=list)
    accounted: set[int] = field(default_factory=set)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append({"line": line, "message": message})


# ----------------------------------------------------------------------- page kinds

KIND_COUNTRY = "country"
KIND_TIP = "tip-summary"
KIND_TOPIC = "topic"
KIND_MENU = "teachers-menu"
KIND_DEBATE = "debate"
KIND_LESSON = "lesson-plan"
KIND_STREET = "street-children"
KIND_ARCHIVE = "archive-part"
KIND_UNKNOWN = "unknown"

LESSON_LABELS = frozenset(
    [
        "title",
        "unit topic",
        "unit",
        "grade level",
        "grade",
        "grade levels",
        "lesson objectives",
        "objectives",
        "lesson objective",
        "materials",
        "materials needed",
        "procedure",
        "procedures",
        "assessment",
        "evaluation",
        "time required",
        "duration",
        "time",
        "standards",
        "subject",
        "subject area",
        "introduction",
        "activities",
        "activity",
        "closure",
        "homework",
        "extension",
        "extensions",
        "vocabulary",
        "background",
        "resources",
        "teacher",
        "author",
        "summary",
        "overview",
        "anticipatory set",
        "guided practice",
        "independent practice",
        "lesson summary",
        "reflection",
        "notes",
        "prerequisites",
        "essential question",
        "essential questions",
        "key concepts",
        "follow-up",
        "follow up",
        "warm-up",
        "warm up",
        "discussion",
        "discussion questions",
        "handouts",
        "sources",
        "lesson title",
        "course",
        "class",
        "length",
        "differentiation",
        "enrichment",
        "references",
    ]
)
TIER_LINE = re.compile(
    r"^(?P<name>[^()]{2,80}?)\s*\(\s*(?P<tier>tier\s*(?:1|2|3|i{1,3})(?:\s*[-–]?\s*watch\s*list)?"
    r"|special\s+case)\s*\)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)


def lesson_label(text: str) -> tuple[str, str] | None:
    """(label, value) of a lesson-plan field line: `Grade Level: 9-12`, or a label
    alone (`Grade Level`, a table cell whose value is the next cell)."""
    bare = text.strip().rstrip(":").strip()
    if bare.lower() in LESSON_LABELS and bare[:1].isupper():
        return bare, ""
    match = P.LABELLED.match(text)
    if not match:
        return None
    label = match["label"].strip()
    base = re.sub(r"\s*\d+$", "", label.lower()).strip()
    if base in LESSON_LABELS or re.fullmatch(
        r"(lesson )?objectives? ?\d*", label.lower()
    ):
        return label, match["value"].strip()
    return None


def detect_kind(lines: list[Line]) -> str:
    """The page kind, judged from the text of its lines."""
    texts = [line.text for line in lines]
    head = texts[:60]
    has = lambda pattern, within=texts: any(pattern.search(t) for t in within)  # noqa: E731
    if any(P.TIP_PAGE_HEADER.match(t) for t in head) or (
        any(
            TIER_LINE.match(t)
            and re.search(r"extracted|tip report|trafficking", t, re.I)
            for t in head
        )
    ):
        return KIND_TIP
    if any(P.LECTURE_RESOURCES.match(t) for t in head):
        return KIND_TOPIC
    continued = any((m := P.COVERAGE.match(t)) and m["continued"] for t in head) or any(
        (m := P.ARCHIVES_HEADING.match(t)) and m["part"] for t in texts
    )
    if has(P.STREET_SUBTITLE, head):
        return KIND_ARCHIVE if continued else KIND_STREET
    if continued:
        return KIND_ARCHIVE
    if any(P.COVERAGE.match(t) for t in head):
        return KIND_COUNTRY
    teachers = any(P.TEACHERS_HEADER.match(t) for t in head)
    if not teachers and (
        any(P.SITE_TITLE.match(t) for t in head)
        and sum(1 for t in texts if P.ACCESSED.search(t)) >= 1
    ):
        return KIND_COUNTRY
    if teachers or any(
        re.match(r"^(debate topics|lesson plans?)\b", t, re.I) for t in head
    ):
        labels = [lab for t in texts if (lab := lesson_label(t))]
        names = {re.sub(r"\s*\d+$", "", lab[0].lower()) for lab in labels}
        if len(labels) >= 3 and names & {
            "unit topic",
            "grade level",
            "lesson objectives",
            "objectives",
            "lesson objective",
            "grade",
        }:
            return KIND_LESSON
        if sum(1 for t in texts if P.NUMBERED.match(t)) >= 3:
            return KIND_DEBATE
        return KIND_MENU
    return KIND_UNKNOWN


# --------------------------------------------------------------------------- entry


def parse_page(
    data: bytes,
    *,
    resolve_country: Resolver,
    known_publishers: frozenset[str] = frozenset(),
    file_name: str = "",
) -> ParsedPage:
    """Parse one saved page. Pure: bytes in, ParsedPage out; never raises on content."""
    doc = read_document(data)
    all_lines = explode_flattened(doc.lines)
    # Debris of text layouts (`|`, `||`, a lone dash) is layout, not content.
    debris = [line for line in all_lines if is_debris(line.text)]
    lines = [line for line in all_lines if not is_debris(line.text)]
    kind = detect_kind(lines)
    page = ParsedPage(
        kind=kind,
        rendering=doc.rendering,
        key="",
        line_count=doc.line_count,
        content_hash=hashlib.sha256(data).hexdigest(),
        nonblank=list(doc.nonblank),
    )
    ledger = Ledger()
    context = PageContext(
        doc, lines, ledger, page, resolve_country, known_publishers, file_name
    )
    if kind in {KIND_COUNTRY, KIND_STREET, KIND_ARCHIVE, KIND_TOPIC}:
        from lantern.legacy.country import parse_country_like

        parse_country_like(context)
    elif kind == KIND_TIP:
        from lantern.legacy.tip import parse_tip_page

        parse_tip_page(context)
    elif kind in {KIND_MENU, KIND_DEBATE, KIND_LESSON}:
        from lantern.legacy.teaching import parse_teaching_page

        parse_teaching_page(context)
    for line in debris:
        ledger.take(line, "layout")
    page.blocks = ledger.blocks
    page.unparsed = ledger.unparsed(all_lines)
    page.accounted = {
        n for line in all_lines if ledger.is_taken(line) for n in line.numbers
    }
    page.key = page.key or _fallback_key(page, file_name)
    if kind == KIND_UNKNOWN:
        page.warn(1, "page kind not recognised: every line is kept as unparsed")
    return page


def _fallback_key(page: ParsedPage, file_name: str) -> str:
    stem = slugify_ascii(file_name.rsplit("/", 1)[-1]) or page.content_hash[:16]
    return f"{page.kind}-file:{stem}"


@dataclass
class PageContext:
    doc: Document
    lines: list[Line]
    ledger: Ledger
    page: ParsedPage
    resolve: Resolver
    known_publishers: frozenset[str]
    file_name: str = ""

    def country_of(self, text: str) -> str | None:
        """The country a short text names ("Republic of Peru", "United Mexican States
        (Mexico)", "PERU"), or None."""
        text = clean_space(text).strip(" :-–—*[]|")
        if not text or len(text) > 90:
            return None
        candidates = [text]
        inner = re.search(r"\(([^)]+)\)", text)
        if inner:
            candidates += [inner.group(1), text[: inner.start()]]
        candidates += [re.sub(r"^(?:the\s+)", "", text, flags=re.I)]
        for candidate in candidates:
            code = self.resolve(fold(candidate))
            if code:
                return code
        return None
