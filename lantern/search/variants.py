"""British and American spellings of the same word, so that a search for "forced
labour" finds the report that wrote "forced labor" (and "organization" finds
"organisation").

`expand` rewrites a parsed query: each word with another spelling becomes "this
OR that", each phrase one alternative per spelling. The index keeps the text as it
was written; only the query grows. Rules cover the regular differences (-our/-or,
-ise/-ize, -yse/-yze, -lled/-led) and a short list of single words; both
directions, so either spelling finds both. A variant that is not an English word
costs a lookup that finds nothing. Pure code.
"""

from __future__ import annotations

import itertools
import re

from lantern.search.query import And, Node, Not, Or, Phrase, Term

# Words whose -our ending is -or in American spelling (and their derivatives:
# labourer, neighbouring, favourable …).
OUR_STEMS = (
    "labour", "behaviour", "colour", "favour", "harbour", "honour", "neighbour",
    "rumour", "endeavour", "humour", "vigour", "valour", "armour", "odour",
    "savour", "parlour", "rigour", "splendour", "tumour", "saviour",
)  # fmt: skip
# Words that end in -ise in both spellings.
ALWAYS_ISE = frozenset((
    "advertis", "advis", "apprais", "chastis", "compris", "compromis", "concis",
    "demis", "despis", "devis", "disguis", "enterpris", "excis", "exercis",
    "expertis", "franchis", "improvis", "incis", "merchandis", "otherwis",
    "paradis", "pois", "prais", "precis", "premis", "promis", "rais", "revis",
    "supervis", "surmis", "surpris", "televis", "treatis", "wis",
))  # fmt: skip
# Spellings that differ as whole words (British, American).
WORDS = (
    ("centre", "center"), ("centres", "centers"), ("centred", "centered"),
    ("defence", "defense"), ("offence", "offense"), ("offences", "offenses"),
    ("licence", "license"), ("licences", "licenses"), ("pretence", "pretense"),
    ("programme", "program"), ("programmes", "programs"),
    ("theatre", "theater"), ("metre", "meter"), ("metres", "meters"),
    ("fibre", "fiber"), ("litre", "liter"), ("judgement", "judgment"),
    ("ageing", "aging"), ("enrolment", "enrollment"), ("fulfil", "fulfill"),
    ("instalment", "installment"), ("skilful", "skillful"), ("grey", "gray"),
    ("mould", "mold"), ("manoeuvre", "maneuver"), ("paediatric", "pediatric"),
    ("foetus", "fetus"), ("diarrhoea", "diarrhea"), ("anaemia", "anemia"),
    ("oestrogen", "estrogen"), ("cheque", "check"), ("kerb", "curb"),
    ("tonne", "ton"), ("tonnes", "tons"), ("pyjamas", "pajamas"),
)  # fmt: skip
_WHOLE: dict[str, str] = {}
for _british, _american in WORDS:
    _WHOLE[_british] = _american
    _WHOLE[_american] = _british

ISE = re.compile(r"^(?P<stem>[a-z]{3,}?)(?P<s>[iy])(?P<z>[sz])(?P<end>e|ed|es|ing|ation|ations|er|ers|able)$")  # fmt: skip
ISE_PREFIX = re.compile(r"^[a-z]{3,}[iy][sz]$")
DOUBLE_L = re.compile(r"^(?P<stem>[a-z]{2,}e)ll(?P<end>ing|ed|er|ers|or|ors)$")
SINGLE_L = re.compile(r"^(?P<stem>[a-z]{2,}e)l(?P<end>ing|ed|er|ers|or|ors)$")
MAX_PHRASE_VARIANTS = 8


def spellings(word: str, prefix: bool = False) -> list[str]:
    """`word` and its other spellings (lower case), the word itself first. A
    `prefix` ("organis*") also gets the other spelling of an -is/-iz ending."""
    found = [word]
    if prefix and (m := ISE_PREFIX.match(word)) and word[:-1] + "s" not in ALWAYS_ISE:
        found.append(word[:-1] + ("z" if word.endswith("s") else "s"))
    if word in _WHOLE:
        found.append(_WHOLE[word])
    for stem in OUR_STEMS:
        if word.startswith(stem):
            found.append(stem[:-2] + "r" + word[len(stem) :])
        elif word.startswith(stem[:-2] + "r"):
            found.append(stem + word[len(stem) - 1 :])
    if (m := ISE.match(word)) and f"{m['stem']}{m['s']}s" not in ALWAYS_ISE:
        other = "z" if m["z"] == "s" else "s"
        found.append(f"{m['stem']}{m['s']}{other}{m['end']}")
    if m := DOUBLE_L.match(word):
        found.append(f"{m['stem']}l{m['end']}")
    elif m := SINGLE_L.match(word):
        found.append(f"{m['stem']}ll{m['end']}")
    return list(dict.fromkeys(found))


def expand(node: Node | None) -> Node | None:
    """The query with every word and phrase also looked for in its other spellings."""
    if node is None:
        return None
    if isinstance(node, Term):
        if node.prefix:
            alternatives = [Term(w, True) for w in spellings(node.text, prefix=True)]
        else:
            alternatives = [Term(w) for w in spellings(node.text)]
        return alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))
    if isinstance(node, Phrase):
        choices = [spellings(w) for w in node.words]
        combos = list(
            itertools.islice(itertools.product(*choices), MAX_PHRASE_VARIANTS)
        )
        phrases = [Phrase(tuple(words)) for words in combos]
        return phrases[0] if len(phrases) == 1 else Or(tuple(phrases))
    if isinstance(node, Not):
        item = expand(node.item)
        assert item is not None
        return Not(item)
    items = tuple(i for i in (expand(item) for item in node.items) if i is not None)
    return And(items) if isinstance(node, And) else Or(items)
