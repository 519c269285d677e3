"""The API shows what the public pages show, and nothing only curators see."""

from __future__ import annotations

import json

from django.utils import timezone

from lantern.api.tests.conftest import walk
from lantern.library.models import Entry
from lantern.library.tagging_models import TopicSuggestion


def everything(client, library) -> str:  # type: ignore[no-untyped-def]
    """Every answer of every operation about the library, as one text."""
    texts = []
    for url in ["/api/entries", "/api/countries", "/api/helplines", "/api/topics"]:
        texts.append(json.dumps(walk(client, url, limit=500)))
        texts.append(client.get(url, {"format": "csv", "limit": 500}).content.decode())
    for entry in library.entries:
        texts.append(client.get(f"/api/entries/{entry.pk}").content.decode())
        texts.append(client.get(f"/api/entries/{entry.pk}/accesses").content.decode())
    for code in ["PE", "GH", "BO"]:
        texts.append(client.get(f"/api/countries/{code}").content.decode())
    for q in ["cocoa", "report", ""]:
        texts.append(client.get("/api/search", {"q": q, "limit": 500}).content.decode())
    return "\n".join(texts)


def test_curator_only_data_is_absent(client, library):
    TopicSuggestion.objects.create(
        entry=library.cocoa,
        topic=library.cocoa.topics.first(),
        score=0.9,
        state=TopicSuggestion.State.REJECTED,
        evidence=[{"phrase": "SUGGESTION-EVIDENCE-ONLY-CURATORS-SEE"}],
        tagged_at=timezone.now(),
    )
    text = everything(client, library)
    assert "Cocoa farms in Ghana" in text  # the texts were read
    # The entry's key, hashes, the import's raw text and unparsed lines, the
    # check's error and content hash, the tagger's evidence all carry this mark.
    assert library.curator_secret not in text
    assert "secret-curator-name" not in text
    assert "REDIRECT" not in text
    for field in [
        "tagging_hash",
        "cached_import_hash",
        "added_by",
        "source_text",
    ]:
        assert f'"{field}"' not in text, field
    for field in [
        "error",
        "content_hash",
        "redirect_chain",
        "elapsed_ms",
        "attempts",
        "run",
    ]:
        assert f'"{field}"' not in text, field


def test_every_entry_is_public_as_on_the_site(client, library):
    # The site has no unpublished entries: every entry has a page, so every
    # entry is in the API, archived ones and street-children ones included.
    listed = {item["id"] for item in walk(client, "/api/entries", limit=500)}
    assert listed == set(Entry.objects.values_list("pk", flat=True))
    for entry in library.entries:
        assert client.get(entry.get_absolute_url()).status_code == 200
