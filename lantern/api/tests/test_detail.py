"""Country and entry details: what their pages show, with links back to the site."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from lantern.api.tests.conftest import get_json
from lantern.capture.models import Snapshot


def test_country_detail_has_profile_tiers_help_lines_and_links(client, library):
    peru = get_json(client, "/api/countries/pe")
    assert peru["code"] == "PE" and peru["name"] == "Peru"
    assert peru["entry_count"] == 12
    assert peru["site_url"] == "http://testserver/countries/pe/"
    assert peru["entries_url"] == "http://testserver/api/entries?country=PE"
    assert peru["gsi_prevalence"] is not None
    assert "BO" in peru["neighbours"]
    profile = peru["profile"]
    assert profile["background"] == [
        "The economy reflects a varied geography.",
        "Growth was strong.",
    ]
    assert profile["tip_tier"] == "tier2" and profile["tip_tier_label"] == "Tier 2"
    by_year = {cell["year"]: cell for cell in peru["tier_history"]}
    assert by_year[2012]["tier"] == "tier1"
    assert by_year[2012]["source"] == "curator"
    assert peru["tier_sources"]
    assert [h["number"] for h in peru["helplines"]] == ["01518 0000", "1818"]
    short = peru["helplines"][1]
    assert (
        short["is_short_code"] and not short["is_valid"] and short["tel"] == "tel:1818"
    )
    # The entries link lists exactly the entries counted.
    listed = get_json(client, peru["entries_url"] + "&limit=500")
    assert listed["total"] == 12


def test_a_country_without_a_profile_has_none(client, library):
    bolivia = get_json(client, "/api/countries/BO")
    assert bolivia["profile"] is None
    assert bolivia["helplines"] == []
    assert bolivia["entry_count"] == 4


def test_unknown_or_malformed_country_codes(client, library):
    missing = get_json(client, "/api/countries/QQ", expect=404)
    assert missing == {"detail": "No such country.", "parameter": None}
    bad = get_json(client, "/api/countries/PER", expect=400)
    assert bad["parameter"] == "code"


def test_entry_detail_has_metadata_excerpt_countries_topics_and_links(client, library):
    entry = library.review
    data = get_json(client, f"/api/entries/{entry.pk}")
    assert data["title"] == entry.title
    assert data["excerpt"] == ["Traders also bought cocoa in the border markets."]
    assert data["publisher"] == {
        "name": "Ghana Daily Graphic",
        "kind": "news",
        "url": "",
    }
    # By name, as the page lists them: Ghana, then Ivory Coast.
    assert [(c["code"], c["primary"]) for c in data["countries"]] == [
        ("GH", True),
        ("CI", False),
    ]
    assert data["section"] == "archive" and data["link_status"] == "dead"
    assert data["site_url"] == f"http://testserver/entries/{entry.pk}/"
    assert data["cite_url"] == f"http://testserver/entries/{entry.pk}/cite/"
    assert data["accesses_url"] == f"http://testserver/api/entries/{entry.pk}/accesses"
    assert data["provenance"]["origin"] == "import"
    assert data["provenance"]["source_file"] == entry.source_page.file_path
    topics = get_json(client, f"/api/entries/{library.cocoa.pk}")["topics"]
    assert {t["slug"] for t in topics} == {"child-labour", "agriculture"}


def test_entry_detail_offers_the_archived_copy_the_page_offers(client, library):
    entry = library.review
    assert get_json(client, f"/api/entries/{entry.pk}")["archived_copy"] is None
    entry.wayback_url = "https://web.archive.org/web/2021/https://example.org/r"
    entry.save()
    copy = get_json(client, f"/api/entries/{entry.pk}")["archived_copy"]
    assert copy["kind"] == "wayback" and copy["url"] == entry.wayback_url
    snapshot = Snapshot.objects.create(
        entry=entry,
        url=entry.url,
        captured_at=timezone.make_aware(dt.datetime(2022, 1, 2)),
        http_status=200,
        warc_path="snapshots/review.warc.gz",
    )
    copy = get_json(client, f"/api/entries/{entry.pk}")["archived_copy"]
    assert copy["kind"] == "snapshot"
    assert copy["url"] == f"http://testserver{snapshot.get_absolute_url()}"


def test_access_history_has_every_dated_access_and_check(client, library):
    data = get_json(client, f"/api/entries/{library.cocoa.pk}/accesses")
    assert data["total"] == 2
    line, check = data["results"]
    assert line["accessed"] == "2019-06-06" and line["origin"] == "import"
    assert line["raw"] == "[accessed 6 June 2019]" and line["verifies"]
    assert check["origin"] == "checker" and check["outcome"] == "alive"
    assert check["http_status"] == 200 and check["excerpt_found"] is True
    assert check["checked_at"] == "2024-03-04T05:06:07Z"
    dead = get_json(client, f"/api/entries/{library.review.pk}/accesses")["results"]
    assert [(a["outcome"], a["verifies"]) for a in dead] == [("dead", False)]


def test_unknown_or_malformed_entry_ids(client, library):
    missing = max(library.ids()) + 1000
    assert get_json(client, f"/api/entries/{missing}", expect=404)["detail"] == (
        "No such entry."
    )
    assert get_json(client, f"/api/entries/{missing}/accesses", expect=404)
    for bad in ["abc", "0", "-4", "99999999999999999999999"]:
        error = get_json(client, f"/api/entries/{bad}", expect=400)
        assert error["parameter"] == "entry_id", bad


def test_an_unknown_api_address_is_a_json_404(client, db):
    response = client.get("/api/entries/1/nothing")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No such API address")


def test_the_api_is_read_only(client, library):
    for method in (client.post, client.put, client.delete, client.patch):
        response = method("/api/entries")
        assert response.status_code == 405, method
    assert client.get("/api/entries").json()["total"] == 16


def test_the_api_root_points_to_the_docs_and_lists(client, db):
    data = get_json(client, "/api/")
    assert data["docs"] == "http://testserver/api/docs"
    assert data["openapi"] == "http://testserver/api/openapi.json"
    for name, url in data["lists"].items():
        assert client.get(url).status_code == 200, name
