"""Excerpt matching tolerant of what re-rendering changes on a page."""

from __future__ import annotations

from lantern.core.matching import excerpt_found, find_page, page_text

EXCERPT = [
    "[7] The Committee welcomes the State party’s accession to the convention — and "
    "urges it to “strengthen” protection for children working in mines.",
]


def test_found_despite_markup_quotes_dashes_and_wrapping() -> None:
    page = page_text(
        "<html><body><p>The Committee <b>welcomes</b> the State party's\n accession to "
        'the convention -- and urges it to "strengthen" protection for children '
        "working&nbsp;in mines.</p><script>var x = 1;</script></body></html>"
    )
    assert excerpt_found(page, EXCERPT) is True


def test_not_found_when_the_page_no_longer_says_it() -> None:
    page = page_text("<p>The Committee has closed this review; see the new report.</p>")
    assert excerpt_found(page, EXCERPT) is False


def test_nothing_to_look_for() -> None:
    assert excerpt_found("anything", []) is None
    assert excerpt_found("anything", ["(3; 4)"]) is None


def test_find_page_of_an_excerpt() -> None:
    pages = ["Introduction to the report.", "Children in Peru work in informal mining, "
             "particularly for gold, sometimes in forced labor.", "Annex."]  # fmt: skip
    assert (
        find_page(
            pages, "Children in Peru work in informal mining, particularly for gold"
        )
        == 2
    )
    assert (
        find_page(pages, "Nothing like this appears anywhere in the report text")
        is None
    )
