"""What counts as a library already there, on a database as `migrate` leaves it."""

from __future__ import annotations

import pytest

from lantern.backup.database import backed_up_models, label, library_data
from lantern.library.models import Country, Entry


@pytest.mark.django_db
def test_a_freshly_migrated_database_holds_no_library() -> None:
    assert Country.objects.exists()  # the reference facts the migrations load

    assert library_data() == {}


@pytest.mark.django_db
def test_an_entry_counts_as_a_library() -> None:
    Entry.objects.create(title="A report", format="web")

    assert library_data()["library.entry"] == 1


def test_every_table_but_sign_ins_and_the_search_index_is_backed_up() -> None:
    labels = {label(m) for m in backed_up_models()}

    assert {"library.entry", "library.entry_countries", "auth.user"} <= labels
    assert {"contenttypes.contenttype", "capture.snapshot", "core.job"} <= labels
    assert "sessions.session" not in labels
    assert "search.searchentry" not in labels
