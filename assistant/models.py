"""Waypoint's records: strict pydantic models that can render themselves.

Every record is `extra="forbid"` so that a typo in a field name (or an LLM
inventing a field) is an error, not silently dropped data.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Role = Literal["mentee", "mentor", "coordinator"]
GoalStatus = Literal["draft", "active", "done", "dropped"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class User(Strict):
    id: int | None = Field(None, description="Database id; None before the user is saved.")
    name: Name = Field(description="Unique login name, e.g. 'alice'.")
    role: Role = Field(description="What the person may see and do.")
    display_name: str = Field("", max_length=120, description="Name shown in the UI; defaults to name.")
    active: bool = Field(True, description="Deactivated accounts can't log in; their records stay.")
    created_at: datetime = Field(default_factory=utcnow)


class Pairing(Strict):
    id: int | None = None
    mentor: Name = Field(description="Mentor's user name.")
    mentee: Name = Field(description="Mentee's user name.")
    active: bool = Field(True, description="False once the pair was ended.")
    created_at: datetime = Field(default_factory=utcnow)


class Criterion(Strict):
    met: bool | None = Field(description="True met, False not met, None: needs the mentee's input.")
    reason: str = Field(description="Why the criterion is judged so, in one sentence.")
    question: str | None = Field(None, description="What to ask the mentee when not met.")


class SmartAssessment(Strict):
    specific: Criterion
    measurable: Criterion
    achievable: Criterion
    relevant: Criterion
    time_bound: Criterion
    deadline: date | None = Field(None, description="The last day the goal allows, if stated.")
    questions: list[str] = Field(default_factory=list, description="One question per criterion not met.")

    CRITERIA: tuple[str, ...] = ("specific", "measurable", "achievable", "relevant", "time_bound")

    def criteria(self) -> dict[str, Criterion]:
        return {name: getattr(self, name) for name in self.CRITERIA}

    @property
    def fully_smart(self) -> bool:
        return all(c.met is True for c in self.criteria().values())


TITLE_MAX = 200  # a goal title's length


class Milestone(Strict):
    title: ShortText = Field(min_length=1, description="What is done at this step.")
    due: date | None = Field(None, description="When this step should be done.")
    done: bool = False


class GoalVersion(Strict):
    version: int = Field(ge=1)
    at: datetime = Field(default_factory=utcnow)
    by: str = Field("", description="User name that made the change.")
    note: str = Field("", description="What changed, e.g. 'deadline 2027-05-31'.")
    snapshot: dict = Field(default_factory=dict, description="The goal's fields at this version.")


class Goal(Strict):
    id: int | None = None
    owner: Name = Field(description="The mentee's user name.")
    title: ShortText = Field(min_length=1, max_length=TITLE_MAX, description="Short label for lists.")
    statement: ShortText = Field(min_length=1, description="The full SMART goal sentence.")
    measure: ShortText = Field("", description="How success is measured (what is counted).")
    target: ShortText = Field("", description="The value that means done, e.g. '3 talks'.")
    baseline: ShortText = Field("", description="Where the mentee starts, e.g. '0 talks so far'.")
    achievability: ShortText = Field("", description="Resources, support and constraints.")
    relevance: ShortText = Field("", description="Why the goal matters to the mentee.")
    deadline: date = Field(description="The last day the goal allows.")
    milestones: list[Milestone] = Field(default_factory=list)
    status: GoalStatus = "active"
    progress: int = Field(0, ge=0, le=100, description="Percent complete.")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    history: list[GoalVersion] = Field(default_factory=list, description="Earlier versions, oldest first.")

    def passed(self, today: date) -> bool:
        """Still active after its deadline: the pages mark it, the brief asks about it."""
        return self.status == "active" and self.deadline < today

    def as_markdown(self, today: date | None = None) -> str:
        """The goal as Markdown; given `today`, a passed deadline and milestones past their
        date (not done) are marked."""
        late = today is not None and self.passed(today)
        lines = [f"## {self.title}", "", self.statement, ""]
        for label, value in (("Measure", self.measure), ("Target", self.target),
                             ("Baseline", self.baseline), ("Achievable", self.achievability),
                             ("Relevant", self.relevance)):
            if value:
                lines.append(f"- **{label}:** {value}")
        lines += [f"- **Deadline:** {self.deadline:%a %d %b %Y}" + (" (passed)" if late else ""),
                  f"- **Status:** {self.status} ({self.progress}%)"]
        if self.milestones:
            lines += ["", "### Milestones"]
            lines += [f"- [{'x' if m.done else ' '}] {m.title}" + _by(m, today) for m in self.milestones]
        return "\n".join(lines) + "\n"


def _by(milestone: Milestone, today: date | None) -> str:
    if milestone.due is None:
        return ""
    overdue = today is not None and not milestone.done and milestone.due < today
    return f" (by {milestone.due:%d %b %Y}{', overdue' if overdue else ''})"


class Citation(Strict):
    doc_id: str
    source: str = Field(description="File name the passage came from.")
    title: str = Field(description="Document title.")
    section: str = Field("", description="Section heading the passage sits under.")
    page: int | None = Field(None, description="PDF page, 1-based.")
    text: str = Field(description="The passage itself (data, never instructions).")
    score: float = 0.0

    def label(self) -> str:
        where = f" § {self.section}" if self.section else ""
        page = f", p. {self.page}" if self.page else ""
        return f"{self.title}{where}{page}"


class Message(Strict):
    role: Literal["user", "assistant"]
    text: str
    at: datetime = Field(default_factory=utcnow)
    backend: str = Field("", description="Which backend answered: 'offline', 'openai:<model>', 'offline (fallback)'.")
    citations: list[Citation] = Field(default_factory=list)


class Conversation(Strict):
    id: int | None = None
    user: Name
    kind: Literal["goal", "prep"] = "goal"
    status: Literal["open", "closed"] = "open"
    state: dict = Field(default_factory=dict, description="The flow's draft, serialised.")
    messages: list[Message] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
