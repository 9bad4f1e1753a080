"""Which words of a goal state its deadline, and which day they mean.

Regexes find the time expressions (periods, quarters, relative spans, dates) and
read each one's role from the word before it: "by"/"in"/"through" end the goal,
"before" ends it the day before, "from"/"starting" only start it, "every" is a
cadence, and "within 24 hours" over a stream of items ("reply to all emails") is a
per-item limit, not an end. dateparser turns day-level phrases ("March 15, 2027",
"15/03/2027", "next Friday") into dates; whole periods, spans and holidays are
calendar arithmetic in `smart_calendar`; number and ordinal words are in `smart_numbers`.

A time expression that clearly ends the goal but not on a known day ("next year",
"by the end of next week", "until June") makes the goal time-bound with no deadline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

from assistant.smart_calendar import ORDINAL, day_of_month, holiday, named_period, span_end
from assistant.smart_numbers import (COUNT_RE, FRACTION_RE, NUMBER_RE, ORDINAL_RE, RANGE_SEP, count_value,
                                     ordinals_to_digits)

_I = re.IGNORECASE
MONTH_RE = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
            r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?")
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_N = rf"(?:(?:{COUNT_RE}{RANGE_SEP})?{COUNT_RE}|(?:a\s+)?couple\s+of|half\s+an?|an?)"  # "6-8": the later end counts
_UNIT = r"(?:(?:business|working|calendar)\s+)?(?:hours?|days?|weeks?|fortnights?|months?|quarters?|years?)\b"
_YEAR = r"(?:(?:19|20)\d{2}\b|'\d{2}\b|(?:this|next)\s+(?:calendar\s+)?year\b|the\s+(?:current\s+)?year\b)"
_OPT_YEAR = rf"(?:\s*(?:,|/|-|of)?\s*(?:the\s+)?(?P<y>{_YEAR}))?"
# "the end of" etc. is part of the expression: it changes which day is meant.
_EDGE = (r"(?P<edge>(?:the\s+)?(?:very\s+)?(?:end|close|last\s+day|rest|remainder|start|beginning|middle|"
         r"(?:first|second|third|fourth|last|final)\s+week)\s+of\s+(?:the\s+)?)?")
# A period word followed by a noun is an adjective: "the summer internship", "sprint planning".
# "before the spring is out", "until the summer ends": the period itself.
_NOT_ADJECTIVE = (r"(?!\s+(?!(?:and|or|to|so|with|at|in|on|by|before|after|if|when|while|because|then|of|i|we|"
                  r"is|ends|starts|begins|comes)\b)[a-z])")

# (kind, pattern), most specific first: each match blanks its words for the later ones.
_PATTERNS: list[tuple[str, str]] = [
    ("span", rf"\b(?P<lead>(?:with)?in|over|during|for|across)\s+the\s+(?:next|coming|following)\s+"
             rf"(?:(?P<n>{_N})\s+)?(?P<u>{_UNIT})"),
    ("span", rf"\b(?:(?P<lead>(?:with)?in|over|during|for|across)\s+)?(?:the\s+)?(?:next|coming|following|first)\s+"
             rf"(?P<n>{_N})\s+(?P<u>{_UNIT})(?!\s+of\b)"),
    # "in under 6 weeks" ends the goal too; "in two weeks' time" is "in two weeks".
    ("span", rf"\b(?:with)?in\s+(?P<cap>(?:under|less\s+than|no\s+more\s+than|at\s+most)\s+)?(?P<n>{_N})\s+"
             rf"(?P<u>{_UNIT})(?:['’]s?)?(?:\s+time\b)?"),
    ("span", rf"\b(?:for|over)\s+(?P<n>{_N})\s+(?P<u>{_UNIT})(?!\s+(?:a|an|per|each|every)\b)"),
    ("span", rf"\b(?P<n>{_N})\s+(?P<u>{_UNIT})\s+from\s+(?:now|today)\b"),
    ("vague", _EDGE + rf"\b(?:(?P<which>this|next)\s+)?(?:(?:early|mid|late)[\s-]+"
              rf"(?:{MONTH_RE}|(?=(?:19|20)\d\d\b|this\s+year|next\s+year))"
              r"|mid[\s-]?year\b|FY\s?'?\d{2,4}\b|(?:fiscal|financial|academic|school)\s+year\b"
              r"|(?:spring|summer|autumn|fall|winter)\b|(?P<cycle>semester|term|sprint)\b"
              # like "next year": an end, but "in the new year" or "before the holidays" names no day
              r"|(?:the\s+|(?<=\bthe\s))new\s+year\b(?!['’])|(?:the\s+)?(?:holidays|holiday\s+season)\b|weekend\b)"
              + _NOT_ADJECTIVE + _OPT_YEAR),
    ("date", r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"),
    ("date", r"\b(?P<md>\d{1,2}/\d{1,2})\b(?![/\d])"),  # "by 12/3", "by 3/15": only after "by" and the like
    # Days in words count too ("by the first of March", "March 1st"), but only after a preposition ("we may first").
    ("date", rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?|(?P<ow>{ORDINAL_RE}))\s+(?:of\s+)?"
             rf"{MONTH_RE}(?:,?\s+\d{{4}}\b)?"),
    ("date", rf"\b(?:{_WEEKDAY},?\s+)?{MONTH_RE}\s+(?:the\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\b(?![%:.]\d)|"
             rf"(?P<ow>{ORDINAL_RE})(?![\w-]))(?:,?\s+\d{{4}}\b)?"),
    ("holiday", r"\b(?:christmas(?:\s+(?:eve|day))?|xmas|boxing\s+day|new\s+year['’]?s?(?:\s+(?:eve|day))?|"
                r"easter(?:\s+sunday)?|thanksgiving(?:\s+day)?|halloween|valentine['’]?s(?:\s+day)?)\b"
                + _NOT_ADJECTIVE),  # "Christmas party" is no date
    # "by the 15th" (of this month, or the next if it has passed), "by the 1st of next month"
    ("dom", rf"\bthe\s+(?P<dom>\d{{1,2}}(?:st|nd|rd|th)|{ORDINAL_RE})(?![\w-])"
            rf"(?:\s+of\s+(?:the\s+)?(?P<which>this|next|the)\s+month\b)?" + _NOT_ADJECTIVE),
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
    r"up\s+to|as\s+of|between\s+\S+(?:\s+\S+){0,3}?\s+and|"
    r"starting(?:\s+(?:on|in|from))?|beginning(?:\s+(?:on|in))?|by|before|in|within|during|until|till|til|"
    r"through|thru|throughout|to|on|from|after|since|for|every|each|effective|commencing)\s+(?:the\s+)?$", _I)
_START = ("from", "starting", "beginning", "after", "since", "as of", "effective", "commencing")
_BEFORE = ("before", "prior", "ahead")
_UNTIL = ("until", "till", "til", "up until", "up til", "up to")
# Strong deadline words: a bare "3/15" or "the 15th" is a date only after one of these.
_DUE = ("by", "before", "on", "until", "till", "no later than", "not later than", "on or before")
# An open stream of work ("all customer emails", "every request"), not a counted set ("all 6 contractors"):
# "within 24 hours" then sets a response time for each item rather than a deadline for the goal.
_STREAM = re.compile(rf"\b(?P<q>all|every|each|any)\s+(?!(?:of\s+)?(?:(?:the|my|our|your|their|these|those)\s+)?"
                     rf"(?:\d|{NUMBER_RE}))\w", _I)
# Replying to a kind of thing, in the plural, is a stream of items too ("reply to customer emails within a day").
_REPLIES = re.compile(r"\b(?:repl(?:y|ies|ying)|respond(?:s|ing)?|answer(?:s|ing)?|acknowledg(?:e|es|ing))\s+"
                      r"(?:to\s+)?(?:(?:the|my|our|incoming|new|open)\s+)?(?:[a-z-]+\s+)?[a-z]{3,}s\b", _I)


@dataclass(frozen=True)
class TimeRef:
    """One time expression in a text."""
    start: int
    end: int
    phrase: str  # with its preposition, e.g. "by the end of Q2 2027"
    core: str  # without it, e.g. "the end of Q2 2027"
    role: str  # "end" (bounds the goal), "start", "cadence" ("every Monday") or "limit" (per item, see _STREAM)
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
            if kind == "span" and role == "end" and _is_limit(text, m):
                role = "limit"
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
    if kind == "span" and "hour" in g["u"].lower():
        # "within 24 hours" or "in the next 48 hours" ends a task; "in under 2 hours", "for 3 hours" are durations.
        return not g.get("cap") and bool(re.match(r"within\b|(?:\w+\s+)?the\s+(?:next|coming)", m.group(0), _I))
    if kind in ("quarter", "half") and not g.get("y"):
        # "the Q3 all-hands", "since last quarter"; "the first half of the meeting", unless "the end of the first half"
        half_ok = not g.get("hw") or (g.get("edge") and not re.match(r"\s+of\b", m.string[m.end():]))
        return anchored and bool(half_ok) and (g.get("qw") or "").lower() not in ("last", "final")
    if kind == "holiday":
        return anchored
    if kind == "weekday" and re.match(r"\s+(?:mornings|afternoons|evenings|nights|lunchtimes)\b", m.string[m.end():], _I):
        return False  # "I can use Friday afternoons" recur: no day is meant
    if g.get("md") and re.fullmatch(FRACTION_RE, g["md"]):
        return False  # "cut costs by 1/3" is a fraction
    if kind == "dom" or g.get("md") or g.get("ow"):
        return prep in _DUE  # "by the 15th", "by 3/15"; not "24/7 support", "we may first ..."
    return True


def _is_limit(text: str, m: re.Match) -> bool:
    """A "within N hours/days" that times each item ("reply to all emails within 24 hours", "within 2 days of
    receiving it") rather than the whole goal. Weeks and longer, or "the next N days", stay deadlines."""
    if not re.match(r"within\b", m.group(0), _I) or re.search(r"\b(?:next|coming|following|first)\b", m.group(0), _I):
        return False
    if re.match(r"\s+(?:of|after)\s+(?!now\b|today\b)", text[m.end():], _I):
        return True  # relative to an event: "within 2 days of the request"
    unit = m.group("u").lower()
    if "hour" not in unit and "day" not in unit:
        return False
    if not (stream := _STREAM.search(text)):
        return bool(_REPLIES.search(text)) and ("hour" in unit or (count_value(m.group("n")) or 99) <= 3)
    # "every request" is one at a time; "all X" only with a short window ("complete all trainings within
    # 30 days" is a deadline, "answer all tickets within a day" a response time).
    return stream.group("q").lower() != "all" or "hour" in unit or (count_value(m.group("n")) or 99) <= 2


def time_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of all time expressions, so callers can ignore their numbers."""
    return [(r.start, r.end) for r in scan(text) if r.role != "limit"]  # "within 24 hours" per item is a measure


def _resolve(ref: TimeRef, today: date) -> date | None:
    """The last day `ref` allows, or None when the words don't pin a day down."""
    g = dict(ref.groups)
    if ref.kind == "span":
        return span_end(count_value(g.get("n") or "a"), g["u"], today)  # no number: "within the next month"
    if ref.kind == "vague":
        return None
    if ref.kind == "day":
        return today + timedelta(days=1) if ref.core.lower() == "tomorrow" else today
    if ref.kind in ("date", "weekday", "holiday", "dom"):
        if ref.kind == "holiday":
            day = holiday(ref.core, today)
        elif ref.kind == "dom":  # "the 15th", "the first": digits either way
            day = day_of_month(int(re.sub(r"\D", "", ordinals_to_digits(g["dom"]))), today,
                               skip=(g.get("which") or "").lower() == "next")
        else:
            day = _parse_day(ref.core, today)
        return day - timedelta(days=1) if day and ref.prep.startswith(_BEFORE) else day
    period = named_period(ref.kind, g, today)
    edge = (g.get("edge") or "").lower()
    if period is None or "middle" in edge:
        return None
    first, last = period
    if (week := re.search(r"(first|second|third|fourth) week", edge)):
        return first + timedelta(days=7 * ORDINAL[week.group(1)] - 1)
    if re.search(r"end|close|last|rest|remainder", edge) or g.get("p2") or g.get("abbr"):
        return last  # "year-end" and "EOY" are the end too: "before year-end" is no earlier
    if ref.prep.startswith(_BEFORE):  # "before December 2027" leaves November
        return first - timedelta(days=1)
    if re.search(r"start|beginning", edge):
        return first
    if ref.prep in _UNTIL:  # "until June": through June, or until it starts?
        return None
    return last


@lru_cache(maxsize=4)
def _parser(today: date) -> DateDataParser:
    # One parser per day, reused: building one per call costs as much as parsing.
    # Only the absolute-time parser: relative words ("in 3 weeks") are ours already.
    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": datetime(today.year, today.month, today.day), "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False, "PARSERS": ["absolute-time"]})


def _numeric_day(phrase: str, today: date) -> date | None:
    """"12/03/2027", "3/15", "15.03.2027": day first, as every date field in Waypoint reads
    (DD/MM/YYYY), unless only month first makes sense ("3/15"). Without a year: the next one."""
    found = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?", phrase.strip())
    if not found:
        return None
    first, second = int(found[1]), int(found[2])
    day, month = (second, first) if first <= 12 < second else (first, second)
    year = int(found[3]) if found[3] else today.year
    year += 2000 if year < 100 else 0
    try:
        parsed = date(year, month, day)
        if not found[3] and parsed < today:
            parsed = parsed.replace(year=year + 1)
    except ValueError:  # 31/02, 29/02 in a common year
        return None
    return parsed


@lru_cache(maxsize=2048)
def _parse_day(phrase: str, today: date) -> date | None:
    """A day-level phrase through dateparser; a date without a year is its next occurrence."""
    if re.fullmatch(r"\s*\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\s*", phrase):
        return _numeric_day(phrase, today)
    phrase = ordinals_to_digits(re.sub(r"\b(?:this\s+)?coming\s+", "", phrase.lower()))  # "the first of March"
    parsed = _parser(today).get_date_data(phrase).date_obj
    if parsed is None:
        return None
    day = parsed.date()
    if (re.search(MONTH_RE, phrase) or re.fullmatch(r"\d{1,2}/\d{1,2}", phrase)) and not re.search(r"\d{4}", phrase):
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
