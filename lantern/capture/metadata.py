"""What a fetched document says about itself: title, personal authors, publisher,
publication date (as written, as a date, and how precisely), language, and the
paragraphs of its main text; for PDFs also the text of each page, so the page of a
quoted excerpt can be found.

HTML goes through trafilatura's extraction functions and htmldate, always on the
markup we fetched ourselves (never their downloaders); PDFs through pypdf. Pure: takes
a `FetchResult` (or bytes and text) and returns plain data; no network, no database.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from lantern.capture.document import (
    Metadata,
    Paragraph,
    PublishedDate,
    detect_language,
    long_date,
    split_authors,
    split_paragraphs,
)
from lantern.capture.pdf import extract_pdf, pdf_title
from lantern.core.dates import UNKNOWN, ParsedDate, find_date
from lantern.core.html import plain_text
from lantern.core.http import FetchResult
from lantern.core.matching import normalise, page_text
from lantern.core.text import clean_space

__all__ = ["Metadata", "Paragraph", "PublishedDate", "document_title", "extract",
           "extract_html", "extract_pdf", "is_html", "is_pdf", "publication_date"]  # fmt: skip

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_pdf(result: FetchResult) -> bool:
    """Whether a fetched body is a PDF, by content type or by its `%PDF` magic."""
    magic = result.body[:1024].lstrip().startswith(b"%PDF")
    return result.content_type == "application/pdf" or magic


def is_html(result: FetchResult) -> bool:
    """Whether a fetched body is HTML, by content type or, when the type is missing
    or generic text, by how it starts."""
    if result.content_type in HTML_TYPES:
        return True
    if result.content_type and not result.content_type.startswith("text/"):
        return False
    head = result.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def extract(result: FetchResult, *, today: dt.date | None = None) -> Metadata:
    """Read a fetched document: PDF, HTML, or plain text."""
    if is_pdf(result):
        return extract_pdf(result.body)
    if is_html(result):
        return extract_html(
            result.text(),
            url=result.final_url or result.url,
            header_language=result.header("content-language"),
            today=today,
        )
    text = result.text()
    paragraphs = tuple(Paragraph(p) for p in split_paragraphs(text))
    first = paragraphs[0].text if paragraphs else ""
    return Metadata(
        kind="text",
        title=first[:300] if len(first) < 200 else "",
        language=detect_language(text),
        paragraphs=paragraphs,
        text=clean_space(text),
    )


# ------------------------------------------------------------------------------- HTML


def extract_html(
    html: str,
    *,
    url: str = "",
    header_language: str = "",
    today: dt.date | None = None,
) -> Metadata:
    """Title, authors, publisher, date, language and main-text paragraphs of a page."""
    import trafilatura

    today = today or dt.date.today()
    problems: list[str] = []
    document = None
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # The date is found below with htmldate directly; keep this pass cheap.
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": today.isoformat(),
            },
        )
    except Exception as exc:  # trafilatura has bugs on odd markup; keep what we can
        log.warning("trafilatura failed on %s: %s", url, exc)
        problems.append(f"main text not extracted: {exc}")
    visible = page_text(html)
    title = sitename = author = description = ""
    lines: list[str] = []
    if document is not None and not isinstance(document, dict):
        # A page's metadata is text: any markup in it (an og:description with
        # tags, or entities spelling them) is dropped here, once, by core.html.
        title = clean_space(plain_text(document.title or ""))
        sitename = clean_space(plain_text(document.sitename or ""))
        author = plain_text(document.author or "")
        description = clean_space(plain_text(document.description or ""))
        lines = [clean_space(line) for line in (document.text or "").splitlines()]
    if not title:
        title = _html_title(html)
    publisher = _publisher_from_sitename(sitename, url)
    title = clean_title(title, publisher)
    paragraphs = tuple(Paragraph(line) for line in lines if line and line != title)
    if not paragraphs:
        problems.append("no main text found")
    main_text = "\n".join(p.text for p in paragraphs) or visible
    return Metadata(
        kind="html",
        title=title,
        authors=tuple(split_authors(author)),
        publisher=publisher,
        published=publication_date(html, url=url, text=visible, today=today),
        language=choose_language(
            declared_language(html) or _language_code(header_language), main_text
        ),
        description=description,
        paragraphs=paragraphs,
        text=visible,
        problems=tuple(problems),
    )


def _html_title(html: str) -> str:
    found = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return (
        clean_space(plain_text(page_text(f"<p>{found.group(1)}</p>"))) if found else ""
    )


_IP_HOST = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$|^\[?[0-9a-f:]+\]?$|^localhost$", re.I)


def _publisher_from_sitename(sitename: str, url: str) -> str:
    """The site name, unless it is only a bare address (trafilatura falls back to the
    host name, which says nothing when it is an IP address)."""
    host = sitename.split(":")[0].strip().lower()
    if not sitename or _IP_HOST.match(host):
        return ""
    if "." in sitename and " " not in sitename:
        return sitename.removeprefix("www.")
    return sitename


def clean_title(title: str, site: str) -> str:
    """A page title without the site's name tacked on ("Report | Site")."""
    title = clean_space(title)
    if site:
        for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
            head, _, tail = title.rpartition(sep)
            if head and normalise(tail) == normalise(site):
                return head.strip()
    return title


# ------------------------------------------------------------------------------ dates


def written_dates(text: str) -> list[ParsedDate]:
    """Every date written in a text ("12 March 2021", "May 2019"), in order."""
    found = []
    position = 0
    while position < len(text):
        parsed = find_date(text[position:])
        if parsed.date is None:
            break
        found.append(parsed)
        position += parsed.start + max(len(parsed.raw), 1)
    return found


def _htmldate(html: str, url: str, *, extensive: bool, today: dt.date) -> str | None:
    from htmldate import find_date as htmldate_find

    # htmldate downloads a string that looks like a bare URL; ours is always markup,
    # but make sure nothing it is given could be mistaken for an address.
    if not html.strip() or (html.startswith("http") and " " not in html):
        return None
    try:
        return htmldate_find(
            html,
            extensive_search=extensive,
            original_date=True,
            url=url or None,
            max_date=today.isoformat(),
        )
    except Exception as exc:  # a bad page must not stop the capture
        log.warning("htmldate failed on %s: %s", url, exc)
        return None


def publication_date(
    html: str, *, url: str = "", text: str = "", today: dt.date | None = None
) -> PublishedDate:
    """When a page was published, with the words it used when it wrote the date.

    htmldate reads the markup first (meta tags, JSON-LD, <time>, the URL); only
    when that finds nothing does it search the text (`extensive_search`). A date
    the page writes in its text gives the raw words and the precision ("May 2019"
    is a month, not 1 May)."""
    today = today or dt.date.today()
    written = [d for d in written_dates(text[:20000]) if d.date and d.date <= today]
    iso = _htmldate(html, url, extensive=False, today=today)
    from_markup = iso is not None
    if iso is None:
        iso = _htmldate(html, url, extensive=True, today=today)
    if iso is None:
        first = written[0] if written else UNKNOWN
        return PublishedDate(first.raw, first.date, first.precision)
    value = dt.date.fromisoformat(iso)
    for parsed in written:
        if parsed.date == value and parsed.precision == "day":
            return PublishedDate(parsed.raw, value, "day")
    if not from_markup:
        # Found by searching the text: the words the page wrote in that year say
        # how precise it is ("May 2019" is a month; htmldate fills in a day).
        for parsed in written:
            if parsed.date is not None and parsed.date.year == value.year:
                return PublishedDate(parsed.raw, parsed.date, parsed.precision)
        if (value.month, value.day) == (1, 1):
            return PublishedDate(str(value.year), value, "year")
    return PublishedDate(long_date(value), value, "day")


def _language_code(value: str) -> str:
    found = re.match(r"\s*([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)?\s*(?:,|;|$)", value)
    return found.group(1).lower() if found else ""


def declared_language(html: str) -> str:
    """The language the markup declares (<html lang>, content-language, og:locale)."""
    patterns = (
        r"<html\b[^>]*?\s(?:xml:)?lang\s*=\s*[\"']?([a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]+)?)",
        r"<meta\b[^>]*http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*content\s*=\s*[\"']?([^\"'>]+)",
        r"<meta\b[^>]*property\s*=\s*[\"']?og:locale[\"']?[^>]*content\s*=\s*[\"']?([^\"'>]+)",
    )
    head = html[:20000]
    for pattern in patterns:
        found = re.search(pattern, head, re.IGNORECASE)
        if found and (code := _language_code(found.group(1))):
            return code
    return ""


def choose_language(declared: str, text: str) -> str:
    """The declared language, unless the text clearly says otherwise (sites often
    keep their template's lang="en" on translated pages)."""
    detected = detect_language(text)
    return detected or declared


# ------------------------------------------------------------------------------- PDFs


def document_title(result: FetchResult) -> str:
    """Just the title of a fetched document, cheaply (for snapshots of existing
    entries, where the rest is not needed)."""
    if is_pdf(result):
        return pdf_title(result.body)
    if is_html(result):
        return _html_title(result.text())
    return ""
