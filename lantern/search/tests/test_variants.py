"""British and American spellings find each other."""

from __future__ import annotations

import pytest

from lantern.search.query import Or, Phrase, Term, parse
from lantern.search.variants import expand, spellings


@pytest.mark.parametrize(
    ("word", "other"),
    [
        ("labour", "labor"),
        ("labor", "labour"),
        ("labourers", "laborers"),
        ("neighbouring", "neighboring"),
        ("organisation", "organization"),
        ("organizations", "organisations"),
        ("criminalised", "criminalized"),
        ("recognize", "recognise"),
        ("analyse", "analyze"),
        ("travelling", "traveling"),
        ("counselor", "counsellor"),
        ("centre", "center"),
        ("offense", "offence"),
        ("programme", "program"),
    ],
)
def test_each_spelling_finds_the_other(word: str, other: str) -> None:
    assert spellings(word) == [word, other]


@pytest.mark.parametrize(
    "word",
    ["exercise", "advertising", "surprised", "enterprises", "telling", "trafficking",
     "prize", "citizen", "compromise", "otherwise"],
)  # fmt: skip
def test_words_spelled_one_way_everywhere_stay_alone(word: str) -> None:
    assert spellings(word) == [word]


def test_expand_rewrites_words_phrases_and_prefixes() -> None:
    assert expand(parse("labour")) == Or((Term("labour"), Term("labor")))
    assert expand(parse('"forced labour"')) == Or(
        (Phrase(("forced", "labour")), Phrase(("forced", "labor")))
    )
    assert expand(parse("organis*")) == Or(
        (Term("organis", prefix=True), Term("organiz", prefix=True))
    )
    assert expand(parse("cocoa")) == Term("cocoa")
    assert expand(None) is None


def test_a_phrase_of_many_variable_words_stays_bounded() -> None:
    node = expand(parse('"labour organisation centre programme behaviour"'))
    assert isinstance(node, Or)
    assert len(node.items) == 8
