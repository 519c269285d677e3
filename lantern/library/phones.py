"""Help-line numbers: validate with phonenumbers and give the international form.

Pure functions; no database."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo

# A phone number as the old pages wrote it: digits with spaces, dots, dashes and
# brackets, optionally "+" first; at least three digits.
PHONE_RE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().\-]{1,22}\d(?![\w/])")


@dataclass(frozen=True)
class PhoneCheck:
    raw: str
    e164: str  # "" when the number is not valid in international form
    is_valid: bool
    is_short_code: bool
    problem: str
    key: str  # digits only, for recognising the same number twice


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def check_number(raw: str, region: str, country_code_raw: str = "") -> PhoneCheck:
    """Validate a number as dialled inside `region` (ISO alpha-2).

    A short service number (1098) is valid when the region knows it, but has no
    E.164 form. Invalid numbers are reported with the reason, never discarded.
    """
    raw = raw.strip()
    key = digits_of(raw)
    if not key:
        return PhoneCheck(raw, "", False, False, "no digits", key)
    region = region.upper()
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        return PhoneCheck(raw, "", False, False, f"unreadable number: {exc}", key)
    if country_code_raw:
        stated = digits_of(country_code_raw)
        if stated and number.country_code != int(stated) and not raw.startswith("+"):
            return PhoneCheck(
                raw, "", False, False,
                f"country code {stated} does not match {region}", key,
            )  # fmt: skip
    if phonenumbers.is_valid_number(number):
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return PhoneCheck(raw, e164, True, False, "", key)
    try:
        short = phonenumbers.parse(raw, region)
        if shortnumberinfo.is_valid_short_number_for_region(short, region):
            return PhoneCheck(raw, "", True, True, "", key)
    except phonenumbers.NumberParseException:
        pass
    if len(key) <= 6:
        return PhoneCheck(
            raw, "", False, True, f"unknown short number for {region}", key
        )
    return PhoneCheck(raw, "", False, False, f"not a valid number for {region}", key)


_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_YEARS = re.compile(r"^(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)?\d\d)?$")
HOTLINE_WORD = re.compile(
    r"\b(?:hot[\s-]*line|help[\s-]*line|child[\s-]*line|toll[\s-]*free|free\s*phone|"
    r"call|dial|tel(?:ephone)?|phone|number|line)\b\W{0,3}",
    re.IGNORECASE,
)


def find_numbers(text: str) -> list[str]:
    """Phone-number-like runs in a text, as written ("0800-2-3232", "1098").

    Figures are not numbers to call: thousands ("7,000"), years and year ranges
    ("2005-2006") and runs of fewer than three digits are skipped.
    """
    found = []
    for match in PHONE_RE.finditer(text):
        candidate = match.group(0).strip(" ().-")
        before = text[: match.start()]
        after = text[match.end() :]
        if before.endswith(",") or (after.startswith(",") and after[1:2].isdigit()):
            continue  # part of "1,500" or "7,000"
        if _THOUSANDS.match(candidate) or _YEARS.match(candidate):
            continue
        if len(digits_of(candidate)) < 3:
            continue
        found.append(candidate)
    return found


def find_hotline_numbers(text: str) -> list[str]:
    """Numbers a text offers to call: those written just after a word such as
    "Hotline", "Toll Free Call" or "Childline" ("… - Hotline 0800-2-3232")."""
    numbers = []
    for word in HOTLINE_WORD.finditer(text):
        window = text[word.end() : word.end() + 30]
        first = PHONE_RE.match(window.lstrip(" :-–"))
        if first is None:
            continue
        for number in find_numbers(first.group(0)):
            if number not in numbers:
                numbers.append(number)
    return numbers
