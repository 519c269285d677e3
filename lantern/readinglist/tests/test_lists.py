"""The list's changes and the reading of ids, as plain data."""

from __future__ import annotations

import pytest

from lantern.readinglist import lists
from lantern.readinglist.cookie import decode, encode
from lantern.readinglist.lists import CAP, BadIds, Outcome


def test_parse_ids_keeps_order_and_drops_repeats() -> None:
    assert lists.parse_ids(" 12, 5,9,12 ") == [12, 5, 9]
    assert lists.parse_ids("") == []


@pytest.mark.parametrize("text", ["12,,5", "1e3", "+4", "٣", "0012"])
def test_parse_ids_names_the_bad_part(text: str) -> None:
    with pytest.raises(BadIds) as caught:
        lists.parse_ids(text)
    assert caught.value.value in text


def test_add_is_idempotent_and_respects_the_cap() -> None:
    assert lists.add([1, 2], 3) == lists.Change([1, 2, 3], Outcome.ADDED)
    assert lists.add([1, 2], 1).outcome is Outcome.ALREADY
    full = list(range(1, CAP + 1))
    change = lists.add(full, CAP + 1)
    assert change.outcome is Outcome.FULL and change.ids == full


def test_move_swaps_neighbours_and_stops_at_the_ends() -> None:
    assert lists.move([1, 2, 3], 3, up=True).ids == [1, 3, 2]
    assert lists.move([1, 2, 3], 1, up=False).ids == [2, 1, 3]
    assert lists.move([1, 2, 3], 1, up=True).outcome is Outcome.UNMOVED
    assert lists.move([1, 2, 3], 3, up=False).outcome is Outcome.UNMOVED
    assert lists.move([1, 2], 7, up=True).outcome is Outcome.ABSENT


def test_merge_appends_new_ones_as_far_as_they_fit() -> None:
    assert lists.merge([3, 1], [1, 2, 4]) == ([3, 1, 2, 4], 0)
    almost = list(range(1, CAP))
    merged, left_out = lists.merge(almost, [CAP + 1, CAP + 2, 1])
    assert merged == [*almost, CAP + 1] and left_out == 1


def test_cookie_encoding_round_trips_and_rejects_junk() -> None:
    ids = [1, 35, 36, 99_999_999, 7]
    assert decode(encode(ids)) == ids
    assert decode("") == []
    assert decode("1.-2") == [] and decode("1..2") == [] and decode("0") == []
    assert decode(".".join(["1"] * (CAP + 1))) == []
