"""Goal drafting as a state machine over a typed GoalDraft (pure: no I/O).

One mentee turn = `advance(draft, update, today)`: the backend has already
turned the mentee's words into a GoalUpdate; this module applies it and
decides the next Step (ask one missing slot, propose, save, leave...).
The next question is always the first slot still missing, so information
volunteered early or out of order is never asked for again.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.coach.types import GoalDraft, GoalSlot, GoalUpdate
from assistant.models import Goal
from assistant.smart import is_specific

SLOTS: tuple[GoalSlot, ...] = ("what", "measure", "deadline", "achievability", "relevance")
# After asking for a slot this often, the mentee's own words are accepted as they
# are: a coach that loops on the same question loses the mentee.
MAX_TRIES = 2
TEXT_FIELDS = ("what", "measure", "target", "baseline", "deadline_text", "achievability", "relevance")

StepKind = Literal["ask", "propose", "saved", "restarted", "left", "answer", "ask_change"]


class Step(BaseModel):
    """What the state machine decided; templates or an LLM phrase it."""
    model_config = ConfigDict(extra="forbid")
    kind: StepKind
    slot: GoalSlot | None = Field(None, description="The slot asked for, when kind is ask/answer.")
    filled: list[str] = Field(default_factory=list, description="Slots this turn filled or changed.")
    problem: str = Field("", description="Why a value was refused, e.g. 'deadline_past'.")
    question: str = Field("", description="The mentee's question, when kind is answer.")


def missing(draft: GoalDraft) -> list[GoalSlot]:
    """Slots still needed, in the order the coach asks for them."""
    gaps: list[GoalSlot] = []
    vague = draft.what and not is_specific(draft.what)
    if not draft.what or (vague and draft.tries.get("what", 0) < MAX_TRIES):
        gaps.append("what")
    if not (draft.measure or draft.target):
        gaps.append("measure")
    if draft.deadline is None:
        gaps.append("deadline")
    if not draft.achievability:
        gaps.append("achievability")
    if not draft.relevance:
        gaps.append("relevance")
    return gaps


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
    return GoalDraft.model_validate(data), filled, problem


def advance(draft: GoalDraft, update: GoalUpdate, today: date) -> tuple[GoalDraft, Step]:
    """One mentee turn: the new draft and the step to phrase."""
    if update.intent == "quit":
        return draft.model_copy(update={"stage": "left"}), Step(kind="left")
    if update.intent == "restart":
        fresh = GoalDraft(asked="what", tries={"what": 1})
        return fresh, Step(kind="restarted", slot="what")
    confirming = draft.stage == "confirming"
    draft, filled, problem = apply(draft, update, today)
    gaps = missing(draft)
    if confirming and update.intent == "confirm" and not filled and not gaps:
        return draft.model_copy(update={"stage": "saved", "asked": None}), Step(kind="saved")
    if update.intent == "question" and not filled:
        return draft, Step(kind="answer", slot=gaps[0] if gaps else None, question=update.question or "")
    if confirming and update.intent == "reject" and not filled:
        return draft, Step(kind="ask_change")
    if gaps:
        slot = gaps[0]
        tries = {**draft.tries, slot: draft.tries.get(slot, 0) + 1}
        draft = draft.model_copy(update={"stage": "collecting", "asked": slot, "tries": tries})
        return draft, Step(kind="ask", slot=slot, filled=filled, problem=problem)
    draft = draft.model_copy(update={"stage": "confirming", "asked": None})
    return draft, Step(kind="propose", filled=filled, problem=problem)


def statement(draft: GoalDraft) -> str:
    """The goal as one sentence, reusing the mentee's words where they already say it."""
    text = draft.what.strip().rstrip(".")
    low = text.lower()
    target = draft.target or draft.measure
    if target and target.lower() not in low and not _has_number(low):
        text += f" ({target})"
    if draft.deadline and (not draft.deadline_text or draft.deadline_text.lower() not in low):
        text += f" by {draft.deadline:%B} {draft.deadline.day}, {draft.deadline.year}"
    return text[:1].upper() + text[1:] + "."


def title(draft: GoalDraft) -> str:
    words = draft.what.strip().rstrip(".").split()
    short = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
    return short[:1].upper() + short[1:]


def to_goal(draft: GoalDraft, owner: str) -> Goal:
    """The confirmed draft as a Goal record (status active)."""
    if draft.deadline is None or missing(draft):
        raise ValueError(f"draft is not complete: missing {missing(draft)}")
    return Goal(owner=owner, title=title(draft), statement=statement(draft),
                measure=draft.measure, target=draft.target or draft.measure,
                baseline=draft.baseline, achievability=draft.achievability,
                relevance=draft.relevance, deadline=draft.deadline,
                milestones=draft.milestones, status="active")


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def criteria_status(draft: GoalDraft) -> dict[str, bool]:
    """Which SMART criteria the draft covers so far (the chat page colours them)."""
    gaps = set(missing(draft))
    return {"Specific": "what" not in gaps, "Measurable": "measure" not in gaps,
            "Achievable": "achievability" not in gaps, "Relevant": "relevance" not in gaps,
            "Time-bound": "deadline" not in gaps}
