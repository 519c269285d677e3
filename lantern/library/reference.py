"""Loading reference facts into the database: countries with regions and neighbours,
the topic vocabulary, report series, and TIP tier placements.

The facts live in `lantern/library/data/*.json`, compiled from `../shared/data` by
`scripts/build_reference_data.py`. Loading is idempotent and runs from a data
migration, so every database (tests included) has them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction

from lantern.library.vocabulary import SERIES, VOCABULARY

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def country_facts() -> dict[str, Any]:
    """The compiled country facts (with their source attributions)."""
    return json.loads((DATA_DIR / "countries.json").read_text(encoding="utf-8"))


@cache
def tier_facts() -> dict[str, Any]:
    """The compiled TIP tier placements (with their source attributions)."""
    return json.loads((DATA_DIR / "tiers.json").read_text(encoding="utf-8"))


def load_reference_data(apps: Apps | None = None) -> dict[str, int]:
    """Create or update countries, neighbours, topics, series and tier placements.

    Touches the database only. `apps` is a migration's app registry, or None for the
    live models. Returns counts of what is now present.
    """
    apps = apps or global_apps
    Country = apps.get_model("library", "Country")
    Topic = apps.get_model("library", "Topic")
    Series = apps.get_model("library", "Series")
    TierPlacement = apps.get_model("library", "TierPlacement")

    with transaction.atomic():
        facts = country_facts()["countries"]
        existing = {c.code: c for c in Country.objects.all()}
        fields = [
            "alpha3", "numeric", "name", "official_name", "region", "region_code",
            "sub_region", "sub_region_code", "intermediate_region",
            "intermediate_region_code", "calling_code", "independent", "un_member",
            "latitude", "longitude", "aliases", "gsi_prevalence", "gsi_people",
        ]  # fmt: skip
        to_create, to_update = [], []
        for fact in facts:
            gsi = fact.get("gsi_2023") or {}
            values = {
                "alpha3": fact["alpha3"],
                "numeric": fact["numeric"],
                "name": fact["name"],
                "official_name": fact["official_name"],
                "region": fact["region"],
                "region_code": fact["region_code"],
                "sub_region": fact["sub_region"],
                "sub_region_code": fact["sub_region_code"],
                "intermediate_region": fact["intermediate_region"],
                "intermediate_region_code": fact["intermediate_region_code"],
                "calling_code": fact["calling_code"],
                "independent": fact["independent"],
                "un_member": fact["un_member"],
                "latitude": fact["latlng"][0] if fact["latlng"] else None,
                "longitude": fact["latlng"][1] if fact["latlng"] else None,
                "aliases": fact["aliases"],
                "gsi_prevalence": gsi.get("prevalence_per_1000"),
                "gsi_people": gsi.get("people"),
            }
            country = existing.get(fact["code"])
            if country is None:
                to_create.append(Country(code=fact["code"], **values))
            elif any(getattr(country, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(country, k, v)
                to_update.append(country)
        Country.objects.bulk_create(to_create)
        Country.objects.bulk_update(to_update, fields)

        Through = Country.neighbours.through
        wanted = {
            (fact["code"], n)
            for fact in facts
            for n in fact["neighbours"]
            if n != fact["code"]
        }
        have = set(Through.objects.values_list("from_country_id", "to_country_id"))
        Through.objects.bulk_create(
            [
                Through(from_country_id=a, to_country_id=b)
                for a, b in sorted(wanted - have)
            ]
        )
        stale = have - wanted
        for a, b in stale:
            Through.objects.filter(from_country_id=a, to_country_id=b).delete()

        for g_pos, group in enumerate(VOCABULARY):
            parent, _ = Topic.objects.update_or_create(
                slug=group.slug,
                defaults={
                    "name": group.name,
                    "description": group.description,
                    "parent": None,
                    "position": g_pos * 100,
                    "keywords": [],
                },
            )
            for t_pos, spec in enumerate(group.topics, start=1):
                Topic.objects.update_or_create(
                    slug=spec.slug,
                    defaults={
                        "name": spec.name,
                        "parent": parent,
                        "position": g_pos * 100 + t_pos,
                        "keywords": list(spec.keywords),
                        "description": spec.description,
                    },
                )

        for series in SERIES:
            Series.objects.update_or_create(
                slug=series.slug,
                defaults={"name": series.name, "publisher_name": series.publisher},
            )

        tiers = tier_facts()
        have_tiers = {
            (t.country_id, t.report_year, t.source): t
            for t in TierPlacement.objects.filter(
                source__in=["kelley-heiss", "factbook-tiers"]
            )
        }
        new_tiers, changed = [], []
        known = {f["code"] for f in facts}
        for p in tiers["placements"]:
            if p["country"] not in known:
                continue
            current = have_tiers.get((p["country"], p["year"], p["source"]))
            if current is None:
                new_tiers.append(
                    TierPlacement(
                        country_id=p["country"],
                        report_year=p["year"],
                        tier=p["tier"],
                        source=p["source"],
                    )
                )
            elif current.tier != p["tier"]:
                current.tier = p["tier"]
                changed.append(current)
        TierPlacement.objects.bulk_create(new_tiers)
        TierPlacement.objects.bulk_update(changed, ["tier"])

    return {
        "countries": Country.objects.count(),
        "topics": Topic.objects.count(),
        "series": Series.objects.count(),
        "tier_placements": TierPlacement.objects.count(),
    }


def tier_list_years() -> list[int]:
    """Report years for which the complete Watch List and Tier 3 lists are known."""
    return list(tier_facts()["list_years"])


def ranked_years() -> list[int]:
    """Report years for which every ranked country's tier is known."""
    return list(tier_facts()["ranked_years"])


@cache
def alias_index() -> dict[str, str]:
    """Folded country name or alias → ISO code, from the compiled facts (no database).

    The same table `LibraryCache` builds from the Country rows; pure code and tests
    that have no database use this one.
    """
    from lantern.core.text import fold

    index: dict[str, str] = {}
    for fact in country_facts()["countries"]:
        for alias in [fact["name"], fact["official_name"], *fact["aliases"]]:
            index.setdefault(fold(alias), fact["code"])
    return index
