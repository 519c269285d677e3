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


def find_numbers(text: str) -> list[str]:
    """Phone-number-like runs in a text, as written ("0800-2-3232", "1098")."""
    found = []
    for match in PHONE_RE.finditer(text):
        candidate = match.group(0).strip(" ().-")
        digits = digits_of(candidate)
        # Years and dates are digit runs too; a help-line has at least 3 digits
        # and is not a bare 4-digit year.
        if len(digits) < 3 or re.fullmatch(r"(19|20)\d\d", candidate):
            continue
        found.append(candidate)
    return found
