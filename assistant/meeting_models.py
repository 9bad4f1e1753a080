"""Meeting records: meetings, cadences, action items and the agenda.

Pure pydantic, no I/O. All datetimes are stored as timezone-aware UTC so that
exports (ICS) and comparisons never mix naive and aware values.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator, model_validator

from assistant.models import Name, ShortText, Strict, utcnow

Owner = Literal["mentee", "mentor"]
MeetingStatus = Literal["scheduled", "done", "cancelled"]
ActionStatus = Literal["open", "done", "dropped"]
ItemKind = Literal["blocker", "goal", "questions", "actions", "wins", "want", "other", "wrapup", "checkin"]

MIN_MINUTES, MAX_MINUTES, DEFAULT_MINUTES = 15, 240, 45


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken to be UTC already (what the store writes)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class Meeting(Strict):
    id: int | None = Field(None, description="Database id; None before the meeting is saved.")
    mentee: Name = Field(description="The mentee's user name.")
    mentor: Name = Field(description="The mentor's user name.")
    starts_at: datetime = Field(description="Start time, stored as UTC (naive input is taken as UTC).")
    minutes: int = Field(DEFAULT_MINUTES, ge=MIN_MINUTES, le=MAX_MINUTES, description="Length in minutes.")
    status: MeetingStatus = Field("scheduled", description="scheduled, done or cancelled.")
    notes: ShortText = Field("", description="Shared notes recorded after the meeting.")
    mentor_private_notes: ShortText = Field("", description="Notes only the mentor sees.")
    created_by: str = Field("", description="User name of whoever scheduled it.")
    created_at: datetime = Field(default_factory=utcnow, description="When it was scheduled.")

    @field_validator("starts_at", "created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return as_utc(value)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


def add_months(value: datetime, months: int) -> datetime:
    """Same day of month `months` later, clamped to the month's last day (Jan 31 -> Feb 28)."""
    index = value.month - 1 + months
    year, month = value.year + index // 12, index % 12 + 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


class Cadence(StrEnum):
    """How often a pair meets; proposes the next meeting's start time."""
    weekly = "weekly"
    biweekly = "biweekly"
    monthly = "monthly"

    def step(self, start: datetime, n: int) -> datetime:
        if self is Cadence.monthly:
            return add_months(start, n)  # from the anchor, so the 31st survives February
        return start + timedelta(weeks=n * (1 if self is Cadence.weekly else 2))

    def next_date(self, last: datetime, today: date) -> datetime:
        """The first slot after `last` on the cadence that is not before `today`; same time of day."""
        n = 1
        while self.step(last, n).date() < today:
            n += 1
        return self.step(last, n)


class ActionItem(Strict):
    id: int | None = Field(None, description="Database id; None before it is saved.")
    meeting_id: int | None = Field(None, description="The meeting where it was agreed.")
    text: ShortText = Field(min_length=1, description="What is to be done, in the words agreed.")
    owner: Owner = Field("mentee", description="Who does it.")
    due: date | None = Field(None, description="When it should be done.")
    status: ActionStatus = Field("open", description="open, done or dropped.")
    created_at: datetime = Field(default_factory=utcnow, description="When it was recorded.")


class AgendaItem(Strict):
    topic: ShortText = Field(min_length=1, description="What is discussed, shown as the line in the agenda.")
    goal_id: int | None = Field(None, description="The goal this item is about, if any.")
    minutes: int = Field(ge=1, le=MAX_MINUTES, description="Time box for this item.")
    owner: Owner = Field("mentee", description="Who leads this item.")
    priority: int = Field(ge=1, description="1 is the most important; items are listed in this order.")
    kind: ItemKind = Field("other", description="Where the item came from (blocker, goal, questions, ...).")
    details: list[str] = Field(default_factory=list, description="Sub-points, e.g. merged topics or questions.")


class ProgressUpdate(Strict):
    goal_id: int | None = Field(description="The goal reported on.")
    goal_title: str = Field(description="The goal's title at the time of the report.")
    progress_before: int = Field(ge=0, le=100, description="Percent complete at the last meeting.")
    progress_after: int = Field(ge=0, le=100, description="Percent complete now.")
    milestones_done: list[str] = Field(default_factory=list, description="Milestones finished since last time.")
    note: ShortText = Field("", description="What moved, in the mentee's words.")

    @property
    def delta(self) -> int:
        return self.progress_after - self.progress_before


class Agenda(Strict):
    meeting_id: int | None = Field(description="The meeting this agenda is for.")
    version: int = Field(1, ge=1, description="1 for the first save; each edit saves a new version.")
    meeting_minutes: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES, description="The meeting length the items fill.")
    items: list[AgendaItem] = Field(min_length=1, description="Time-boxed items, most important first.")
    progress: list[ProgressUpdate] = Field(default_factory=list, description="Goal progress since last meeting.")
    wants: list[str] = Field(default_factory=list,
                             description="What the mentee most wants from this meeting, most important first.")
    wins: list[str] = Field(default_factory=list, description="What went well, mentee's words.")
    blockers: list[str] = Field(default_factory=list, description="What is in the way, mentee's words.")
    questions: list[str] = Field(default_factory=list, description="Questions for the mentor, verbatim.")
    open_actions: list[ActionItem] = Field(default_factory=list, description="Action items carried over.")
    prework: list[str] = Field(default_factory=list, description="What to do or read before the meeting.")
    created_by: str = Field("", description="User name that saved this version.")
    created_at: datetime = Field(default_factory=utcnow, description="When this version was made.")

    @model_validator(mode="after")
    def _time_boxes_fill_meeting(self) -> "Agenda":
        total = sum(item.minutes for item in self.items)
        if total != self.meeting_minutes:
            raise ValueError(f"agenda items add up to {total} min, the meeting is {self.meeting_minutes} min")
        return self

    def as_markdown(self) -> str:
        lines = [f"# Meeting agenda (v{self.version})", "", f"**Length:** {self.meeting_minutes} min", "",
                 "## Items", ""]
        for n, item in enumerate(self.items, 1):
            lines.append(f"{n}. **{item.topic}** ({item.minutes} min, {item.owner})")
            lines += [f"   - {d}" for d in item.details]
        if self.progress:
            lines += ["", "## Progress on goals", ""]
            for p in self.progress:
                done = f"; milestones done: {', '.join(p.milestones_done)}" if p.milestones_done else ""
                note = f" — {p.note}" if p.note else ""
                lines.append(f"- **{p.goal_title}**: {p.progress_before}% → {p.progress_after}%{done}{note}")
        for title, values in (("What the mentee most wants from this meeting", self.wants),
                              ("Wins", self.wins), ("Blockers", self.blockers)):
            if values:
                lines += ["", f"## {title}", ""] + [f"- {v}" for v in values]
        if self.questions:
            lines += ["", "## Questions for the mentor", ""]
            for q in self.questions:  # blockquotes keep the mentee's own words apart from ours
                lines += [f"> {q}", ""]
            lines.pop()
        if self.open_actions:
            lines += ["", "## Action items from last time", ""]
            for a in self.open_actions:
                due = f", due {a.due:%d %b %Y}" if a.due else ""
                lines.append(f"- [{'x' if a.status == 'done' else ' '}] {a.text} ({a.owner}{due})")
        if self.prework:
            lines += ["", "## Prework", ""] + [f"- {p}" for p in self.prework]
        return "\n".join(lines).rstrip() + "\n"
