"""The mentee names the part they change or answer: "change achievable to: ...", "the goal
should be: ...", "what makes it achievable: ...". The part's name and the colon after it are
no part of the value; each name (the proposal's own criteria included) maps to one slot.
"""
from __future__ import annotations

import re

_I = re.IGNORECASE
_PART = (r"deadline|due date|date|time-?bound|target|measurable|measure|metric|goal(?: statement| sentence)?|statement|"
         r"specific|what|reasons?|why|relevan\w*|support|resources?|plan|achievab\w*|baseline|starting point")
# "change the deadline to May 2027", "set achievable to: ...", "update the relevant part: ...".
EDIT = re.compile(rf"\b(?:change|set|make|update|move|push|extend|edit)\s+(?:the\s+|my\s+)?({_PART})"
                  r"(?:\s+(?:part|bit|criterion|one))?\s*(?:(?:to|into)\b\s*[:=-]?|[:=])\s*(.+)$", _I | re.S)
# "The goal should be: ...", "Deadline: May 2027" (achievability and relevance: see LABEL).
NAMED = re.compile(rf"^\W*(?:(?:so|ok(?:ay)?|actually|no|sorry)\W+)*(?:(?:the|my) )?({_PART})(?:\s+(?:part|bit))?"
                   r"\s*(?:(?:should|would|will|must) be\b\s*[:=-]?|[:=])\s*(.+)$", _I | re.S)
# The part an answer is for: "the achievable part should be: ...", "relevant: ...", "it's achievable
# because ...", "what makes it achievable: ..."; the label is no part of the answer.
LABEL = re.compile(
    r"^\W*(?:(?:the|my) )?(?:(?P<achievability>achievab\w*)|(?P<relevance>relevan\w*|reasons?|why it matters))"
    r"(?: part| bit)?\s*(?:(?:should|would|will) be|is|are|[:=-])\s*:?\s*(?:that\s+)?|"
    r"^\W*(?:(?:it|this)(?:'s| is| will be) )?(?:(?P<a>achievable|doable|realistic|feasible)|"
    r"(?P<r>relevant|important(?: to me)?))\s*(?:because|since|:)\s+|"
    r"^\W*(?:what makes (?:it|this)(?: goal)? (?:(?P<a2>achievable|doable|realistic|feasible|possible)|"
    r"(?P<r2>relevant|important|matter))|why (?:it|this)(?: goal)? (?P<r3>matters|is important))(?: (?:to|for) me)?"
    r"(?: (?:is|are))?\s*(?:[:=-]\s*|\s(?:that\s+)?)", _I)
# A part stated anew, as a fact: "no, the deadline is end of May", "actually the target is 4 talks".
# Only parts whose value must read as one (a date, a count) are taken this way ("the deadline is
# tight" is no new date), and only a short value: "the deadline is May, and I ..." says more.
STATED = re.compile(r"^\W*(?:(?:so|ok(?:ay)?|actually|no|nope|sorry|oh|wait|hmm+|well)\W+)*(?:(?:the|my|our) )?"
                    r"(?:new |real |actual |final )?(deadline|due date|end date|target|measure|metric)"
                    r"\s+(?:is|'s|are)\s+(?:now\s+|actually\s+|really\s+|rather\s+)?(?P<value>(?:\S+\s*){1,6})$", _I)
_SLOTS = (("achiev", "achievability"), ("support", "achievability"), ("resource", "achievability"),
          ("plan", "achievability"), ("relev", "relevance"), ("reason", "relevance"), ("why", "relevance"),
          ("measur", "measure"), ("target", "measure"), ("metric", "measure"), ("deadline", "deadline"),
          ("due", "deadline"), ("date", "deadline"), ("time", "deadline"), ("baseline", "baseline"),
          ("starting", "baseline"))


def part_slot(name: str) -> str:
    """The slot a part's name stands for ("achievable" -> achievability); the goal itself otherwise."""
    name = name.lower()
    return next((slot for prefix, slot in _SLOTS if name.startswith(prefix)), "what")


def named_edit(text: str) -> tuple[str, str] | None:
    """(slot, value) when the message changes a part it names, the value without a leading colon."""
    found = EDIT.search(text) or NAMED.match(text)
    if not found or not (value := found.group(2).strip(" :=-\t")):
        return None
    return part_slot(found.group(1)), value


def label_slot(found: re.Match) -> str:
    """The slot a LABEL match names."""
    return "achievability" if found["achievability"] or found["a"] or found["a2"] else "relevance"


def stated_part(text: str) -> tuple[str, str] | None:
    """(slot, value) when the message states a dated or counted part anew (see STATED)."""
    found = STATED.match(text)
    return (part_slot(found.group(1)), found["value"].strip(" .!")) if found else None
