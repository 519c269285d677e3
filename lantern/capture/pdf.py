"""Reading PDFs with pypdf: title, author and dates from the document information,
the text of each page, and paragraphs that remember their page. Pure: bytes in,
`Metadata` out."""

from __future__ import annotations

import datetime as dt
import io
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
from lantern.core.text import clean_space
from lantern.library.publishers import guess_kind

# Text extraction of very long PDFs (a 600-page annual report) is slow; the pages past
# this are rarely where a cited excerpt is, and the curator can still type the page.
MAX_PDF_PAGES = 400


_JUNK_TITLE = re.compile(
    r"^(untitled|microsoft (word|powerpoint)\b.*|.*\.(docx?|pdf|indd|pptx?))$", re.I
)


def extract_pdf(data: bytes) -> Metadata:
    """Title, author, dates and page texts of a PDF (document information first; the
    first line of page 1 when the document has no usable title)."""
    from pypdf import PdfReader

    problems: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        info = reader.metadata
        pages: list[str] = []
        for number, page in enumerate(reader.pages, start=1):
            if number > MAX_PDF_PAGES:
                problems.append(f"only the first {MAX_PDF_PAGES} pages were read")
                break
            try:
                pages.append(page.extract_text() or "")
            except Exception as exc:  # one damaged page must not lose the others
                pages.append("")
                problems.append(f"page {number} unreadable: {exc}")
    except Exception as exc:
        return Metadata(kind="pdf", problems=(f"could not read the PDF: {exc}",))
    title = clean_space(str(info.title or "")) if info else ""
    author = clean_space(str(info.author or "")) if info else ""
    created = _pdf_date(info, "creation_date") or _pdf_date(info, "modification_date")
    if not title or _JUNK_TITLE.match(title):
        first_lines = [
            line.strip() for line in (pages[0] if pages else "").splitlines()
        ]
        title = next((line for line in first_lines if len(line) > 3), "")
    authors = split_authors(author)
    publisher = author if not authors and guess_kind(author) != "other" else ""
    paragraphs = tuple(
        Paragraph(text, number)
        for number, page_text_ in enumerate(pages, start=1)
        for text in split_paragraphs(page_text_)
    )
    whole = "\n".join(pages)
    return Metadata(
        kind="pdf",
        title=title[:500],
        authors=tuple(authors),
        publisher=publisher,
        published=PublishedDate(long_date(created), created, "day")
        if created
        else PublishedDate(),
        language=detect_language(whole),
        paragraphs=paragraphs,
        pages=tuple(pages),
        text=clean_space(whole),
        problems=tuple(problems),
    )


def _pdf_date(info: object, name: str) -> dt.date | None:
    try:
        value = getattr(info, name, None)
    except Exception:  # a malformed date string in the document information
        return None
    return value.date() if isinstance(value, dt.datetime) else None


def pdf_title(data: bytes) -> str:
    """Just the title in a PDF's document information ('' when none or unreadable)."""
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(data), strict=False).metadata
    except Exception:  # an unreadable PDF still gets its snapshot
        return ""
    return clean_space(str(info.title or "")) if info else ""
