"""Reading the dates people write ("April 30, 2005", "25 November 2020", "2006-08-25",
"August 2001", "2018") into a date and the precision it was given with."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

# Each pattern is matched against the end of a text (a source line ends with its date).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (precision, re.compile(pattern + r"\W*$", re.IGNORECASE))
    for precision, pattern in (
        ("day", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}"),  # April 30, 2005
        ("day", rf"\b{_DAY}(?:\s+|-){_MONTH}(?:,?\s+|-){_YEAR}"),  # 25 November 2020
        ("day", rf"\b{_YEAR}-(?P<month_num>[01]?\d)-(?P<day>[0-3]?\d)"),  # 2006-08-25
        ("day", rf"\b(?P<month_num>[01]?\d)/(?P<day>[0-3]?\d)/{_YEAR}"),  # 01/01/2004
        ("month", rf"\b{_MONTH},?\s+{_YEAR}"),  # August 2001
        ("year", rf"\b{_YEAR}\s+Edition"),  # 2020 Edition
        ("month", rf"\b{_YEAR}-(?P<month_num>[01]?\d)"),  # 2006-08
        ("year", rf"\b{_YEAR}"),  # 2018
    )
)


@dataclass(frozen=True)
class ParsedDate:
    """A date read from text. `date` is None when nothing could be read."""

    raw: str
    date: dt.date | None
    precision: str  # "day" | "month" | "year" | "unknown"
    start: int = 0  # where the date text starts in the input

    @property
    def iso(self) -> str:
        if self.date is None:
            return ""
        if self.precision == "year":
            return f"{self.date.year:04d}"
        if self.precision == "month":
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()


UNKNOWN = ParsedDate("", None, "unknown")


def _build(match: re.Match[str], precision: str) -> ParsedDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = MONTHS[groups["month"].lower().rstrip(".")]
    elif groups.get("month_num"):
        month = int(groups["month_num"])
    else:
        month = 1
    day = int(groups["day"]) if groups.get("day") else 1
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    raw = match.group(0).rstrip(" .,;:)]")
    if groups.get("month_num") and "/" in raw and month == 1 and day == 1:
        # "01/01/2004" is how the old pages wrote "some time in 2004".
        precision = "year"
    return ParsedDate(raw=raw, date=value, precision=precision, start=match.start())


def parse_trailing_date(text: str) -> ParsedDate:
    """The date a text ends with ("…, Lima Peru, April 30, 2005"), or UNKNOWN."""
    text = text.strip()
    for precision, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            parsed = _build(match, precision)
            if parsed is not None:
                return parsed
    return UNKNOWN


def parse_date(text: str) -> ParsedDate:
    """A date written on its own ("25 November 2020", "2018"), or UNKNOWN."""
    parsed = parse_trailing_date(text)
    if parsed.date is None:
        return UNKNOWN
    # The whole text must be the date, bar punctuation and weekday names.
    leftover = text.strip()[: parsed.start]
    leftover = re.sub(
        r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b|[\s,.;:()\[\]]",
        "",
        leftover,
        flags=re.IGNORECASE,
    )
    if leftover:
        return UNKNOWN
    return ParsedDate(raw=text.strip(), date=parsed.date, precision=parsed.precision)


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_ANY_DATE = re.compile(
    "|".join(
        _unnamed(p)
        for p in (
            rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
            rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b",
            rf"\b{_MONTH},?\s+{_YEAR}\b",
            rf"\b{_YEAR}-[01]\d-[0-3]\d\b",
        )
    ),
    re.IGNORECASE,
)


def find_date(text: str) -> ParsedDate:
    """The first written date anywhere in a text ("… 337 August 2001 -- Interview")."""
    for match in _ANY_DATE.finditer(text):
        parsed = parse_trailing_date(match.group(0))
        if parsed.date is not None:
            return ParsedDate(parsed.raw, parsed.date, parsed.precision, match.start())
    return UNKNOWN
