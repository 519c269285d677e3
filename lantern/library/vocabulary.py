"""Lantern's controlled vocabularies: the two-level topic list and the recurring report
series. Both are our own editorial design, loaded by `services.sync_reference_data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    keywords: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class GroupSpec:
    slug: str
    name: str
    description: str
    topics: tuple[TopicSpec, ...] = field(default_factory=tuple)


T = TopicSpec

VOCABULARY: tuple[GroupSpec, ...] = (
    GroupSpec(
        "forms",
        "Forms of exploitation",
        "What victims are trafficked or held for.",
        (
            T(
                "sex-trafficking",
                "Sex trafficking / commercial sexual exploitation",
                (
                    "sex trafficking",
                    "sexual exploitation",
                    "prostitution",
                    "brothel",
                    "sex trade",
                    "sex work",
                    "child sex tourism",
                    "pornography",
                ),
            ),
            T(
                "forced-labour",
                "Forced labour",
                (
                    "forced labor",
                    "forced labour",
                    "labor trafficking",
                    "labour trafficking",
                    "slave labor",
                    "slave labour",
                    "slavery",
                    "servitude",
                ),
            ),
            T(
                "debt-bondage",
                "Debt bondage",
                (
                    "debt bondage",
                    "bonded labor",
                    "bonded labour",
                    "debt peonage",
                    "owed a debt",
                    "peonage",
                ),
            ),
            T(
                "domestic-servitude",
                "Domestic servitude",
                (
                    "domestic servitude",
                    "domestic servant",
                    "nanny",
                    "housemaid",
                    "maid",
                ),
            ),
            T(
                "forced-begging",
                "Forced begging",
                ("forced begging", "street begging", "begging"),
            ),
            T(
                "child-soldiers",
                "Child soldiers",
                ("child soldier", "combatant", "armed group", "recruit children"),
            ),
            T(
                "organ-removal",
                "Organ removal",
                ("organ removal", "organ trafficking", "sale of organs", "kidney"),
            ),
            T(
                "forced-marriage",
                "Forced marriage",
                ("forced marriage", "child marriage", "bride", "early marriage"),
            ),
            T(
                "forced-criminality",
                "Forced criminality",
                (
                    "forced criminality",
                    "drug trafficking",
                    "forced to commit",
                    "drug mule",
                    "coca",
                ),
            ),
            T(
                "child-labour",
                "Child labour",
                (
                    "child labor",
                    "child labour",
                    "working children",
                    "child laborer",
                    "worst forms of child labor",
                ),
            ),
        ),
    ),
    GroupSpec(
        "sectors",
        "Sectors",
        "Where exploitation takes place.",
        (
            T("mining", "Mining", ("mining", "mine", "gold")),
            T("logging", "Logging", ("logging", "timber", "forestry")),
            T(
                "agriculture",
                "Agriculture",
                ("agriculture", "plantation", "farm", "harvest"),
            ),
            T(
                "fishing",
                "Fishing",
                ("fishing", "fishermen", "fishing boat", "seafood"),
            ),
            T(
                "brick-kilns",
                "Brick kilns",
                ("brick kiln", "brick-making", "brick making"),
            ),
            T(
                "manufacturing",
                "Manufacturing",
                ("factory", "factories", "garment", "manufacturing", "textile"),
            ),
            T("construction", "Construction", ("construction",)),
            T(
                "domestic-work",
                "Domestic work",
                ("domestic work", "domestic worker", "domestic service"),
            ),
            T(
                "sex-industry",
                "Entertainment and sex industry",
                ("nightclub", "bar", "entertainment", "massage parlor", "karaoke"),
            ),
            T("tourism", "Tourism", ("tourism", "tourist", "hotel")),
        ),
    ),
    GroupSpec(
        "groups",
        "Affected groups",
        "Who is exploited.",
        (
            T("women", "Women", ("women", "woman", "girls")),
            T(
                "children",
                "Children",
                ("child", "children", "minor", "minors", "adolescent", "girls", "boys"),
            ),
            T("men", "Men", ("men", "boys")),
            T("indigenous-peoples", "Indigenous peoples", ("indigenous",)),
            T("migrants", "Migrants", ("migrant", "immigrant", "visa", "smuggling")),
            T("refugees", "Refugees", ("refugee", "asylum")),
            T(
                "street-children",
                "Street children",
                ("street children", "street child", "homeless children"),
            ),
        ),
    ),
    GroupSpec(
        "responses",
        "Responses",
        "What governments and others do against trafficking.",
        (
            T("prevention", "Prevention", ("prevention", "awareness", "campaign")),
            T(
                "prosecution",
                "Prosecution",
                (
                    "prosecution",
                    "prosecuted",
                    "convicted",
                    "conviction",
                    "sentenced",
                    "pleads guilty",
                    "charges",
                ),
            ),
            T(
                "protection",
                "Protection",
                ("protection", "shelter", "victim assistance", "rescued"),
            ),
            T("partnership", "Partnership", ("partnership", "cooperation", "jointly")),
            T(
                "hotlines",
                "Hotlines",
                ("hotline", "helpline", "help-line", "childline", "toll free"),
            ),
            T(
                "legislation",
                "Legislation",
                ("law", "legislation", "penal code", "enacted"),
            ),
        ),
    ),
    GroupSpec(
        "precursors",
        "Precursors",
        "Conditions that leave people open to trafficking.",
        (
            T("poverty", "Poverty", ("poverty", "poor", "impoverished")),
            T("hunger", "Hunger", ("hunger", "famine", "malnutrition")),
            T("conflict", "Conflict", ("conflict", "war", "terrorist", "insurgen")),
            T("displacement", "Displacement", ("displaced", "displacement")),
        ),
    ),
)


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    name: str
    publisher: str
    # Patterns over the entry's title (and source line); a group named "year" gives
    # the edition year when present.
    patterns: tuple[str, ...]


SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "tip-report",
        "Trafficking in Persons Report",
        "U.S. Department of State",
        (
            r"(?:(?P<year>(?:19|20)\d\d)\s+)?Trafficking in Persons Report",
            r"\bTIP Report\b",
        ),
    ),
    SeriesSpec(
        "country-reports-human-rights",
        "Country Reports on Human Rights Practices",
        "U.S. Department of State",
        (r"(?:(?P<year>(?:19|20)\d\d)\s+)?Country Reports? on Human Rights Practices",),
    ),
    SeriesSpec(
        "worst-forms-child-labor",
        "Findings on the Worst Forms of Child Labor",
        "U.S. Department of Labor",
        (
            r"(?:(?P<year>(?:19|20)\d\d)\s+)?Findings on the Worst Forms of Child Labou?r",
        ),
    ),
    SeriesSpec(
        "freedom-house-country-report",
        "Freedom House country reports (Freedom in the World)",
        "Freedom House",
        (
            r"Freedom House Country Report",
            r"Freedom in the World(?:\s+(?P<year>20\d\d))?",
        ),
    ),
    SeriesSpec(
        "crc-concluding-observations",
        "Concluding Observations of the Committee on the Rights of the Child",
        "United Nations",
        (r"Concluding Observations of the Committee on the Rights of the Child",),
    ),
    SeriesSpec(
        "amnesty-annual-report",
        "Amnesty International Report",
        "Amnesty International",
        (r"Amnesty International (?:Annual )?Report(?:\s+(?P<year>20\d\d))?",),
    ),
)

_COMPILED = [
    (spec, [re.compile(p, re.IGNORECASE) for p in spec.patterns]) for spec in SERIES
]
_EDITION = re.compile(r"\b(?P<year>(?:19|20)\d\d)\s+Edition\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")


def match_series(title: str, source_line: str = "") -> tuple[str, int | None] | None:
    """The series slug and edition year an entry belongs to, judged from its title and
    source line, or None. Pure: no database."""
    for spec, patterns in _COMPILED:
        for pattern in patterns:
            found = pattern.search(title)
            if not found:
                continue
            year = found.groupdict().get("year")
            if not year:
                edition = _EDITION.search(source_line) or _EDITION.search(title)
                year = edition.group("year") if edition else None
            if not year:
                in_title = _ANY_YEAR.search(title)
                year = in_title.group("year") if in_title else None
            return spec.slug, int(year) if year else None
    return None
