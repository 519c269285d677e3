"""The topic tagger on small texts: how cues weigh, where they are found, what does
not count, and the evidence it gives. Pure: no database."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lantern.library.tagging import (
    _CUE,
    Tagger,
    _prepare,
    accepted_topics,
    default_tagger,
    suggest_topics,
)
from lantern.library.tagging_patterns import at_word_starts, phrase_regex
from lantern.library.vocabulary import TopicSpec, topic_specs

LABELS = Path(__file__).resolve().parents[3] / "benchmarks/data/topic_labels.jsonl"


def small_tagger(**thresholds: float) -> Tagger:
    specs = {
        "fishing": TopicSpec(
            "fishing",
            "Fishing",
            cues=("3:fishing boats?", "1:nets?", "2:crews?@work"),
            not_in=("safety nets?",),
        ),
        "forced-labour": TopicSpec(
            "forced-labour", "Forced labour", cues=("3:forced labou?r",)
        ),
        "children": TopicSpec("children", "Children", cues=("3:child(?:ren)?",)),
        "child-labour": TopicSpec(
            "child-labour",
            "Child labour",
            cues=("3:child labou?r",),
            implies=("children",),
        ),
    }
    return Tagger(specs, thresholds=thresholds, not_topical=("save the children",))


def by_slug(found: list) -> dict:
    return {s.slug: s for s in found}


def test_a_strong_cue_settles_a_topic_and_a_weak_one_needs_company() -> None:
    tagger = small_tagger()
    strong = by_slug(tagger.suggest("", ["Men were held on fishing boats."]))
    assert strong["fishing"].accepted and strong["fishing"].score == 3.0
    weak = by_slug(tagger.suggest("", ["They mended the nets."]))
    assert weak["fishing"].score == 1.0 and not weak["fishing"].accepted
    # Company: the same weak cue again counts half, a second cue adds up.
    more = by_slug(tagger.suggest("", ["Nets, more nets, and the crews at work."]))
    assert more["fishing"].score == 1.0 + 0.5 + 2.0 and more["fishing"].accepted


def test_the_title_counts_double_and_the_source_line_half() -> None:
    tagger = small_tagger()
    assert by_slug(tagger.suggest("Nets", []))["fishing"].score == 2.0
    assert by_slug(tagger.suggest("", ["nets"]))["fishing"].score == 1.0
    assert by_slug(tagger.suggest("", [], (), "Nets Weekly"))["fishing"].score == 0.5


def test_repetition_does_not_win_on_its_own() -> None:
    tagger = small_tagger()
    text = ["net " * 10]
    assert by_slug(tagger.suggest("", text))["fishing"].score == 2.0  # 1 + ½ + ½


def test_non_topical_phrases_count_for_nothing() -> None:
    tagger = small_tagger()
    assert "fishing" not in by_slug(tagger.suggest("", ["A safety net for the poor."]))
    assert "children" not in by_slug(tagger.suggest("Save the Children annual report"))
    # The vocabulary's own: a bar association is not a bar.
    assert "sex-industry" not in accepted_topics(
        "", ["The bar association met the bar council about the bar exam."]
    )


def test_context_words_must_share_the_sentence() -> None:
    tagger = small_tagger()
    alone = by_slug(tagger.suggest("", ["The crews sang. They worked hard."]))
    assert "fishing" not in alone
    near = by_slug(tagger.suggest("", ["The crews worked twenty hours a day."]))
    assert near["fishing"].score == 2.0
    # A maid is evidence of domestic servitude only beside coercion.
    free = by_slug(suggest_topics("", ["The hotel maid cleaned the rooms."]))
    assert "domestic-servitude" not in free
    held = by_slug(suggest_topics("", ["The maid was locked in and never paid."]))
    assert [p.text for p in held["domestic-servitude"].phrases] == ["maid"]


def test_implied_topics_come_with_the_topic_that_implies_them() -> None:
    found = by_slug(small_tagger().suggest("", ["A report on child labour."]))
    assert found["child-labour"].accepted
    # "child labour" is one mention of child labour; children comes by implication.
    assert found["children"].implied_by == ("child-labour",)
    assert found["children"].accepted
    assert "children" in accepted_topics("", ["Child labour in the cocoa sector."])


def test_overlapping_cues_of_a_topic_count_once() -> None:
    found = by_slug(suggest_topics("", ["They found forced child labour there."]))
    phrases = [p.text for p in found["forced-labour"].phrases]
    assert phrases == ["forced child labour"]


def test_thresholds_decide_acceptance() -> None:
    tagger = small_tagger(fishing=1.0)
    assert by_slug(tagger.suggest("", ["nets"]))["fishing"].accepted


def test_evidence_snippets_are_cut_from_the_original_text() -> None:
    text = (
        "In the Río Madre de Dios region, “trabajo forzoso” is common: "
        "señoras and niños were held in FORCED LABOUR at the camps for months, "
        "according to the Defensoría del Pueblo, which visited them in 2019."
    )
    found = by_slug(small_tagger().suggest("Éxodo", [text]))
    phrase = found["forced-labour"].phrases[0]
    assert phrase.text == "forced labour" and phrase.count == 1
    snippet = phrase.snippets[0]
    assert snippet.match == "FORCED LABOUR"  # as written, not folded
    assert snippet.before.endswith("señoras and niños were held in ")
    assert snippet.after.startswith(" at the camps")
    assert snippet.before.startswith("…") and snippet.after.endswith("…")
    evidence = found["forced-labour"].evidence()
    assert evidence["phrases"][0]["snippets"][0]["match"] == "FORCED LABOUR"
    json.dumps(evidence)  # plain data, ready to store


def test_accents_and_curly_quotes_do_not_hide_a_cue() -> None:
    found = by_slug(small_tagger().suggest("", ["Fishing‐boats – crèches"]))
    assert found["fishing"].phrases[0].snippets[0].match == "Fishing‐boats"


def test_the_tagger_version_changes_with_the_vocabulary() -> None:
    assert small_tagger().version == small_tagger().version
    assert small_tagger().version != small_tagger(fishing=1.0).version


# ----------------------------------------------------------------- the labelled set


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text("utf-8").splitlines()]


def test_the_benchmarks_labelled_set_is_well_formed(labelled: list[dict]) -> None:
    assert len(labelled) >= 150
    slugs = set(topic_specs())
    ids = [row["id"] for row in labelled]
    assert len(set(ids)) == len(ids)
    assert {row["split"] for row in labelled} == {"dev", "test"}
    for row in labelled:
        assert row["title"].strip() and row["excerpt"].strip(), row["id"]
        assert set(row["topics"]) <= slugs, row["id"]
        assert len(set(row["topics"])) == len(row["topics"]), row["id"]
    # A few excerpts are about none of the topics; most are about several.
    assert sum(bool(row["topics"]) for row in labelled) > 0.9 * len(labelled)
    # Both splits hold a fair share.
    test_rows = sum(row["split"] == "test" for row in labelled)
    assert 0.3 < test_rows / len(labelled) < 0.7


def test_the_quick_cue_tests_never_lose_a_match(labelled: list[dict]) -> None:
    """Each cue's pattern is run only where a word begins as its matches must, and
    matches are kept only at word starts: on every labelled text, that finds what
    the plain whole-word pattern finds."""
    tagger = default_tagger()
    checked = 0
    for row in labelled:
        for text in (row["title"], row["excerpt"], row.get("source", "")):
            field = _prepare("excerpt", text)
            if field is None:
                continue
            for cues in tagger.cues.values():
                for cue in cues:
                    spec = _CUE.match(cue.source)
                    assert spec is not None
                    plain = re.compile(
                        phrase_regex(spec["pattern"]),
                        0 if cue.case_sensitive else re.IGNORECASE,
                    )
                    haystack = field.cased if cue.case_sensitive else field.lower
                    expected = [m.span() for m in plain.finditer(haystack)]
                    got = [m.span() for m in at_word_starts(cue.pattern, haystack)]
                    assert got == expected, cue.source
                    if expected:
                        assert cue.starts is None or not cue.starts.isdisjoint(
                            field.starts
                        ), cue.source
                        checked += 1
    assert checked > 1000
