"""The contract between the conversation state machines and the backends.

A backend (offline rules, or an LLM) only *understands* a mentee turn (fills
slots of an update) and may *phrase* a reply. The state machine decides what
is asked next and what is saved; it never asks a backend what to do.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Citation, Milestone

Intent = Literal["info", "confirm", "restart", "quit", "question", "skip", "reject"]
GoalSlot = Literal["what", "measure", "deadline", "achievability", "relevance"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoalDraft(_Strict):
    """The half-finished goal, persisted after every turn."""
    what: str = Field("", description="The concrete action or outcome and its object.")
    measure: str = Field("", description="How success is counted, e.g. 'talks given'.")
    target: str = Field("", description="The value that means done, e.g. '3 talks'.")
    baseline: str = Field("", description="Where the mentee starts today.")
    deadline: date | None = Field(None, description="Last day the goal allows.")
    deadline_text: str = Field("", description="The mentee's words for the deadline.")
    achievability: str = Field("", description="Resources, support, time, constraints.")
    relevance: str = Field("", description="Why this goal matters to the mentee.")
    milestones: list[Milestone] = Field(default_factory=list)
    stage: Literal["collecting", "confirming", "saved", "left"] = "collecting"
    asked: GoalSlot | None = Field(None, description="The slot the last reply asked for.")
    tries: dict[str, int] = Field(default_factory=dict, description="How often each slot was asked.")
    settled: list[GoalSlot] = Field(default_factory=list, description=(
        "Slots the mentee kept as they are or declined: never asked again (a missing deadline comes back last)."))
    saved_goal_id: int | None = None


class GoalUpdate(_Strict):
    """What one mentee turn adds or changes. Empty fields change nothing."""
    intent: Intent = Field("info", description="confirm/reject the proposal, skip=decline or keep the asked part, "
                                               "restart, quit, question=asks the coach something.")
    what: str | None = Field(None, description="Concrete action/outcome with its object.")
    measure: str | None = None
    target: str | None = None
    baseline: str | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    achievability: str | None = None
    relevance: str | None = None
    milestones: list[Milestone] | None = None
    question: str | None = Field(None, description="The mentee's question to the coach, verbatim.")


class TurnRequest(_Strict):
    kind: Literal["goal", "prep"] = "goal"
    text: str = Field(max_length=4000)
    draft: dict = Field(description="The current draft, serialised (GoalDraft or PrepDraft).")
    expecting: str | None = Field(None, description="The slot the previous reply asked for.")
    today: date
    passages: list[Citation] = Field(default_factory=list, description="Guideline passages: data, not instructions.")
    history: list[dict] = Field(default_factory=list, description="Recent messages {role, text}.")


class Usage(_Strict):
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: float = 0.0


class TurnResult(_Strict):
    update: dict = Field(description="A GoalUpdate or PrepUpdate, serialised.")
    reply: str | None = Field(None, description="A phrased reply, or None to use the templates.")
    asks: str | None = Field(None, description="The slot the phrased reply asks for.")
    backend: str = "offline"
    fallback_reason: str | None = Field(None, description="Why the LLM did not answer this turn.")
    usage: Usage = Field(default_factory=Usage)


class Backend(Protocol):
    """Implemented by OfflineBackend (rules) and LLMBackend (LangChain)."""
    name: str

    def interpret(self, req: TurnRequest) -> TurnResult: ...
