"""Numbers written as words, for the SMART rules (pure: no I/O).

Mentees write "twenty-one days", "a dozen talks" and "by the first of March" as
often as digits, so both the measure finder (`smart`) and the date reader
(`smart_dates`) need the same word lists; they live here so neither module grows
its own copy.
"""
from __future__ import annotations

import re

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_ORDINAL_UNITS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                  "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30}

NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)} | _TENS
_ORDINAL_WORDS: dict[str, int] = {word: value for value, word in enumerate(_ORDINAL_UNITS, 1)} | _ORDINAL_TENS


def _alternation(words) -> str:
    # Longest first, so "seventeen" is not read as "seven" + "teen".
    return "|".join(sorted(words, key=len, reverse=True))


_TENS_RE = _alternation(_TENS)
_UNIT_RE = _alternation(_UNITS[1:10])
# A count in words: "twenty-one", "twenty one", "a dozen", "a hundred", "seven".
NUMBER_RE = (rf"(?:(?:{_TENS_RE})(?:[\s-](?:{_UNIT_RE}))?|(?:a|one)\s+hundred|a\s+dozen|dozen|hundred"
             rf"|(?:{_alternation(_UNITS)}))\b")
# A day of the month in words: "first", "twenty-third", "thirty-first" (up to 31).
ORDINAL_RE = (rf"(?:(?:twenty|thirty)[\s-](?:{_alternation(_ORDINAL_UNITS[:9])})|"
              rf"{_alternation(list(_ORDINAL_UNITS) + list(_ORDINAL_TENS))})\b")


# A common fraction ("by 1/3"), which a month/day date like "by 3/15" must not be mistaken for.
FRACTION_RE = r"(?:1/[2-4]|2/[34]|3/4)\b"
COUNT_RE = rf"(?:\d{{1,3}}|{NUMBER_RE})"
RANGE_SEP = r"\s*(?:-|–|\bto\b|\bor\b)\s*"


def word_number(text: str) -> int | None:
    """The value of a count written in words or digits ("twenty-one" -> 21, "a dozen" -> 12), else None."""
    words = re.sub(r"[\s-]+", " ", text.strip().lower())
    if words.isdigit():
        return int(words)
    if words.endswith("dozen"):
        return 12
    if words.endswith("hundred"):
        return 100
    if words in NUMBER_WORDS:
        return NUMBER_WORDS[words]
    tens, _, unit = words.partition(" ")
    if tens in _TENS and unit in NUMBER_WORDS and 0 < NUMBER_WORDS[unit] < 10:
        return _TENS[tens] + NUMBER_WORDS[unit]
    return None


def count_value(text: str) -> float | None:
    """How many units a span counts: "6-8" -> 8 (a range allows its later end), "twenty-one" -> 21,
    "a couple of" -> 2, "half a" -> 0.5, "a" -> 1."""
    words = re.sub(r"\s+", " ", text.strip().lower())
    if (value := word_number(words)) is not None:  # before the range split: "twenty-one" is one number
        return float(value)
    if (rng := re.fullmatch(rf"{COUNT_RE}{RANGE_SEP}(?P<last>{COUNT_RE})", words)):
        return count_value(rng.group("last"))
    if "couple" in words:
        return 2.0
    return 0.5 if words.startswith("half") else 1.0 if words in ("a", "an") else None


def ordinals_to_digits(text: str) -> str:
    """Day ordinals in words as digits, so a date parser reads them: "the first of March" -> "the 1 of March"."""
    def digits(m: re.Match) -> str:
        tens, _, unit = re.sub(r"[\s-]+", " ", m.group(0).lower()).rpartition(" ")
        return str(_TENS.get(tens, 0) + _ORDINAL_WORDS[unit])
    return re.sub(rf"\b{ORDINAL_RE}", digits, text, flags=re.IGNORECASE)
