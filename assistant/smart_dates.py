"""Which words of a goal state its deadline, and which day they mean.

Regexes find the time expressions (periods, quarters, relative spans, dates) and
read each one's role from the word before it: "by"/"in"/"through" end the goal,
"before" ends it the day before, "from"/"starting" only start it, "every" is a
cadence. dateparser turns day-level phrases ("March 15, 2027", "15/03/2027",
"next Friday") into dates; whole periods are plain calendar arithmetic.

A time expression that clearly ends the goal but not on a known day ("next year",
"by the end of next week", "until June") makes the goal time-bound with no deadline.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

_I = re.IGNORECASE
MONTH_RE = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
            r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?")
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
                "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20, "thirty": 30, "forty": 40,
                "fifty": 50, "sixty": 60, "ninety": 90}
_COUNT = r"(?:\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"
_RANGE_SEP = r"\s*(?:-|–|\bto\b|\bor\b)\s*"
_N = rf"(?:(?:{_COUNT}{_RANGE_SEP})?{_COUNT}|(?:a\s+)?couple\s+of|half\s+an?|an?)"  # "6-8": the later end counts
_UNIT = r"(?:(?:business|working|calendar)\s+)?(?:days?|weeks?|fortnights?|months?|quarters?|years?)\b"
_YEAR = r"(?:(?:19|20)\d{2}\b|'\d{2}\b|(?:this|next)\s+(?:calendar\s+)?year\b|the\s+(?:current\s+)?year\b)"
_OPT_YEAR = rf"(?:\s*(?:,|/|-|of)?\s*(?:the\s+)?(?P<y>{_YEAR}))?"
# "the end of" etc. is part of the expression: it changes which day is meant.
_EDGE = (r"(?P<edge>(?:the\s+)?(?:very\s+)?(?:end|close|last\s+day|start|beginning|middle|"
         r"(?:first|second|third|fourth|last|final)\s+week)\s+of\s+(?:the\s+)?)?")
# A period word followed by a noun is an adjective: "the summer internship", "sprint planning".
_NOT_ADJECTIVE = r"(?!\s+(?!(?:and|or|to|so|with|at|in|on|by|before|after|if|when|while|because|then|of|i|we)\b)[a-z])"

# (kind, pattern), most specific first: each match blanks its words for the later ones.
_PATTERNS: list[tuple[str, str]] = [
    ("span", rf"\b(?P<lead>(?:with)?in|over|during|for|across)\s+the\s+(?:next|coming|following)\s+"
             rf"(?:(?P<n>{_N})\s+)?(?P<u>{_UNIT})"),
    ("span", rf"\b(?:(?P<lead>(?:with)?in|over|during|for|across)\s+)?(?:the\s+)?(?:next|coming|following|first)\s+"
             rf"(?P<n>{_N})\s+(?P<u>{_UNIT})(?!\s+of\b)"),
    ("span", rf"\b(?:with)?in\s+(?P<n>{_N})\s+(?P<u>{_UNIT})"),
    ("span", rf"\b(?:for|over)\s+(?P<n>{_N})\s+(?P<u>{_UNIT})(?!\s+(?:a|an|per|each|every)\b)"),
    ("span", rf"\b(?P<n>{_N})\s+(?P<u>{_UNIT})\s+from\s+(?:now|today)\b"),
    ("vague", _EDGE + rf"\b(?:(?P<which>this|next)\s+)?(?:(?:early|mid|late)[\s-]+"
              rf"(?:{MONTH_RE}|(?=(?:19|20)\d\d\b|this\s+year|next\s+year))"
              r"|mid[\s-]?year\b|FY\s?'?\d{2,4}\b|(?:fiscal|financial|academic|school)\s+year\b"
              r"|(?:spring|summer|autumn|fall|winter)\b|(?P<cycle>semester|term|sprint)\b)"
              + _NOT_ADJECTIVE + _OPT_YEAR),
    ("date", r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    ("date", rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+\d{{4}}\b)?"),
    ("date", rf"\b(?:{_WEEKDAY},?\s+)?{MONTH_RE}\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\b(?![%:.]\d)"
             r"(?:,?\s+\d{4}\b)?"),
    ("half", _EDGE + rf"(?:\bH(?P<h>[12])\b|\b(?P<hw>first|second|1st|2nd)\s+half\b){_OPT_YEAR}"),
    ("quarter", _EDGE + r"\b(?P<y>(?:19|20)\d{2})\s*[-/]?\s*Q(?P<q>[1-4])\b"),
    ("quarter", _EDGE + r"(?:\bQ(?P<q>[1-4])\b|\b(?P<qw>first|second|third|fourth|last|final|1st|2nd|3rd|4th)"
                r"\s+quarter\b)" + _OPT_YEAR),
    ("month", _EDGE + rf"\b(?P<m>{MONTH_RE}){_OPT_YEAR}"),
    ("relative", _EDGE + r"(?:\b(?P<which>this|next|the\s+current|the)\s+(?P<cal>calendar\s+)?"
                 r"(?P<p>year|quarter|month|week)\b|\b(?P<p2>year|quarter|month|week)[\s-]end\b|\b(?P<abbr>EO[YQMW])\b"
                 r"|(?P<p3>year|quarter|month|week)\b)"),  # the last one only as "by end of year"
    ("year", _EDGE + r"(?<![\w$€£#.])(?P<y>(?:19|20)\d{2})(?![\w%]|[.,]\d)"),
    ("weekday", rf"\b(?:(?:this\s+coming|coming|this|next)\s+)?{_WEEKDAY}\b(?!s)"),
    ("day", r"\b(?:today|tomorrow|tonight|(?:the\s+)?end\s+of\s+(?:the\s+)?day|EOD)\b"),
]
_COMPILED = [(kind, re.compile(p, _I)) for kind, p in _PATTERNS]
_PREP = re.compile(
    r"\b(?P<prep>no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|prior\s+to|ahead\s+of|up\s+(?:un)?til|"
    r"up\s+to|as\s+of|"
    r"starting(?:\s+(?:on|in|from))?|beginning(?:\s+(?:on|in))?|by|before|in|within|during|until|till|til|"
    r"through|thru|throughout|to|on|from|after|since|for|every|each|effective|commencing)\s+(?:the\s+)?$", _I)
_START = ("from", "starting", "beginning", "after", "since", "as of", "effective", "commencing")
_BEFORE = ("before", "prior", "ahead")
_UNTIL = ("until", "till", "til", "up until", "up til", "up to")
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "last": 4, "final": 4}


@dataclass(frozen=True)
class TimeRef:
    """One time expression in a text."""
    start: int
    end: int
    phrase: str  # with its preposition, e.g. "by the end of Q2 2027"
    core: str  # without it, e.g. "the end of Q2 2027"
    role: str  # "end" (bounds the goal), "start", or "cadence" ("every Monday")
    kind: str
    groups: tuple[tuple[str, str], ...]
    prep: str


@lru_cache(maxsize=1024)
def scan(text: str) -> tuple[TimeRef, ...]:
    """Every time expression in `text`, in text order (today-independent, so cached)."""
    work, refs = text, []
    for kind, rx in _COMPILED:
        for m in rx.finditer(work):
            before = _PREP.search(text, max(0, m.start() - 40), m.start())
            prep = re.sub(r"\s+", " ", before.group("prep").lower()) if before else ""
            if not _plausible(kind, m, prep):
                continue
            role = "start" if prep.startswith(_START) else "cadence" if prep in ("every", "each") else "end"
            begin = before.start() if before else m.start()
            groups = tuple((k, v) for k, v in m.groupdict().items() if v)
            refs.append(TimeRef(begin, m.end(), text[begin:m.end()].strip(), m.group(0).strip(),
                                role, kind, groups, prep))
            # Blank the match with a non-space filler so later, looser patterns can't re-read it.
            work = work[:m.start()] + "\0" * (m.end() - m.start()) + work[m.end():]
    return tuple(sorted(refs, key=lambda r: r.start))


def _plausible(kind: str, m: re.Match, prep: str) -> bool:
    """Drop words that only look like time: "the March release", "long-term", "Office 2021"."""
    g = m.groupdict()
    anchored = bool(prep or g.get("edge"))
    if kind == "month":
        if g["m"].lower() in ("may", "march", "mar") and not g["y"] and not g["m"][0].isupper():
            return False  # also verbs ("we may", "march on")
        return anchored or bool(g["y"])
    if kind == "year":
        return anchored
    if kind == "vague":  # "by the end of the sprint", "this summer"; not "during sprint planning"
        return bool(g.get("edge") or g.get("which")) if g.get("cycle") else anchored or bool(g.get("which"))
    if kind == "relative" and ((g.get("which") or "").lower() == "the" or g.get("p3")):
        return bool(g.get("edge")) if g.get("p3") else anchored  # "employee of the year" is no deadline
    if kind == "span" and not g.get("n") and g["u"].lower().endswith("s"):
        return False  # "over the coming weeks" names no length
    if kind in ("quarter", "half") and not g.get("y"):
        # "the Q3 all-hands", "the first half of the meeting", "since last quarter"
        return anchored and not g.get("hw") and (g.get("qw") or "").lower() not in ("last", "final")
    return True


def time_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of all time expressions, so callers can ignore their numbers."""
    return [(r.start, r.end) for r in scan(text)]


def _resolve(ref: TimeRef, today: date) -> date | None:
    """The last day `ref` allows, or None when the words don't pin a day down."""
    g = dict(ref.groups)
    if ref.kind == "span":
        return _span_end(g.get("n"), g["u"], today)
    if ref.kind == "vague":
        return None
    if ref.kind == "day":
        return today + timedelta(days=1) if ref.core.lower() == "tomorrow" else today
    if ref.kind in ("date", "weekday"):
        day = _parse_day(ref.core, today)
        return day - timedelta(days=1) if day and ref.prep.startswith(_BEFORE) else day
    period = _period(ref.kind, g, today)
    edge = (g.get("edge") or "").lower()
    if period is None or "middle" in edge:
        return None
    first, last = period
    if (week := re.search(r"(first|second|third|fourth) week", edge)):
        return first + timedelta(days=7 * _ORDINAL[week.group(1)] - 1)
    if re.search(r"end|close|last", edge):
        return last
    if ref.prep.startswith(_BEFORE):  # "before December 2027" leaves November
        return first - timedelta(days=1)
    if re.search(r"start|beginning", edge):
        return first
    if ref.prep in _UNTIL:  # "until June": through June, or until it starts?
        return None
    return last


def _span_end(n: str | None, unit: str, today: date) -> date | None:
    """The end of "within N units" from today; months and years keep the day of the month."""
    n = re.sub(r"\s+", " ", re.split(_RANGE_SEP, (n or "a").lower())[-1])  # no number: "within the next month"
    count = (2.0 if "couple" in n else 0.5 if n.startswith("half") else 1.0 if n in ("a", "an")
             else float(NUMBER_WORDS.get(n) or n))
    unit = unit.lower()
    if unit.startswith(("business", "working")):
        return _add_workdays(today, int(count))
    unit = unit.split()[-1].rstrip("s")
    days_per = {"day": 1, "week": 7, "fortnight": 14}.get(unit)
    if days_per:
        return today + timedelta(days=round(count * days_per))
    months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
    return add_months(today, int(months)) if months == int(months) else None


def _period(kind: str, g: dict, today: date) -> tuple[date, date] | None:
    """First and last day of the named month, quarter, half or year."""
    if kind == "year":
        return _span(int(g["y"]), 1, 12)
    if kind == "relative":
        return _relative(g, today)
    if kind == "month":
        size, index = 1, _month_number(g["m"])
    else:
        size = 3 if kind == "quarter" else 6
        index = int(g.get("q") or g.get("h") or _ORDINAL[(g.get("qw") or g.get("hw")).lower()])
    first_month = (index - 1) * size + 1
    return _span(_year(g.get("y"), today, first_month + size - 1), first_month, size)


def _relative(g: dict, today: date) -> tuple[date, date] | None:
    """This/next year, quarter or month ("EOQ", "year-end" too)."""
    abbr = {"Y": "year", "Q": "quarter", "M": "month", "W": "week"}
    unit = (g.get("p") or g.get("p2") or g.get("p3") or abbr[g["abbr"][2].upper()]).lower()
    which = (g.get("which") or "this").lower()
    if which == "next" and not g.get("edge") and not g.get("cal"):
        return None  # "next year": during next year, or within a year? Ambiguous.
    if unit == "week":
        return None  # a week ends on Friday or Sunday, depending on whom you ask
    step = 1 if which == "next" else 0
    if unit == "year":
        return _span(today.year + step, 1, 12)
    size = 3 if unit == "quarter" else 1
    first_month = (today.month - 1) // size * size + 1
    start = add_months(date(today.year, first_month, 1), step * size)
    return _span(start.year, start.month, size)


def _span(year: int, first_month: int, months: int) -> tuple[date, date]:
    return date(year, first_month, 1), _month_last(year, first_month + months - 1)


def _year(text: str | None, today: date, last_month: int) -> int:
    """The stated year, or else that of the period's next occurrence (ending on or after today)."""
    text = (text or "").lower()
    if not text:
        return today.year if _month_last(today.year, last_month) >= today else today.year + 1
    if "year" in text:  # "this year", "next year", "the current year"
        return today.year + text.startswith("next")
    return 2000 + int(text[1:]) if text.startswith("'") else int(text)


def _month_number(name: str) -> int:
    return next(i for i in range(1, 13) if calendar.month_name[i].lower().startswith(name.lower()[:3]))


def _month_last(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add_workdays(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


@lru_cache(maxsize=4)
def _parser(today: date) -> DateDataParser:
    # One parser per day, reused: building one per call costs as much as parsing.
    # Only the absolute-time parser: relative words ("in 3 weeks") are ours already.
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(today.year, today.month, today.day), "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False, "PARSERS": ["absolute-time"]})


@lru_cache(maxsize=2048)
def _parse_day(phrase: str, today: date) -> date | None:
    """A day-level phrase through dateparser; a date without a year is its next occurrence."""
    phrase = re.sub(r"\b(?:this\s+)?coming\s+", "", phrase.lower())
    parsed = _parser(today).get_date_data(phrase).date_obj
    if parsed is None:
        return None
    day = parsed.date()
    if re.search(MONTH_RE, phrase) and not re.search(r"\d{4}", phrase):
        # dateparser's "future" skips today; on/after today is what a deadline means.
        year = today.year if (day.month, day.day) >= (today.month, today.day) else today.year + 1
        try:
            day = day.replace(year=year)
        except ValueError:  # Feb 29 in a common year
            return None
    return day


def warm_up() -> None:
    """Load dateparser's language data now (~0.3 s) instead of on the first chat turn."""
    _parse_day("march 15, 2027", date(2026, 1, 1))


def _pick(text: str, today: date | None) -> tuple[TimeRef | None, date | None]:
    """The expression that sets the deadline: the latest clear one, else the last unclear one."""
    refs = [r for r in scan(text) if r.role == "end"]
    if not refs:
        return None, None
    if today is None:
        return refs[-1], None
    dated = [(d, r) for r in refs if (d := _resolve(r, today)) is not None]
    if dated:
        day, ref = max(dated, key=lambda pair: pair[0])
        return ref, day
    return refs[-1], None


def find_deadline(text: str, today: date) -> tuple[str | None, date | None]:
    """The words that bound the goal in time and the last day they allow (either may be None)."""
    ref, day = _pick(text, today)
    return (ref.phrase if ref else None), day


def parse_deadline(text: str, today: date) -> date | None:
    """The last day the goal allows, or None if it states none (or no clear one)."""
    return _pick(text, today)[1]


def deadline_phrase(text: str, today: date | None = None) -> str | None:
    """The words that bound the goal in time, e.g. "by the end of Q2 2027".

    Also returned for an end without a clear day ("next year"), so a coach can ask
    what exactly is meant. With `today`, the phrase of the chosen deadline; without,
    the last such phrase.
    """
    ref, _ = _pick(text, today)
    return ref.phrase if ref else None
