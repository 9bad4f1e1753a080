"""Numbers in goal statements, in words or digits, for the SMART rules (pure: no I/O).

Mentees write "twenty-one days", "a dozen talks" and "by the first of March" as
often as digits, so both the measure finder (`smart`) and the date reader
(`smart_dates`) need the same word lists; they live here so neither module grows
its own copy. The phrases a measure is made of ("at least 40 attendees", "from 4 to 6",
"in half") are here too, so `smart` keeps only the choosing between them.
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


# Numbers as measures, for `smart.find_measure`.
_I = re.IGNORECASE
_NUMWORD = rf"(?:{NUMBER_RE}|once|twice|thrice)"  # "twenty-one", "a dozen", "twice"
_NUMBER = (rf"(?:[$€£]\s?\d+(?:,\d{{3}})*(?:\.\d+)?\s?[km]?\b|\d+(?:\.\d+)?[km]\b"  # "$5,000", "50k"
           rf"|\d+(?:,\d{{3}})*(?:\.\d+)?|{_NUMWORD}\b)")
_LEFT = (r"(?:(?:at\s+least|at\s+most|no\s+(?:more|less|fewer)\s+than|(?:more|less|fewer)\s+than|"
         r"a\s+(?:minimum|maximum)\s+of|over|under|above|below|up\s+to|every|by|to)\s+)?")
_RIGHT = (r"(?:\s*(?:%|percent\b|per\s+cent\b)|\s+times\b)?"
          r"(?:\s+or\s+(?:more|higher|above|better|greater|less|lower|fewer|below))?")
RANGE_PHRASE = re.compile(rf"\bfrom\s+{_NUMBER}(?:\s*%)?(?:\s+(?!to\b)[a-z]+){{0,2}}\s+to\s+"
                          rf"(?:under\s+|below\s+|over\s+)?{_NUMBER}(?:\s*%)?", _I)
NUMBER_PHRASE = re.compile(rf"(?<![\w.:/-]){_LEFT}(?P<num>{_NUMBER}){_RIGHT}(?![\w:/-])", _I)
# Words that end the noun a number counts: "6 books on management", "3 workshops within a month".
_FUNCTION_WORDS = ("a an the and or by to in on at of for with within until between from so that each every per my our "
                   "their through during into across over under about as before after than who which while because "
                   "if when is are was were will").split()
_COUNTED = re.compile(rf"^(?:\s+(?!(?:{'|'.join(_FUNCTION_WORDS)})\b)[a-z][\w'-]*){{1,4}}", _I)
# A target as a multiple or fraction is a measure too.
MULTIPLE_PHRASE = re.compile("|".join((
    r"\b(?:double|triple|quadruple|halve)[sd]?(?=\s+(?:the|my|our|their|your|its|this|that)\b)",  # "double our leads"
    # "cut it in half", "by a third", "by 1/3"; not "in half an hour"
    rf"\b(?:in|by)\s+(?:half|(?:a|one|two|three)\s+(?:third|quarter|fifth)s?|{FRACTION_RE})\b"
    r"(?!\s+(?:an?|the|of|past)\b)",
    r"\b\d+(?:\.\d+)?x\b",  # "grow 3x"
    rf"\b(?:\d+|{'|'.join(NUMBER_WORDS)})[\s-]?fold\b",  # "a threefold increase"
)), _I)
# Bounds and targets around a number: "under 55 minutes", "at least 40", "90% or higher", "up to 3".
_BOUND = re.compile(r"\b(?:at\s+(?:least|most)|than|minimum|maximum|over|under|above|below|up\s+to|or\s+\w+)\b|%|"
                    r"\bper\s*cent\b", _I)
_SCORE = re.compile(r"\b(?:score|rating|grade|nps|csat|mark)\s+(?:of\s+)?$", _I)  # "a score of 8"
_PER = re.compile(r"^\s+(?:a|an|per|each)\s+(?:day|week|month|quarter|year|session|time|sprint)\b", _I)


def is_threshold(core: str, m: re.Match) -> bool:
    """A bound or target ("under 55 minutes", "90% or higher", "zero incidents", "a score of 8") rather
    than a count of what the goal acts on ("a 10k race", "in three countries")."""
    qualified = core[m.start():m.start("num")] + core[m.end("num"):m.end()]
    return bool(_BOUND.search(qualified) or m.group("num").lower() in ("0", "zero")
                or _SCORE.search(core[:m.start()]))


def with_unit(core: str, start: int, end: int, counted: bool) -> str:
    """The number with what it counts and its period: "6 books", "under 5 hours a week"."""
    if counted and (noun := _COUNTED.match(core[end:])):
        end += noun.end()
    if (per := _PER.match(core[end:])):
        end += per.end()
    return core[start:end].strip()
