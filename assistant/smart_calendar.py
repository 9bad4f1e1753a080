"""Calendar arithmetic for SMART deadlines (pure: no I/O, no parsing of text).

Month arithmetic, working days and the dates of holidays that mentees use as
deadlines ("before Christmas"). Kept apart from `smart_dates`, which finds the
time words in a goal, so that module stays about language and this one about days.
"""
from __future__ import annotations

import calendar
import math
import re
from datetime import date, timedelta


def month_number(name: str) -> int:
    return next(i for i in range(1, 13) if calendar.month_name[i].lower().startswith(name.lower()[:3]))


def month_last(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def span(year: int, first_month: int, months: int) -> tuple[date, date]:
    """First and last day of `months` calendar months starting at `first_month` of `year`."""
    return date(year, first_month, 1), month_last(year, first_month + months - 1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_workdays(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def day_of_month(day: int, today: date, skip: bool = False) -> date | None:
    """"By the 15th": that day of this month if it is still ahead (or today), else of the next month;
    `skip` starts from next month ("the 15th of next month")."""
    for months in (1, 2, 3) if skip else (0, 1, 2):  # "the 31st" skips months too short to have one
        first = add_months(date(today.year, today.month, 1), months)
        if day <= calendar.monthrange(first.year, first.month)[1] and (months or day >= today.day):
            return first.replace(day=day)
    return None


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _holiday_in(name: str, year: int) -> date:
    if re.search(r"\beve\b", name):  # Christmas Eve, New Year's Eve
        return date(year, 12, 24 if name.startswith("christ") else 31)
    if name.startswith(("christmas", "xmas")):
        return date(year, 12, 25)
    if name.startswith("boxing"):
        return date(year, 12, 26)
    if name.startswith("new"):
        return date(year, 1, 1)
    if name.startswith("easter"):
        return _easter(year)
    if name.startswith("thanksgiving"):
        return _thanksgiving(year)
    return date(year, 10, 31) if name.startswith("halloween") else date(year, 2, 14)  # Valentine's Day


def holiday(name: str, today: date) -> date:
    """The next occurrence (today included) of a named holiday, as matched by `smart_dates`."""
    name = re.sub(r"\s+", " ", name.lower())
    this_year = _holiday_in(name, today.year)
    return this_year if this_year >= today else _holiday_in(name, today.year + 1)


ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
           "last": 4, "final": 4}


def span_end(count: float, unit: str, today: date) -> date | None:
    """The end of "within `count` units" from today; months and years keep the day of the month."""
    unit = unit.lower()
    if unit.endswith(("hour", "hours")):  # "within 24 hours": by tomorrow
        return today + timedelta(days=math.ceil(count / 24))
    if unit.startswith(("business", "working")):
        return add_workdays(today, int(count))
    unit = unit.split()[-1].rstrip("s")
    days_per = {"day": 1, "week": 7, "fortnight": 14}.get(unit)
    if days_per:
        return today + timedelta(days=round(count * days_per))
    months = count * {"month": 1, "quarter": 3, "year": 12}[unit]
    return add_months(today, int(months)) if months == int(months) else None


def named_period(kind: str, g: dict, today: date) -> tuple[date, date] | None:
    """First and last day of the named month, quarter, half or year; `g` holds the words `smart_dates` matched."""
    if kind == "year":
        return span(int(g["y"]), 1, 12)
    if kind == "relative":
        return _relative(g, today)
    if kind == "month":
        size, index = 1, month_number(g["m"])
    else:
        size = 3 if kind == "quarter" else 6
        index = int(g.get("q") or g.get("h") or ORDINAL[(g.get("qw") or g.get("hw")).lower()])
    first_month = (index - 1) * size + 1
    return span(_year(g.get("y"), today, first_month + size - 1), first_month, size)


def _relative(g: dict, today: date) -> tuple[date, date] | None:
    """This/next year, quarter or month ("EOQ", "year-end" too)."""
    abbr = {"Y": "year", "Q": "quarter", "M": "month", "W": "week"}
    unit = (g.get("p") or g.get("p2") or g.get("p3") or abbr[g["abbr"][2].upper()]).lower()
    which = (g.get("which") or "this").lower()
    if which == "next" and unit == "year" and not g.get("edge") and not g.get("cal"):
        # "next year": during next year, or within a year? Ambiguous. "Next quarter/month" is a planning
        # period people mean as a whole, like "in Q1", so it resolves to that period's end.
        return None
    if unit == "week":
        return None  # a week ends on Friday or Sunday, depending on whom you ask
    step = 1 if which == "next" else 0
    if unit == "year":
        return span(today.year + step, 1, 12)
    size = 3 if unit == "quarter" else 1
    first_month = (today.month - 1) // size * size + 1
    start = add_months(date(today.year, first_month, 1), step * size)
    return span(start.year, start.month, size)


def _year(text: str | None, today: date, last_month: int) -> int:
    """The stated year, or else that of the period's next occurrence (ending on or after today)."""
    text = (text or "").lower()
    if not text:
        return today.year if month_last(today.year, last_month) >= today else today.year + 1
    if "year" in text:  # "this year", "next year", "the current year"
        return today.year + text.startswith("next")
    return 2000 + int(text[1:]) if text.startswith("'") else int(text)
