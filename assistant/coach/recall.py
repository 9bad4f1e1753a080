"""A part the mentee says they already gave ("I already told you that in my first message").

The remark itself is no value to store. The coach reads the mentee's earlier messages
of this draft again (newest first), then the goal's own words, where a sentence about
support may have been kept with the goal; what it finds there fills the part asked.
If it finds nothing, the part is asked once more, with an apology.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from assistant.clock import long_date
from assistant.coach.flow import Step, advance
from assistant.coach.templates import ACK, RESTARTED, SAVED, phrase
from assistant.coach.types import GoalDraft, GoalUpdate

MISSED = "Sorry, I missed it \u2014 could you say it once more?"
# Where each slot's value lives in an update.
FIELDS = {"what": ("what",), "measure": ("target", "measure"), "deadline": ("deadline", "deadline_text"),
          "achievability": ("achievability",), "relevance": ("relevance",)}
# Help told inside the goal's own sentence stays with the goal ("... with the help of my lead"),
# but it is what the mentee points back at when asked what makes the goal achievable.
HELP = re.compile(r"\b(?:with (?:the )?(?:help|support) (?:of|from) [^,.;!?]+|(?:\d+|an?|one|two|three|four|five|"
                  r"a few) hours? (?:a|an|per|each|every) (?:week|day|month)\b[^,.;!?]*)", re.I)
Reader = Callable[[str, GoalDraft, str | None, date], GoalUpdate]


def earlier_words(history: list[dict], text: str) -> list[str]:
    """The mentee's earlier messages in this draft, newest first (not this one, nor another goal's)."""
    said: list[str] = []
    for message in reversed(history):
        if message.get("role") != "user":
            if str(message.get("text", "")).startswith((SAVED, RESTARTED)):
                break
            continue
        said.append(str(message.get("text", "")))
    if said and said[0].strip() == text.strip():
        said.pop(0)  # the service's history ends with this very message
    return said


def recall(slot: str, draft: GoalDraft, said: list[str], today: date, read: Reader) -> GoalUpdate:
    """The part `slot` as said earlier in this draft; an empty update when it isn't there."""
    for source in [*said, draft.what]:
        if not source.strip():
            continue
        # Read as if it opened the conversation: every part it names is found, whatever was asked then.
        found = read(source, GoalDraft(), None, today)
        values = {name: getattr(found, name) for name in FIELDS.get(slot, ()) if getattr(found, name)}
        if not any(value != getattr(draft, name) for name, value in values.items()):
            continue
        if source == draft.what and found.what and found.what != draft.what:
            values["what"] = found.what  # it was kept with the goal's words: take it out of them
        return GoalUpdate(**values)
    if slot == "achievability":
        return next((GoalUpdate(achievability=found[0]) for source in [*said, draft.what]
                     if (found := HELP.search(source))), GoalUpdate())
    return GoalUpdate()


def missed_reply(slot: str, draft: GoalDraft) -> str:
    """The apology and the question again, for a part pointed back at but not found."""
    return f"{MISSED} {phrase(Step(kind='ask', slot=slot), draft)}"


def found_reply(slot: str, draft: GoalDraft, update: GoalUpdate, today: date) -> tuple[str, str | None]:
    """The reply, and the slot it asks, after a part pointed back at was found: it quotes what was
    found, so the mentee sees it was heard and need not say it again to the next question."""
    new, step = advance(draft, update, today)
    value = _shown(slot, new)
    lead = f"You did, thanks: I found it (\u201c{value}\u201d). " if value else ""
    return lead + phrase(step.model_copy(update={"filled": []}), new), step.slot


def repeated_reply(other: str, draft: GoalDraft, today: date) -> tuple[str, str | None]:
    """The reply when an answer only said again a part already noted (see `parts.restates_other`)."""
    new, step = advance(draft, GoalUpdate(), today)
    return f"I have that already as {ACK[other]}. {phrase(step, new)}", step.slot


def _shown(slot: str, draft: GoalDraft) -> str:
    if slot == "deadline":
        return long_date(draft.deadline) if draft.deadline else draft.deadline_text
    return draft.target or draft.measure if slot == "measure" else getattr(draft, slot, "")
