from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig

if TYPE_CHECKING:
    from lantern.core.models import Job


def _capture(job: Job) -> None:
    # Imported when a job runs, so commands that never capture do not load the
    # extraction libraries.
    from lantern.capture.services import run_capture_job

    run_capture_job(job)


def _wayback(job: Job) -> None:
    from lantern.capture.wayback import update_wayback

    if job.entry is not None:
        update_wayback(job.entry)


class CaptureConfig(AppConfig):
    name = "lantern.capture"
    label = "capture"
    verbose_name = "Capture and snapshots"

    def ready(self) -> None:
        """Say what `capture` and `wayback` jobs do."""
        from lantern.core.jobs import register
        from lantern.core.models import Job

        register(Job.Kind.CAPTURE, _capture)
        register(Job.Kind.WAYBACK, _wayback)
