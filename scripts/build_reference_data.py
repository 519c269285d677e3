"""Compile the reference facts Lantern loads at run time from `../shared/data`.

Run by hand when the shared data changes:

    uv run python scripts/build_reference_data.py [../shared/data]

It writes `lantern/library/data/countries.json` (codes, names, UN M49 regions, land
neighbours, dialling code, name aliases, Global Slavery Index 2023 estimate) and
`lantern/library/data/tiers.json` (TIP tier placements by report year), each with
the attribution of every source it used. Countries come from pycountry (ISO 3166-1);
the rest is joined to them by ISO code, or by name through the alias table.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import phonenumbers
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lantern" / "library" / "data"

# Kosovo has no ISO 3166-1 code; XK is the user-assigned code in common use
# (European Commission, SWIFT). UN M49 places it in Southern Europe.
KOSOVO = {
    "code": "XK",
    "alpha3": "XKX",
    "numeric": "",
    "name": "Kosovo",
    "official_name": "Republic of Kosovo",
}

# Names used by the legacy site or by the sources that no table below spells out.
EXTRA_ALIASES = {
    "CD": [
        "Congo-Kinshasa",
        "Congo (Kinshasa)",
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "Congo, Democratic Republic of the",
        "DRC",
    ],
    "CG": [
        "Congo-Brazzaville",
        "Congo (Brazzaville)",
        "Republic of Congo",
        "Republic of the Congo",
        "Congo, Republic of the",
    ],
    "CI": ["Cote d'Ivoire", "Côte d’Ivoire", "Ivory Coast"],
    "MM": ["Burma"],
    "GB": ["United Kingdom", "UK", "Great Britain", "Britain", "England"],
    "US": ["United States", "USA", "U.S.A.", "United States of America", "America"],
    "KP": ["North Korea", "Korea, North", "Korea (North)"],
    "KR": ["South Korea", "Korea, South", "Korea (South)"],
    "LA": ["Laos", "Lao PDR"],
    "VN": ["Vietnam", "Viet Nam"],
    "TL": ["East Timor", "Timor-Leste"],
    "SZ": ["Swaziland", "Eswatini"],
    "MK": ["Macedonia", "North Macedonia"],
    "CV": ["Cape Verde", "Cabo Verde"],
    "TR": ["Turkey", "Türkiye"],
    "CZ": ["Czech Republic", "Czechia"],
    "GM": ["The Gambia", "Gambia"],
    "BS": ["The Bahamas", "Bahamas"],
    "VA": ["Holy See", "Vatican", "Vatican City"],
    "PS": ["Palestine", "Palestinian Territories", "West Bank and Gaza", "Gaza Strip"],
    "RU": ["Russia"],
    "SY": ["Syria"],
    "IR": ["Iran"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "FM": ["Micronesia", "Federated States of Micronesia"],
    "BN": ["Brunei"],
    "TW": ["Taiwan"],
    "HK": ["Hong Kong"],
    "MO": ["Macau", "Macao"],
    "XK": ["Kosovo"],
    "SS": ["South Sudan"],
    "AE": ["UAE", "U.A.E."],
    "NL": ["Holland", "The Netherlands"],
    "PH": ["The Philippines", "Philippines"],
    "CW": ["Curacao", "Curaçao"],
    "SX": ["Sint Maarten"],
    "MF": ["Saint Martin"],
    "KN": ["Saint Kitts and Nevis", "St. Kitts and Nevis", "St Kitts and Nevis"],
    "LC": ["Saint Lucia", "St. Lucia", "St Lucia"],
    "VC": [
        "Saint Vincent and the Grenadines",
        "St. Vincent and the Grenadines",
        "St Vincent and the Grenadines",
    ],
}

SOURCES = {
    "pycountry": "ISO 3166-1 codes and names: pycountry (Debian iso-codes), LGPL-2.1.",
    "un-m49": (
        "UN M49 regions: United Nations Statistics Division, via "
        "lukes/ISO-3166-Countries-with-Regional-Codes (CC BY-SA 4.0)."
    ),
    "factbook-borders": (
        "Land borders: CIA World Factbook (public domain), via factbook/factbook.json "
        "(CC0-1.0)."
    ),
    "mledoze": (
        "Common names and alternative spellings: mledoze/countries (ODbL-1.0)."
    ),
    "phonenumbers": "Country calling codes: libphonenumber via phonenumbers (Apache-2.0).",
    "gsi-2023": (
        "Estimated prevalence of modern slavery and number of people: Walk Free, "
        "Global Slavery Index 2023 (walkfree.org), 2021 estimates."
    ),
    "kelley-heiss": (
        "TIP tiers 2001-2015: U.S. Department of State Trafficking in Persons "
        "Reports, as compiled by Judith Kelley and Andrew Heiss (Heiss & Kelley, "
        "'From the Trenches', Journal of Human Trafficking 2017, "
        "doi:10.1080/23322705.2016.1199241)."
    ),
    "factbook-tiers": (
        "Tier 2 Watch List and Tier 3 lists for later report years: U.S. Department "
        "of State Trafficking in Persons Reports, as carried by the CIA World "
        "Factbook (public domain), via factbook/factbook.json (CC0-1.0)."
    ),
}


def fold(name: str) -> str:
    """A name reduced to lower-case ASCII letters and digits, for matching."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def load_countries(shared: Path) -> dict[str, dict]:
    mledoze = {
        c["cca2"]: c
        for c in json.loads(
            (shared / "countries-mledoze" / "countries.json").read_text()
        )
    }
    m49 = {}
    with (shared / "un-m49-regions" / "all.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            m49[row["alpha-2"]] = row

    countries: dict[str, dict] = {}
    for c in pycountry.countries:
        md = mledoze.get(c.alpha_2, {})
        name = md.get("name", {}).get("common") or getattr(c, "common_name", c.name)
        countries[c.alpha_2] = {
            "code": c.alpha_2,
            "alpha3": c.alpha_3,
            "numeric": c.numeric,
            "name": name,
            "official_name": getattr(c, "official_name", None)
            or md.get("name", {}).get("official")
            or name,
        }
    countries["XK"] = dict(KOSOVO)

    for code, country in countries.items():
        row = m49.get(code)
        if code == "XK":
            row = {
                "region": "Europe",
                "region-code": "150",
                "sub-region": "Southern Europe",
                "sub-region-code": "039",
                "intermediate-region": "",
                "intermediate-region-code": "",
            }
        if code == "TW":
            # The M49 table leaves Taiwan without a region; UN statistics place the
            # territory in Eastern Asia.
            row = {
                "region": "Asia",
                "region-code": "142",
                "sub-region": "Eastern Asia",
                "sub-region-code": "030",
            }
        row = row or {}
        country["region"] = row.get("region") or ""
        country["region_code"] = row.get("region-code") or ""
        country["sub_region"] = row.get("sub-region") or ""
        country["sub_region_code"] = row.get("sub-region-code") or ""
        country["intermediate_region"] = row.get("intermediate-region") or ""
        country["intermediate_region_code"] = row.get("intermediate-region-code") or ""
        calling = phonenumbers.country_code_for_region(code)
        country["calling_code"] = str(calling) if calling else ""
        md = mledoze.get(code, {})
        country["independent"] = bool(md.get("independent", False))
        country["un_member"] = bool(md.get("unMember", False))
        latlng = md.get("latlng") or []
        country["latlng"] = [float(x) for x in latlng[:2]]
        aliases = {country["name"], country["official_name"]}
        pc = pycountry.countries.get(alpha_2=code)
        if pc is not None:
            aliases.update(
                v
                for v in (
                    pc.name,
                    getattr(pc, "common_name", None),
                    getattr(pc, "official_name", None),
                )
                if v
            )
        if md:
            aliases.add(md["name"]["common"])
            aliases.add(md["name"]["official"])
            aliases.update(s for s in md.get("altSpellings", []) if len(s) > 3)
        aliases.update(EXTRA_ALIASES.get(code, []))
        country["aliases"] = sorted(aliases)
    return countries


def alias_index(countries: dict[str, dict]) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, country in countries.items():
        for alias in country["aliases"]:
            index.setdefault(fold(alias), code)
    return index


def add_borders(shared: Path, countries: dict[str, dict]) -> None:
    by_alpha3 = {c["alpha3"]: code for code, c in countries.items()}
    neighbours: dict[str, set[str]] = defaultdict(set)
    with (shared / "factbook-land-borders" / "factbook_land_borders.csv").open() as fh:
        for row in csv.DictReader(fh):
            a = by_alpha3.get(row["iso3"])
            b = by_alpha3.get(row["neighbor_iso3"])
            if a and b and a != b:
                # Borders are symmetric; the Factbook lists some pairs one way only.
                neighbours[a].add(b)
                neighbours[b].add(a)
    for code, country in countries.items():
        country["neighbours"] = sorted(neighbours.get(code, ()))


def number(text: str) -> float | None:
    text = text.replace(",", "").strip()
    if not text or text == "-":
        return None
    return float(text)


def add_gsi(shared: Path, countries: dict[str, dict], index: dict[str, str]) -> None:
    path = shared / "global-slavery-index-2023" / "Global_Slavery_Index_2023.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for row in reader:
            name = row[0].strip()
            code = index.get(fold(name))
            if code is None:
                raise SystemExit(f"{path}: no ISO code for {name!r}")
            prevalence = number(row[3])
            people = number(row[4])
            if prevalence is None and people is None:
                continue
            countries[code]["gsi_2023"] = {
                "prevalence_per_1000": prevalence,
                "people": int(people) if people is not None else None,
                "walk_free_region": row[2].strip(),
            }


TIER_NAMES = {
    "Tier 1": "tier1",
    "Tier 2": "tier2",
    "Tier 2 Watch List": "tier2wl",
    "Tier 3": "tier3",
}

# The Watch List rows carry no year; each belongs to the Tier 3 list first seen in the
# same snapshot (see factbook-tip-watchlist-tier3/SOURCE.md).
WATCH_LIST_SNAPSHOT_YEAR = {"2015-10-26": 2014, "2015-11-15": 2015, "2021-06-15": 2020}


def build_tiers(
    shared: Path, countries: dict[str, dict], index: dict[str, str]
) -> dict:
    by_alpha3 = {c["alpha3"]: code for code, c in countries.items()}
    by_alpha3["KOS"] = "XK"  # Kelley & Heiss's code for Kosovo
    placements: dict[tuple[str, int], dict] = {}
    path = shared / "tip-tiers-kelley-heiss" / "tip_tiers_2001_2015_clean.csv"
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            code = by_alpha3.get(row["iso3"])
            if code is None:
                raise SystemExit(f"{path}: no ISO code for {row['iso3']}")
            year = int(row["report_year"])
            placements[(code, year)] = {
                "country": code,
                "year": year,
                "tier": TIER_NAMES[row["tier"]],
                "source": "kelley-heiss",
            }

    lists: dict[int, dict[str, list[str]]] = defaultdict(dict)
    path = shared / "factbook-tip-watchlist-tier3" / "factbook_world_tier_lists.csv"
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["report_year_stated"]:
                year = int(row["report_year_stated"])
            elif row["list"] == "Tier 2 Watch List":
                year = WATCH_LIST_SNAPSHOT_YEAR.get(row["first_seen_snapshot"], 0)
                if not year:
                    continue
            else:
                continue
            if int(row["stated_count"]) != int(row["parsed_count"]):
                continue
            names = [n.strip() for n in row["countries"].split(";") if n.strip()]
            codes = []
            for name in names:
                code = index.get(fold(name))
                if code is None:
                    raise SystemExit(f"{path}: no ISO code for {name!r}")
                codes.append(code)
            lists[year][TIER_NAMES[row["list"]]] = sorted(set(codes))

    complete_years = sorted(
        year for year, found in lists.items() if {"tier2wl", "tier3"} <= set(found)
    )
    for year in complete_years:
        for tier, codes in lists[year].items():
            for code in codes:
                placements.setdefault(
                    (code, year),
                    {
                        "country": code,
                        "year": year,
                        "tier": tier,
                        "source": "factbook-tiers",
                    },
                )
    return {
        "sources": {k: SOURCES[k] for k in ("kelley-heiss", "factbook-tiers")},
        "ranked_years": list(range(2001, 2016)),
        "list_years": complete_years,
        "placements": sorted(
            placements.values(), key=lambda p: (p["country"], p["year"])
        ),
    }


def main(argv: list[str]) -> int:
    """`build_reference_data.py [SHARED_DATA_DIR [OUT_DIR]]`"""
    shared = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data"
    out = Path(argv[2]) if len(argv) > 2 else OUT
    countries = load_countries(shared)
    index = alias_index(countries)
    add_borders(shared, countries)
    add_gsi(shared, countries, index)
    tiers = build_tiers(shared, countries, index)
    out.mkdir(parents=True, exist_ok=True)
    country_doc = {
        "sources": {
            k: SOURCES[k]
            for k in (
                "pycountry",
                "un-m49",
                "factbook-borders",
                "mledoze",
                "phonenumbers",
                "gsi-2023",
            )
        },
        "countries": sorted(countries.values(), key=lambda c: c["code"]),
    }
    (out / "countries.json").write_text(
        json.dumps(country_doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    )
    (out / "tiers.json").write_text(json.dumps(tiers, indent=0, sort_keys=True) + "\n")
    print(
        f"countries {len(countries)} · tier placements {len(tiers['placements'])} · "
        f"list years {tiers['list_years']}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
