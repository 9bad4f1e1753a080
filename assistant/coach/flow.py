"""Goal drafting as a state machine over a typed GoalDraft (pure: no I/O).

One mentee turn = `advance(draft, update, today)`: the backend has already
turned the mentee's words into a GoalUpdate; this module applies it and
decides the next Step (ask one missing slot, propose, save, leave...).
The next question is always the first slot still missing, so information
volunteered early or out of order is never asked for again. Each slot is asked
once: an answer the rules can't read gets one clarifying retry, and a slot the
mentee declines ("skip") or keeps as worded ("keep it as it is") is settled and
never asked again. Only the deadline is indispensable (a Goal needs a date): if
put off, it comes back once everything else has been asked.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.clock import long_date
from assistant.coach.target import same_unit
from assistant.coach.text import tidy
from assistant.coach.types import GoalDraft, GoalSlot, GoalUpdate
from assistant.models import Goal
from assistant.smart import is_specific

SLOTS: tuple[GoalSlot, ...] = ("what", "measure", "deadline", "achievability", "relevance")
# An answer the rules could not read is asked about once more, then the slot is left
# to the mentee: a coach that loops on the same question loses the mentee.
MAX_TRIES = 2
TEXT_FIELDS = ("what", "measure", "target", "baseline", "deadline_text", "achievability", "relevance")

StepKind = Literal["ask", "propose", "saved", "restarted", "left", "answer", "ask_change"]


class Step(BaseModel):
    """What the state machine decided; templates or an LLM phrase it."""
    model_config = ConfigDict(extra="forbid")
    kind: StepKind
    slot: GoalSlot | None = Field(None, description="The slot asked for, when kind is ask/answer/ask_change.")
    filled: list[str] = Field(default_factory=list, description="Slots this turn filled or changed.")
    problem: str = Field("", description="Why a value was refused, e.g. 'deadline_past'.")
    question: str = Field("", description="The mentee's question, when kind is answer.")
    settled: list[GoalSlot] = Field(default_factory=list, description="Slots kept as worded or declined this turn.")
    retry: bool = Field(False, description="The previous answer to this slot could not be read.")


def is_vague(draft: GoalDraft) -> bool:
    """The wish names no concrete action or outcome, even together with its target."""
    if not draft.what:
        return False
    target = draft.target or draft.measure
    # "get better at public speaking" + "3 talks" is specific: a direction with a number to reach.
    return not is_specific(f"{draft.what} ({target})" if target else draft.what)


def _open(draft: GoalDraft, slot: GoalSlot) -> bool:
    if slot == "what":
        return not draft.what or (is_vague(draft) and "what" not in draft.settled)
    if slot == "deadline":
        return draft.deadline is None  # a Goal can't be saved without one
    if slot in draft.settled:
        return False
    if slot == "measure":
        return not (draft.measure or draft.target)
    return not getattr(draft, slot)


def is_blank(draft: GoalDraft) -> bool:
    """Nothing said and nothing asked yet in this draft."""
    return draft.asked is None and draft.deadline is None and not any(getattr(draft, f) for f in TEXT_FIELDS)


def missing(draft: GoalDraft) -> list[GoalSlot]:
    """Slots still needed, in the order the coach asks for them."""
    gaps = [slot for slot in SLOTS if _open(draft, slot)]
    # A deadline the mentee put off comes back last, once everything else has been asked.
    return sorted(gaps, key=lambda slot: slot == "deadline" and slot in draft.settled)


def apply(draft: GoalDraft, update: GoalUpdate, today: date) -> tuple[GoalDraft, list[str], str]:
    """Copy the update's non-empty fields onto the draft; refuse a past deadline."""
    data = draft.model_dump()
    filled: list[str] = []
    problem = ""
    for name in TEXT_FIELDS:
        value = getattr(update, name)
        if value and value.strip() and value.strip() != data[name]:
            data[name] = value.strip()
            filled.append(name)
    if update.deadline is not None:
        if update.deadline < today:
            problem = "deadline_past"
            filled = [f for f in filled if f != "deadline_text"]
            data["deadline_text"] = draft.deadline_text
        elif update.deadline != draft.deadline:
            data["deadline"] = update.deadline
            filled.append("deadline")
    if update.milestones is not None:
        data["milestones"] = [m.model_dump() for m in update.milestones]
        filled.append("milestones")
    if "what" not in filled:
        _sync_what(data, draft, filled)
    return GoalDraft.model_validate(data), filled, problem


def _sync_what(data: dict, old: GoalDraft, filled: list[str]) -> None:
    """Keep the goal's own words in line with a corrected target or deadline.

    "Give 3 talks" with the target changed to 4 must not still say 3, and a statement
    that says "by June 2027" must not also end "by March 31, 2027".
    """
    # "One dashboard" after "mentor two analysts" is what to count, not a new count of analysts.
    if "target" in filled and old.target and same_unit(data["target"], old.target):
        data["target"] = _like(data["target"], old.target)
        if "measure" in filled:
            data["measure"] = _like(data["measure"], old.target)
        data["what"] = replace_phrase(data["what"], old.target, data["target"])
    if "deadline" in filled and old.deadline_text:
        data["what"] = replace_phrase(data["what"], old.deadline_text, "").strip(" ,;-") or data["what"]


def _like(new: str, old: str) -> str:
    """A bare number ("make it 4") takes the unit of the target it corrects ("3 talks" -> "4 talks")."""
    number = re.search(r"\d+(?:[.,]\d+)?", old)
    if re.fullmatch(r"\s*\d+(?:[.,]\d+)?\s*", new) and number:
        return old[:number.start()] + new.strip() + old[number.end():]
    return new


def replace_phrase(text: str, old: str, new: str) -> str:
    """`text` with the first `old` (any case) replaced by `new`."""
    at = text.lower().find(old.lower())
    if at < 0:
        return text
    return tidy(text[:at] + new + text[at + len(old):])


def advance(draft: GoalDraft, update: GoalUpdate, today: date) -> tuple[GoalDraft, Step]:
    """One mentee turn: the new draft and the step to phrase."""
    if update.intent == "quit":
        return draft.model_copy(update={"stage": "left"}), Step(kind="left")
    if update.intent == "restart":
        fresh = GoalDraft(asked="what", tries={"what": 1})
        return fresh, Step(kind="restarted", slot="what")
    confirming = draft.stage == "confirming"
    asked = None if confirming else draft.asked
    challenged = asked == "what" and bool(draft.what)  # the question was about their own wording
    draft, filled, problem = apply(draft, update, today)
    draft, settled = _settle(draft, asked, update, filled, challenged)
    gaps = missing(draft)
    if confirming and update.intent == "confirm" and not filled and not gaps:
        return draft.model_copy(update={"stage": "saved", "asked": None}), Step(kind="saved")
    if update.intent == "question" and not filled:
        # Nothing begun (a question right after a save): answered, with no question of the coach's own.
        slot = gaps[0] if gaps and not is_blank(draft) else None
        return draft, Step(kind="answer", slot=slot, question=update.question or "")
    if update.intent == "reject" and not filled:
        # A change the rules could not carry out: how to say it, then the question pending, if any.
        return draft, Step(kind="ask_change", slot=None if confirming else (gaps or [None])[0])
    if gaps:
        slot = gaps[0]
        # Asked again only because the answer could not be read (not because other news came first).
        retry = slot == asked and update.intent == "info" and not _news(filled) and not problem
        tries = {**draft.tries, slot: draft.tries.get(slot, 0) + 1}
        draft = draft.model_copy(update={"stage": "collecting", "asked": slot, "tries": tries})
        return draft, Step(kind="ask", slot=slot, filled=filled, problem=problem, settled=settled, retry=retry)
    draft = draft.model_copy(update={"stage": "confirming", "asked": None})
    return draft, Step(kind="propose", filled=filled, problem=problem, settled=settled)


def _news(filled: list[str]) -> list[str]:
    # Words for a deadline without its day ("next summer") still leave the deadline unanswered.
    return [name for name in filled if name != "deadline_text"]


def _settle(draft: GoalDraft, asked: GoalSlot | None, update: GoalUpdate, filled: list[str],
            challenged: bool) -> tuple[GoalDraft, list[GoalSlot]]:
    """Settle the slot just asked when the mentee answered it for good; returns the kept/declined ones.

    Declined or kept as worded ("skip", "keep it as it is"), restated after the one question about
    a vague wish, or still unreadable after the retry: in each case asking again would only repeat.
    A new wish given any other way (after declining to give one, or as an edit) gets its one question.
    """
    if "what" in filled and not challenged and "what" in draft.settled:
        draft = draft.model_copy(update={"settled": [s for s in draft.settled if s != "what"]})
    if asked is None or asked in draft.settled or update.intent not in ("info", "skip"):
        return draft, []
    declined = update.intent == "skip" or (not _news(filled) and draft.tries.get(asked, 0) >= MAX_TRIES)
    restated = challenged and "what" in filled
    if not (declined or restated):
        return draft, []
    draft = draft.model_copy(update={"settled": [*draft.settled, asked]})
    return draft, [asked] if declined else []


# "I want to give 3 talks" is saved as "Give 3 talks": a goal states the action, not the wish.
LEAD = re.compile(r"^\s*(?:i(?:'d| would| want| wish| hope| plan| aim| intend| need)(?: really)?(?: like| love)?"
                  r"(?: to)?|my (?:main )?(?:goal|aim|objective) is(?: to)?)\s+(?=\w)", re.I)


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _action(draft: GoalDraft) -> str:
    return LEAD.sub("", draft.what.strip().rstrip("."), count=1)


def specific(draft: GoalDraft) -> str:
    """The Specific part: the action and its object, without "I want to" or the deadline."""
    text = _action(draft)
    if draft.deadline_text:
        text = replace_phrase(text, draft.deadline_text, "").strip(" ,;-") or text
    return text[:1].upper() + text[1:]


def statement(draft: GoalDraft) -> str:
    """The goal as one sentence, reusing the mentee's words where they already say it."""
    text = _action(draft)
    low = text.lower()
    # The target and date go with the goal's first sentence, not after a sentence that follows it.
    text, rest = (SENTENCE_END.split(text, maxsplit=1) + [""])[:2]
    text = text.rstrip(" .")
    target = draft.target or draft.measure
    if target and target.lower() not in low and not _has_number(low):
        text += f" ({target})"
    if draft.deadline and (not draft.deadline_text or draft.deadline_text.lower() not in low):
        text += f" by {long_date(draft.deadline)}"
    rest = f" {rest}" + ("" if rest.endswith((".", "!", "?")) else ".") if rest else ""
    return text[:1].upper() + text[1:] + "." + rest


# Words a short title must not end on ("… on the blog of"): English, and the commonest of the
# other languages mentees write in.
_DANGLING_WORDS = set("""a an the of to at in on for with by from and or but our my your their his her its
de del la le les el los las en et y du des da di il""".split())


def title(draft: GoalDraft) -> str:
    """The goal's short title: its action in at most ten words; a longer one is cut at eight
    words, before any dangling little word, without an ellipsis (a title, not a quote)."""
    words = _action(draft).rstrip(".").split()
    if len(words) > 10:
        words = words[:8]
        joins = [i for i, w in enumerate(words) if i >= 3 and w.lower() in ("and", "y", "et")]
        words = words[:joins[0]] if joins else words  # the first of two actions, whole
        while len(words) > 3 and words[-1].lower().strip(",;:") in _DANGLING_WORDS:
            words.pop()
    short = " ".join(words).rstrip(",;:")
    return short[:1].upper() + short[1:]


def to_goal(draft: GoalDraft, owner: str) -> Goal:
    """The confirmed draft as a Goal record (status active)."""
    if draft.deadline is None or missing(draft):
        raise ValueError(f"draft is not complete: missing {missing(draft)}")
    return Goal(owner=owner, title=title(draft), statement=_clip(statement(draft)),
                measure=_clip(draft.measure), target=_clip(draft.target or draft.measure),
                baseline=_clip(draft.baseline), achievability=_clip(draft.achievability),
                relevance=_clip(draft.relevance), deadline=draft.deadline,
                milestones=draft.milestones, status="active")


def _clip(text: str, limit: int = 2000) -> str:
    """A part that grew past what a goal holds (several long messages joined) is cut, not refused:
    refusing at "yes" would leave a finished draft that can never be saved."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def criteria_status(draft: GoalDraft) -> dict[str, bool]:
    """Which SMART criteria the draft's content meets so far (the chat page colours them).

    From what is there, not from what is still to be asked: a vague wish the mentee kept,
    or a part they declined, is not asked again but isn't met either.
    """
    return {"Specific": bool(draft.what) and not is_vague(draft), "Measurable": bool(draft.measure or draft.target),
            "Achievable": bool(draft.achievability), "Relevant": bool(draft.relevance),
            "Time-bound": draft.deadline is not None}
