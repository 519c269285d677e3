"""The reader's reading list, kept in a signed cookie (no account, no database
row): reading it back from a request and writing it on a response.

A cookie that is missing, tampered with or unreadable counts as an empty list;
ids of entries no longer in the library are dropped when the list is read with
`existing_ids` (the views then write the shorter list back)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse

from lantern.library.models import Entry
from lantern.readinglist.lists import CAP

COOKIE = "lantern_reading_list"
SALT = "lantern.readinglist"
MAX_AGE = 365 * 24 * 60 * 60

# Ids are written in base 36 and separated by dots (characters cookies allow
# unquoted): a full list of seven-digit ids then stays well under the 4 KB a
# browser keeps for one cookie.
SEP = "."
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_PART = re.compile(r"^[1-9a-z][0-9a-z]{0,11}$")


def encode(ids: list[int]) -> str:
    """Ids as the cookie holds them (before signing)."""
    return SEP.join(_base36(pk) for pk in ids)


def decode(text: str) -> list[int]:
    """The ids of a cookie's (verified) value, in order, each once; an empty
    list for anything Lantern would not have written."""
    parts = text.split(SEP) if text else []
    if len(parts) > CAP or not all(_PART.match(part) for part in parts):
        return []
    return list(dict.fromkeys(int(part, 36) for part in parts))


def _base36(pk: int) -> str:
    digits = ""
    while pk:
        pk, rest = divmod(pk, 36)
        digits = _DIGITS[rest] + digits
    return digits or "0"


_ON_REQUEST = "_lantern_reading_list"


@dataclass
class Held:
    """The list a request's cookie holds (read once per request)."""

    ids: list[int]
    _existing: list[int] | None = field(default=None, repr=False)

    def existing_ids(self) -> list[int]:
        """The ids of entries still in the library, in the list's order (one
        query, once per request; none for an empty list)."""
        if self._existing is None:
            found: set[int] = set()
            if self.ids:
                found = set(
                    Entry.objects.filter(pk__in=self.ids).values_list("pk", flat=True)
                )
            self._existing = [pk for pk in self.ids if pk in found]
        return self._existing


def held(request: HttpRequest) -> Held:
    """The reading list of the request's cookie, an empty one if it has none
    or it is not one Lantern signed."""
    cached = getattr(request, _ON_REQUEST, None)
    if isinstance(cached, Held):
        return cached
    raw = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    result = Held(decode(raw) if isinstance(raw, str) else [])
    setattr(request, _ON_REQUEST, result)
    return result


def store(request: HttpRequest, response: HttpResponse, ids: list[int]) -> None:
    """Write `ids` as the reader's list on `response` (an empty list removes
    the cookie), and remember it for the rest of the request."""
    if ids:
        response.set_signed_cookie(
            COOKIE,
            encode(ids),
            salt=SALT,
            max_age=MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    setattr(request, _ON_REQUEST, Held(list(ids)))
