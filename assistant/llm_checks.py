"""Checks a model's turn against the conversation, and reconciles it with the offline reading.

Pydantic checks the *shape* of a model's answer; these check that it is
*grounded*: values come from what the mentee (or, when they agree to it, the
coach's last message) said; "quit"/"restart"/"skip" need words that say so (a
skipped slot is never asked again); "confirm" and "reject" only make sense while
a proposal is on the table. Each problem is phrased for the model, which gets
one corrective retry (instructor-style). Messages are read with curly quotes
made straight, as the offline rules read them.

`reconcile` then lets the offline rules fill what the model left empty, so the
LLM backend never understands less than the offline engine: a tiny local model
that answers valid-but-empty JSON still gets a conversation to a saved goal.
Pure: no I/O.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel

from assistant.coach.text import plain
from assistant.coach.types import TurnRequest

_WORD = re.compile(r"[a-z0-9]+")
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
            "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
            "once": "1", "twice": "2", "dozen": "12", "half": "50"}
_STOP = set("""the and for with that this these those have has had will would could should can may might
want wants wanted like into from about over under more less than then them they their there here what when
where which while who whom why how you your yours our ours mine his her hers its are was were been being
not but all any each very just also some such only own same too yes yeah yep nope okay sure mentee coach
goal goals user assistant please really get got make made""".split())
_TIME = re.compile(
    r"\b(19|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}\b|\b\d{1,2}(st|nd|rd|th)\b|"
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b|\b(spring|summer|autumn|fall|winter|"
    r"christmas|easter|days?|weeks?|weekend|months?|quarters?|years?|sprints?|term|semester|tomorrow|tonight|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|eoy|eoq|eom|q[1-4]|h[12]|end of|within|until|till)\b",
    re.IGNORECASE)
CUES = {
    "quit": re.compile(r"\b(quit|exit|bye|goodbye|leave|leaving|stop|later|pause|break|cancel|enough|another time|"
                       r"come back|gotta go|have to go|must go|done for (now|today))\b", re.IGNORECASE),
    "restart": re.compile(r"\b(start|restart|over|again|scratch|reset|scrap|new|different|forget|fresh|"
                          r"afresh|redo|begin)\b", re.IGNORECASE),
    "finish": re.compile(r"\b(done|finish|finished|that'?s (all|it)|nothing (else|more)|enough|wrap|show|agenda|"
                         r"ready|stop)\b", re.IGNORECASE),
    # Declining ("skip", "no idea") or keeping an answer as it is ("keep it as it is", "that's fine as is"):
    # the flow then never asks that slot again, so a content answer must not pass for one.
    "skip": re.compile(r"\b(skip|pass|next|no|not|none|nothing|nope|nah|n/?a|don'?t|dunno|unsure|rather|"
                       r"keep|leave|fine|as is|happy|unchanged|same|whatever|ok|okay|good|enough)\b", re.IGNORECASE),
}
PROPOSAL_ONLY = ("confirm", "reject")
_ID_LISTS = {"goal_id": "goals", "action_id": "actions"}


def _words(text: str) -> list[str]:
    return [_NUMBERS.get(w, w) for w in _WORD.findall(text.lower())]


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if w.isdigit() or (len(w) >= 3 and w not in _STOP)]


def _matches(word: str, source: set[str]) -> bool:
    if word in source:
        return True
    # "prep" ~ "preparing", "presentations" ~ "present": a shared 4-letter stem.
    return len(word) >= 4 and not word.isdigit() and any(len(s) >= 4 and s[:4] == word[:4] for s in source)


def grounded(value: str, source: str) -> bool:
    """At least half of the value's content words occur in the source (numbers normalised)."""
    words = _content(value)
    if not words:
        return False
    known = set(_words(source))
    return sum(_matches(w, known) for w in words) * 2 >= len(words)


def _source(req: TurnRequest) -> str:
    """What a value may come from: the mentee's message, and the coach's last message they answer
    ("yes, 3 talks is fine") -- except under a proposal, which repeats every value of the draft."""
    if req.draft.get("stage") == "confirming":
        return req.text
    coach = [m.get("text", "") for m in req.history if m.get("role") == "assistant"][-1:]
    return " ".join([req.text, *coach])


def check_turn(turn: BaseModel, req: TurnRequest) -> list[str]:
    """Problems with a schema-valid turn, phrased so the model can fix them ([] when fine)."""
    update = getattr(turn, "update")
    source = _source(req)
    problems = _check_intent(update, req)
    for name, value in _strings(update.model_dump(exclude={"intent"})):
        if value == req.draft.get(name):
            continue  # repeating the draft changes nothing
        if not grounded(value, source):
            problems.append(f"update.{name}: {value[:60]!r} is not something the mentee said; "
                            "use their words or leave it null")
    for name in ("deadline", "due"):
        for where, value in _find(update.model_dump(), name):
            if isinstance(value, date) and not _TIME.search(req.text):
                problems.append(f"update.{where}: the message names no date or period; leave it null")
    problems += _check_ids(update.model_dump(), req.draft)
    return problems


def _check_intent(update: BaseModel, req: TurnRequest) -> list[str]:
    intent = getattr(update, "intent", "info")
    if intent in CUES and not CUES[intent].search(plain(req.text)):
        return [f"update.intent: {intent!r} but the message does not say so; use \"info\""]
    if intent in PROPOSAL_ONLY and req.draft.get("stage") != "confirming":
        return [f"update.intent: {intent!r} is only for answering a proposed goal, and none is proposed; "
                "use \"info\""]
    return []


def _strings(data: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, text) of every non-empty free-text value; enum-like short codes are skipped."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in ("status", "none_for", "done") and not key.endswith("_id"):
                found += _strings(value, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _strings(value, f"{path}[{index}]")
    elif isinstance(data, str) and data.strip():
        found.append((path, data))
    return found


def _find(data: Any, key: str, path: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(data, dict):
        for name, value in data.items():
            here = f"{path}.{name}" if path else name
            found += [(here, value)] if name == key and value is not None else _find(value, key, here)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _find(value, key, f"{path}[{index}]")
    return found


def _check_ids(data: dict, draft: dict) -> list[str]:
    problems = []
    for key, listing in _ID_LISTS.items():
        known = {item.get("id") for item in draft.get(listing, []) if isinstance(item, dict)}
        for where, value in _find(data, key):
            if value not in known:
                problems.append(f"update.{where}: {value} is not one of the ids in the draft's {listing} "
                                f"({sorted(k for k in known if k is not None)})")
    return problems


def is_empty(update: dict) -> bool:
    return update.get("intent", "info") == "info" and all(
        _blank(value) for key, value in update.items() if key != "intent")


def reconcile(model: dict, offline: dict, draft: dict) -> dict:
    """The model's update, with the offline reading filling what both the model and the draft lack.

    An empty model update (nothing understood, or only values the draft already
    holds) is replaced by the offline one whole, intent included: "yes" to a
    proposal is then still a confirmation, and "keep it as it is" answered by
    repeating the draft's wording is still the mentee keeping it (skip).
    Values the draft already holds are never changed by the floor (the model
    was told to leave them alone), and a question the mentee declined ("skip")
    is not answered for them. When both read a deadline in this message, the
    parser's date wins: date arithmetic is where small models slip.
    """
    if is_empty({key: value for key, value in model.items() if key == "intent" or value != draft.get(key)}):
        return dict(offline)
    if model.get("intent") == "skip":
        return dict(model)  # "I'd rather not put a number on it" is no target, whatever the rules read in it
    if offline.get("intent") == "skip":
        return dict(offline)  # the rules heard a refusal ("I'd rather not say"): a model must not store it
    merged = dict(model)
    for key, value in offline.items():
        if key == "intent" or _blank(value) or not _blank(merged.get(key)) or not _blank(draft.get(key)):
            continue
        merged[key] = value
    if model.get("deadline") and offline.get("deadline"):
        merged["deadline"] = offline["deadline"]
    return merged


def _blank(value: Any) -> bool:
    return value in (None, "", [], {})
