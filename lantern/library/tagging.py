"""Topic tagging: which topics of the vocabulary an entry is about, with the evidence.

Given an entry's title, excerpt paragraphs, notes and source line, `suggest_topics`
scores every topic by the cues of `vocabulary.py` found in them and returns the
topics with any evidence, each with its score, its threshold and the phrases that
were found (with a snippet of text around each), best first. A topic is *accepted*
when its score reaches its threshold, or when an accepted topic implies it.

How a score is made:

- Text is folded (lower case, accents dropped, curly quotes and dashes made plain)
  without changing its length, so evidence snippets are cut from the original text.
- Each cue has a weight (3 settles the topic, 2 nearly, 1 only with company). A cue
  found in the title counts double, in the source line half. The second and third
  mention of the same cue count half; further mentions nothing, so a long excerpt
  does not win by repetition.
- Overlapping cues of one topic count once (the longest): "forced child labour" is
  one mention of forced labour, not two.
- A cue inside a non-topical phrase counts for nothing: "bar association", "land
  mines", "hunger strike", "in line with", "Save the Children" (`not_in` and
  `vocabulary.NOT_TOPICAL`).
- Some cues only count near a context word in the same sentence: "maid" tells of
  domestic servitude only beside coercion ("unpaid", "confiscated", "locked" …),
  "kilns" of brick kilns only beside bricks.

Negation is deliberately *not* a reason to drop a topic: "no evidence of forced
labour was found" is a finding about forced labour, and a reader looking for
material on forced labour wants it. Denials, absences and failures ("few cases are
prosecuted") count as evidence for their topic.

Thresholds per topic were chosen on the development split of
`benchmarks/data/topic_labels.jsonl` only (`benchmarks/topic_tagging_bench.py
--tune`); the test split measures them.

Speed: a cue's pattern is run on a field only when one of the field's words begins
the way the cue's matches must begin (`tagging_patterns.py`), and on the lower-case
text without IGNORECASE, so the regex engine can skip ahead to its first letters.

Pure: no database, no network. Compiled once per process (`default_tagger`).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from lantern.library.tagging_patterns import (
    WORD_BEGINS,
    at_word_starts,
    match_starts,
    phrase_regex,
)
from lantern.library.vocabulary import CONTEXTS, NOT_TOPICAL, TopicSpec, topic_specs

# How much a mention counts by where it is.
FIELD_WEIGHTS: dict[str, float] = {
    "title": 2.0,
    "excerpt": 1.0,
    "notes": 1.0,
    "source": 0.5,
}
# Later mentions of the same cue: the second and third count half, then nothing.
REPEAT_FACTORS = (1.0, 0.5, 0.5)

DEFAULT_THRESHOLD = 3.0
# Tuned on the development split (`benchmarks/topic_tagging_bench.py --tune`).
THRESHOLDS: dict[str, float] = {
    "sex-trafficking": 2.0,
    "forced-labour": 2.0,
    "debt-bondage": 2.0,
    "domestic-servitude": 2.0,
    "forced-marriage": 2.0,
    "child-labour": 1.0,
    "domestic-work": 2.0,
    "sex-industry": 2.0,
    "migrants": 1.0,
    "refugees": 2.0,
    "prevention": 2.0,
    "prosecution": 2.0,
    "protection": 1.5,
    "partnership": 2.0,
    "conflict": 2.0,
}

SNIPPET_CONTEXT = 60
SNIPPETS_PER_PHRASE = 2

_CHAR_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2013": "-",
    "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ", "\ufeff": " ",
}  # fmt: skip


@cache
def _fold_char(ch: str) -> str:
    """One character folded to one character: plain punctuation, no accent."""
    if ch in _CHAR_FOLD:
        return _CHAR_FOLD[ch]
    if ch.isascii():
        return ch
    base = unicodedata.normalize("NFKD", ch)[:1]
    return base if base and base.isascii() else ch


_FOLD_TABLE = str.maketrans(_CHAR_FOLD)


def fold_same_length(text: str) -> str:
    """The text with accents dropped and quotes and dashes made plain, keeping its
    length, so that offsets into the folded text are offsets into the original."""
    plain = text.translate(_FOLD_TABLE)
    if plain.isascii():
        return plain
    return "".join(_fold_char(ch) for ch in plain)


def _lower_same_length(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


@dataclass(frozen=True)
class Cue:
    """One compiled cue of a topic."""

    topic: str
    index: int
    weight: float
    pattern: re.Pattern[str]
    near: re.Pattern[str] | None
    case_sensitive: bool
    source: str
    starts: frozenset[str] | None = None  # how every match begins; None: unknown


_CUE = re.compile(
    r"^(?P<weight>\d+(?:\.\d+)?)(?P<case>!?):(?P<pattern>.*?)(?:@(?P<near>\w+))?$", re.S
)


def _alternatives(patterns: list[str]) -> re.Pattern[str] | None:
    """Any of these patterns, as whole words, ignoring case; None for none."""
    if not patterns:
        return None
    return re.compile(phrase_regex("|".join(f"(?:{p})" for p in patterns)), re.I)


def parse_cue(topic: str, index: int, text: str) -> Cue:
    """A cue written as "WEIGHT:PATTERN[@CONTEXT]" (see `vocabulary.TopicSpec`)."""
    found = _CUE.match(text)
    if not found:
        raise ValueError(f"{topic}: cue {text!r} is not WEIGHT:PATTERN[@CONTEXT]")
    case_sensitive = bool(found["case"])
    # Folded text is read in lower case: a pattern without capitals needs no
    # IGNORECASE, which lets the regex engine look for its first letters quickly.
    capitals = re.search(r"[A-Z]", re.sub(r"\\.", "", found["pattern"]))
    flags = 0 if case_sensitive or not capitals else re.IGNORECASE
    near = None
    if found["near"]:
        if found["near"] not in CONTEXTS:
            raise ValueError(f"{topic}: cue {text!r} names unknown context")
        near = re.compile(phrase_regex(CONTEXTS[found["near"]]), re.IGNORECASE)
    return Cue(
        topic=topic,
        index=index,
        weight=float(found["weight"]),
        pattern=re.compile(phrase_regex(found["pattern"])[len(WORD_BEGINS) :], flags),
        near=near,
        case_sensitive=case_sensitive,
        source=text,
        starts=match_starts(found["pattern"]),
    )


# ------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Snippet:
    """A mention in its context: the text before, the words found, the text after."""

    field: str
    before: str
    match: str
    after: str

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "before": self.before,
            "match": self.match,
            "after": self.after,
        }


@dataclass(frozen=True)
class Phrase:
    """A phrase found for a topic: how often, what it weighed, where."""

    text: str
    count: int
    weight: float
    snippets: tuple[Snippet, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "phrase": self.text,
            "count": self.count,
            "weight": self.weight,
            "snippets": [s.as_dict() for s in self.snippets],
        }


@dataclass(frozen=True)
class Suggestion:
    """A topic with the evidence for it: score, threshold, phrases, and the accepted
    topics that imply it."""

    slug: str
    score: float
    threshold: float
    phrases: tuple[Phrase, ...] = ()
    implied_by: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.score >= self.threshold or bool(self.implied_by)

    def evidence(self) -> dict[str, Any]:
        """The evidence as plain JSON-ready data (stored with a suggestion)."""
        return {
            "score": self.score,
            "threshold": self.threshold,
            "phrases": [p.as_dict() for p in self.phrases],
            "implied_by": list(self.implied_by),
        }


@dataclass
class _Field:
    name: str
    text: str
    cased: str
    lower: str
    weight: float
    sentences: list[tuple[int, int]] = field(default_factory=list)
    common_excluded: list[tuple[int, int]] | None = None  # found once, on demand
    starts: frozenset[str] = frozenset()  # first 1–6 characters at each word start
    live: dict[str, set[int]] = field(default_factory=dict)  # cues worth trying

    def sentence_at(self, position: int) -> str:
        for start, end in self.sentences:
            if start <= position < end:
                return self.lower[start:end]
        return self.lower


_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
_WORD_START = re.compile(r"(?<![\w])(?=(\S{1,6}))")


def _prepare(name: str, text: str) -> _Field | None:
    text = text or ""
    if not text.strip():
        return None
    cased = fold_same_length(text)
    lower = _lower_same_length(cased)
    sentences = [m.span() for m in _SENTENCE.finditer(lower)]
    starts: set[str] = set()
    for found in _WORD_START.finditer(lower):
        word = found.group(1)
        starts.update(word[:n] for n in range(1, len(word) + 1))
    return _Field(
        name, text, cased, lower, FIELD_WEIGHTS[name], sentences,
        starts=frozenset(starts),
    )  # fmt: skip


def _snippet(f: _Field, start: int, end: int) -> Snippet:
    before = f.text[max(0, start - SNIPPET_CONTEXT) : start]
    after = f.text[end : end + SNIPPET_CONTEXT]
    if start > SNIPPET_CONTEXT and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + SNIPPET_CONTEXT < len(f.text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return Snippet(f.name, " ".join(before.split(" \n")), f.text[start:end], after)


# -------------------------------------------------------------------------- tagger


class Tagger:
    """The vocabulary's cues compiled once; `suggest` scores one entry's text."""

    def __init__(
        self,
        specs: Mapping[str, TopicSpec],
        *,
        thresholds: Mapping[str, float] | None = None,
        not_topical: Iterable[str] = NOT_TOPICAL,
    ) -> None:
        self.specs = dict(specs)
        self.thresholds = {
            slug: (thresholds or {}).get(slug, DEFAULT_THRESHOLD) for slug in specs
        }
        self.cues: dict[str, list[Cue]] = {
            slug: [parse_cue(slug, i, c) for i, c in enumerate(spec.cues)]
            for slug, spec in self.specs.items()
        }
        self.by_start: dict[str, list[Cue]] = {}
        self.unindexed: list[Cue] = []
        for cues in self.cues.values():
            for cue in cues:
                if cue.starts is None:
                    self.unindexed.append(cue)
                for start in cue.starts or ():
                    self.by_start.setdefault(start, []).append(cue)
        self.not_topical = tuple(not_topical)
        self.common_not_in = _alternatives(list(self.not_topical))
        self.not_in: dict[str, re.Pattern[str] | None] = {
            slug: _alternatives(list(spec.not_in)) for slug, spec in self.specs.items()
        }

    @cached_property
    def version(self) -> str:
        """A fingerprint of all that decides the answers (cues, contexts, weights,
        thresholds): when it changes, stored taggings are out of date."""
        parts = {
            "specs": [
                [s.slug, s.cues, s.not_in, s.implies] for s in self.specs.values()
            ],
            "thresholds": self.thresholds,
            "not_topical": self.not_topical,
            "contexts": CONTEXTS,
            "fields": FIELD_WEIGHTS,
            "repeats": REPEAT_FACTORS,
        }
        text = json.dumps(parts, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def suggest(
        self,
        title: str,
        excerpt: Sequence[str] = (),
        notes: Sequence[str] = (),
        source_line: str = "",
    ) -> list[Suggestion]:
        """Every topic with any evidence, accepted ones first, best first."""
        fields = [
            f
            for f in (
                _prepare("title", title),
                _prepare("excerpt", "\n\n".join(p for p in excerpt if p)),
                _prepare("notes", "\n\n".join(n for n in notes if n)),
                _prepare("source", source_line),
            )
            if f is not None
        ]
        for f in fields:
            self._find_live_cues(f)
        found: dict[str, Suggestion] = {}
        for slug in self.specs:
            suggestion = self._score(slug, fields)
            if suggestion is not None:
                found[slug] = suggestion
        self._imply(found)
        return sorted(found.values(), key=lambda s: (not s.accepted, -s.score, s.slug))

    def _score(self, slug: str, fields: list[_Field]) -> Suggestion | None:
        hits: list[tuple[Cue, _Field, int, int]] = []
        for f in fields:
            # Only cues that can begin at one of the field's word starts are tried.
            live = f.live.get(slug)
            if not live:
                continue
            excluded: list[tuple[int, int]] | None = None
            candidates: list[tuple[Cue, int, int]] = []
            for index in sorted(live):
                cue = self.cues[slug][index]
                text = f.cased if cue.case_sensitive else f.lower
                for m in at_word_starts(cue.pattern, text):
                    start, end = m.span()
                    if start == end:
                        continue
                    if excluded is None:
                        excluded = self._excluded_spans(slug, f)
                    if any(a <= start and end <= b for a, b in excluded):
                        continue
                    if cue.near is not None and not cue.near.search(
                        f.sentence_at(start)
                    ):
                        continue
                    candidates.append((cue, start, end))
            # Overlapping mentions count once: the heaviest cue, then the longest.
            candidates.sort(key=lambda c: (-c[0].weight, -(c[2] - c[1]), c[1]))
            taken: list[tuple[int, int]] = []
            for cue, start, end in candidates:
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                hits.append((cue, f, start, end))
        if not hits:
            return None
        by_cue: dict[int, list[float]] = {}
        for cue, f, _, _ in hits:
            by_cue.setdefault(cue.index, []).append(f.weight)
        weights = {cue.index: cue.weight for cue in self.cues[slug]}
        score = 0.0
        for index, field_weights in by_cue.items():
            field_weights.sort(reverse=True)
            score += weights[index] * sum(
                w * factor
                for w, factor in zip(field_weights, REPEAT_FACTORS, strict=False)
            )
        return Suggestion(
            slug=slug,
            score=round(score, 2),
            threshold=self.thresholds[slug],
            phrases=self._phrases(hits),
        )

    def _find_live_cues(self, f: _Field) -> None:
        """The cues, by topic, whose beginnings are among the field's word starts."""
        for start in f.starts & self.by_start.keys():
            for cue in self.by_start[start]:
                f.live.setdefault(cue.topic, set()).add(cue.index)
        for cue in self.unindexed:
            f.live.setdefault(cue.topic, set()).add(cue.index)

    def _excluded_spans(self, slug: str, f: _Field) -> list[tuple[int, int]]:
        if f.common_excluded is None:
            common = self.common_not_in
            f.common_excluded = (
                [m.span() for m in common.finditer(f.lower)] if common else []
            )
        pattern = self.not_in[slug]
        own = [m.span() for m in pattern.finditer(f.lower)] if pattern else []
        return own + f.common_excluded

    @staticmethod
    def _phrases(hits: list[tuple[Cue, _Field, int, int]]) -> tuple[Phrase, ...]:
        grouped: dict[str, list[tuple[Cue, _Field, int, int]]] = {}
        for hit in sorted(
            hits, key=lambda h: (list(FIELD_WEIGHTS).index(h[1].name), h[2])
        ):
            _, f, start, end = hit
            key = " ".join(f.lower[start:end].split())
            grouped.setdefault(key, []).append(hit)
        phrases = [
            Phrase(
                text=key,
                count=len(group),
                weight=max(h[0].weight for h in group),
                snippets=tuple(
                    _snippet(f, start, end)
                    for _, f, start, end in group[:SNIPPETS_PER_PHRASE]
                ),
            )
            for key, group in grouped.items()
        ]
        phrases.sort(key=lambda p: (-p.weight * p.count, p.text))
        return tuple(phrases)

    def _imply(self, found: dict[str, Suggestion]) -> None:
        """Add the topics accepted topics imply (transitively)."""
        changed = True
        while changed:
            changed = False
            for slug, suggestion in list(found.items()):
                if not suggestion.accepted:
                    continue
                for implied in self.specs[slug].implies:
                    current = found.get(implied) or Suggestion(
                        implied, 0.0, self.thresholds[implied]
                    )
                    if slug in current.implied_by:
                        continue
                    found[implied] = Suggestion(
                        slug=implied,
                        score=current.score,
                        threshold=current.threshold,
                        phrases=current.phrases,
                        implied_by=(*current.implied_by, slug),
                    )
                    changed = True


@cache
def default_tagger() -> Tagger:
    """The tagger for Lantern's vocabulary with the tuned thresholds."""
    return Tagger(topic_specs(), thresholds=THRESHOLDS)


def suggest_topics(
    title: str,
    excerpt: Sequence[str] = (),
    notes: Sequence[str] = (),
    source_line: str = "",
) -> list[Suggestion]:
    """Every topic with any evidence in an entry's text, accepted ones first, best
    first. Pure."""
    return default_tagger().suggest(title, excerpt, notes, source_line)


def accepted_topics(
    title: str,
    excerpt: Sequence[str] = (),
    notes: Sequence[str] = (),
    source_line: str = "",
) -> list[str]:
    """The slugs of the topics an entry's text is about, best first. Pure."""
    return [
        s.slug for s in suggest_topics(title, excerpt, notes, source_line) if s.accepted
    ]
