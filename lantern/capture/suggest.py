"""Suggestions for a new entry, for the curator to confirm: which countries it is
about (names, aliases and demonyms counted in its title and text), which topics
(the library's tagger, `lantern.library.tagging`, with the phrases found as
evidence), and which paragraphs are worth quoting (scored by the vocabulary of trafficking and forced
labour, in English, Spanish, French and Portuguese, and by mentions of the
suggested countries).

Pure: callers pass the country aliases and the library's topics (from
`LibraryCache`); no database, no network.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lantern.core.matching import normalise
from lantern.core.text import PUNCT_MAP, fold
from lantern.library.tagging import suggest_topics

# A title mention says more about what a source is about than one in passing.
TITLE_WEIGHT = 3

# Adjectives of nationality, which sources use as often as the names.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "AE": ("Emirati",), "AF": ("Afghan",), "AL": ("Albanian",), "AM": ("Armenian",),
    "AO": ("Angolan",), "AR": ("Argentine", "Argentinian"), "AT": ("Austrian",),
    "AU": ("Australian",), "AZ": ("Azerbaijani",), "BA": ("Bosnian",),
    "BD": ("Bangladeshi",), "BE": ("Belgian",), "BF": ("Burkinabe",),
    "BG": ("Bulgarian",), "BH": ("Bahraini",), "BI": ("Burundian",),
    "BJ": ("Beninese",), "BO": ("Bolivian",), "BR": ("Brazilian",),
    "BY": ("Belarusian",), "CA": ("Canadian",), "CD": ("Congolese",),
    "CH": ("Swiss",), "CI": ("Ivorian",), "CL": ("Chilean",), "CM": ("Cameroonian",),
    "CN": ("Chinese",), "CO": ("Colombian",), "CR": ("Costa Rican",),
    "CU": ("Cuban",), "CZ": ("Czech",), "DE": ("German",), "DO": ("Dominican",),
    "DZ": ("Algerian",), "EC": ("Ecuadorian", "Ecuadorean"), "EE": ("Estonian",),
    "EG": ("Egyptian",), "ER": ("Eritrean",), "ES": ("Spanish",),
    "ET": ("Ethiopian",), "FR": ("French",), "GA": ("Gabonese",),
    "GB": ("British",), "GH": ("Ghanaian",), "GM": ("Gambian",), "GN": ("Guinean",),
    "GR": ("Greek",), "GT": ("Guatemalan",), "HN": ("Honduran",),
    "HR": ("Croatian",), "HT": ("Haitian",), "HU": ("Hungarian",),
    "ID": ("Indonesian",), "IE": ("Irish",), "IL": ("Israeli",), "IN": ("Indian",),
    "IQ": ("Iraqi",), "IR": ("Iranian",), "IT": ("Italian",), "JM": ("Jamaican",),
    "JO": ("Jordanian",), "JP": ("Japanese",), "KE": ("Kenyan",),
    "KG": ("Kyrgyz",), "KH": ("Cambodian",), "KP": ("North Korean",),
    "KR": ("South Korean",), "KW": ("Kuwaiti",), "KZ": ("Kazakh",),
    "LA": ("Laotian",), "LB": ("Lebanese",), "LK": ("Sri Lankan",),
    "LR": ("Liberian",), "LT": ("Lithuanian",), "LV": ("Latvian",),
    "LY": ("Libyan",), "MA": ("Moroccan",), "MD": ("Moldovan",),
    "MG": ("Malagasy",), "ML": ("Malian",), "MM": ("Burmese",), "MN": ("Mongolian",),
    "MR": ("Mauritanian",), "MW": ("Malawian",), "MX": ("Mexican",),
    "MY": ("Malaysian",), "MZ": ("Mozambican",), "NA": ("Namibian",),
    "NE": ("Nigerien",), "NG": ("Nigerian",), "NI": ("Nicaraguan",),
    "NL": ("Dutch",), "NP": ("Nepali", "Nepalese"), "OM": ("Omani",),
    "PA": ("Panamanian",), "PE": ("Peruvian",), "PH": ("Filipino", "Filipina"),
    "PK": ("Pakistani",), "PL": ("Polish",), "PT": ("Portuguese",),
    "PY": ("Paraguayan",), "QA": ("Qatari",), "RO": ("Romanian",),
    "RS": ("Serbian",), "RU": ("Russian",), "RW": ("Rwandan",), "SA": ("Saudi",),
    "SD": ("Sudanese",), "SL": ("Sierra Leonean",), "SN": ("Senegalese",),
    "SO": ("Somali",), "SS": ("South Sudanese",), "SV": ("Salvadoran", "Salvadorean"),
    "SY": ("Syrian",), "TD": ("Chadian",), "TG": ("Togolese",), "TH": ("Thai",),
    "TJ": ("Tajik",), "TM": ("Turkmen",), "TN": ("Tunisian",), "TR": ("Turkish",),
    "TW": ("Taiwanese",), "TZ": ("Tanzanian",), "UA": ("Ukrainian",),
    "UG": ("Ugandan",), "UY": ("Uruguayan",), "UZ": ("Uzbek",),
    "VE": ("Venezuelan",), "VN": ("Vietnamese",), "YE": ("Yemeni",),
    "ZA": ("South African",), "ZM": ("Zambian",), "ZW": ("Zimbabwean",),
}  # fmt: skip

# Phrases that contain a country's name but are not about it; matched (longest
# first) so they swallow the name and count for nothing.
NOT_COUNTRIES = (
    "latin america", "south america", "central america", "north america",
    "the americas", "americas", "new mexico", "new jersey", "niger delta",
    "niger river", "guinea pig", "american dream",
)  # fmt: skip

# Words of trafficking and forced labour (EN, ES, FR, PT) by weight, as `normalise`
# writes them (lower case, no accents). Plurals are matched too.
_STRONG = (
    "trafficking", "trafficked", "trafficker", "human trafficking", "forced labour",
    "forced labor", "slavery", "modern slavery", "enslaved", "enslave", "enslaves",
    "debt bondage", "bonded labour", "bonded labor", "servitude",
    "forced prostitution", "sexual exploitation", "child labour", "child labor",
    "forced marriage", "trata", "trata de personas", "trabajo forzoso", "esclavitud",
    "explotacion sexual", "servidumbre", "traite", "traite des etres humains",
    "travail force", "esclavage", "exploitation sexuelle", "trafico de pessoas",
    "trabalho escravo", "trabalho forcado", "trafficking in persons",
)  # fmt: skip
_MEDIUM = (
    "exploitation", "exploited", "exploit", "victim", "victima", "victime",
    "forced", "forzado", "forcee", "coerced", "coercion", "recruiter", "recruited",
    "smuggling", "smuggler", "prostitution", "prostitucion", "debt", "deuda",
    "dette", "captive", "rescued", "rescue", "threatened", "abuse", "abused",
    "passport", "confiscated", "brothel", "trafficant", "tratante",
)  # fmt: skip
_WEAK = (
    "worker", "wage", "labour", "labor", "child", "children", "girl", "women",
    "migrant", "migrante", "police", "shelter", "convicted", "conviction",
    "prosecutor", "prosecution", "ninos", "ninas", "mujeres", "enfants", "femmes",
)  # fmt: skip
TRAFFICKING_TERMS: dict[str, int] = {
    **dict.fromkeys(_WEAK, 1),
    **dict.fromkeys(_MEDIUM, 2),
    **dict.fromkeys(_STRONG, 3),
}


@dataclass(frozen=True)
class CountryMention:
    """A country named in the document: weighted count and the words found."""

    code: str
    score: int
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class TopicMatch:
    """A topic the tagger accepts for the document: score, the phrases found (with
    how often), and the accepted topics that bring it with them."""

    slug: str
    score: float
    phrases: tuple[tuple[str, int], ...]
    implied_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A paragraph proposed as the excerpt: its number in the proposal list (1-based,
    best first), its position in the document, score, the terms that scored, page."""

    number: int
    index: int
    text: str
    score: float
    terms: tuple[str, ...]
    page: int | None = None


@dataclass(frozen=True)
class Suggestions:
    countries: tuple[CountryMention, ...] = ()  # every country named, best first
    primary: str | None = None
    selected_countries: tuple[str, ...] = ()  # what to store: primary first
    topics: tuple[TopicMatch, ...] = ()  # every topic matched, best first
    selected_topics: tuple[str, ...] = ()
    proposals: tuple[Proposal, ...] = field(default=())


# ---------------------------------------------------------------------------- countries


def _ascii_words(text: str) -> str:
    """Accents and punctuation dropped, case kept ("Côte d’Ivoire" → "Cote d Ivoire")."""
    text = unicodedata.normalize("NFKD", text.translate(PUNCT_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", " ", text)


class CountryFinder:
    """Finds countries in text from folded aliases (`LibraryCache.aliases`) and
    the demonyms above. Names must be capitalised where they are found, so
    "turkey" and "chad" in running text are not countries."""

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.codes: dict[str, str | None] = {}
        for alias, code in aliases.items():
            if len(alias) >= 2 and not alias.isdigit():
                self.codes.setdefault(alias, code)
        for code, words in DEMONYMS.items():
            for word in words:
                self.codes.setdefault(fold(word), code)
        for phrase in NOT_COUNTRIES:
            self.codes[fold(phrase)] = None
        names = sorted(self.codes, key=len, reverse=True)
        alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        self.pattern = re.compile(
            rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])", re.IGNORECASE
        )

    def find(self, text: str) -> list[tuple[str, str]]:
        """(code, words as found) for each country mention in a text."""
        found = []
        for match in self.pattern.finditer(_ascii_words(text)):
            words = match.group(0)
            if not words[:1].isupper():
                continue
            code = self.codes.get(" ".join(words.lower().split()))
            if code:
                found.append((code, " ".join(words.split())))
        return found


def count_countries(
    finder: CountryFinder, title: str, paragraphs: Sequence[str]
) -> list[CountryMention]:
    """Countries named in a title (counting `TITLE_WEIGHT` each) and text, most
    mentioned first."""
    scores: Counter[str] = Counter()
    phrases: dict[str, Counter[str]] = {}
    for text, weight in [(title, TITLE_WEIGHT), *((p, 1) for p in paragraphs)]:
        for code, words in finder.find(text):
            scores[code] += weight
            phrases.setdefault(code, Counter())[words] += 1
    # Ties go to the country named first (Counter keeps first-seen order).
    order = {code: i for i, code in enumerate(scores)}
    return [
        CountryMention(code, score, tuple(w for w, _ in phrases[code].most_common()))
        for code, score in sorted(scores.items(), key=lambda i: (-i[1], order[i[0]]))
    ]


def choose_countries(
    mentions: Sequence[CountryMention], *, given: str | None = None, most: int = 6
) -> tuple[str | None, tuple[str, ...]]:
    """(primary, countries to store): the given country or the most mentioned first,
    then the others named at least twice (a name in passing is not a subject)."""
    primary = given.upper() if given else (mentions[0].code if mentions else None)
    chosen = [primary] if primary else []
    for mention in mentions:
        if mention.code not in chosen and mention.score >= 2 and len(chosen) < most:
            chosen.append(mention.code)
    return primary, tuple(chosen)


# ------------------------------------------------------------------------------- topics


def _term_pattern(term: str, *, stems: bool = False) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(w) for w in term.split())
    tail = r"\w*" if stems else r"(?:s|es)?"
    return re.compile(rf"(?<!\w){words}{tail}(?!\w)")


def match_topics(
    title: str,
    paragraphs: Sequence[str],
    keywords: Mapping[str, Sequence[str]] | None = None,
) -> list[TopicMatch]:
    """The topics the library's tagger (`lantern.library.tagging`) accepts for a
    title and text, with the phrases it found, best first; only topics the library
    has (the keys of `keywords`), when given."""
    return [
        TopicMatch(
            s.slug,
            s.score,
            tuple((p.text, p.count) for p in s.phrases),
            s.implied_by,
        )
        for s in suggest_topics(title, paragraphs)
        if s.accepted and (keywords is None or s.slug in keywords)
    ]


# ----------------------------------------------------------------------------- excerpts

_TERM_PATTERNS = [
    (term, weight, _term_pattern(term)) for term, weight in TRAFFICKING_TERMS.items()
]


def score_paragraph(
    text: str, *, country_words: Sequence[str] = ()
) -> tuple[float, tuple[str, ...]]:
    """How much a paragraph says about trafficking: weighted vocabulary hits, plus a
    point per mention of a suggested country (at most three), discounted for
    paragraphs much longer than a quotable one."""
    plain = normalise(text)
    words = len(plain.split())
    score = 0.0
    terms = []
    covered: list[tuple[int, int]] = []
    # Longest terms first, so "human trafficking" is not also "trafficking".
    for term, weight, pattern in sorted(_TERM_PATTERNS, key=lambda t: -len(t[0])):
        for match in pattern.finditer(plain):
            span = match.span()
            if any(a <= span[0] < b for a, b in covered):
                continue
            covered.append(span)
            score += weight
            if term not in terms:
                terms.append(term)
    mentions = sum(
        len(_term_pattern(normalise(w)).findall(plain)) for w in country_words if w
    )
    score += min(mentions, 3)
    if words > 150:
        score /= math.sqrt(words / 150)
    return round(score, 1), tuple(terms)


def propose_excerpts(
    paragraphs: Sequence[str],
    *,
    pages: Sequence[int | None] | None = None,
    country_words: Sequence[str] = (),
    limit: int = 5,
    min_words: int = 15,
) -> list[Proposal]:
    """The `limit` paragraphs most worth quoting, best first, numbered from 1.
    Paragraphs shorter than `min_words` (headings, captions) are not proposed."""
    scored = []
    seen: set[str] = set()
    for index, text in enumerate(paragraphs):
        key = normalise(text)
        if len(key.split()) < min_words or key in seen:
            continue
        seen.add(key)
        score, terms = score_paragraph(text, country_words=country_words)
        if score > 0:
            scored.append((score, index, text, terms))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        Proposal(
            number=number,
            index=index,
            text=text,
            score=score,
            terms=terms,
            page=pages[index] if pages is not None else None,
        )
        for number, (score, index, text, terms) in enumerate(scored[:limit], start=1)
    ]


def suggest(
    title: str,
    paragraphs: Sequence[str],
    *,
    finder: CountryFinder,
    topic_keywords: Mapping[str, Sequence[str]],
    country_names: Mapping[str, Sequence[str]] | None = None,
    pages: Sequence[int | None] | None = None,
    country: str | None = None,
    limit: int = 5,
) -> Suggestions:
    """Countries, topics and excerpt paragraphs for a document. `country_names` maps
    codes to the names a country goes by, so paragraphs naming the suggested
    countries score higher; `country` is the curator's choice of primary."""
    mentions = count_countries(finder, title, paragraphs)
    primary, chosen = choose_countries(mentions, given=country)
    topics = match_topics(title, paragraphs, topic_keywords)
    words: list[str] = []
    for code in chosen:
        words += list((country_names or {}).get(code, ()))
        words += list(DEMONYMS.get(code, ()))
        words += [w for m in mentions if m.code == code for w in m.phrases]
    proposals = propose_excerpts(
        paragraphs, pages=pages, country_words=sorted(set(words)), limit=limit
    )
    return Suggestions(
        countries=tuple(mentions),
        primary=primary,
        selected_countries=chosen,
        topics=tuple(topics),
        selected_topics=tuple(m.slug for m in topics),
        proposals=tuple(proposals),
    )
