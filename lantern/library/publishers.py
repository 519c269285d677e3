"""Reading a legacy source line into authors, publisher, place and date, and guessing
what kind of body a publisher is. Pure functions; no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lantern.core.dates import UNKNOWN, ParsedDate, find_date, parse_trailing_date
from lantern.core.text import clean_space, fold

_KIND_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "intergovernmental",
            r"\b(United Nations|UN\b|UNICEF|UNODC|UNHCR|UNFPA|ILO\b|"
            r"IOM\b|International Labou?r Organi[sz]ation|International Organi[sz]ation "
            r"for Migration|World Bank|OSCE|OAS\b|Organi[sz]ation of American States|"
            r"European Union|EU\b|Council of Europe|Inter-American|ASEAN|African Union|"
            r"Committee on the Rights|Convention on|IDB\b|Development Bank|Interpol)",
        ),
        (
            "government",
            r"\b(Dep(artmen)?t\.? of|Department|Ministry|Government|"
            r"Bureau|Embassy|Congress|Parliament|Senate|Police|ICE\b|Immigration and "
            r"Customs|Federal|Attorney|Office of|State Dept|U\.S\.|US Dept|Commission)",
        ),
        (
            "academic",
            r"\b(University|College|Institute|Journal|Academ|School of|"
            r"Press$|Review\b|Studies)",
        ),
        (
            "news",
            r"\b(News|Press|Times|Post|Herald|Tribune|Guardian|Reuters|BBC|CNN|"
            r"Associated Press|AP\b|AFP\b|EFE\b|Gazette|Daily|Journal|Magazine|Radio|"
            r"Television|TV\b|KTVU|Telegraph|Independent|Chronicle|Observer|Agency|"
            r"Dispatch|Express|Mail|Star|Inquirer|Voice of|Al Jazeera|IPS\b|IRIN|"
            r"Internationalist|Latin American Press)",
        ),
        (
            "ngo",
            r"\b(Save the Children|Amnesty|Human Rights Watch|Anti-Slavery|"
            r"Foundation|Project|Fund|Coalition|Alliance|Society|Network|Association|"
            r"Caritas|World Vision|Freedom House|Walk Free|ECPAT|Terre des|Plan "
            r"International|Oxfam|Movimiento|Trust|Charity|NGO|Centre|Center|Council)",
        ),
    )
)


# Publishers often run into titles on flattened lines; the names below help split
# them even before the library knows them.
COMMON_PUBLISHERS = (
    "associated press", "reuters", "agence france-presse", "afp", "bbc news", "bbc",
    "cnn", "the guardian", "the new york times", "new york times", "washington post",
    "al jazeera", "inter press service", "irin news", "efe news service",
    "voice of america", "u.s. dept of state", "u.s. department of state",
    "us dept of state", "u.s. dept of labor", "us dept of labor",
    "human rights watch", "amnesty international", "save the children", "unicef",
    "international labour organization", "international labor organization",
    "international organization for migration", "ecpat", "anti-slavery international",
    "freedom house", "walk free", "the borgen project", "borgen project",
    "latin american press", "new internationalist", "ipsnews", "allafrica",
)  # fmt: skip


US_STATES = frozenset(
    ["alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio", "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming", "dc"]
) | {"new hampshire", "new jersey", "new mexico", "new york", "north carolina",
     "north dakota", "rhode island", "south carolina", "south dakota", "west virginia",
     "district of columbia"}  # fmt: skip


def guess_kind(name: str) -> str:
    """The likely kind of a publisher from its name (government, news, …)."""
    for kind, pattern in _KIND_RULES:
        if pattern.search(name):
            return kind
    return "other"


# Words of organisations' names that are not also common surnames (unlike "Post" or
# "Times", which `_ORG_WORDS` has for source lines).
_BODY_WORDS = re.compile(
    r"\b(?:Press|News|Project|Department|Dept|Ministry|Bureau|Office|Agency|Service|"
    r"International|Council|Committee|Foundation|Rights|Watch|Union|Nations|"
    r"University|Institute|Institution|Centre|Center|Network|Group|Government|"
    r"Programm?e?s?|Commission|Organi[sz]ation|Association|Coalition|Alliance|"
    r"Society|Initiative|Campaign|Fund|League|Trust|Secretariat|Reuters|Journal|"
    r"Magazine|Unicef|Contributors|Editors|Team|Volunteers)\b",
    re.IGNORECASE,
)


def is_organisation(name: str) -> bool:
    """Whether an author string names an organisation rather than a person: a word
    of organisations' names ("Ministry", "Watch" …), a publisher's name not shaped
    like a person's two names ("Save the Children", but not "Emily Post"), an
    acronym ("ILO"), or more words than a person's name has. In doubt, a person."""
    name = name.strip()
    if not name:
        return False
    words = re.findall(r"[^\W\d_]+", name)
    if not words:
        return True  # no letters: nothing to split into names
    if _BODY_WORDS.search(name):
        return True
    if guess_kind(name) != "other" and len(name.split()) != 2:
        return True
    letters = [c for c in name if c.isalpha()]
    if len(letters) >= 2 and " " not in name and all(c.isupper() for c in letters):
        return True
    return len(words) > 5


@dataclass(frozen=True)
class SourceParts:
    """A source line taken apart. Nothing is invented: fields hold substrings."""

    raw: str
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    place: str = ""
    date: ParsedDate = UNKNOWN


# A personal name: two to four capitalised words, optional initials and particles.
_PERSON = re.compile(
    r"^(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|de|da|del|van|"
    r"von|la|le|bin|al|[A-Z][\w'’\-]+)){1,3}$"
)
_ORG_WORDS = re.compile(
    r"\b(Press|News|Project|Department|Dept|Ministry|Bureau|Office|Report|Times|"
    r"Organi[sz]ation|Agency|Service|International|Council|Committee|Foundation|"
    r"Children|Rights|Watch|Union|Nations|University|Institute|Post|Herald|Daily|"
    r"Magazine|Radio|Network|Centre|Center|Journal|Group|Government|Programs?|"
    r"Convention|Bank|Commission|Reuters|Guardian|Release)\b",
    re.IGNORECASE,
)
_PLACE_HINT = re.compile(r"^(?:[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){0,3})$")


_PARTICLES = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "on",
        "in",
        "de",
        "del",
        "la",
        "le",
        "des",
        "du",
        "&",
        "-",
        "–",
        "of",
    ]
)


def looks_like_publisher(text: str) -> bool:
    """A short name of an organisation standing alone ("UNICEF Ecuador", "Human
    Rights Watch"): a few capitalised words, one of them an organisation's."""
    words = text.strip().split()
    if not 1 <= len(words) <= 7 or re.search(r"[.!?:;]$|\d", text.strip()):
        return False
    capitalised = all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
    return capitalised and guess_kind(text) != "other"


def looks_like_person(text: str) -> bool:
    text = text.strip()
    return bool(_PERSON.match(text)) and not _ORG_WORDS.search(text)


def split_source(line: str, place_names: frozenset[str] = frozenset()) -> SourceParts:
    """Take apart a comma-separated source line: [authors,] publisher[, place], date.

    `place_names` are folded place names (countries, US states) that mark a place
    field ("Lima Peru").
    """
    raw = clean_space(line)
    if not raw:
        return SourceParts(raw="")
    date = parse_trailing_date(raw)
    head = raw[: date.start].rstrip(" ,;-–") if date.date else raw
    if date.date is None:
        date = find_date(raw)
    adapted = re.match(r"^Adapted from:?\s*(.+)$", head, re.IGNORECASE)
    if adapted:
        head = adapted.group(1)
    parts = [p.strip() for p in re.split(r",\s*", head) if p.strip()]
    authors: list[str] = []
    while len(parts) > 1 and looks_like_person(parts[0]):
        authors.append(parts.pop(0))
    place = ""
    if len(parts) > 1:
        last = parts[-1]
        words = fold(last).split()
        # "Lima Peru", "Walnut Creek, California": a place ends with a known name.
        names_a_place = any(
            " ".join(words[-n:]) in place_names
            for n in range(1, min(4, len(words)) + 1)
        )
        if (names_a_place and not _ORG_WORDS.search(last)) or (
            len(parts) > 2 and _PLACE_HINT.match(last) and not _ORG_WORDS.search(last)
        ):
            place = parts.pop()
            # "City, State" and "City, Country" come as two fields.
            if (
                len(parts) > 1
                and _PLACE_HINT.match(parts[-1])
                and not _ORG_WORDS.search(parts[-1])
                and len(parts[-1].split()) <= 3
            ):
                place = f"{parts.pop()}, {place}"
    publisher = ", ".join(parts)
    return SourceParts(
        raw=raw, authors=authors, publisher=publisher, place=place, date=date
    )
