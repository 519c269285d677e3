"""What keeps a reader safe on the public pages: a quick exit beside every
help-line block, and content notes before excerpts that describe abuse."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.library.models import Helpline
from lantern.library.tests.factories import EntryFactory

RAPED = "When she arrived she was raped and beaten by the three men who bought her."


@pytest.fixture
def helpline(db):  # type: ignore[no-untyped-def]
    return Helpline.objects.create(
        country_id="PE", organisation="Ministry of Interior", number_raw="01518 0000"
    )


@pytest.mark.parametrize("page", ["web:helplines", "country"])
def test_help_line_blocks_offer_a_quick_exit(client, settings, helpline, page) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_QUICK_EXIT_URL = "https://weather.example/today"
    url = reverse("web:country", args=["pe"]) if page == "country" else reverse(page)
    html = client.get(url).content.decode()
    assert (
        '<a class="quick-exit__link" href="https://weather.example/today" '
        'data-quick-exit rel="noreferrer noopener">Quick exit' in html
    )
    assert "web/quick-exit.js" in html


@pytest.mark.django_db
def test_excerpts_that_describe_abuse_carry_a_content_note(client) -> None:
    marked = EntryFactory(title="Sold in Osaka", excerpt=[RAPED])
    plain = EntryFactory(title="A new law", excerpt=["Congress passed a new law."])
    country = client.get(reverse("web:country", args=["pe"])).content.decode()
    note = (
        '<p class="content-note" role="note"><strong>Content note:</strong> the '
        "excerpt below describes sexual violence and physical violence.</p>"
    )
    assert country.count(note) == 1
    # The note comes right before the excerpt it is about.
    assert country.index(note) < country.index(RAPED)
    assert country.index("Sold in Osaka") < country.index(note)
    entry = client.get(reverse("web:entry", args=[marked.pk])).content.decode()
    assert note in entry
    other = client.get(reverse("web:entry", args=[plain.pk])).content.decode()
    assert "content-note" not in other
