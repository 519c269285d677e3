"""Publishing with several worker processes: what it refuses. (That it writes the
same site as one process is tested on the demo library in test_publish.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from lantern.publish.services import PublishError, publish


@pytest.mark.django_db
def test_workers_refuse_a_library_not_yet_committed(tmp_path: Path) -> None:
    with transaction.atomic(), pytest.raises(PublishError, match="--jobs"):
        publish(tmp_path / "site", search=False, jobs=2)


@pytest.mark.django_db
def test_jobs_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="--jobs must be 1 or more"):
        publish(tmp_path / "site", jobs=0)
