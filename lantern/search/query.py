"""Reading what a reader types into the search box.

The language: words (all must match), "quoted phrases", `OR` between alternatives,
`AND` (the default), `NOT word` or `-word` to exclude, `prefix*`, and parentheses.
`parse` turns a query into a small tree every backend translates; a query it cannot
read raises `QueryError` with a message fit to show the reader. Pure code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 500
MAX_TERMS = 30
MIN_PREFIX = 2


class QueryError(ValueError):
    """A query that cannot be read; the message is written for the reader."""


@dataclass(frozen=True)
class Term:
    """A word (`prefix` for `word*`)."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    """Words that must appear together, in order."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Term | Phrase | And | Or | Not

# A word: letters and digits, with inner apostrophes, hyphens and dots kept apart
# by `words()` (children's → children s is left to each engine's tokenizer).
WORD = re.compile(r"\w+", re.UNICODE)
TOKEN = re.compile(
    r'\s*(?:(?P<lparen>\()|(?P<rparen>\))|(?P<quote>"[^"]*"?)|(?P<minus>-(?=[\w"(]))'
    r"|(?P<word>[^\s()\"]+))",
    re.UNICODE,
)


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, as the parser sees them."""
    return [w.lower() for w in WORD.findall(text.replace("_", " "))]


@dataclass(frozen=True)
class _Token:
    kind: str  # lparen, rparen, phrase, minus, and, or, not, word
    value: str


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(query):
        match = TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "quote":
            if len(value) < 2 or not value.endswith('"'):
                raise QueryError('A quotation mark is not closed: add the closing ".')
            tokens.append(_Token("phrase", value[1:-1]))
        elif kind == "word" and value in {"AND", "OR", "NOT"}:
            tokens.append(_Token(value.lower(), value))
        elif kind == "word" and value == "&&":
            tokens.append(_Token("and", value))
        elif kind == "word" and value == "||":
            tokens.append(_Token("or", value))
        else:
            tokens.append(_Token(kind, value))
    return tokens


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary (AND? unary)*;
    unary := (NOT | -) unary | atom; atom := ( or ) | phrase | word."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        node = self.or_()
        if self.peek() is not None:
            token = self.peek()
            assert token is not None
            if token.kind == "rparen":
                raise QueryError("There is a “)” without a matching “(”.")
            raise QueryError(f"Unexpected “{token.value}”.")  # pragma: no cover
        return node

    def or_(self) -> Node | None:
        items = [self.and_()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            if self.peek() is None or self.peek().kind in {"or", "rparen"}:  # type: ignore[union-attr]
                raise QueryError("“OR” needs something to search for on both sides.")
            items.append(self.and_())
        if items[0] is None and len(items) > 1:
            raise QueryError("“OR” needs something to search for on both sides.")
        kept = [item for item in items if item is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_(self) -> Node | None:
        items: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in {"or", "rparen"}:
            if token.kind == "and":
                self.take()
                following = self.peek()
                if (
                    not items
                    or following is None
                    or following.kind in {"or", "rparen", "and"}
                ):
                    raise QueryError(
                        "“AND” needs something to search for on both sides."
                    )
                continue
            node = self.unary()
            if node is not None:
                items.append(node)
        if not items:
            return None
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node | None:
        token = self.peek()
        assert token is not None
        if token.kind in {"not", "minus"}:
            self.take()
            following = self.peek()
            if following is None or following.kind in {"or", "and", "rparen"}:
                raise QueryError("“NOT” needs a word or phrase after it.")
            node = self.unary()
            return Not(node) if node is not None else None
        return self.atom()

    def atom(self) -> Node | None:
        token = self.take()
        if token.kind == "lparen":
            self.depth += 1
            if self.depth > 10:
                raise QueryError("Too many nested parentheses.")
            node = self.or_()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise QueryError("A “(” is not closed: add the closing “)”.")
            self.take()
            self.depth -= 1
            return node
        if token.kind == "rparen":
            raise QueryError("There is a “)” without a matching “(”.")
        if token.kind == "phrase":
            found = words(token.value)
            if not found:
                return None
            return Term(found[0]) if len(found) == 1 else Phrase(tuple(found))
        # A plain word; `prefix*` asks for words that begin with it.
        raw = token.value
        prefix = raw.endswith("*")
        found = words(raw)
        if not found:
            if prefix:
                raise QueryError(
                    "A “*” must follow the beginning of a word, as in traffick*."
                )
            return None
        if prefix:
            if len(found[-1]) < MIN_PREFIX:
                raise QueryError(
                    f"Give at least {MIN_PREFIX} letters before “*”, as in traffick*."
                )
            if len(found) > 1:
                # "anti-traffick*": the first words as they are, the last as a prefix.
                return And((*(Term(w) for w in found[:-1]), Term(found[-1], True)))
            return Term(found[0], prefix=True)
        if len(found) > 1:
            # "anti-trafficking", "U.S.": the words belong together.
            return Phrase(tuple(found))
        return Term(found[0])


def parse(query: str) -> Node | None:
    """The tree of a reader's query; None when it asks for nothing (blank, or only
    punctuation). Raises `QueryError` for a query that cannot be read."""
    # Composed forms, as the library's text has them (é, not e + a combining accent).
    query = unicodedata.normalize("NFC", query).strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(
            f"The query is too long: at most {MAX_QUERY_LENGTH} characters."
        )
    node = _Parser(_tokens(query)).parse()
    if node is not None:
        if _count_terms(node) > MAX_TERMS:
            raise QueryError(f"The query has too many words: at most {MAX_TERMS}.")
        if _only_negative(node):
            raise QueryError("Say what to look for, not only what to leave out.")
    return node


def _count_terms(node: Node) -> int:
    if isinstance(node, Term):
        return 1
    if isinstance(node, Phrase):
        return len(node.words)
    if isinstance(node, Not):
        return _count_terms(node.item)
    return sum(_count_terms(item) for item in node.items)


def _only_negative(node: Node) -> bool:
    """Whether the query only excludes (every branch a NOT), which would list the
    whole library minus a few entries."""
    if isinstance(node, Not):
        return True
    if isinstance(node, And):
        return all(_only_negative(item) for item in node.items)
    if isinstance(node, Or):
        return any(_only_negative(item) for item in node.items)
    return False


def positive_terms(node: Node | None) -> list[Term | Phrase]:
    """The words and phrases a result must or may contain (not the excluded ones),
    for highlighting."""
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Term | Phrase):
        return [node]
    return [t for item in node.items for t in positive_terms(item)]


def to_text(node: Node | None) -> str:
    """The query written back in the search language (canonical form)."""
    if node is None:
        return ""
    if isinstance(node, Term):
        return node.text + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Not):
        return "NOT " + _wrapped(node.item)
    joiner = " OR " if isinstance(node, Or) else " "
    return joiner.join(_wrapped(item) for item in node.items)


def _wrapped(node: Node) -> str:
    text = to_text(node)
    return f"({text})" if isinstance(node, And | Or) else text
