import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.search.query import (
    And,
    Not,
    Or,
    Phrase,
    QueryError,
    Term,
    parse,
    positive_terms,
    to_text,
)


def test_words_must_all_match():
    assert parse("forced labour") == And((Term("forced"), Term("labour")))


def test_words_are_lower_cased_and_blank_is_nothing():
    assert parse("  Peru ") == Term("peru")
    assert parse("") is None
    assert parse("   ") is None
    assert parse("?!") is None


def test_quotes_make_a_phrase():
    assert parse('"debt bondage" Peru') == And(
        (Phrase(("debt", "bondage")), Term("peru"))
    )
    assert parse('"bondage"') == Term("bondage")


def test_or_binds_looser_than_and():
    assert parse("cocoa farms OR fishing") == Or(
        (And((Term("cocoa"), Term("farms"))), Term("fishing"))
    )


def test_explicit_and_is_the_default():
    assert parse("cocoa AND farms") == parse("cocoa farms")


def test_not_and_minus_exclude():
    expected = And((Term("cocoa"), Not(Term("fishing"))))
    assert parse("cocoa NOT fishing") == expected
    assert parse("cocoa -fishing") == expected
    assert parse('cocoa -"sea fishing"') == And(
        (Term("cocoa"), Not(Phrase(("sea", "fishing"))))
    )


def test_lower_case_operators_are_words():
    assert parse("cocoa or fishing") == And(
        (Term("cocoa"), Term("or"), Term("fishing"))
    )


def test_prefix():
    assert parse("traffick*") == Term("traffick", prefix=True)


def test_a_prefix_after_joined_words_applies_to_the_last():
    assert parse("anti-traffick*") == And((Term("anti"), Term("traffick", prefix=True)))
    with pytest.raises(QueryError, match="at least 2 letters"):
        parse("children's*")


def test_accents_are_kept_and_composed():
    assert parse("Côte") == Term("côte")
    assert parse("Co\u0302te") == Term("côte")  # e + combining accent


def test_nul_bytes_and_control_characters_are_not_words():
    assert parse("cocoa\x00") == Term("cocoa")
    assert parse("\x00\x01") is None
    assert parse("co\x00coa") == Phrase(("co", "coa"))


def test_parentheses_group():
    assert parse("(cocoa OR coffee) Ghana") == And(
        (Or((Term("cocoa"), Term("coffee"))), Term("ghana"))
    )
    assert parse("NOT (a OR b) c") == And((Not(Or((Term("a"), Term("b")))), Term("c")))


def test_hyphenated_words_stay_together():
    assert parse("anti-trafficking") == Phrase(("anti", "trafficking"))


def test_a_minus_inside_a_word_is_not_an_exclusion():
    assert parse("co-operation") == Phrase(("co", "operation"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"debt bondage', "quotation mark"),
        ("(cocoa OR coffee", "not closed"),
        ("cocoa)", "without a matching"),
        ("OR cocoa", "OR"),
        ("cocoa OR", "OR"),
        ("cocoa AND", "AND"),
        ("AND cocoa", "AND"),
        ("cocoa NOT", "NOT"),
        ("NOT cocoa", "not only what to leave out"),
        ("-cocoa -coffee", "not only what to leave out"),
        ("a*", "at least 2 letters"),
        ("*", "beginning of a word"),
        ("x" * 501, "too long"),
        ("((((((((((((a))))))))))))", "nested"),
        (" ".join(["w"] * 31), "too many words"),
    ],
)
def test_malformed_queries_get_a_message(query, message):
    with pytest.raises(QueryError, match=message):
        parse(query)


def test_positive_terms_leave_out_exclusions():
    node = parse('cocoa "child labour" -fishing (gold OR mine*)')
    assert positive_terms(node) == [
        Term("cocoa"),
        Phrase(("child", "labour")),
        Term("gold"),
        Term("mine", prefix=True),
    ]


def test_to_text_reads_back_the_same_tree():
    for query in ['cocoa "child labour" -fishing (gold OR mine*)', "a OR b c", "x"]:
        node = parse(query)
        assert parse(to_text(node)) == node


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_any_text_parses_or_gets_a_message(text):
    try:
        parse(text)
    except QueryError as error:
        assert str(error)


@given(
    st.lists(
        st.sampled_from(["a", "b", '"', "(", ")", "OR", "AND", "NOT", "-", "c*", " "]),
        max_size=12,
    )
)
def test_operator_soup_parses_or_gets_a_message(parts):
    try:
        parse(" ".join(parts))
    except QueryError as error:
        assert str(error)


def test_a_search_request_for_no_hits_is_refused_before_it_reaches_the_engine() -> None:
    from lantern.search.backends.base import SearchRequest

    with pytest.raises(ValueError, match="limit"):
        SearchRequest(query=None, limit=0)
    with pytest.raises(ValueError, match="offset"):
        SearchRequest(query=None, offset=-1)
