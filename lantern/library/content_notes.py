"""Content notes: what an excerpt describes that a reader may want warning of before
reading it (a survivor looking for a help-line, a student, a teacher choosing what
to show a class).

Pure: text in, notes out. A note is raised by cue words and phrases in the excerpt
or title, matched as whole words on folded text (`fold`: no accents, lower case), so
"raped" raises one and "grape" or "drape" does not. English cues only: most of the
library's excerpts are English; an excerpt in another language gets no note rather
than a wrong one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lantern.core.text import fold


@dataclass(frozen=True)
class Theme:
    note: str  # how the note names it, after "describes" (English; note_text
    # translates it)
    cues: tuple[str, ...]  # folded words and phrases; "*" ends a stem

    @property
    def pattern(self) -> re.Pattern[str]:
        parts = [
            re.escape(cue[:-1]) + r"\w*" if cue.endswith("*") else re.escape(cue)
            for cue in self.cues
        ]
        return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


THEMES: tuple[Theme, ...] = (
    Theme(
        gettext_noop("sexual violence"),
        (
            "rape", "rapes", "raped", "raping", "rapist*", "sexual abuse",
            "sexually abused", "sexual assault*", "sexually assaulted",
            "sexual violence", "molest*", "forced prostitution",
            "forced into prostitution", "forced to prostitute", "sex slave*",
            "sexual slavery", "child pornography", "child sexual",
            "sexually exploited", "sexual exploitation",
        ),
    ),
    Theme(
        gettext_noop("physical violence"),
        (
            "beaten", "beating", "beatings", "tortur*", "killed", "murder*",
            "branded", "burned", "burnt", "whipped", "stabbed", "shot dead",
            "mutilat*", "chained", "starved",
        ),
    ),
    Theme(
        gettext_noop("harm to children"),
        (
            "child abuse", "abused children", "children were abused",
            "child soldier*", "child victims", "child sex",
            "children forced", "children were forced", "girls forced",
            "boys forced", "underage girls",
        ),
    ),
    Theme(gettext_noop("suicide"), ("suicide*", "killed herself", "killed himself", "took her own life", "took his own life")),
    Theme(gettext_noop("organ removal"), ("organ removal", "organ trafficking", "organs removed", "organ harvesting", "kidney removed", "sold a kidney", "sell a kidney", "sell their kidneys")),
)  # fmt: skip


def content_notes(texts: Iterable[str]) -> list[str]:
    """The themes the texts describe, in THEMES order, each once."""
    folded = " ".join(fold(t) for t in texts if t)
    if not folded:
        return []
    return [theme.note for theme in THEMES if theme.pattern.search(folded)]


def note_text(notes: list[str]) -> str:
    """ "sexual violence, physical violence and harm to children", in the
    interface language."""
    words = [_(note) for note in notes if note]
    if len(words) < 2:
        return "".join(words)
    # Translators: the last two of a list of content notes ("sexual violence,
    # physical violence and harm to children"); %(first)s may itself be a list
    # joined by ", ".
    return _("%(first)s and %(last)s") % {
        "first": ", ".join(words[:-1]),
        "last": words[-1],
    }
