"""The audit trail's tables: a historical copy of each tracked model, kept by
django-simple-history.

The library's own models stay as they are: they are registered here, so their
historical tables (`accounts_historicalentry`, …) and migrations belong to this app.
Each row of a historical table is the whole record as it was after a change (or just
before its deletion), with who made the change (`history_user`, empty for commands
and other machine writes), when (`history_date`) and how (`history_type`: + created,
~ changed, - deleted). How rows are written, and which writes leave none, is in
`lantern.accounts.history` and docs/accounts.md.
"""

from __future__ import annotations

from django.db import models
from simple_history import register

from lantern.capture.models import Snapshot
from lantern.library.models import (
    Access,
    Country,
    CountryProfile,
    Entry,
    Helpline,
    Publisher,
    Series,
    TierPlacement,
    TipSummary,
    Topic,
)
from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
)

APP = "lantern.accounts"


class EntryLinks(models.Model):
    """What an entry's many-to-many fields held at that point of its history, as
    plain values (country codes, topic slugs), so a deleted entry keeps them too."""

    countries = models.JSONField(
        default=list, blank=True, help_text="Country codes, primary included."
    )
    topics = models.JSONField(default=list, blank=True, help_text="Topic slugs.")

    class Meta:
        abstract = True


# Countries are reference data; only the names and the aliases curators may add are
# worth a history.
COUNTRY_REFERENCE_FIELDS = [
    field.name
    for field in Country._meta.concrete_fields
    if field.name not in {"code", "name", "aliases"}
]

TRACKED: tuple[type[models.Model], ...] = (
    Entry,
    Country,
    Access,
    CountryProfile,
    Helpline,
    Publisher,
    Series,
    TierPlacement,
    TipSummary,
    Topic,
    ResourceLink,
    DebateProposition,
    LessonPlan,
    Guidance,
    Snapshot,
)

for _model in TRACKED:
    if _model is Entry:
        register(_model, app=APP, bases=[EntryLinks])
    elif _model is Country:
        register(_model, app=APP, excluded_fields=COUNTRY_REFERENCE_FIELDS)
    else:
        register(_model, app=APP)
