"""Meetings of a pair, their agenda versions, action items and goal progress over time.

- A meeting row is the `Meeting` model, column for column.
- An agenda is never updated: each save appends version N+1 for its meeting
  (the prep saves v1, each edit by the mentee saves the next one). The row
  keeps the Agenda as JSON (`data`) beside the columns that identify it.
- Action items belong to the meeting where they were agreed; "open items of a
  mentee" joins through meetings, so an item always has exactly one pair.
- `goal_progress` is an append-only log of (goal, time, percent), written at
  each prep and after each meeting; it is what the mentor's chart draws.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from assistant.meeting_models import ActionItem, ActionStatus, Agenda, Meeting
from assistant.store.db import Repo, StoreError
from assistant.store.tables import action_items, agendas, goal_progress, meetings

# Agenda fields kept in columns (the source of truth for them), not in `data`.
_AGENDA_KEYS = {"meeting_id", "version", "created_by", "created_at"}


class ProgressPoint(NamedTuple):
    at: datetime
    progress: int
    meeting_id: int | None


def _meeting(row) -> Meeting:
    return Meeting(id=row.id, mentee=row.mentee, mentor=row.mentor, starts_at=row.starts_at,
                   minutes=row.minutes, status=row.status, notes=row.notes,
                   mentor_private_notes=row.mentor_private_notes, created_by=row.created_by,
                   created_at=row.created_at)


def _meeting_values(m: Meeting) -> dict:
    return m.model_dump(exclude={"id"})


def _agenda(row) -> Agenda:
    return Agenda.model_validate({**row.data, "meeting_id": row.meeting_id, "version": row.version,
                                  "created_by": row.created_by, "created_at": row.created_at})


def _action(row) -> ActionItem:
    return ActionItem(id=row.id, meeting_id=row.meeting_id, text=row.text, owner=row.owner,
                      due=row.due, status=row.status, created_at=row.created_at)


class MeetingRepo(Repo):
    # --- meetings ---------------------------------------------------------
    def add_meeting(self, meeting: Meeting) -> Meeting:
        """Insert a meeting (any id is ignored); both people must be known users."""
        try:
            with self._write() as conn:
                new_id = conn.execute(insert(meetings).values(**_meeting_values(meeting))
                                      .returning(meetings.c.id)).scalar_one()
        except IntegrityError as exc:
            raise StoreError(f"meeting refused: are {meeting.mentee!r} and {meeting.mentor!r} "
                             f"known users? ({exc.orig})") from exc
        return meeting.model_copy(update={"id": new_id})

    def get_meeting(self, meeting_id: int) -> Meeting | None:
        with self._read() as conn:
            row = conn.execute(select(meetings).where(meetings.c.id == meeting_id)).one_or_none()
        return None if row is None else _meeting(row)

    def list_meetings(self, mentee: str | None = None, mentor: str | None = None,
                      status: str | Iterable[str] | None = None) -> list[Meeting]:
        """Meetings in time order (oldest first), filtered by any of the arguments."""
        query = select(meetings).order_by(meetings.c.starts_at, meetings.c.id)
        if mentee is not None:
            query = query.where(meetings.c.mentee == mentee)
        if mentor is not None:
            query = query.where(meetings.c.mentor == mentor)
        if isinstance(status, str):
            query = query.where(meetings.c.status == status)
        elif status is not None:
            query = query.where(meetings.c.status.in_(list(status)))
        with self._read() as conn:
            return [_meeting(row) for row in conn.execute(query)]

    def update_meeting(self, meeting: Meeting) -> Meeting:
        """Save time, length, status and notes; who the meeting is between can't change."""
        with self._write() as conn:
            row = conn.execute(select(meetings.c.mentee, meetings.c.mentor)
                               .where(meetings.c.id == meeting.id).with_for_update()).one_or_none()
            if row is None:
                raise StoreError(f"no meeting with id {meeting.id}")
            if (row.mentee, row.mentor) != (meeting.mentee, meeting.mentor):
                raise StoreError(f"meeting {meeting.id} is between {row.mentee!r} and {row.mentor!r}")
            conn.execute(update(meetings).where(meetings.c.id == meeting.id).values(
                starts_at=meeting.starts_at, minutes=meeting.minutes, status=meeting.status,
                notes=meeting.notes, mentor_private_notes=meeting.mentor_private_notes))
        return meeting

    # --- agendas ----------------------------------------------------------
    def save_agenda(self, agenda: Agenda) -> Agenda:
        """Append the next version of the meeting's agenda; `agenda.version` is ignored."""
        data = agenda.model_dump(mode="json", exclude=_AGENDA_KEYS)
        try:
            with self._write() as conn:
                # Lock the meeting row: two saves at once must not both take version N+1.
                if conn.execute(select(meetings.c.id).where(meetings.c.id == agenda.meeting_id)
                                .with_for_update()).one_or_none() is None:
                    raise StoreError(f"no meeting with id {agenda.meeting_id}")
                last = conn.scalar(select(func.max(agendas.c.version))
                                   .where(agendas.c.meeting_id == agenda.meeting_id)) or 0
                row = conn.execute(insert(agendas).values(
                    meeting_id=agenda.meeting_id, version=last + 1, created_by=agenda.created_by,
                    created_at=self._now(), data=data).returning(*agendas.c)).one()
        except IntegrityError as exc:
            raise StoreError(f"agenda refused for meeting {agenda.meeting_id} ({exc.orig})") from exc
        return _agenda(row)

    def get_agenda(self, meeting_id: int, version: int | None = None) -> Agenda | None:
        """The given version of a meeting's agenda, by default the latest; None if none."""
        query = select(agendas).where(agendas.c.meeting_id == meeting_id)
        query = (query.where(agendas.c.version == version) if version is not None
                 else query.order_by(agendas.c.version.desc()).limit(1))
        with self._read() as conn:
            row = conn.execute(query).one_or_none()
        return None if row is None else _agenda(row)

    def list_agendas(self, meeting_id: int) -> list[Agenda]:
        """Every version of a meeting's agenda, oldest first."""
        query = select(agendas).where(agendas.c.meeting_id == meeting_id).order_by(agendas.c.version)
        with self._read() as conn:
            return [_agenda(row) for row in conn.execute(query)]

    # --- action items -----------------------------------------------------
    def add_action_items(self, meeting_id: int, items: Sequence[ActionItem]) -> list[ActionItem]:
        """Record items agreed in a meeting; returns them with ids, in the order given."""
        if not items:
            return []
        try:
            with self._write() as conn:
                return [_action(conn.execute(insert(action_items).values(
                    meeting_id=meeting_id, text=item.text, owner=item.owner, due=item.due,
                    status=item.status, created_at=item.created_at).returning(*action_items.c)).one())
                        for item in items]
        except IntegrityError as exc:
            raise StoreError(f"action items refused: no meeting {meeting_id}? ({exc.orig})") from exc

    def get_action_item(self, item_id: int) -> ActionItem | None:
        with self._read() as conn:
            row = conn.execute(select(action_items).where(action_items.c.id == item_id)).one_or_none()
        return None if row is None else _action(row)

    def set_action_status(self, item_id: int, status: ActionStatus) -> ActionItem:
        with self._write() as conn:
            row = conn.execute(update(action_items).where(action_items.c.id == item_id)
                               .values(status=status).returning(*action_items.c)).one_or_none()
        if row is None:
            raise StoreError(f"no action item with id {item_id}")
        return _action(row)

    def list_action_items(self, mentee: str, status: str | None = None,
                          meeting_id: int | None = None) -> list[ActionItem]:
        """A mentee's action items (through their meetings), oldest meeting first."""
        query = (select(action_items).join(meetings, meetings.c.id == action_items.c.meeting_id)
                 .where(meetings.c.mentee == mentee)
                 .order_by(meetings.c.starts_at, action_items.c.id))
        if status is not None:
            query = query.where(action_items.c.status == status)
        if meeting_id is not None:
            query = query.where(action_items.c.meeting_id == meeting_id)
        with self._read() as conn:
            return [_action(row) for row in conn.execute(query)]

    # --- goal progress over time ------------------------------------------
    def record_progress(self, points: Sequence[tuple[int, int]], meeting_id: int | None = None,
                        at: datetime | None = None) -> None:
        """Log (goal id, percent) pairs, all stamped `at` (default: now)."""
        if not points:
            return
        stamp = at or self._now()
        try:
            with self._write() as conn:
                conn.execute(insert(goal_progress), [
                    dict(goal_id=goal_id, meeting_id=meeting_id, at=stamp, progress=progress)
                    for goal_id, progress in points])
        except IntegrityError as exc:
            raise StoreError(f"progress refused: unknown goal or meeting ({exc.orig})") from exc

    def progress_history(self, goal_ids: Sequence[int]) -> dict[int, list[ProgressPoint]]:
        """{goal id: its logged progress, oldest first} (empty lists for goals never logged)."""
        found: dict[int, list[ProgressPoint]] = {i: [] for i in goal_ids}
        if not goal_ids:
            return found
        query = (select(goal_progress).where(goal_progress.c.goal_id.in_(list(goal_ids)))
                 .order_by(goal_progress.c.goal_id, goal_progress.c.at, goal_progress.c.id))
        with self._read() as conn:
            for row in conn.execute(query):
                found[row.goal_id].append(ProgressPoint(row.at, row.progress, row.meeting_id))
        return found
