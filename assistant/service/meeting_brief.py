"""The mentor's pre-meeting brief: what the mentee prepared, how each goal moved, what to ask.

Everything comes from the store and the pure helpers in assistant/agenda.py;
the one optional edge is the guideline tip (knowledge base), left out when
the knowledge base is unavailable or has nothing close enough.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from pydantic import Field

from assistant.agenda import build_agenda, suggest_questions
from assistant.coach.prep_models import PrepDraft
from assistant.meeting_models import ActionItem, Agenda, Meeting
from assistant.models import Citation, Goal, Strict, User
from assistant.service.access import require_role

# What to look up in the guidelines for the tip: feedback when something blocks the mentee.
TIP_QUERIES = {"blocked": "giving specific helpful feedback when the mentee is stuck or blocked",
               "default": "listening well and asking open questions in a mentoring meeting"}
PAST_AGENDAS = 3  # earlier agendas read to spot blockers that keep coming back


class TrendPoint(Strict):
    at: datetime = Field(description="When the progress was recorded (UTC).")
    progress: int = Field(ge=0, le=100, description="Percent complete then.")


class GoalTrend(Strict):
    goal_id: int = Field(description="The goal's id.")
    title: str = Field(description="The goal's title.")
    deadline: str = Field(description="The goal's deadline, YYYY-MM-DD.")
    before: int = Field(ge=0, le=100, description="Percent at the previous meeting.")
    now: int = Field(ge=0, le=100, description="Percent now.")
    milestones_done: list[str] = Field(default_factory=list, description="Milestones reported done in the prep.")
    note: str = Field("", description="What moved, in the mentee's words (from the prep).")
    history: list[TrendPoint] = Field(default_factory=list, description="Progress over time, oldest first.")

    @property
    def delta(self) -> int:
        return self.now - self.before


class Brief(Strict):
    mentee: str = Field(description="Whose brief this is.")
    meeting: Meeting | None = Field(None, description="The next scheduled meeting, if any.")
    previous: Meeting | None = Field(None, description="The meeting before it, if any.")
    agenda: Agenda | None = Field(None, description="The latest agenda of the meeting; None before the prep.")
    goals: list[GoalTrend] = Field(default_factory=list, description="Each active goal's progress.")
    open_actions: list[ActionItem] = Field(default_factory=list, description="Action items still open.")
    questions: list[str] = Field(default_factory=list, description="3-5 questions the mentor could ask.")
    tip: Citation | None = Field(None, description="A guideline passage for this meeting, if the library has one.")

    @property
    def tip_source(self) -> str:
        return self.tip.label() if self.tip else ""


class MeetingBriefService:
    """Mixin of MeetingService: needs self.deps, _meeting_for, _require_pair, _upcoming, _cached_passages."""

    def brief(self, actor: User, meeting_id: int | None = None, mentee: str | None = None) -> Brief:
        """For the mentee's current mentor: the meeting `meeting_id`, or `mentee`'s next one."""
        require_role(actor, "mentor")
        if meeting_id is not None:
            meeting = self._meeting_for(actor, meeting_id)
            mentee = meeting.mentee
        elif mentee is not None:
            self._require_pair(actor, mentee)
            meeting = self._upcoming(mentee)
            meeting = meeting and self._visible(actor, meeting)
        else:
            raise ValueError("Say which meeting or which mentee the brief is for.")
        store = self.deps.store
        earlier = self._earlier_meetings(mentee, meeting)
        previous = self._visible(actor, earlier[-1]) if earlier else None
        agenda = store.get_agenda(meeting.id) if meeting else None
        goals = store.list_goals(owner=mentee, status="active")
        actions = store.list_action_items(mentee, status="open")
        basis = agenda or self._placeholder_agenda(mentee, meeting, goals, actions)
        past = [a for a in (store.get_agenda(m.id) for m in earlier[-PAST_AGENDAS:]) if a]
        return Brief(mentee=mentee, meeting=meeting, previous=previous, agenda=agenda,
                     goals=self._trends(goals, agenda, previous),
                     open_actions=actions,
                     questions=suggest_questions(goals, basis, past, self.deps.today()),
                     tip=self._brief_tip("blocked" if basis.blockers else "default"))

    # -- internals -------------------------------------------------------
    def _earlier_meetings(self, mentee: str, meeting: Meeting | None) -> list[Meeting]:
        """Meetings (not cancelled) that started before `meeting`, or before tomorrow."""
        tomorrow = datetime.combine(self.deps.today() + timedelta(days=1), time(0), self.deps.settings.tz)
        cutoff = meeting.starts_at if meeting else tomorrow
        return [m for m in self.deps.store.list_meetings(mentee=mentee, status=("scheduled", "done"))
                if m.starts_at < cutoff and m.id != (meeting.id if meeting else None)]

    def _placeholder_agenda(self, mentee: str, meeting: Meeting | None, goals: list[Goal],
                            actions: list[ActionItem]) -> Agenda:
        """Before the prep: an agenda from goals and open actions only, to base questions on."""
        meeting = meeting or Meeting(mentee=mentee, mentor=self.deps.store.mentor_of(mentee) or "-",
                                     starts_at=datetime.combine(self.deps.today(), time(0), self.deps.settings.tz))
        return build_agenda(PrepDraft(meeting_id=meeting.id, mentor=meeting.mentor), goals, meeting, actions)

    def _trends(self, goals: list[Goal], agenda: Agenda | None, previous: Meeting | None) -> list[GoalTrend]:
        history = self.deps.store.progress_history([g.id for g in goals])
        reported = {p.goal_id: p for p in agenda.progress} if agenda else {}
        out = []
        for goal in goals:
            points = history[goal.id]
            report = reported.get(goal.id)
            # "Since the last meeting" is measured from what was recorded at it; the prep's own
            # starting figure (later edits on My goals included) only before any meeting.
            fallback = report.progress_before if report is not None else goal.progress
            before = _progress_at(points, previous, fallback) if previous is not None else fallback
            first = goal.history[0].snapshot.get("progress", goal.progress) if goal.history else (
                points[0].progress if points else goal.progress)
            chart = [TrendPoint(at=goal.created_at, progress=first)]
            chart += [TrendPoint(at=p.at, progress=p.progress) for p in points]
            if chart[-1].progress != goal.progress:  # changed since last logged: when it last changed
                chart.append(TrendPoint(at=max(goal.updated_at, chart[-1].at), progress=goal.progress))
            out.append(GoalTrend(goal_id=goal.id, title=goal.title, deadline=goal.deadline.isoformat(),
                                 before=before, now=goal.progress,
                                 milestones_done=_ticked(goal, report.milestones_done if report else [], previous),
                                 note=report.note if report else "", history=_dedupe(chart)))
        return out

    def _brief_tip(self, kind: str) -> Citation | None:
        floor = self.deps.settings.kb_min_score
        found = [p for p in self._cached_passages("_brief_tips", TIP_QUERIES[kind]) if p.score >= floor]
        return found[0] if found else None


def _ticked(goal: Goal, reported: list[str], previous: Meeting | None) -> list[str]:
    """Milestones done since the previous meeting: those reported in the prep, and those ticked
    on My goals since (read from the goal's versions: each holds the goal as it was before)."""
    since = previous.starts_at if previous else goal.created_at
    later = [v for v in goal.history if v.at > since]
    then = later[0].snapshot.get("milestones", []) if later else [m.model_dump() for m in goal.milestones]
    done_then = {m["title"] for m in then if m.get("done")}
    ticked = [m.title for m in goal.milestones if m.done and m.title not in done_then]
    return reported + [t for t in ticked if t not in reported]


def _progress_at(points, previous: Meeting | None, default: int) -> int:
    """The goal's logged progress at the previous meeting (its last entry up to then)."""
    if previous is None:
        return points[0].progress if points else default
    mine = [p for p in points if p.meeting_id == previous.id]
    if mine:
        return mine[-1].progress
    upto = [p for p in points if p.at <= previous.ends_at]
    return upto[-1].progress if upto else (points[0].progress if points else default)


def _dedupe(points: list[TrendPoint]) -> list[TrendPoint]:
    """One point per timestamp (the last), in time order, for a clean chart."""
    by_time: dict[datetime, TrendPoint] = {}
    for p in sorted(points, key=lambda p: p.at):
        by_time[p.at] = p
    return list(by_time.values())
