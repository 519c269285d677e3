"""Cue patterns as regular expressions: whole-word matching (`phrase_regex`,
`at_word_starts`) and what every match of a pattern must begin with
(`match_starts`), which lets the tagger skip cues that cannot match a text. Pure."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

# The regular-expression parser, to read how a cue's matches begin (no public API).
_sre_parser: Any = importlib.import_module("re._parser")
_sre_constants: Any = importlib.import_module("re._constants")

WORD_BEGINS = r"(?<![\w])"
_WORD_CHAR = re.compile(r"\w")


def at_word_starts(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of `pattern` that begin a word, as `finditer` would find them with
    a look-behind, but letting the engine skip ahead to the pattern's first
    letters."""
    pos, end = 0, len(text)
    while pos <= end:
        found = pattern.search(text, pos)
        if found is None:
            return
        start = found.start()
        if start and _WORD_CHAR.match(text, start - 1):
            pos = start + 1
            continue
        yield found
        pos = found.end() if found.end() > start else start + 1


def phrase_regex(pattern: str) -> str:
    """A cue pattern as a regular expression: spaces outside character classes match
    any run of spaces and hyphens; the whole is matched as whole words."""
    out: list[str] = []
    in_class = False
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        elif ch == " ":
            out.append(r"(?:[\s\-]+)")
        else:
            out.append(ch)
    return WORD_BEGINS + "(?:" + "".join(out) + r")(?![\w])"


_PREFIX = 6  # characters of a match's beginning worth knowing
_MAX_STARTS = 64


def match_starts(pattern: str) -> frozenset[str] | None:
    """The strings (up to six characters, lower case) that every match of a cue
    pattern begins with, or None when the pattern does not say: a quick test that
    rules out most cues before their pattern is run."""
    try:
        parsed = _sre_parser.parse(phrase_regex(pattern)[len(WORD_BEGINS) :])
    except re.error:
        return None
    found = _starts_of(list(parsed))
    if found is None:
        return None
    starts = frozenset(text for text, _ in found)
    return None if "" in starts else starts


_Starts = set[tuple[str, bool]]  # (text so far, whether the match may go on after it)


def _starts_of(items: list[Any]) -> _Starts | None:
    state: _Starts = {("", True)}
    for op, av in items:
        step = _starts_of_item(op, av)
        following: _Starts = set()
        for text, open_ in state:
            if not open_ or len(text) >= _PREFIX:
                following.add((text[:_PREFIX], False))
            elif step is None:
                following.add((text, False))
            else:
                for more, more_open in step:
                    joined = text + more
                    if len(joined) >= _PREFIX:
                        following.add((joined[:_PREFIX], False))
                    else:
                        following.add((joined, more_open))
        if len(following) > _MAX_STARTS:
            return None
        state = following
    return state


def _char_start(ch: str) -> tuple[str, bool]:
    # Word starts are read up to a space: a space ends what is known.
    return ("", False) if ch.isspace() else (ch.lower(), True)


def _starts_of_item(op: Any, av: Any) -> _Starts | None:
    c = _sre_constants
    if op is c.LITERAL:
        return {_char_start(chr(av))}
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] <= 26:
                chars.update(chr(v) for v in range(value[0], value[1] + 1))
            else:
                return None
        return {_char_start(ch) for ch in chars}
    if op is c.SUBPATTERN:
        return _starts_of(list(av[-1]))
    if op is c.BRANCH:
        union: _Starts = set()
        for alternative in av[1]:
            found = _starts_of(list(alternative))
            if found is None:
                return None
            union |= found
        return union
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _, inner = av
        once = _starts_of(list(inner))
        if once is None:
            return None if low else {("", False)}
        closed = {(text, False) for text, _ in once}
        return closed | {("", True)} if low == 0 else closed
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {("", True)}  # takes no characters
    return None
