"""Link-check runs: which entries a run set out to check, so a run killed half-way
resumes where it stopped without checking anything twice."""

from __future__ import annotations

from django.db import models


class CheckRunQuerySet(models.QuerySet["CheckRun"]):
    def unfinished(self) -> CheckRunQuerySet:
        """Runs that were stopped before they finished, latest first."""
        return self.filter(status=CheckRun.Status.RUNNING).order_by(
            "-started_at", "-id"
        )


class CheckRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    options = models.JSONField(
        default=dict, blank=True, help_text="How it was started."
    )
    targets = models.JSONField(
        default=list, blank=True, help_text="Entry ids to check."
    )
    counts = models.JSONField(default=dict, blank=True, help_text="Outcome → number.")

    objects = CheckRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Check run #{self.pk} ({self.status})"
