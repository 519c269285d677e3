"""Property tests: on any input the parser returns, and accounts for every line."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantern.legacy.tests.helpers import parse_bytes, parse_text, unaccounted

# Pieces of real page anatomy, so generated pages reach deep into the parser.
FRAGMENTS = [
    "Main Menu",
    "Street Children",
    "Human Trafficking & Modern-day Slavery",
    "Poverty drives the unsuspecting poor into the hands of traffickers",
    "Published reports & articles from 2000 to 2025",
    "Published reports & articles [continued]",
    "Prevalence, Abuse & Exploitation of Street Children",
    "Republic of Testland",
    "United Mexican States (Mexico)",
    "Description: Description: Chile",
    "[The World Factbook, U.S.C.I.A. 2009]",
    "Chile is a source country. - U.S. State Dept Trafficking in Persons Report, June, 2009",
    "Check out a later country report here",
    "CAUTION:  links below are unverified.",
    "Looking for a term-paper topic? Forced labour, debt bondage.",
    "Check out some of the Resources for Teachers attached to this website.",
    "HOW TO USE THIS WEB-PAGE",
    "Students",
    "Teachers",
    "HELP for Victims",
    "Ministry of Welfare",
    "0800 123 456",
    "Country code: 56-",
    "*** FEATURED ARTICLE ***",
    "*** ARCHIVES ***",
    "ARCHIVES [Part 1 of 2]",
    "A Report on Workers [PDF]",
    "Some Agency, Santiago Chile, April 30, 2005",
    "2020 Edition",
    "www.example.org/a?b=1&c=2",
    "http://example.com/x",
    "[accessed 16 December 2010]",
    "[accessed 22ugust 2011]",
    "Note:: Also check out the newer edition",
    "At one time this article had been archived and may possibly still be accessible [here]",
    "[page 811]",
    "[7] The Committee welcomes the accession.",
    "TRAFFICKING IN PERSONS – Internal trafficking was a problem.",
    "Title  Agency, City, May 05, 2008  [accessed 1 May 2009]  Excerpt text here.",
    "|",
    "||",
    "–",
    "[ Human Trafficking, Country-by-Country ]",
    "CHILE (Tier 2 Watch List) Extracted in part from the U.S. State Dept 2023 TIP Report",
    "Prioritized Recommendations:",
    "• Tr a i n officials • Fund shelters",
    "Lecture Resources",
    "*** FEATURED ARTICLES ***",
    "PERU",
    "Resources for Teachers",
    "1. Resolved: every nation should ratify the Protocol.",
    "Grade Level: 9-12",
    "Unit Topic: Modern slavery",
    "Lesson Objectives:",
    "All material used herein reproduced under the fair use exception of 17 USC § 107.",
    'Cite this webpage as: Patt, Prof. Martin, "Human Trafficking & Modern-day Slavery - Chile",, [accessed <date>]',
    "",
    "",
    "",
]

line = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(
        alphabet=st.characters(
            blacklist_categories=["Cs"],
            blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        max_size=120,
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=80))
def test_any_text_page_is_parsed_and_every_line_accounted_for(lines: list[str]) -> None:
    page = parse_text("\n".join(lines))
    assert unaccounted(page) == set()
    assert page.kind
    # No line is both filed and listed as unparsed when it was not split.
    for item in page.unparsed:
        assert str(item["text"]).strip()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=60),
    st.sampled_from(["p", "div", "td"]),
)
def test_any_html_page_is_parsed_and_every_block_accounted_for(
    lines: list[str], tag: str
) -> None:
    from html import escape

    body = "\n".join(f"<{tag}>{escape(text)}</{tag}>" for text in lines)
    page = parse_bytes(f"<html><body>\n{body}\n</body></html>".encode(), "page.htm")
    assert page.rendering == "html"
    assert unaccounted(page) == set()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_parsed_without_crashing(data: bytes) -> None:
    page = parse_bytes(data, "x.bin")
    assert unaccounted(page) == set()


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(line, min_size=1, max_size=60))
def test_any_page_is_stored_without_a_database_error(tmp_path_factory, lines) -> None:  # type: ignore[no-untyped-def]
    from lantern.legacy.services import import_files

    path = tmp_path_factory.mktemp("pages") / "page.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = import_files([path])
    result = report.pages[0]
    assert "could not be stored" not in result.error
