"""Shared setup for the meetings service tests: a real SQLite store with a hand-moved clock,
the offline backend, and a pair (maria mentors alex) plus outsiders (omar, sam, cora)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.coach.offline import OfflineBackend
from assistant.config import Settings
from assistant.deps import Deps
from assistant.models import Goal, Milestone
from assistant.service import SYSTEM, Service
from assistant.store import Store

TODAY = date(2026, 11, 23)  # a Monday
ROOT = Path(__file__).resolve().parents[1]


FIXTURE_START = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


class Clock:
    """The store's clock, moved by hand so that every record has its own known time."""
    def __init__(self) -> None:
        self.now = FIXTURE_START

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def make_service(home: Path, knowledge: Path | None = None, backend=None, today=TODAY, tz: str = "UTC") -> Service:
    settings = Settings(home=home, llm="offline", knowledge_dir=knowledge or home / "no-guidelines", timezone=tz)
    store = Store(f"sqlite:///{home / 'waypoint.db'}", clock=Clock())
    return Service(Deps(settings=settings, store=store, backend=backend or OfflineBackend(),
                        today=lambda: today))


@pytest.fixture
def svc(tmp_path, monkeypatch) -> Service:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    service = make_service(tmp_path / "home")
    for name, role, mentor in (("maria", "mentor", None), ("omar", "mentor", None),
                               ("alex", "mentee", "maria"), ("sam", "mentee", "omar"),
                               ("cora", "coordinator", None)):
        service.add_user(SYSTEM, name, role, mentor=mentor)
    service.deps.store.save_goal(Goal(
        owner="alex", title="Give three talks at all-hands", statement="Give 3 talks at all-hands by March 2027",
        deadline=date(2027, 3, 31), progress=10,
        # On the store's hand-moved clock: the model's default (the real clock) would sort
        # before or after the store's records depending on the hour the suite runs.
        created_at=FIXTURE_START, updated_at=FIXTURE_START,
        milestones=[Milestone(title="Write the first outline"), Milestone(title="Book a slot")]), by="alex")
    return service


def who(svc: Service, name: str):
    return svc.user(name)


def at(day: int, hour: int = 10, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0)


def prep(svc: Service, mentee: str, *lines: str):
    """Open the prep and send each line; returns (the opening question, the replies)."""
    actor = who(svc, mentee)
    opening = svc.prep_conversation(actor).messages[-1].text
    replies = [svc.prep_chat(actor, line) for line in lines]
    return opening, replies


def held_meeting_with_actions(svc: Service):
    """Meeting 1 today, held; maria records notes and two action items."""
    maria = who(svc, "maria")
    first = svc.schedule_meeting(maria, "alex", at(23, 9))
    svc.record_notes(maria, first.id, "Talked about the talk topics.", [
        {"text": "Send the outline to Maria", "owner": "mentee", "due": date(2026, 12, 1)},
        {"text": "Introduce alex to the events team", "owner": "mentor"}])
    return first
