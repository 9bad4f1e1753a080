"""Renderers for downloads: agenda as Markdown/PDF, meeting as ICS, goals as CSV/Markdown/JSON.

Pure: every function returns bytes and touches no file, clock or network, so
the same records always export to the same bytes (the PDF too: its dates come
from the agenda).
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import uuid
from datetime import date, datetime
from typing import Sequence
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from assistant.clock import UTC, show
from assistant.exports_pdf import agenda_pdf
from assistant.meeting_models import Agenda, Meeting
from assistant.models import Goal

__all__ = ["agenda_markdown", "agenda_pdf", "meeting_ics", "meeting_uid", "goals_csv", "goals_markdown",
           "goals_json", "GOAL_CSV_COLUMNS", "MEDIA_TYPES", "render"]

GOAL_CSV_COLUMNS = ("id", "owner", "title", "statement", "measure", "target", "baseline", "achievability",
                    "relevance", "deadline", "status", "progress", "milestones_done", "milestones_total",
                    "milestones")
_UID_NAMESPACE = uuid.UUID("6f1c2a8e-5b7d-4e0a-9c3b-2d4f8a1e7b90")


def meeting_title(meeting: Meeting) -> str:
    return f"Mentoring: {meeting.mentee} & {meeting.mentor}"


def meeting_header(meeting: Meeting, tz: ZoneInfo = UTC) -> str:
    when = show(meeting.starts_at, tz, "%Y-%m-%d %H:%M")
    status = "" if meeting.status == "scheduled" else f" ({meeting.status})"
    return f"{meeting_title(meeting)}\n\n**When:** {when}, {meeting.minutes} min{status}\n"


def agenda_markdown(agenda: Agenda, meeting: Meeting | None = None, tz: ZoneInfo = UTC) -> bytes:
    head = f"# {meeting_header(meeting, tz)}\n" if meeting else ""
    return (head + agenda.as_markdown()).encode("utf-8")


def meeting_uid(meeting: Meeting) -> str:
    """Stable per meeting, so re-importing an updated ICS replaces the event instead of adding one."""
    if meeting.id is not None:
        return f"waypoint-meeting-{meeting.id}@waypoint"
    key = f"{meeting.mentee}|{meeting.mentor}|{meeting.created_at.isoformat()}"
    return f"waypoint-{uuid.uuid5(_UID_NAMESPACE, key)}@waypoint"


def meeting_ics(meeting: Meeting, agenda: Agenda | None = None, *, stamp: datetime | None = None) -> bytes:
    """One VEVENT in UTC with the agenda (as plain text) as its description.

    SEQUENCE follows the agenda version so calendars take an edited agenda as an update; a
    cancellation is one more, so a calendar holding any version takes it and drops the event.
    """
    cal = Calendar()
    cal.add("prodid", "-//Waypoint//Mentoring meetings//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp or (agenda.created_at if agenda else meeting.created_at))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting_title(meeting))
    description = _calendar_text(agenda.as_markdown()) if agenda else "The agenda is not prepared yet."
    event.add("description", description)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.add("sequence", (agenda.version if agenda else 0) + (meeting.status == "cancelled"))
    cal.add_component(event)
    return cal.to_ical()


def _calendar_text(markdown: str) -> str:
    """The agenda's Markdown as calendars show it (plain text): headings, bold, quotes and
    check boxes written out instead of their symbols."""
    text = re.sub(r"^##+ (.+)$", r"\1:", markdown, flags=re.M)
    text = re.sub(r"^# (.+)$", r"\1", text, flags=re.M)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"^> (.*)$", r"“\1”", text, flags=re.M)
    text = re.sub(r"^- \[x\] ", "- done: ", text, flags=re.M)
    return re.sub(r"^- \[ \] ", "- ", text, flags=re.M)


def _cell(value: object) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ would run in Excel."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def goals_csv(goals: Sequence[Goal]) -> bytes:
    """UTF-8 with a BOM (so Excel shows accents right), one row per goal, deadline as YYYY-MM-DD."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GOAL_CSV_COLUMNS)
    for g in goals:
        milestones = " | ".join(f"[{'x' if m.done else ' '}] {m.title}" + (f" ({m.due.isoformat()})" if m.due else "")
                                for m in g.milestones)
        row = (g.id, g.owner, g.title, g.statement, g.measure, g.target, g.baseline, g.achievability, g.relevance,
               g.deadline.isoformat(), g.status, g.progress, sum(m.done for m in g.milestones),
               len(g.milestones), milestones)
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def goals_markdown(goals: Sequence[Goal], title: str | None = None, today: date | None = None) -> bytes:
    """Given `today`, the export says its date and marks what is overdue as of then, as the pages do."""
    owners = sorted({g.owner for g in goals})
    heading = title or (f"Goals of {owners[0]}" if len(owners) == 1 else "Goals")
    as_of = f"As of {today:%d %b %Y}.\n\n" if today else ""
    body = "\n".join(g.as_markdown(today) for g in goals) if goals else "No goals yet.\n"
    return f"# {heading}\n\n{as_of}{body}".encode("utf-8")


def goals_json(goals: Sequence[Goal]) -> bytes:
    """{"format": "waypoint.goals", "version": 1, "goals": [...]}; dates ISO, edit history left out."""
    payload = {"format": "waypoint.goals", "version": 1,
               "goals": [g.model_dump(mode="json", exclude={"history"}) for g in goals]}
    return (json.dumps(payload, ensure_ascii=False, indent=2) + "\n").encode("utf-8")  # a text file ends its line


# For the CLI and download buttons: format name -> (media type, file extension).
MEDIA_TYPES = {"md": ("text/markdown", "md"), "pdf": ("application/pdf", "pdf"), "ics": ("text/calendar", "ics"),
               "csv": ("text/csv", "csv"), "json": ("application/json", "json")}


def render(fmt: str, *, agenda: Agenda | None = None, meeting: Meeting | None = None,
           goals: Sequence[Goal] | None = None, font_path: str | None = None, tz: ZoneInfo = UTC,
           today: date | None = None) -> bytes:
    """Dispatch by format name: agenda md|pdf|ics (needs meeting for ics), goals csv|md|json.

    `tz` is the clock the meeting's time is written on in md and pdf; ICS carries UTC, which
    calendar apps show in their own user's zone. `today` dates a goals Markdown export."""
    if goals is not None:
        table = {"csv": goals_csv, "md": functools.partial(goals_markdown, today=today), "json": goals_json}
        if fmt not in table:
            raise ValueError(f"goals export format must be csv, md or json, not {fmt!r}")
        return table[fmt](goals)
    if fmt == "ics":
        if meeting is None:
            raise ValueError("an ICS export needs the meeting")
        return meeting_ics(meeting, agenda)
    if agenda is None or fmt not in ("md", "pdf"):
        raise ValueError(f"agenda export format must be md, pdf or ics, not {fmt!r}")
    if fmt == "md":
        return agenda_markdown(agenda, meeting, tz)
    return agenda_pdf(agenda, meeting, font_path=font_path, tz=tz)
