"""SMART assessment on tests/data/smart_goals_extra.jsonl: 100 goals written like mentees write them.

Labelled blind (before reading assistant/smart*.py) by the rules in ../shared/README.md, with today
2026-11-23 (a Monday). Where a phrase is ambiguous these conventions were chosen, and the file keeps them:
- A month without a year is its next occurrence: "by March" -> 2027-03-31, "by December" -> 2026-12-31.
- Seasons ("by the spring", "by summer", "this spring"), "mid-/early/late <month>", "by next week" and
  "in the new year" (like "next year") are time-bound without a deadline.
- "next quarter" is the calendar period (2027-03-31), like "in Q1"; only "next year" stays ambiguous.
- "before my review in May": the event is in May, so the end of May (2027-05-31).
- Holidays are their day: "before Christmas" -> 2026-12-24 ("before" leaves the day itself out).
- "within 24 hours" for one task is a deadline (2026-11-24); for a stream of items ("respond to every
  request within 24 hours", "answer all tickets within one business day") it is a response time:
  measurable, not time-bound.
- A cadence alone ("every month", "weekly") is not a measure; a count per period ("twice a month",
  "3 hours a week") is. "double", "in half" are measures; a named course or certificate completed is too.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.smart import assess, find_measure, parse_deadline

TODAY = date(2026, 11, 23)
EXTRA = Path(__file__).parent / "data" / "smart_goals_extra.jsonl"


def _goals() -> list:
    items = [json.loads(line) for line in EXTRA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [pytest.param(item, id=item["id"]) for item in items]


@pytest.mark.parametrize("item", _goals())
def test_extra_goal(item):
    result = assess(item["text"], TODAY)
    observed = {"specific": result.specific.met, "measurable": result.measurable.met,
                "time_bound": result.time_bound.met,
                "deadline": result.deadline.isoformat() if result.deadline else None}
    expected = {field: item[field] for field in observed}
    assert observed == expected, item["text"]


@pytest.mark.parametrize("text,expected", [
    ("by the first of March", date(2027, 3, 1)),
    ("by March the first", date(2027, 3, 1)),
    ("by the twenty-first of December", date(2026, 12, 21)),
    ("by 3/15", date(2027, 3, 15)),
    # Day first when both readings are dates, as every date field in the app reads (DD/MM/YYYY).
    ("by 12/03/2027", date(2027, 3, 12)),
    ("by 12/3", date(2027, 3, 12)),
    ("by 03/15/2027", date(2027, 3, 15)),
    ("by 4/5/27", date(2027, 5, 4)),
    ("by 1/12", date(2026, 12, 1)),
    ("by the 15th", date(2026, 12, 15)),
    ("by the 1st of next month", date(2026, 12, 1)),
    ("by New Year's Eve", date(2026, 12, 31)),
    ("by Easter", date(2027, 3, 28)),
    ("within 48 hours", date(2026, 11, 25)),
    ("in the next 24 hours", date(2026, 11, 24)),
    ("in twenty-one days", date(2026, 12, 14)),
    ("within a hundred days", date(2027, 3, 3)),
    ("in less than 6 weeks", date(2027, 1, 4)),
    ("in two weeks time", date(2026, 12, 7)),
    ("between January and March", date(2027, 3, 31)),
    ("before year-end", date(2026, 12, 31)),
    ("for the remainder of the quarter", date(2026, 12, 31)),
    ("by next month", date(2026, 12, 31)),
    ("by the end of the first half", date(2027, 6, 30)),
])
def test_more_deadline_phrases(text, expected):
    assert parse_deadline(f"Run 3 workshops {text}.", TODAY) == expected


@pytest.mark.parametrize("text", [
    "Offer 24/7 support for the launch.", "Plan the Christmas party for the team.", "Cut costs by 1/3.",
    "Run a half marathon in under 2 hours.", "Volunteer for 10 hours at the food bank.",
    "I may first need to talk to my manager.", "Work from the third floor.",
    "Respond to all customer reviews within 48 hours of posting.",
    "My lead said I can use Friday afternoons to prep.", "I meet her on Tuesday mornings.",  # recurring
])
def test_no_deadline_in_look_alikes(text):
    assert parse_deadline(text, TODAY) is None and assess(text, TODAY).time_bound.met is False


@pytest.mark.parametrize("text,measure", [
    ("Read twenty-four books.", "twenty-four books"), ("Present to the CEO twice.", "twice"),
    ("Post on LinkedIn once a week.", "once a week"), ("Close 50k in new business.", "50k"),
    ("Grow the team 2x.", "2x"), ("Increase sign-ups threefold.", "threefold"),
    ("Cut meeting time by a third.", "by a third"), ("Learn Python by completing the Codecademy course.",
                                                     "the Codecademy course"),
    ("Answer all emails within 2 days.", "2 days"),  # a response time, not a deadline
    ("Complete a course on negotiation.", None),  # a course counts when named ("Google's UX course")
])
def test_more_measures(text, measure):
    assert find_measure(text) == measure
