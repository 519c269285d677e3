"""Publishing with several worker processes gives the same site as one process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import transaction

from lantern.library.demo import load_demo
from lantern.library.models import Country
from lantern.library.reference import load_reference_data
from lantern.publish.output import MANIFEST_NAME
from lantern.publish.services import PublishError, publish


def manifest(root: Path) -> dict[str, str]:
    return dict(json.loads((root / MANIFEST_NAME).read_text())["files"])


# Workers read the library on connections of their own, so it must be committed:
# a transactional test, which starts from whatever earlier transactional tests
# left (they end by emptying every table) and empties them in turn.
@pytest.mark.django_db(transaction=True)
def test_two_workers_publish_the_same_files_as_one(tmp_path: Path) -> None:
    if not Country.objects.exists():
        load_reference_data()
    assert load_demo(force=True)

    one = publish(tmp_path / "one", search=False)
    two = publish(tmp_path / "two", search=False, jobs=2)

    assert two.pages == one.pages > 1000
    assert manifest(tmp_path / "two") == manifest(tmp_path / "one")
    assert two.warnings == one.warnings


@pytest.mark.django_db
def test_workers_refuse_a_library_not_yet_committed(tmp_path: Path) -> None:
    with transaction.atomic(), pytest.raises(PublishError, match="--jobs"):
        publish(tmp_path / "site", search=False, jobs=2)


@pytest.mark.django_db
def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="--jobs must be 1 or more"):
        publish(tmp_path / "site", jobs=0)
