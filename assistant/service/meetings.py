"""Meetings of a pair: scheduling, agendas, notes, action items and exports.

Who may do what (checked here, in every method, from the acting user):
- the mentee: everything about their own meetings; only they prepare and edit
  the agenda (the prep lives in meeting_prep.py);
- their CURRENT mentor: read all of it, schedule, record notes and action items,
  and keep private notes that only the meeting's mentor ever sees; the
  pre-meeting brief (meeting_brief.py);
- anyone else, coordinators included: none of this content.
The server CLI exports through `export_as_operator`, which no page calls.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timezone
from typing import Literal, NamedTuple

from assistant.agenda import retime
from assistant.clock import local, local_day, show
from assistant.exports import MEDIA_TYPES, render
from assistant.meeting_models import (DEFAULT_MINUTES, MAX_MINUTES, ActionItem, ActionStatus, Agenda,
                                      AgendaItem, Cadence, Meeting)
from assistant.models import User
from assistant.service.access import AccessDenied, NotFound, require_mentee_access, require_role
from assistant.service.meeting_brief import MeetingBriefService
from assistant.service.meeting_prep import MeetingPrepService

ExportWhat = Literal["agenda", "goals"]
DEFAULT_HOUR = time(10, 0)  # a first meeting with no series to follow is proposed mid-morning
AGENDA_LISTS = ("wants", "wins", "blockers", "questions", "prework")  # what edit_agenda may replace


class Export(NamedTuple):
    data: bytes
    filename: str
    mime: str


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.") or "export"


class MeetingService(MeetingPrepService, MeetingBriefService):
    """Mixin of Service: needs self.deps and AdminService.user."""

    # --- the program's clock ------------------------------------------------
    def _day(self, instant: datetime) -> date:
        """The day of a stored (UTC) time on the program's clock: what "today" is compared with."""
        return local_day(instant, self.deps.settings.tz)

    # --- access -----------------------------------------------------------
    def _require_pair(self, actor: User, mentee: str) -> None:
        # The pair: the mentee, or their current mentor. Meetings, unlike goals, are the
        # mentor's to write too, so the read form of the goals rule is the whole rule here.
        require_mentee_access(self.deps.store, actor, mentee)

    def _visible(self, actor: User, meeting: Meeting) -> Meeting:
        """The meeting as `actor` may see it: private notes only for the meeting's mentor."""
        if actor.name == meeting.mentor and actor.role == "mentor":
            return meeting
        return meeting.model_copy(update={"mentor_private_notes": ""})

    def _meeting_for(self, actor: User, meeting_id: int) -> Meeting:
        meeting = self.deps.store.get_meeting(meeting_id)
        if meeting is None:
            raise NotFound(f"No meeting {meeting_id}.")
        self._require_pair(actor, meeting.mentee)
        return self._visible(actor, meeting)

    # --- scheduling -------------------------------------------------------
    def schedule_meeting(self, actor: User, mentee: str, starts_at: datetime,
                         minutes: int = DEFAULT_MINUTES) -> Meeting:
        """Either side of a pair books a meeting (naive times are UTC; the pages and the CLI
        convert from the program's time zone, WAYPOINT_TIMEZONE)."""
        self._require_pair(actor, mentee)
        store = self.deps.store
        mentor = store.mentor_of(mentee)
        if mentor is None:
            raise ValueError(f"{mentee} has no mentor yet; the coordinator pairs mentees with mentors.")
        meeting = Meeting(mentee=mentee, mentor=mentor, starts_at=starts_at, minutes=minutes,
                          created_by=actor.name)
        if self._day(meeting.starts_at) < self.deps.today():
            raise ValueError("That date is in the past; pick a date from today on.")
        for other in store.list_meetings(mentee=mentee, status="scheduled"):
            if other.starts_at < meeting.ends_at and meeting.starts_at < other.ends_at:
                raise ValueError(f"That overlaps the meeting on {show(other.starts_at, self.deps.settings.tz)}.")
        return self._visible(actor, store.add_meeting(meeting))

    def cancel_meeting(self, actor: User, meeting_id: int) -> Meeting:
        meeting = self._meeting_for(actor, meeting_id)
        if meeting.status != "scheduled":
            raise ValueError(f"This meeting is already {meeting.status}.")
        return self._save_meeting(actor, meeting_id, status="cancelled")

    def next_meeting_date(self, actor: User, mentee: str, cadence: Cadence | str) -> datetime:
        """The cadence's next slot after the pair's latest meeting (same weekday and local time,
        across daylight-saving changes too), in UTC."""
        self._require_pair(actor, mentee)
        cadence = Cadence(cadence)
        today, tz = self.deps.today(), self.deps.settings.tz
        held = self.deps.store.list_meetings(mentee=mentee, status=("scheduled", "done"))
        # Stepped on the local clock: a 10:00 meeting stays at 10:00 when the clocks change.
        last = local(held[-1].starts_at, tz) if held else datetime.combine(today, DEFAULT_HOUR, tz)
        return cadence.next_date(last, today).astimezone(timezone.utc)

    def mentor_of_mentee(self, actor: User, mentee: str) -> str | None:
        """The mentee's current mentor, None before the coordinator pairs them (the pair only)."""
        self._require_pair(actor, mentee)
        return self.deps.store.mentor_of(mentee)

    def meetings(self, actor: User, user: str | None = None) -> list[Meeting]:
        """A mentee's meetings, or a mentor's with their current mentees; oldest first."""
        user = user or actor.name
        store = self.deps.store
        target = self.user(user)
        if target.role == "mentor":
            if actor.name != user:
                raise AccessDenied("Only a mentor sees their own list of meetings.")
            require_role(actor, "mentor")
            mentees = set(store.mentees_of(user))
            found = [m for m in store.list_meetings(mentor=user) if m.mentee in mentees]
        else:
            self._require_pair(actor, user)
            found = store.list_meetings(mentee=user)
        return [self._visible(actor, m) for m in found]

    def meeting(self, actor: User, meeting_id: int) -> Meeting:
        return self._meeting_for(actor, meeting_id)

    def meetings_by_phase(self, actor: User, mentee: str) -> tuple[list[Meeting], list[Meeting]]:
        """(coming: scheduled from today on, soonest first; for notes: not cancelled and
        started by today, latest first). A meeting today is in both."""
        today = self.deps.today()
        found = self.meetings(actor, mentee)
        coming = [m for m in found if m.status == "scheduled" and self._day(m.starts_at) >= today]
        held = [m for m in found if m.status != "cancelled" and self._day(m.starts_at) <= today]
        return coming, held[::-1]

    def cancelled_ahead(self, actor: User, mentee: str) -> list[Meeting]:
        """Cancelled meetings that were still to come, soonest first: their calendar file
        (STATUS:CANCELLED) takes the event off a calendar that imported it."""
        today = self.deps.today()
        return [m for m in self.meetings(actor, mentee)
                if m.status == "cancelled" and self._day(m.starts_at) >= today]

    def upcoming_meeting(self, actor: User, mentee: str | None = None) -> Meeting | None:
        """The mentee's next scheduled meeting from today on, if any."""
        mentee = mentee or actor.name
        self._require_pair(actor, mentee)
        found = self._upcoming(mentee)
        return None if found is None else self._visible(actor, found)

    def _upcoming(self, mentee: str) -> Meeting | None:
        today = self.deps.today()
        return next((m for m in self.deps.store.list_meetings(mentee=mentee, status="scheduled")
                     if self._day(m.starts_at) >= today), None)

    def _save_meeting(self, actor: User, meeting_id: int, **changes) -> Meeting:
        stored = self.deps.store.get_meeting(meeting_id)  # the full row, private notes included
        updated = Meeting.model_validate({**stored.model_dump(), **changes})
        return self._visible(actor, self.deps.store.update_meeting(updated))

    # --- agendas ----------------------------------------------------------
    def agenda(self, actor: User, meeting_id: int, version: int | None = None) -> Agenda | None:
        """The meeting's latest agenda (or `version`); None before the prep is saved."""
        self._meeting_for(actor, meeting_id)
        return self.deps.store.get_agenda(meeting_id, version)

    def agenda_versions(self, actor: User, meeting_id: int) -> list[Agenda]:
        self._meeting_for(actor, meeting_id)
        return self.deps.store.list_agendas(meeting_id)

    def edit_agenda(self, actor: User, meeting_id: int, items: Sequence[AgendaItem | Mapping],
                    **lists: Sequence[str] | None) -> Agenda:
        """The mentee reorders, renames, adds or drops items before the meeting: a new version
        (none when nothing changed). `lists` replace the agenda's own lists (wants, wins,
        blockers, questions, prework: one entry per string, blanks dropped) when given.

        Time boxes are re-fitted to the meeting's length, keeping their proportions.
        """
        unknown = sorted(set(lists) - set(AGENDA_LISTS))
        if unknown:
            raise ValueError(f"An agenda has no list {', '.join(unknown)}.")
        require_role(actor, "mentee")
        meeting = self._meeting_for(actor, meeting_id)
        if meeting.status != "scheduled" or self._day(meeting.starts_at) < self.deps.today():
            raise ValueError("The agenda can only be edited before the meeting.")
        base = self.deps.store.get_agenda(meeting_id)
        rows = _agenda_items(items, base.items if base else [])
        if not rows:
            raise ValueError("An agenda needs at least one item.")
        fields = base.model_dump() if base else {"meeting_id": meeting_id}
        fields.update(meeting_minutes=meeting.minutes, items=retime(rows, meeting.minutes),
                      created_by=actor.name)
        for name, values in lists.items():
            if values is not None:
                fields[name] = [v.strip() for v in values if v.strip()]
        if base and all(fields[k] == getattr(base, k) for k in ("items", *AGENDA_LISTS)):
            return base  # nothing changed: no new version
        return self.deps.store.save_agenda(Agenda.model_validate(fields))

    # --- after the meeting ------------------------------------------------
    def record_notes(self, actor: User, meeting_id: int, notes: str,
                     action_items: Iterable[ActionItem | Mapping] = (), *,
                     private: bool = False) -> Meeting:
        """Notes (shared, or the mentor's private ones) and new action items; marks it held."""
        meeting = self._meeting_for(actor, meeting_id)
        if private and not (actor.role == "mentor" and actor.name == meeting.mentor):
            raise AccessDenied("Only the meeting's mentor keeps private notes.")
        if meeting.status == "cancelled":
            raise ValueError("This meeting was cancelled.")
        if self._day(meeting.starts_at) > self.deps.today():
            raise ValueError("Notes can be recorded once the meeting has taken place.")
        items = [ActionItem.model_validate({**(i.model_dump() if isinstance(i, ActionItem) else i),
                                            "meeting_id": meeting_id, "id": None})
                 for i in action_items]
        store = self.deps.store
        store.add_action_items(meeting_id, items)
        if meeting.status == "scheduled":  # first record: where each goal stood at this meeting
            active = store.list_goals(owner=meeting.mentee, status="active")
            store.record_progress([(g.id, g.progress) for g in active], meeting_id=meeting_id)
        field = "mentor_private_notes" if private else "notes"
        return self._save_meeting(actor, meeting_id, status="done", **{field: notes.strip()})

    def action_items(self, actor: User, mentee: str | None = None,
                     status: ActionStatus | None = "open") -> list[ActionItem]:
        mentee = mentee or actor.name
        self._require_pair(actor, mentee)
        return self.deps.store.list_action_items(mentee, status=status)

    def set_action_status(self, actor: User, item_id: int, status: ActionStatus) -> ActionItem:
        item = self.deps.store.get_action_item(item_id)
        if item is None:
            raise NotFound(f"No action item {item_id}.")
        self._meeting_for(actor, item.meeting_id)
        return self.deps.store.set_action_status(item_id, status)

    # --- exports ----------------------------------------------------------
    def export(self, actor: User, what: ExportWhat, fmt: str, *, meeting_id: int | None = None,
               mentee: str | None = None) -> Export:
        """A download for someone in the app: an agenda (md|pdf|ics) or goals (csv|md|json)."""
        if what == "agenda":
            self._meeting_for(actor, _need(meeting_id, "meeting_id"))
        else:
            mentee = mentee or actor.name
            require_mentee_access(self.deps.store, actor, mentee)
        return self._export(what, fmt, meeting_id, mentee)

    def export_as_operator(self, what: ExportWhat, fmt: str, *, meeting_id: int | None = None,
                           mentee: str | None = None) -> Export:
        """For the server CLI ONLY, whose user already holds the database: no access check.

        Web pages must call `export(actor, ...)`; tests/test_meetings_service.py checks
        that no page calls this.
        """
        return self._export(what, fmt, meeting_id, mentee)

    def _export(self, what: str, fmt: str, meeting_id: int | None, mentee: str | None) -> Export:
        store = self.deps.store
        if what == "agenda":
            meeting = store.get_meeting(_need(meeting_id, "meeting_id"))
            if meeting is None:
                raise NotFound(f"No meeting {meeting_id}.")
            meeting = meeting.model_copy(update={"mentor_private_notes": ""})  # never exported
            agenda = store.get_agenda(meeting.id)
            if agenda is None and fmt != "ics":
                raise ValueError(f"Meeting {meeting.id} has no agenda yet: the mentee prepares it first.")
            data = render(fmt, agenda=agenda, meeting=meeting, font_path=self.deps.settings.pdf_font_path,
                          tz=self.deps.settings.tz)
            stem = f"{'meeting' if fmt == 'ics' else 'agenda'}-{_slug(meeting.mentee)}-{self._day(meeting.starts_at):%Y-%m-%d}"
        elif what == "goals":
            owner = self.user(_need(mentee, "mentee"))
            data = render(fmt, goals=store.list_goals(owner=owner.name), today=self.deps.today())
            stem = f"goals-{_slug(owner.name)}"
        else:
            raise ValueError(f"Nothing to export called {what!r}: use agenda or goals.")
        mime, ext = MEDIA_TYPES[fmt]
        return Export(data, f"{stem}.{ext}", mime)


def _need(value, name: str):
    if value is None:
        raise ValueError(f"{name} is required for this export.")
    return value


def _agenda_items(rows: Sequence[AgendaItem | Mapping], old: Sequence[AgendaItem]) -> list[AgendaItem]:
    """Rows from an editor as items; a row with the topic of an existing item keeps its goal and kind."""
    by_topic = {item.topic.casefold(): item for item in old}
    out = []
    for n, row in enumerate(rows, 1):
        data = row.model_dump() if isinstance(row, AgendaItem) else dict(row)
        topic = str(data.get("topic") or "").strip()
        if not topic:
            continue  # an emptied row in the editor means "remove it"
        kept = by_topic.get(topic.casefold())
        base = kept.model_dump() if kept else {}
        minutes = data.get("minutes") or base.get("minutes") or 5
        given = {k: v for k, v in data.items() if v is not None}
        out.append(AgendaItem.model_validate({**base, **given, "topic": topic, "priority": n,
                                              "minutes": min(max(1, int(minutes)), MAX_MINUTES)}))
    return out
