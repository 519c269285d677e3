"""Reference facts: derived from ../shared/data (not typed by hand) and loaded into
every database with the spot values the sources give."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lantern.library.models import Country, TierPlacement, Topic
from lantern.library.reference import DATA_DIR, tier_list_years

ROOT = Path(__file__).resolve().parents[3]


def test_compiled_facts_match_a_fresh_build_from_shared_data(
    shared_dir: Path, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_reference_data.py"),
         str(shared_dir / "data"), str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in ("countries.json", "tiers.json"):
        assert (tmp_path / name).read_text() == (DATA_DIR / name).read_text(), name


@pytest.mark.django_db
def test_every_country_is_loaded_with_region_and_neighbours() -> None:
    assert Country.objects.count() == 250
    peru = Country.objects.get(code="PE")
    assert (peru.alpha3, peru.official_name) == ("PER", "Republic of Peru")
    assert (peru.region, peru.sub_region) == (
        "Americas",
        "Latin America and the Caribbean",
    )
    assert peru.calling_code == "51"
    assert set(peru.neighbours.values_list("code", flat=True)) == {
        "BO",
        "BR",
        "CL",
        "CO",
        "EC",
    }
    # Borders are symmetric.
    assert Country.objects.get(code="BO").neighbours.filter(code="PE").exists()
    assert (peru.gsi_prevalence, peru.gsi_people) == (7.1, 234000)
    assert Country.objects.get(code="XK").region == "Europe"


@pytest.mark.django_db
def test_tier_history_spot_values() -> None:
    def tiers(code: str) -> dict[int, str]:
        return dict(
            TierPlacement.objects.filter(country_id=code).values_list(
                "report_year", "tier"
            )
        )

    peru = tiers("PE")
    assert (peru[2004], peru[2005], peru[2006]) == ("tier2wl", "tier2", "tier2wl")
    assert all(peru[y] == "tier2" for y in range(2007, 2016))
    assert not any(y in peru for y in range(2020, 2026))
    assert set(tier_list_years()) >= {2014, 2015, 2020, 2022, 2023, 2024, 2025}
    bolivia = tiers("BO")
    assert bolivia[2005] == "tier3"
    assert [y for y, t in bolivia.items() if t == "tier2wl" and y >= 2014] == [
        2014,
        2015,
        2023,
        2025,
    ]


@pytest.mark.django_db
def test_topic_vocabulary_has_two_levels() -> None:
    groups = Topic.objects.filter(parent=None)
    assert set(groups.values_list("slug", flat=True)) == {
        "forms",
        "sectors",
        "groups",
        "responses",
        "precursors",
    }
    assert Topic.objects.get(slug="debt-bondage").parent.slug == "forms"
    assert Topic.objects.get(slug="brick-kilns").parent.slug == "sectors"
    assert Topic.objects.get(slug="street-children").parent.slug == "groups"
