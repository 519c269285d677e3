"""A document as Lantern reads it (title, authors, publisher, date, language,
paragraphs, page texts), and the small text helpers shared by the HTML and PDF
readers: personal names from an author field, paragraphs from extracted text, the
language of a text. Pure: no network, no database."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from lantern.core.matching import find_page, normalise
from lantern.core.text import clean_space
from lantern.library.publishers import looks_like_person


@dataclass(frozen=True)
class PublishedDate:
    """A publication date: the words the page used, the date, its precision."""

    raw: str = ""
    date: dt.date | None = None
    precision: str = "unknown"  # "day" | "month" | "year" | "unknown"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the main text, with its page number in a PDF."""

    text: str
    page: int | None = None


@dataclass(frozen=True)
class Metadata:
    """Everything read from one document. `kind` is "html", "pdf" or "text"."""

    kind: str
    title: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    published: PublishedDate = PublishedDate()
    language: str = ""
    description: str = ""
    paragraphs: tuple[Paragraph, ...] = ()
    pages: tuple[str, ...] = ()  # a PDF's page texts
    text: str = ""  # the whole visible text (hashing, excerpt checks)
    problems: tuple[str, ...] = ()

    @property
    def paragraph_texts(self) -> list[str]:
        return [p.text for p in self.paragraphs]

    def page_of(self, excerpt: str) -> int | None:
        """The PDF page (1-based) holding an excerpt, or None (not a PDF, not found)."""
        return find_page(list(self.pages), excerpt) if self.pages else None


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&|\|)\s*")


def split_authors(author: str) -> list[str]:
    """Personal names from an author field ("María Quispe; John Carter"); names of
    organisations and handles are left out (they are publishers, not authors)."""
    names = []
    for part in _AUTHOR_SPLIT.split(clean_space(author)):
        part = re.sub(r"^(?:by|por|par)\s+", "", part.strip(), flags=re.IGNORECASE)
        if part and looks_like_person(part) and part not in names:
            names.append(part)
    return names


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of extracted text (PDF text has no paragraph marks): blocks between
    blank lines, and inside a block a break after the last line of a paragraph (a
    line ending a sentence that is shorter than the block's full lines, or a whole
    paragraph set as one long line) and around headings (short lines without a full
    stop, followed by a capitalised line)."""
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        lengths = sorted(len(line) for line in lines)
        full = lengths[(len(lengths) * 3) // 4]  # the length of a full line
        current: list[str] = []
        for i, line in enumerate(lines):
            current.append(line)
            following = lines[i + 1] if i + 1 < len(lines) else ""
            capital_next = following[:1].isupper() or following[:1].isdigit()
            ends_sentence = line.endswith((".", "!", "?", '"', "”", ":"))
            last_line = ends_sentence and (len(line) < 0.85 * full or len(line) > 150)
            heading = (
                not ends_sentence
                and capital_next
                and len(line) < 0.6 * full
                and len(line.split()) <= 15
            )
            if last_line or heading:
                paragraphs.append(_join_lines(current))
                current = []
        if current:
            paragraphs.append(_join_lines(current))
    return [p for p in paragraphs if p]


def _join_lines(lines: list[str]) -> str:
    text = ""
    for line in lines:
        if text.endswith("-") and line[:1].islower():
            text = text[:-1] + line  # a word hyphenated across lines
        else:
            text = f"{text} {line}" if text else line
    return clean_space(text)


# --------------------------------------------------------------------------- language

# The commonest short words of the languages Lantern's sources come in.
_STOPWORDS = {
    "en": [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "are",
        "was",
        "with",
        "by",
        "on",
        "as",
        "from",
        "this",
        "have",
        "which",
    ],
    "es": [
        "el",
        "la",
        "de",
        "que",
        "y",
        "en",
        "los",
        "las",
        "del",
        "se",
        "por",
        "con",
        "para",
        "una",
        "es",
        "su",
        "al",
        "como",
    ],
    "fr": [
        "le",
        "la",
        "les",
        "de",
        "des",
        "et",
        "est",
        "que",
        "une",
        "dans",
        "du",
        "en",
        "pour",
        "qui",
        "sur",
        "par",
        "au",
    ],
    "pt": [
        "o",
        "a",
        "de",
        "que",
        "e",
        "do",
        "da",
        "em",
        "os",
        "no",
        "na",
        "para",
        "com",
        "uma",
        "por",
        "dos",
        "das",
    ],
    "de": [
        "der",
        "die",
        "und",
        "in",
        "den",
        "von",
        "zu",
        "das",
        "mit",
        "sich",
        "des",
        "auf",
        "ist",
        "nicht",
        "ein",
        "eine",
    ],
    "it": [
        "il",
        "di",
        "che",
        "e",
        "la",
        "per",
        "un",
        "del",
        "della",
        "sono",
        "le",
        "gli",
        "con",
        "non",
        "una",
        "nel",
    ],
    "nl": [
        "de",
        "het",
        "een",
        "van",
        "en",
        "in",
        "is",
        "dat",
        "op",
        "te",
        "zijn",
        "voor",
        "met",
        "die",
        "niet",
    ],
}
_STOP_SETS = {lang: frozenset(words) for lang, words in _STOPWORDS.items()}


def detect_language(text: str) -> str:
    """The language of a text by its commonest words (ISO 639-1), or '' when the
    text is too short or too mixed to tell."""
    words = normalise(text[:20000]).split()
    if len(words) < 20:
        return ""
    counts = Counter(
        {lang: sum(1 for w in words if w in stop) for lang, stop in _STOP_SETS.items()}
    )
    (best, top), *rest = counts.most_common()
    second = rest[0][1] if rest else 0
    if top < 8 or top < second * 1.5:
        return ""
    return best
