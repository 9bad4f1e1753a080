"""The coordinator's view of the program: aggregates only.

Coordinators run the program, they are not anyone's mentor: they see how many
people, pairs, goals and meetings there are, never what a goal or a chat says.
Goal text is read here only to count how many goals are fully SMART.

Records that other parts of Waypoint may or may not have stored yet (meetings,
LLM usage) are read through whatever the store offers; absent, their figures
are None and the page says "not tracked".
"""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pydantic import Field

from assistant.clock import UTC, local_day
from assistant.models import Pairing, Strict, User
from assistant.service.access import require_role
from assistant.smart import assess

QUIET_DAYS = 30


class PairActivity(Strict):
    mentor: str = Field(description="Mentor's user name.")
    mentee: str = Field(description="Mentee's user name.")
    meetings: int | None = Field(description="Meetings held so far (their notes recorded); None if not tracked.")
    last_meeting: date | None = Field(None, description="Most recent meeting held (local day).")
    next_meeting: date | None = Field(None, description="Next meeting booked, from today on (local day).")
    quiet: bool | None = Field(None, description=f"No meeting held in the last {QUIET_DAYS} days, for a pair "
                                                 f"formed over {QUIET_DAYS} days ago (a booking ahead doesn't "
                                                 "hide the silence).")


class LlmUsageTotals(Strict):
    calls: int = Field(0, description="Language-model calls made.")
    prompt_tokens: int = Field(0, description="Tokens sent.")
    completion_tokens: int = Field(0, description="Tokens received.")
    turns: int = Field(0, description="Mentee turns that called the model.")
    latency_ms: int = Field(0, description="Time spent waiting for the model, summed over turns.")


class ProgramStats(Strict):
    people: dict[str, int] = Field(description="Active accounts per role.")
    inactive: int = Field(description="Deactivated accounts.")
    pairs: int = Field(description="Active mentor-mentee pairs.")
    unpaired_mentees: int = Field(description="Active mentees without a mentor.")
    goals: int = Field(description="Goals saved, all statuses.")
    goals_by_status: dict[str, int] = Field(description="Goals per status.")
    fully_smart: int = Field(description="Goals meeting all five SMART criteria.")
    smart_share: float | None = Field(description="fully_smart / goals; None without goals.")
    pair_activity: list[PairActivity] = Field(description="Meetings per active pair.")
    quiet_pairs: int | None = Field(description="Pairs whose `quiet` is true; None if not tracked.")
    llm: LlmUsageTotals | None = Field(description="LLM usage; None if not tracked.")


class ProgramService:
    """Mixin of Service: needs self.deps."""

    def program_stats(self, actor: User) -> ProgramStats:
        require_role(actor, "coordinator")
        store, today = self.deps.store, self.deps.today()
        users = store.list_users()
        active = [u for u in users if u.active]
        pairs = store.list_pairings()
        goals = store.list_goals()
        smart = sum(1 for g in goals if assess(g.statement, today, achievability=g.achievability,
                                               relevance=g.relevance).fully_smart)
        paired = {p.mentee for p in pairs}
        meetings = _meetings(store)
        activity = _pair_activity(pairs, meetings, today, self.deps.settings.tz)
        return ProgramStats(
            people={role: sum(1 for u in active if u.role == role) for role in ("mentee", "mentor", "coordinator")},
            inactive=len(users) - len(active), pairs=len(pairs),
            unpaired_mentees=sum(1 for u in active if u.role == "mentee" and u.name not in paired),
            goals=len(goals), goals_by_status=store.count_goals_by_status(), fully_smart=smart,
            smart_share=round(smart / len(goals), 3) if goals else None,
            pair_activity=activity,
            quiet_pairs=None if meetings is None else sum(1 for a in activity if a.quiet),
            llm=_usage(store))


def _meetings(store) -> list | None:
    """Every meeting, or None while the store keeps no meetings."""
    list_meetings = getattr(store, "list_meetings", None)
    return list(list_meetings()) if callable(list_meetings) else None


def _pair_activity(pairs: list[Pairing], meetings: list | None, today: date,
                   tz: ZoneInfo = UTC) -> list[PairActivity]:
    rows = []
    for pair in pairs:
        if meetings is None:
            rows.append(PairActivity(mentor=pair.mentor, mentee=pair.mentee, meetings=None))
            continue
        mine = [m for m in meetings if (m.mentor, m.mentee) == (pair.mentor, pair.mentee)
                and getattr(m, "status", "scheduled") != "cancelled"]
        # Held means its notes were recorded: a past meeting still "scheduled" may never have happened.
        held = [local_day(m.starts_at, tz) for m in mine if getattr(m, "status", "done") == "done"]
        held = [d for d in held if d <= today]
        booked = [d for m in mine if getattr(m, "status", "scheduled") == "scheduled"
                  and (d := local_day(m.starts_at, tz)) >= today]
        # Quiet: nothing held in the last QUIET_DAYS days; a pair formed more recently is still
        # getting started. A booking weeks ahead doesn't make 45 days of silence less quiet.
        window = timedelta(days=QUIET_DAYS)
        quiet = local_day(pair.created_at, tz) < today - window and not any(d >= today - window for d in held)
        rows.append(PairActivity(mentor=pair.mentor, mentee=pair.mentee, meetings=len(held),
                                 last_meeting=max(held, default=None), next_meeting=min(booked, default=None),
                                 quiet=quiet))
    return rows


def _usage(store) -> LlmUsageTotals | None:
    totals = getattr(store, "usage_totals", None)
    if not callable(totals):
        return None
    data = totals()
    if isinstance(data, dict):
        fields = LlmUsageTotals.model_fields
        return LlmUsageTotals(**{k: int(v or 0) for k, v in data.items() if k in fields})
    return LlmUsageTotals(calls=data.calls, prompt_tokens=data.prompt_tokens,
                          completion_tokens=data.completion_tokens)
