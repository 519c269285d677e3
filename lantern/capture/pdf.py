"""Reading PDFs with pypdf: title, author and dates from the document information,
the text of each page, and paragraphs that remember their page. Pure: bytes in,
`Metadata` out."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from pypdf import PdfReader

# Text extraction of very long PDFs (a 600-page annual report) is slow; the pages past
# this are rarely where a cited excerpt is, and the curator can still type the page.
MAX_PDF_PAGES = 400
# A hostile PDF must not hang a worker or fill its memory: at most this much text in
# all (a 400-page report has about 1.5 million characters), this many seconds of
# extraction, and this many bytes out of any one compressed stream (pypdf stops a
# "compression bomb" while inflating it; its own default is 75 MB).
MAX_PDF_TEXT = 4_000_000
MAX_PDF_SECONDS = 60.0
MAX_PDF_STREAM_BYTES = 16 * 1024 * 1024
PDF_LIMITS = dict.fromkeys(
    (
        "maximum_declared_stream_length",
        "array_based_stream_maximum_output_length",
        "jbig2_maximum_output_length",
        "lzw_maximum_output_length",
        "run_length_maximum_output_length",
        "zlib_maximum_output_length",
        "brotli_maximum_output_length",
        "image_maximum_buffer_size",
    ),
    MAX_PDF_STREAM_BYTES,
)


_JUNK_TITLE = re.compile(
    r"^(untitled|microsoft (word|powerpoint)\b.*|.*\.(docx?|pdf|indd|pptx?))$", re.I
)


def extract_pdf(
    data: bytes,
    *,
    max_pages: int = MAX_PDF_PAGES,
    max_text: int = MAX_PDF_TEXT,
    max_seconds: float = MAX_PDF_SECONDS,
    max_stream_bytes: int = MAX_PDF_STREAM_BYTES,
) -> Metadata:
    """Title, author, dates and page texts of a PDF (document information first; the
    first line of page 1 when the document has no usable title), within the caps on
    pages, text, time and inflated stream size (what was cut is in `problems`)."""
    from pypdf import PdfReader, apply_configuration

    problems: list[str] = []
    limits = dict.fromkeys(PDF_LIMITS, max_stream_bytes)
    deadline = time.monotonic() + max_seconds
    try:
        with apply_configuration(None, **limits):
            reader = PdfReader(io.BytesIO(data), strict=False)
            info = reader.metadata
            pages = _page_texts(reader, problems, max_pages, max_text, deadline)
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


def _page_texts(
    reader: PdfReader,
    problems: list[str],
    max_pages: int,
    max_text: int,
    deadline: float,
) -> list[str]:
    """The text of each page, stopping at the first cap reached."""
    pages: list[str] = []
    size = 0
    for number, page in enumerate(reader.pages, start=1):
        if number > max_pages:
            problems.append(f"only the first {max_pages} pages were read")
            break
        if time.monotonic() > deadline:
            problems.append(f"reading stopped after {number - 1} pages (too slow)")
            break
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # one damaged page must not lose the others
            text = ""
            problems.append(f"page {number} unreadable: {exc}")
        if size + len(text) > max_text:
            pages.append(text[: max(0, max_text - size)])
            problems.append(f"only the first {max_text} characters of text were read")
            break
        size += len(text)
        pages.append(text)
    return pages


def _pdf_date(info: object, name: str) -> dt.date | None:
    try:
        value = getattr(info, name, None)
    except Exception:  # a malformed date string in the document information
        return None
    return value.date() if isinstance(value, dt.datetime) else None


def pdf_title(data: bytes) -> str:
    """Just the title in a PDF's document information ('' when none or unreadable)."""
    from pypdf import PdfReader, apply_configuration

    try:
        with apply_configuration(None, **PDF_LIMITS):
            info = PdfReader(io.BytesIO(data), strict=False).metadata
    except Exception:  # an unreadable PDF still gets its snapshot
        return ""
    return clean_space(str(info.title or "")) if info else ""
