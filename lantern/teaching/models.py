"""Resources for teachers and students: the teachers' menu, debate propositions,
lesson plans with their labelled fields, and term-paper guidance."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class ResourceLink(models.Model):
    """One item of a teachers' resource menu."""

    title = models.CharField(max_length=300)
    url = models.CharField(max_length=2000, blank=True)
    description = models.TextField(blank=True)
    menu = models.CharField(
        max_length=200, blank=True, help_text="The menu heading the item sits under."
    )
    position = models.PositiveSmallIntegerField(default=0)
    source_page = models.ForeignKey(
        "library.SourcePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="resource_links",
    )

    class Meta:
        ordering = ["source_page", "position"]

    def __str__(self) -> str:
        return self.title


class DebateProposition(models.Model):
    """A numbered proposition for classroom debate."""

    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    source_page = models.ForeignKey(
        "library.SourcePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="propositions",
    )

    class Meta:
        ordering = ["number", "id"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class LessonPlan(models.Model):
    """A lesson plan: its well-known labelled fields, and any others in page order."""

    title = models.CharField(max_length=300)
    unit_topic = models.CharField(max_length=300, blank=True)
    grade_level = models.CharField(max_length=200, blank=True)
    objectives = models.JSONField(
        default=list, blank=True, help_text="Numbered objectives."
    )
    fields = models.JSONField(
        default=list,
        blank=True,
        help_text="Every labelled field in page order: [{label, value}].",
    )
    source_page = models.OneToOneField(
        "library.SourcePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lesson_plan",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("web:lesson-plan", args=[self.pk])


class Guidance(models.Model):
    """Advice for students (term papers) or teachers, as published on the pages."""

    class Audience(models.TextChoices):
        STUDENTS = "students", "Students"
        TEACHERS = "teachers", "Teachers"
        ALL = "all", "Everyone"

    audience = models.CharField(max_length=10, choices=Audience.choices)
    heading = models.CharField(max_length=200, blank=True)
    paragraphs = models.JSONField(default=list)
    text_key = models.CharField(
        max_length=64,
        unique=True,
        help_text="Hash of the text; one record per wording.",
    )
    topics_mentioned = models.JSONField(
        default=list, blank=True, help_text="Topic slugs the advice names."
    )
    first_seen_page = models.ForeignKey(
        "library.SourcePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["audience", "id"]
        verbose_name_plural = "guidance"

    def __str__(self) -> str:
        return self.heading or (self.paragraphs[0][:60] if self.paragraphs else "")


def guidance_key(audience: str, paragraphs: list[str]) -> str:
    """One Guidance record per audience and wording (whitespace and case ignored)."""
    import hashlib

    from lantern.core.text import fold

    text = fold("\n\n".join(paragraphs))
    return hashlib.sha256(f"{audience}|{text}".encode()).hexdigest()
