"""Parser edge cases found in review: help blocks, dateless source lines, figures in
titles, URLs quoted in excerpts. Pages here are written for these tests."""

from __future__ import annotations

from lantern.legacy.tests.helpers import parse_text, unaccounted

HEAD = """Human Trafficking & Modern-day Slavery

Published reports & articles from 2000 to 2025

Republic of India

HELP for Victims

"""


def page(body: str) -> str:
    return HEAD + body


def test_help_block_agencies_numbers_emails_and_urls() -> None:
    parsed = parse_text(
        page(
            "CHILDLINE - Toll Free Call 1098 - Night & Day\n"
            "Shakti Vahini\n"
            "www.shaktivahini.example.org\n"
            "Hotline: 011 4224 4224 / 011 4224 4225\n"
            "Email: help@shaktivahini.example.org\n"
            "Country code: +91\n\n"
            "Kiln owners charged after raid in Haryana\n\n"
            "Northern Chronicle, Gurgaon, India, 9 January 2015\n\n"
            "[accessed 10 February 2016]\n\n"
            "Police freed sixty labourers from a brick kiln.\n"
        )
    )
    got = [(h.organisation, h.number, h.country_code) for h in parsed.helplines]
    assert got == [
        ("CHILDLINE - Toll Free Call 1098 - Night & Day", "1098", ""),
        ("Shakti Vahini", "011 4224 4224", "+91"),
        ("Shakti Vahini", "011 4224 4225", "+91"),
    ]
    assert "help@shaktivahini.example.org" in parsed.helplines[2].notes
    assert [e.title for e in parsed.entries] == [
        "Kiln owners charged after raid in Haryana"
    ]
    assert unaccounted(parsed) == set()


def test_source_line_without_a_date_stays_a_source() -> None:
    parsed = parse_text(
        page(
            "Fiscalia General del Estado\n1800 FISCALIA\n\n"
            "Indigenous girls sold as domestic servants\n\n"
            "UNICEF Ecuador\n\n"
            "[accessed 10 May 2012]\n\n"
            "Girls from highland villages work without pay.\n\n"
            "The hidden trade in children\n\n"
            "Human Rights Watch\n\n"
            "[accessed 11 May 2012]\n\n"
            "Children are moved across the border to beg.\n"
        )
    )
    assert [(e.title, e.source_line) for e in parsed.entries] == [
        ("Indigenous girls sold as domestic servants", "UNICEF Ecuador"),
        ("The hidden trade in children", "Human Rights Watch"),
    ]
    assert [(h.organisation, h.number) for h in parsed.helplines] == [
        ("Fiscalia General del Estado", "1800 FISCALIA")
    ]


def test_figures_in_titles_are_not_help_lines() -> None:
    parsed = parse_text(
        page(
            "Ministry of Women\n0800 123 456\n\n"
            "Anti-trafficking hotline logs 7,000 calls in 10 months\n\n"
            "Port Herald, Valparaiso, June 1, 2009\n\n[accessed 5 July 2010]\n\n"
            "Police arrested six people.\n\n"
            "Hotline gets 1,500 calls in 2005-2006\n\n"
            "Port Herald, Valparaiso, June 2, 2009\n\n[accessed 5 July 2010]\n\n"
            "Calls doubled.\n\n"
            "New campaign - Hotline 0800-2-3232\n\n"
            "Port Herald, Valparaiso, June 3, 2009\n\n[accessed 5 July 2010]\n\n"
            "The line is free.\n"
        )
    )
    assert [h.number for h in parsed.helplines] == ["0800 123 456", "0800-2-3232"]
    assert parsed.helplines[1].entry_index == 2


def test_url_quoted_inside_an_excerpt_does_not_start_an_entry() -> None:
    parsed = parse_text(
        page(
            "Gold rush towns draw girls from the highlands\n\n"
            "Andes Report, Cusco, Peru, 8 August 2012\n\n[accessed 9 September 2013]\n\n"
            "Bars in the mining camps recruit girls.\n\n"
            "The full study, released on 5 March 2012, is available at "
            "www.study.example.org/full.pdf for anyone who wants the numbers.\n"
        )
    )
    assert len(parsed.entries) == 1
    assert len(parsed.entries[0].excerpt) == 2
    assert parsed.entries[0].excerpt[1].startswith("The full study")


def test_javascript_links_are_dropped_and_tip_links_keep_their_words() -> None:
    from lantern.legacy.tests.helpers import parse_bytes

    html = b"""<html><body>
<p>Human Trafficking &amp; Modern-day Slavery</p>
<p>Published reports &amp; articles from 2000 to 2025</p>
<p>Republic of Chile</p>
<p>Chile is a destination country for people trafficked for forced labour.
 - U.S. State Dept Trafficking in Persons Report, June, 2010</p>
<p>Check out a later country report <a href="http://tip.example/cl">here</a> and possibly
 a full TIP Report <a href="javascript:alert(1)">here</a></p>
<p><a href="javascript:alert(2)">Salmon farm workers rescued</a></p>
<p>El Mostrador, Puerto Montt, 12 May 2014</p>
<p>[accessed 20 May 2014]</p>
<p>Workers said their passports were held.</p>
</body></html>"""
    parsed = parse_bytes(html, "cl.htm")
    assert parsed.profile is not None
    assert parsed.profile.tip_links == [
        {"text": "here", "url": "http://tip.example/cl"}
    ]
    assert parsed.entries[0].url == ""
