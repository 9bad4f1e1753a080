"""Shared records for the prep, agenda and export tests (plain builders, no I/O)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from assistant.coach.prep import phrase, prep_turn, start_prep
from assistant.coach.prep_models import PrepContext, PrepDraft, PrepUpdate, Step
from assistant.coach.prep_rules import OfflinePrepInterpreter
from assistant.coach.types import TurnRequest
from assistant.meeting_models import ActionItem, Meeting
from assistant.models import Goal, Milestone

TODAY = date(2026, 11, 23)


def goals() -> list[Goal]:
    return [
        Goal(id=1, owner="ana", title="Give three conference talks", statement="Give 3 talks at conferences by June",
             deadline=date(2027, 6, 30), progress=20,
             milestones=[Milestone(title="Write the talk outline"), Milestone(title="Submit the PyCon proposal"),
                         Milestone(title="Rehearse with the team", done=True)]),
        Goal(id=2, owner="ana", title="Reach Spanish level B1", statement="Pass the B1 Spanish exam by March",
             deadline=date(2027, 3, 1), progress=40),
        Goal(id=3, owner="ana", title="Old finished goal", statement="Done already", deadline=date(2026, 1, 1),
             status="done", progress=100),
    ]


def actions() -> list[ActionItem]:
    return [ActionItem(id=7, meeting_id=3, text="Send the CV to Maria", due=date(2026, 11, 20)),
            ActionItem(id=8, meeting_id=3, text="Book the budget review with finance", owner="mentor"),
            ActionItem(id=9, meeting_id=3, text="Already closed item", status="done")]


def meeting(minutes: int = 45, **kw) -> Meeting:
    return Meeting(id=4, mentee="ana", mentor="bob", starts_at=datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc),
                   minutes=minutes, created_at=datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc), **kw)


def context(minutes: int = 45) -> PrepContext:
    return PrepContext(meeting=meeting(minutes), goals=goals(), open_actions=actions(), today=TODAY)


class Chat:
    """Drives the prep like the service will: interpreter -> prep_turn -> phrase, draft round-tripped as JSON."""

    def __init__(self, ctx: PrepContext, draft: PrepDraft | None = None):
        self.ctx, self.backend = ctx, OfflinePrepInterpreter()
        if draft is None:
            self.draft, self.step = start_prep(ctx)
        else:
            self.draft, self.step = draft, None
        self.asked: list[str] = [self.draft.asked] if draft is None else []
        self.replies: list[str] = [phrase(self.step)] if self.step else []

    def say(self, text: str) -> Step:
        req = TurnRequest(kind="prep", text=text, draft=self.draft.model_dump(mode="json"),
                          expecting=self.draft.asked, today=self.ctx.today)
        update = PrepUpdate.model_validate(self.backend.interpret(req).update)
        self.draft, self.step = prep_turn(self.draft, update, self.ctx)
        self.replies.append(phrase(self.step))
        if self.step.kind == "ask":
            self.asked.append(self.step.slot)
        return self.step

    def script(self, *texts: str) -> Step:
        for text in texts:
            self.say(text)
        return self.step
