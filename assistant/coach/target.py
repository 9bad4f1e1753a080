"""The mentee's words for "done", told apart from the goal's own action (pure).

"Mentor two junior analysts" names its action and object with a count in it; an
answer to "how will you know?" ("each of them ships one dashboard on their own")
is a measure of that goal, not a new count for the same thing.
"""
from __future__ import annotations

import re

from assistant.agenda import keywords
from assistant.coach.text import tidy
from assistant.smart_numbers import NUMBER_WORDS

FILLER = set("maybe about around roughly say like probably perhaps i think guess so well um let's make it".split())
HEDGE_LEAD = re.compile(r"^(?:(?:maybe|perhaps|probably|i think|i guess|i'?d say|well|um|so|ok(?:ay)?)\W+)+", re.I)
# The mentee says outright that this is the goal: "my goal is ...", "the real aim would be ...".
GOAL_LEAD = re.compile(r"^\W*(?:(?:so|ok(?:ay)?|well|actually)\W+)?(?:my|the) (?:main |real )?"
                       r"(?:goal|aim|objective) (?:is|would be|will be)\b", re.I)


def _unit(text: str) -> set[str]:
    """What a count counts: '3 talks' -> {'talk'}."""
    return {w for w in keywords(text) if not w.isdigit() and w not in NUMBER_WORDS}


def same_unit(new: str, old: str) -> bool:
    """`new` corrects the count of `old` ("4 talks" or a bare "4" for "3 talks"), rather than
    counting something else ("one dashboard" is no correction of "two junior analysts")."""
    unit = _unit(new)
    return not unit or unit == _unit(old)


def target_words(core: str, measure: str, deadline_text: str | None) -> str:
    """The target as the mentee put it: the count alone when that is all they said, else
    their whole clause, since "each of them ships one dashboard" says more than "one dashboard"."""
    rest = core
    if deadline_text:
        at = rest.lower().find(deadline_text.lower())
        rest = rest if at < 0 else rest[:at] + rest[at + len(deadline_text):]
    rest = tidy(" ".join(rest.split())).strip(" ,;:-.!")
    at = rest.lower().find(measure.lower())
    if at < 0 or _only(rest[:at] + " " + rest[at + len(measure):], FILLER):
        return measure
    rest = HEDGE_LEAD.sub("", rest) or rest  # "maybe each of them ..." -> "each of them ..."
    return rest[:1].lower() + rest[1:] if rest[1:2].islower() else rest


def restates(core: str, action: str) -> bool:
    """`core` clearly states the whole goal again: said as the goal, or repeating most of its action."""
    if GOAL_LEAD.match(core):
        return True
    wanted = keywords(action)
    return bool(wanted) and len(wanted & keywords(core)) * 3 >= len(wanted) * 2


def _only(text: str, words: set[str]) -> bool:
    return set(re.findall(r"[a-z']+", text.lower())) <= words
