"""Small text helpers shared by the importer, the library and search."""

from __future__ import annotations

import re
import unicodedata

PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
    }
)


def clean_space(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space, trimmed."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """Text reduced for matching: ASCII lower case, plain quotes and dashes, words only.

    `fold("Côte d’Ivoire")` and `fold("cote d'ivoire")` are equal. A leading "The" is
    dropped, so "The Gambia" matches "Gambia".
    """
    text = unicodedata.normalize("NFKD", text.translate(PUNCT_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def slugify_ascii(text: str, max_length: int = 80) -> str:
    """A URL slug from any text (ASCII, hyphenated, bounded length)."""
    return fold(text).replace(" ", "-")[:max_length].strip("-")


def paragraphs(value: object) -> list[str]:
    """A stored excerpt or notes field (a list of paragraphs, or older plain text) as
    a list of non-empty texts."""
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []
