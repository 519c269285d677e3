"""Each citation style for tricky entries, against strings checked by hand against
the style guides (APA 7, MLA 9, Chicago 17 author-date and notes-bibliography,
Cite Them Right Harvard)."""

from __future__ import annotations

import pytest

from lantern.cite.services import cite_entries, csl_items
from lantern.cite.styles import UnknownStyle, render, render_all

ILO_URL = "https://www.ilo.org/global/publications/slavery.pdf"
NEWS_URL = "https://elcomercio.pe/peru/pescadores"
WAYBACK = "https://web.archive.org/web/2015/http://example.org/testland"
ILO_TITLE = "Global estimates of modern slavery: forced labour and forced marriage"
ILO_TITLE_CASE = "Global Estimates of Modern Slavery: Forced Labour and Forced Marriage"

EXPECTED = {
    "apa": [
        "de la Cruz, A. M. (2022). Annual report on forced labour. Ministry of "
        "Labour. https://gov.example/labour/report Archived copy: "
        "https://lantern.example/archive/{snapshot}/.",
        # The organisation is author and publisher: APA names it once.
        f"International Labour Organization. (2017). {ILO_TITLE}. {ILO_URL}",
        f"Núñez, J., & Ødegaard, Z. (2019, May 3). Fishermen held at sea for years. "
        f"El Comercio. {NEWS_URL}",
        "Smith, A. B. (2015). Modern slavery in the Andes. Oxford University Press.",
        # No author: the title moves to the front (and is not repeated).
        "Trafficking in persons in Testland. (n.d.). Example Watch. Retrieved "
        f"August 2011, from http://example.org/testland Archived copy: {WAYBACK}.",
    ],
    "mla": [
        "de la Cruz, Ana María. “Annual Report on Forced Labour.” Ministry of "
        "Labour, 2022, https://gov.example/labour/report. Archived copy: "
        "https://lantern.example/archive/{snapshot}/.",
        # An organisation that is author and publisher is named as publisher only.
        f"{ILO_TITLE_CASE}. International Labour Organization, Sept. 2017, {ILO_URL}.",
        "Núñez, José, and Zoë Ødegaard. “Fishermen Held at Sea for Years.” "
        f"El Comercio, 3 May 2019, {NEWS_URL}.",
        "Smith, Anna B. Modern Slavery in the Andes. Oxford University Press, 2015.",
        "“Trafficking in Persons in Testland.” Example Watch, "
        f"http://example.org/testland. Accessed Aug. 2011. Archived copy: {WAYBACK}.",
    ],
    "chicago": [
        "de la Cruz, Ana María. 2022. “Annual Report on Forced Labour.” Ministry "
        "of Labour. https://gov.example/labour/report. Archived copy: "
        "https://lantern.example/archive/{snapshot}/.",
        "Example Watch. n.d. “Trafficking in Persons in Testland.” Accessed "
        f"August 2011. http://example.org/testland. Archived copy: {WAYBACK}.",
        f"International Labour Organization. 2017. {ILO_TITLE_CASE}. Geneva: "
        f"International Labour Organization. {ILO_URL}.",
        "Núñez, José, and Zoë Ødegaard. 2019. “Fishermen Held at Sea for Years.” "
        f"El Comercio, May 3, 2019. {NEWS_URL}.",
        "Smith, Anna B. 2015. Modern Slavery in the Andes. Oxford: Oxford "
        "University Press.",
    ],
    "chicago-notes": [
        "de la Cruz, Ana María. “Annual Report on Forced Labour.” Ministry of "
        "Labour, 2022. https://gov.example/labour/report. Archived copy: "
        "https://lantern.example/archive/{snapshot}/.",
        "Example Watch. “Trafficking in Persons in Testland.” Accessed August "
        f"2011. http://example.org/testland. Archived copy: {WAYBACK}.",
        f"International Labour Organization. {ILO_TITLE_CASE}. Geneva: "
        f"International Labour Organization, 2017. {ILO_URL}.",
        "Núñez, José, and Zoë Ødegaard. “Fishermen Held at Sea for Years.” "
        f"El Comercio, May 3, 2019. {NEWS_URL}.",
        "Smith, Anna B. Modern Slavery in the Andes. Oxford: Oxford University "
        "Press, 2015.",
    ],
    "harvard": [
        "de la Cruz, A.M. (2022) Annual report on forced labour, Ministry of "
        "Labour. Available at: https://gov.example/labour/report (Accessed: "
        "10 February 2023). Archived copy: "
        "https://lantern.example/archive/{snapshot}/.",
        f"International Labour Organization (2017) {ILO_TITLE}. Geneva: "
        f"International Labour Organization. Available at: {ILO_URL} (Accessed: "
        "4 March 2021).",
        "Núñez, J. and Ødegaard, Z. (2019) ‘Fishermen held at sea for years’, "
        f"El Comercio, 3 May. Available at: {NEWS_URL} (Accessed: 2 January 2020).",
        "Smith, A.B. (2015) Modern slavery in the Andes. Oxford: Oxford "
        "University Press.",
        "Trafficking in persons in Testland (no date) Example Watch. Available at: "
        "http://example.org/testland (Accessed: August 2011). Archived copy: "
        f"{WAYBACK}.",
    ],
}

# The page of the excerpt is a pinpoint: in the in-text citation or the note.
PINPOINTS = {
    "apa": [
        "(International Labour Organization, 2017, p. 14)",
        "(Smith, 2015, p. 211)",
    ],
    "mla": ["(Global Estimates of Modern Slavery 14)", "(Smith 211)"],
    "chicago": ["(International Labour Organization 2017, 14)", "(Smith 2015, 211)"],
    "chicago-notes": [
        f"International Labour Organization, {ILO_TITLE_CASE} (Geneva: "
        f"International Labour Organization, 2017), 14, {ILO_URL}.",
        "Anna B. Smith, Modern Slavery in the Andes (Oxford: Oxford University "
        "Press, 2015), 211.",
    ],
    "harvard": [
        "(International Labour Organization, 2017, p. 14)",
        "(Smith, 2015, p. 211)",
    ],
}


def _all(library):  # type: ignore[no-untyped-def]
    return [
        library.ilo,
        library.news,
        library.anonymous,
        library.book,
        library.snapshot,
    ]


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_bibliography_in_each_style(library, style: str) -> None:  # type: ignore[no-untyped-def]
    snapshot_id = library.snapshot.snapshots.get().pk
    expected = [
        line.replace("{snapshot}", str(snapshot_id)) for line in EXPECTED[style]
    ]
    assert render(csl_items(_all(library)), style) == expected


@pytest.mark.parametrize("style", sorted(PINPOINTS))
def test_page_references_go_in_the_citation(library, style: str) -> None:  # type: ignore[no-untyped-def]
    cited = {
        r.id: r.citation
        for r in render_all(csl_items([library.ilo, library.book]), style)
    }
    assert [cited[f"entry-{library.ilo.pk}"], cited[f"entry-{library.book.pk}"]] == (
        PINPOINTS[style]
    )


def test_cite_entries_text_shows_pinpoint_under_its_reference(library) -> None:  # type: ignore[no-untyped-def]
    text = cite_entries([library.book, library.news], "apa")
    assert text == (
        "Núñez, J., & Ødegaard, Z. (2019, May 3). Fishermen held at sea for years. "
        f"El Comercio. {NEWS_URL}\n"
        "Smith, A. B. (2015). Modern slavery in the Andes. Oxford University Press.\n"
        "    In text: (Smith, 2015, p. 211)\n"
    )
    notes = cite_entries([library.book], "chicago-notes")
    assert "\n    Note: Anna B. Smith, Modern Slavery in the Andes" in notes


def test_html_marks_titles_and_links_the_archived_copy(library) -> None:  # type: ignore[no-untyped-def]
    news, anonymous = render(
        csl_items([library.news, library.anonymous]), "apa", "html"
    )
    assert news == (
        "Núñez, J., &amp; Ødegaard, Z. (2019, May 3). Fishermen held at sea for "
        f"years. <i>El Comercio</i>. {NEWS_URL}"
    )
    assert anonymous.startswith("<i>Trafficking in persons in Testland</i>. (n.d.).")
    assert anonymous.endswith(f'Archived copy: <a href="{WAYBACK}">{WAYBACK}</a>.')


def test_any_csl_style_by_file_name(library) -> None:  # type: ignore[no-untyped-def]
    (line,) = render(csl_items([library.news]), "ieee")
    assert "J. Núñez and Z. Ødegaard" in line
    assert "Fishermen held at sea for years" in line


@pytest.mark.parametrize("name", ["no-such-style", "../apa", "APA 7", ""])
def test_unknown_style_is_refused(library, name: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownStyle):
        cite_entries([library.news], name)


def test_html_escapes_the_entrys_own_text(library) -> None:  # type: ignore[no-untyped-def]
    library.news.title = "Boys <script>alert(1)</script> & girls"
    library.news.save()
    (line,) = render(csl_items([library.news]), "apa", "html")
    assert "<script>" not in line
    assert "Boys &lt;script&gt;alert(1)&lt;/script&gt; &amp; girls." in line
    assert "<i>El Comercio</i>" in line
    (text,) = render(csl_items([library.news]), "apa")
    assert "Boys <script>alert(1)</script> & girls." in text


def test_sorting_ignores_quotation_marks_and_accents() -> None:
    items = [
        {"id": "a", "type": "webpage", "title": "Zebra crossings", "container-title": "X"},
        {"id": "b", "type": "webpage", "title": "Brick kilns", "container-title": "X",
         "author": [{"family": "Østby", "given": "Ole"}]},
        {"id": "c", "type": "webpage", "title": "Cocoa farms", "container-title": "X",
         "author": [{"family": "Pérez", "given": "Ana"}]},
        {"id": "d", "type": "webpage", "title": "Athletes", "container-title": "X"},
    ]  # fmt: skip
    assert [r.id for r in render_all(items, "mla")] == ["d", "b", "c", "a"]
    assert [r.id for r in render_all(items, "apa")] == ["d", "b", "c", "a"]
