"""Content notes raised by what an excerpt describes, and only by that."""

from __future__ import annotations

import pytest

from conftest import SEED
from lantern.library.content_notes import content_notes, note_text


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        ("When she arrived she was raped by all three men.", ["sexual violence"]),
        ("Workers were beaten and chained at night.", ["physical violence"]),
        ("Armed groups recruited child soldiers in the east.", ["harm to children"]),
        (
            "The girl was sexually abused and later tortured.",
            ["sexual violence", "physical violence"],
        ),
        ("Two victims attempted suicide after their rescue.", ["suicide"]),
        ("Brokers pay the poor to sell a kidney abroad.", ["organ removal"]),
        ("Violación: fue VIOLADA — RAPED in capitals too.", ["sexual violence"]),
    ],
)
def test_cues_raise_their_notes(text: str, notes: list[str]) -> None:
    assert content_notes([text]) == notes


@pytest.mark.parametrize(
    "text",
    [
        "Grape pickers and drapery workers were paid late.",
        "A skilled workforce in the therapeutic sector.",
        "The ministry opened a hotline and trained labour inspectors.",
        "",
    ],
)
def test_ordinary_reporting_raises_none(text: str) -> None:
    assert content_notes([text]) == []


def test_the_seed_excerpt_on_the_japan_report_gets_its_notes() -> None:
    page = SEED.read_text(encoding="utf-8")
    start = page.index("He said a typical trafficking scenario")
    excerpt = page[start : page.index("The Fight Against Human Trafficking")]
    assert content_notes([excerpt]) == ["sexual violence", "physical violence"]


def test_note_text_lists_themes_in_words() -> None:
    assert note_text([]) == ""
    assert note_text(["suicide"]) == "suicide"
    assert (
        note_text(["sexual violence", "physical violence", "harm to children"])
        == "sexual violence, physical violence and harm to children"
    )
