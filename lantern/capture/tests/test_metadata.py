"""Reading metadata and main text from pages and PDFs as fetched (pure: no server
needed, the fetched bytes are given as they would arrive)."""

from __future__ import annotations

import datetime as dt

from lantern.capture.document import detect_language, split_authors, split_paragraphs
from lantern.capture.metadata import extract, extract_html, publication_date
from lantern.capture.tests.conftest import KILN_PDF, TIP_PDF, page
from lantern.core.http import FetchResult

TODAY = dt.date(2026, 11, 28)


def fetched(body: bytes, content_type: str = "text/html; charset=utf-8") -> FetchResult:
    return FetchResult(
        url="http://news.example.org/a",
        final_url="http://news.example.org/a",
        status=200,
        headers=[("content-type", content_type)],
        body=body,
        raw_body=body,
    )


def test_article_metadata_comes_from_its_meta_tags():
    meta = extract(fetched(page("andean-observer-gold.html")), today=TODAY)
    assert meta.kind == "html"
    assert meta.title == "Gold, debt and silence: forced labour in Peru's Madre de Dios"
    assert meta.authors == ("María Quispe", "John Carter")
    assert meta.publisher == "Andean Observer"
    # The date is in the markup and written in the byline: the byline's words win.
    assert meta.published.raw == "12 March 2021"
    assert meta.published.date == dt.date(2021, 3, 12)
    assert meta.published.precision == "day"
    assert meta.language == "en"
    assert meta.description.startswith("Miners lured")


def test_main_text_leaves_out_navigation_and_footer():
    meta = extract(fetched(page("andean-observer-gold.html")), today=TODAY)
    texts = meta.paragraph_texts
    assert any("debt bondage" in t for t in texts)
    assert not any("All rights reserved" in t or "About us" in t for t in texts)
    assert meta.title not in texts
    assert "Subscribe to our newsletter" in meta.text  # the whole page, for hashing


def test_a_date_written_only_in_the_text_is_found_with_its_words():
    meta = extract(fetched(page("press-release-date-in-text.html")), today=TODAY)
    assert meta.published.raw == "4 May 2019"
    assert meta.published.date == dt.date(2019, 5, 4)
    assert meta.published.precision == "day"
    assert meta.title == "Fishing crews rescued from forced labour at sea"
    assert meta.authors == ()


def test_a_month_written_in_the_text_keeps_month_precision():
    html = (
        "<html><head><title>Report</title></head><body><article>"
        "<p>Published May 2019 by the Harbour Watch research team.</p>"
        "<p>Fishermen were held on boats for years and sold between vessels.</p>"
        "</article></body></html>"
    )
    found = publication_date(html, text="Published May 2019 by the team.", today=TODAY)
    assert (found.raw, found.date, found.precision) == (
        "May 2019",
        dt.date(2019, 5, 1),
        "month",
    )


def test_no_date_at_all_is_unknown():
    html = "<html><body><p>No date anywhere on this page at all.</p></body></html>"
    assert publication_date(html, text="No date anywhere", today=TODAY).date is None


def test_spanish_page_language_author_and_date():
    meta = extract(fetched(page("trata-bolivia-es.html")), today=TODAY)
    assert meta.language == "es"
    assert meta.authors == ("Carla Mamani",)
    assert meta.publisher == "Diario La Frontera"
    assert meta.published.date == dt.date(2022, 8, 9)
    assert meta.title == "Rescatan a 14 adolescentes víctimas de trata en El Alto"


def test_french_text_wins_over_a_template_that_says_english():
    meta = extract(fetched(page("cacao-cote-divoire-fr.html")), today=TODAY)
    assert meta.language == "fr"
    assert meta.published.date == dt.date(2019, 11, 21)


def test_language_comes_from_the_markup_when_the_text_is_short():
    html = '<html lang="pt-BR"><body><p>Trabalho escravo.</p></body></html>'
    assert extract_html(html, today=TODAY).language == "pt"
    assert detect_language("too short to tell") == ""


def test_pdf_title_date_and_page_texts():
    meta = extract(fetched(KILN_PDF, "application/pdf"))
    assert meta.kind == "pdf"
    # "Microsoft Word - kilns-final.docx" is no title: the first line of page 1 is.
    assert meta.title == "Forced Labour in the Brick Kilns of Nepal"
    assert meta.published.date == dt.date(2020, 6, 12)
    assert (
        meta.publisher == "Anti-Slavery International"
    )  # an organisation, not a person
    assert meta.authors == ()
    assert len(meta.pages) == 2
    assert meta.language == "en"
    assert [p.page for p in meta.paragraphs] == [1, 1, 1, 2, 2]
    assert meta.page_of("Children as young as ten carry loads of bricks") == 2
    assert meta.page_of("Nothing like this is in the report at all, anywhere") is None


def test_pdf_is_recognised_by_its_magic_whatever_the_content_type():
    meta = extract(fetched(TIP_PDF, "application/octet-stream"))
    assert meta.kind == "pdf"
    assert meta.title == "2021 Trafficking in Persons Report: Peru"


def test_an_unreadable_pdf_is_reported_not_raised():
    meta = extract(fetched(b"%PDF-1.4\nthis is not really a PDF", "application/pdf"))
    assert meta.kind == "pdf"
    assert meta.problems and "could not read the PDF" in meta.problems[0]


def test_plain_text_is_split_into_paragraphs():
    text = b"A title line\n\nFirst paragraph of the text.\n\nSecond paragraph."
    meta = extract(fetched(text, "text/plain"))
    assert meta.kind == "text"
    assert meta.paragraph_texts == [
        "A title line",
        "First paragraph of the text.",
        "Second paragraph.",
    ]


def test_authors_are_people_only():
    assert split_authors("By Jane Doe and Human Rights Watch") == ["Jane Doe"]
    assert split_authors("María Quispe; John Carter") == ["María Quispe", "John Carter"]
    assert split_authors("admin") == []


def test_wrapped_pdf_lines_are_joined_into_paragraphs():
    text = (
        "Key Findings\n"
        "Workers are recruited with advances and kept in debt that grows every\n"
        "season, so that whole families work for years to repay it.\n"
        "Inspectors rarely visit the kilns, and when they do, owners are warned in\n"
        "advance by local officials.\n"
    )
    assert split_paragraphs(text) == [
        "Key Findings",
        "Workers are recruited with advances and kept in debt that grows every "
        "season, so that whole families work for years to repay it.",
        "Inspectors rarely visit the kilns, and when they do, owners are warned in "
        "advance by local officials.",
    ]
