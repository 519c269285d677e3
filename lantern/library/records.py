"""Reading the records of an export file with their types checked: every bad value
is an `ExportError` naming where it is (`entries[3].provenance.position: expected a
whole number 0–…`). Pure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lantern.library.models import DatePrecision


class ExportError(ValueError):
    """A record in an export file that cannot be restored; names where it is."""


class Record:
    """Typed access to one JSON object of an export, naming `where` a bad value is."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ExportError(
                f"{where}: expected an object, found {type(value).__name__}"
            )
        self.data = value
        self.where = where

    def at(self, name: str) -> str:
        return f"{self.where}.{name}"

    def has(self, name: str) -> bool:
        return self.data.get(name) not in (None, "")

    def text(self, name: str, *, required: bool = False, max_length: int = 0) -> str:
        value = self.data.get(name)
        if value in (None, ""):
            if required:
                raise ExportError(f"{self.at(name)}: required")
            return ""
        if not isinstance(value, str):
            raise ExportError(f"{self.at(name)}: expected text, found {value!r}")
        if max_length and len(value) > max_length:
            raise ExportError(f"{self.at(name)}: longer than {max_length} characters")
        return value

    def integer(
        self, name: str, *, required: bool = False, low: int = 0, high: int = 2**31 - 1
    ) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                raise ExportError(f"{self.at(name)}: required")
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not low <= value <= high
        ):
            raise ExportError(f"{self.at(name)}: expected a whole number {low}–{high}")
        return value

    def whole(self, name: str, *, low: int = 0, high: int = 2**31 - 1) -> int:
        """A required whole number."""
        value = self.integer(name, required=True, low=low, high=high)
        assert value is not None
        return value

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise ExportError(f"{self.at(name)}: expected true or false")
        return value

    def maybe_flag(self, name: str) -> bool | None:
        return None if self.data.get(name) is None else self.flag(name)

    def choice(self, name: str, choices: list[str], default: str) -> str:
        value = self.data.get(name) or default
        if value not in choices:
            raise ExportError(f"{self.at(name)}: unknown value {value!r}")
        return str(value)

    def strings(self, name: str) -> list[str]:
        value = self.data.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ExportError(f"{self.at(name)}: expected a list of text")
        return list(value)

    def items(self, name: str) -> list[Any]:
        value = self.data.get(name) or []
        if not isinstance(value, list):
            raise ExportError(f"{self.at(name)}: expected a list")
        return value

    def child(self, name: str) -> Record | None:
        value = self.data.get(name)
        return None if value is None else Record(value, self.at(name))

    def date(self, name: str) -> dt.date | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ExportError(f"{self.at(name)}: not a date: {value!r}") from None

    def partial_date(self, name: str) -> tuple[dt.date | None, str]:
        """A date written to its precision (2011, 2011-08, 2011-08-22) and that
        precision."""
        value = self.text(name)
        if not value:
            return None, DatePrecision.UNKNOWN
        try:
            if len(value) == 4:
                return dt.date(int(value), 1, 1), DatePrecision.YEAR
            if len(value) == 7:
                return dt.date(int(value[:4]), int(value[5:7]), 1), DatePrecision.MONTH
            return dt.date.fromisoformat(value), DatePrecision.DAY
        except ValueError:
            raise ExportError(f"{self.at(name)}: not a date: {value!r}") from None

    def timestamp(self, name: str) -> dt.datetime | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise ExportError(f"{self.at(name)}: not a timestamp: {value!r}") from None
