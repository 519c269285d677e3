"""What the lines of the legacy pages look like: one named pattern or predicate per
kind of line. Pure functions over strings."""

from __future__ import annotations

import re

from lantern.core.dates import find_date, parse_trailing_date

I = re.IGNORECASE  # noqa: E741


def rx(pattern: str, flags: int = I) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# ---------------------------------------------------------------------------- header

NAV_ITEMS = frozenset(
    [
        "main menu",
        "street children",
        "poverty",
        "torture",
        "csec",
        "home",
        "human trafficking",
        "back to main menu",
        "return to main menu",
        "site map",
        "contact",
        "search",
        "index",
        "country-by-country",
        "child labor",
        "child labour",
        "prostitution",
        "slavery",
    ]
)
SITE_TITLE = rx(r"^human\s+trafficking\s*(?:&|and|&amp;)\s*modern[\s-]*day\s+slavery$")
STREET_SITE_TITLE = rx(r"^street\s+children$")
TAGLINE = rx(r"^poverty drives the unsuspecting poor")
COVERAGE = rx(
    r"^published reports\s*(?:&|and)\s*articles\s*(?:from\s+(?P<start>\d{4})\s+to\s+"
    r"(?P<end>\d{4})|(?P<continued>\[continued\]))?"
)
STREET_SUBTITLE = rx(
    r"prevalence,?\s+abuse\s*(?:&|and)\s*exploitation of street children"
)
# The bracketed header of a TIP summary page; a plain "Country-by-Country Reports"
# line is only a link to such pages.
TIP_PAGE_HEADER = rx(
    r"^\[\s*(?:human trafficking,\s*)?country[\s-]*by[\s-]*country(?:\s+reports)?\s*\]$"
)
# "Lecture Resources" standing alone; "Lecture Resources: Prevention" is a menu link.
LECTURE_RESOURCES = rx(r"^lecture resources\W*$")
TEACHERS_HEADER = rx(r"^resources for teachers\b")
PAGE_ADDRESS = rx(r"^(?:https?://)?(?:www\.)?gvnet\.com/\S*$")

# ---------------------------------------------------------------------- intro blocks

FACTBOOK_CITE = rx(
    r"\[\s*(?:the\s+)?world\s+factbook\s*,?\s*(?P<source>[^\]]*?)\s*,?\s*"
    r"(?P<year>(?:19|20)\d\d)?\s*\]\s*$"
)
IMAGE_ALT = rx(r"^(?:description\s*:\s*)+(?P<alt>.*)$")
TIP_TAIL = rx(
    r"\s*[-–—]?\s*(?P<source>U\.?\s?S\.?\s+State\s+Dep(?:ar)?t(?:ment)?\.?(?:\s+of\s+State)?\s+"
    r"Trafficking\s+in\s+Persons\s+Report\s*,?\s*(?P<month>[A-Z][a-z]+)?\s*,?\s*"
    r"(?P<year>(?:19|20)\d\d))\s*\.?"
)
TIP_LINK_SENTENCE = rx(r"^check\b.*\b(?:report|here)\b")
TIP_OPENING = rx(
    r"\b(?:source|transit|destination)\b[^.]{0,80}\bcountry\b|\btraffick(?:ing|ed|ers?)\b"
)
CAUTION = rx(r"^caution\b\s*:?")
TERM_PAPER = rx(r"\bterm[\s-]*papers?\b")
TEACHERS_LINK = rx(r"\bresources for teachers\b")
HOW_TO_USE = rx(r"^how to use this web[\s-]*page\b")
AUDIENCE_HEADING = rx(r"^(?P<audience>students|teachers)\s*:?$")
HELP_HEADING = rx(r"^help\s+for\s+victims\b\s*:?")
COUNTRY_CODE = rx(r"^country\s+code\s*:?\s*(?P<code>\+?[\d\s-]*)$")

# ---------------------------------------------------------------------------- footer

FAIR_USE = rx(r"fair use exception|17\s*U\.?S\.?C\.?\s*§?\s*107|respect copyrights")
CITE_LINE = rx(
    r"cite this web\s*page as\s*:?\s*(?P<who>[^\"“]*)[\"“](?P<title>[^\"”]*)[\"”]"
    r"(?P<rest>.*)$"
)
CITE_START = rx(r"\bcite this web\s*page as\b")

# --------------------------------------------------------------------------- entries

ACCESSED = rx(r"\[\s*accessed\b\s*(?P<date>[^\]]*?)\s*\]")
ACCESSED_LINE = rx(r"^(?:\[\s*accessed\b[^\]]*\]\s*)+$")
PAGE_REF = rx(r"^\[\s*pages?\s+(?P<page>[\w\s,\-–]+?)\s*\]$")
NOTE = rx(r"^note\s*::?\s*")
ARCHIVED_NOTE = rx(
    r"^at one time this\b.*\barchived\b|may possibly still be accessible|"
    r"^an archived copy\b"
)
ARCHIVES_HEADING = rx(
    r"^\**\s*archives?\s*(?:\[\s*part\s+(?P<part>\d+)\s+of\s+(?P<of>\d+)\s*\])?\s*\**$"
)
FEATURED_HEADING = rx(r"^\**\s*featured\s+articles?\s*\**$")
FORMAT_TAG = rx(r"\s*\[\s*(?P<tag>pdf|doc|docx|book|video|audio|ppt)\s*\]\s*$")
_TLD = (
    r"(?:com|org|net|gov|edu|int|info|biz|mil|news|co|uk|us|ca|au|de|fr|es|it|nl|"
    r"be|ch|se|no|dk|fi|ie|in|jp|cn|ru|br|mx|pe|ar|cl|za|ng|ke|ph|th|kh|np|bd|pk|"
    r"io|eu|tv|[a-z]{2})"
)
URL_LINE = rx(
    rf"^(?:(?:https?|ftp)://\S+|www\.\S+|[a-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLD}(?:[/?#]\S*)?)$"
)
URL_IN_TEXT = rx(
    rf"(?:(?:https?|ftp)://|www\.)[^\s\]\[<>\"]+|\b[a-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLD}/[^\s\]\[<>\"]*"
)
HELPLINE_WORDS = rx(
    r"\b(?:hot[\s-]*line|help[\s-]*line|child[\s-]*line|toll[\s-]*free|free\s*phone|"
    r"call\b|dial\b|tel(?:ephone)?\b|phone\b)"
)
NUMBERED = rx(r"^(?P<number>\d{1,3})\s*[.):]\s*(?P<text>\S.*)$")
LABELLED = rx(r"^(?P<label>[A-Z][A-Za-z0-9 /&'’()-]{1,40}?)\s*:\s*(?P<value>.*)$", 0)


def is_accessed_line(text: str) -> bool:
    return bool(ACCESSED_LINE.match(text))


def is_url_line(text: str) -> bool:
    return bool(URL_LINE.match(text)) and " " not in text


def is_nav(text: str) -> bool:
    return text.strip(" []|:").lower() in NAV_ITEMS


def ends_like_sentence(text: str) -> bool:
    """A paragraph of running prose ends with a full stop (maybe inside quotes)."""
    return bool(re.search(r"[.!?][\"”’')\]]*$", text.strip())) and not re.search(
        r"\b(?:[A-Z]|[A-Z][a-z]{0,3}|Inc|Ltd|Co|Corp|Jr|St|No|vol|pp)\.$", text.strip()
    )


def ends_with_full_stop(text: str) -> bool:
    """Prose ends with a full stop; a title may end with "?" or "!" but seldom "."."""
    text = text.strip()
    return bool(re.search(r"\.[\"”’')\]]*$", text)) and ends_like_sentence(text)


def is_source_like(text: str) -> bool:
    """Could this line be an entry's source line ("Publisher, City, Date")?"""
    text = text.strip()
    if not text or len(text) > 320 or is_accessed_line(text) or is_url_line(text):
        return False
    if re.match(r"^adapted from\b", text, I):
        return True
    if re.fullmatch(r"(?:19|20)\d\d\s+edition", text, I):
        return True
    trailing = parse_trailing_date(text)
    if trailing.date is not None:
        # A bare year ending a long sentence is prose, not a source line.
        return not (
            trailing.precision == "year"
            and ends_like_sentence(text)
            and len(text) > 150
        )
    found = find_date(text)
    return found.date is not None and len(text) <= 200 and not ends_like_sentence(text)


def is_strict_source(text: str) -> bool:
    """A source line beyond doubt: short and ending with a date or an edition."""
    text = text.strip()
    if len(text) > 220 or (
        ends_like_sentence(text) and not parse_trailing_date(text).date
    ):
        return False
    if re.fullmatch(r"(?:19|20)\d\d\s+edition", text, I):
        return True
    trailing = parse_trailing_date(text)
    if trailing.date is None:
        return False
    head = text[: trailing.start].strip()
    if trailing.precision == "year":
        # A bare "1929" may be a short phone number as well as a year.
        return head.endswith(",")
    return True


def is_title_like(text: str) -> bool:
    """Could this line be an entry's title (short, not a sentence of prose)?"""
    text = text.strip()
    if not text or len(text) > 300:
        return False
    if is_accessed_line(text) or is_url_line(text) or PAGE_REF.match(text):
        return False
    return not (ends_with_full_stop(text) and len(text) > 120)


def repair_letter_spacing(text: str) -> str:
    """Undo PDF letter-spacing damage: "Tr a i n officials" -> "Train officials"."""

    def join(match: re.Match[str]) -> str:
        return match.group(0).replace(" ", "")

    return re.sub(r"\b[A-Za-z]{1,3}(?: [a-z]){2,}\b", join, text)
