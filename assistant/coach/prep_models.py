"""Typed state of the meeting-prep conversation.

`PrepDraft` is the whole conversation state (persisted after every turn with
`model_dump(mode="json")`, restored with `model_validate`). `PrepUpdate` is
what a backend (offline rules or an LLM) fills from one mentee message; empty
fields change nothing. `Step` is what the state machine decided to do next.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from assistant.meeting_models import ActionItem, Agenda, Meeting, Owner
from assistant.models import Goal, Strict

PrepIntent = Literal["info", "confirm", "skip", "finish", "restart", "quit", "reject"]
ActionReport = Literal["done", "in_progress", "dropped"]
ListSlot = Literal["wins", "blockers", "questions", "wants"]
LIST_SLOTS: tuple[ListSlot, ...] = ("wins", "blockers", "questions", "wants")
Stage = Literal["collecting", "confirming", "saved", "left"]


class PrepGoal(Strict):
    """A snapshot of an active goal, so rules and LLMs can name goals and milestones."""
    id: int = Field(description="The goal's id; use it in goal reports.")
    title: str = Field(description="The goal's title.")
    progress: int = Field(ge=0, le=100, description="Percent complete before this prep.")
    milestones: list[str] = Field(default_factory=list, description="Milestones not done yet, exact titles.")


class PrepAction(Strict):
    """A snapshot of an action item still open from the last meeting."""
    id: int = Field(description="The action item's id; use it in action reports.")
    text: str = Field(description="What was agreed.")
    owner: Owner = Field("mentee", description="Who does it.")
    due: date | None = Field(None, description="When it was due.")


class GoalReport(Strict):
    goal_id: int = Field(description="Id of the goal reported on (from the draft's goals).")
    percent: int | None = Field(None, ge=0, le=100, description="Percent complete now, if the mentee said.")
    milestones_done: list[str] = Field(default_factory=list, description="Exact titles of milestones now done.")
    note: str = Field("", max_length=2000, description="What moved, in the mentee's words.")


class ActionStatusReport(Strict):
    action_id: int = Field(description="Id of the action item (from the draft's actions).")
    status: ActionReport = Field(description="done, in_progress or dropped.")
    note: str = Field("", max_length=2000, description="Anything the mentee added, verbatim.")


class PrepUpdate(Strict):
    """What one mentee message adds. Lists are appended; empty fields change nothing."""
    intent: PrepIntent = Field("info", description=(
        "info=gives information; confirm=accepts the agenda; skip=skips the question asked; "
        "finish=wants to stop answering and see the agenda ('done', 'that's all'); "
        "restart=start the prep over; quit=leave for now; reject=the agenda shown needs changes."))
    goals: list[GoalReport] = Field(default_factory=list, description="Progress per goal mentioned.")
    wins: list[str] = Field(default_factory=list, description="What went well, mentee's words.")
    blockers: list[str] = Field(default_factory=list, description="What is in the way, mentee's words.")
    questions: list[str] = Field(default_factory=list, description="Questions for the mentor, verbatim.")
    wants: list[str] = Field(default_factory=list, description="What they want from this meeting, most important first.")
    actions: list[ActionStatusReport] = Field(default_factory=list, description="Status of last meeting's action items.")
    none_for: list[ListSlot] = Field(default_factory=list, description="Topics the mentee says have nothing, e.g. 'no blockers'.")

    def is_empty(self) -> bool:
        return not (self.goals or self.actions or self.none_for
                    or any(getattr(self, s) for s in LIST_SLOTS))


class PrepDraft(Strict):
    """The half-finished prep. Self-contained: snapshots of goals and actions travel with it."""
    meeting_id: int | None = Field(None, description="The meeting being prepared.")
    mentor: str = Field("", description="The mentor's name, for phrasing.")
    goals: list[PrepGoal] = Field(default_factory=list, description="Active goals at the start of the prep.")
    actions: list[PrepAction] = Field(default_factory=list, description="Open action items from last time.")
    reports: list[GoalReport] = Field(default_factory=list, description="One merged report per goal.")
    action_reports: list[ActionStatusReport] = Field(default_factory=list, description="One per action item.")
    wins: list[str] = Field(default_factory=list)
    blockers: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    wants: list[str] = Field(default_factory=list, description="Most important first.")
    answered: list[str] = Field(default_factory=list, description="Slots skipped or answered 'nothing'.")
    stage: Stage = "collecting"
    met_before: bool = Field(False, description="The pair met before this meeting, so 'since your last meeting' "
                                                "makes sense (a draft from before this field says it neutrally).")
    asked: str | None = Field(None, description="Slot the last reply asked for: goal:ID, action:ID, wins, ...")
    retries: int = Field(0, ge=0, description="Turns in a row the asked slot got no usable answer.")

    def report_for(self, goal_id: int) -> GoalReport | None:
        return next((r for r in self.reports if r.goal_id == goal_id), None)

    def status_for(self, action_id: int) -> ActionStatusReport | None:
        return next((r for r in self.action_reports if r.action_id == action_id), None)

    def goal(self, goal_id: int) -> PrepGoal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def action(self, action_id: int) -> PrepAction | None:
        return next((a for a in self.actions if a.id == action_id), None)


class PrepContext(Strict):
    """What the caller loads from the store for each turn."""
    meeting: Meeting
    goals: list[Goal] = Field(default_factory=list, description="The mentee's goals (only active ones are asked about).")
    open_actions: list[ActionItem] = Field(default_factory=list, description="Open items from earlier meetings.")
    today: date
    met_before: bool | None = Field(None, description=(
        "Whether the pair has held a meeting before this one; None when not loaded (items carried over tell)."))

    def has_met_before(self) -> bool:
        if self.met_before is not None:
            return self.met_before
        # An item agreed in another meeting means there was one; without any, say it neutrally.
        return any(a.meeting_id is not None and a.meeting_id != self.meeting.id for a in self.open_actions)


class Step(Strict):
    """What the state machine decided; `phrase(step)` turns it into text."""
    kind: Literal["ask", "confirm", "change", "save", "add", "left", "closed"] = Field(description=(
        "ask=ask about `slot`; confirm=show the agenda and ask to save; change=ask what to change; "
        "save=the caller saves `agenda`; add=the caller adds `additions` to the saved agenda; "
        "left=the mentee left, draft kept; closed=already saved, nothing to add."))
    slot: str | None = Field(None, description="goal:ID, action:ID, wins, blockers, questions or wants.")
    goal: PrepGoal | None = None
    action: PrepAction | None = None
    agenda: Agenda | None = None
    additions: dict[ListSlot, list[str]] = Field(default_factory=dict,
                                                 description="New list entries for the saved agenda (kind add).")
    mentor: str = ""
    noted: list[str] = Field(default_factory=list, description="What this turn recorded, for an acknowledgement.")
    retry: bool = Field(False, description="The previous answer to this slot was not understood.")
    restarted: bool = False
    intro: bool = Field(False, description="First question of the prep: mention skip/done.")
    remaining: int = Field(0, ge=0, description="Questions left including this one.")
    met_before: bool = Field(False, description="Phrase with 'since your last meeting' (else neutrally).")


# The LLM backend's registry looks update models up by conversation kind.
PREP_SCHEMAS: dict[str, type[Strict]] = {"prep": PrepUpdate}
