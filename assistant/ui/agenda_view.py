"""Showing agendas, action items and agenda downloads: shared by the prep, brief and meetings pages.

Every string a person typed goes through `escape_md`, so an agenda item can never become a
link, an image or HTML on the mentor's screen.
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import streamlit as st

from assistant.clock import show
from assistant.meeting_models import ActionItem, Agenda, Meeting
from assistant.models import User
from assistant.service import Service
from assistant.ui.common import escape_md

FORMAT_LABELS = {"md": "Markdown", "pdf": "PDF", "ics": "Calendar (ICS)"}


def when(meeting: Meeting, tz: ZoneInfo) -> str:
    """The meeting's start on the program's clock (WAYPOINT_TIMEZONE) and its length."""
    return f"{show(meeting.starts_at, tz)} · {meeting.minutes} min"


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", f"**{title}**", ""] + lines if lines else []


def agenda_markdown(agenda: Agenda) -> str:
    """The agenda as Markdown we compose, with every typed string escaped."""
    lines = []
    for n, item in enumerate(agenda.items, 1):
        lines.append(f"{n}. **{escape_md(item.topic)}** ({item.minutes} min, {item.owner})")
        lines += [f"    - {escape_md(d)}" for d in item.details]
    progress = [f"- {escape_md(p.goal_title)}: {p.progress_before}% → {p.progress_after}%"
                + (f" — {escape_md(p.note)}" if p.note else "") for p in agenda.progress]
    lines += _section("Progress on goals", progress)
    lines += _section("What the mentee most wants from this meeting", [f"{n}. {escape_md(w)}"
                                                                       for n, w in enumerate(agenda.wants, 1)])
    lines += _section("Wins", [f"- {escape_md(w)}" for w in agenda.wins])
    lines += _section("Blockers", [f"- {escape_md(b)}" for b in agenda.blockers])
    lines += _section("Questions for the mentor", [f"- “{escape_md(q)}”" for q in agenda.questions])
    lines += _section("Action items from last time", [action_line(a) for a in agenda.open_actions])
    lines += _section("Prework", [f"- {escape_md(p)}" for p in agenda.prework])
    return "\n".join(lines)


def action_line(item: ActionItem, today: date | None = None) -> str:
    """One action item; given `today`, an open one past its due date is marked overdue."""
    overdue = today is not None and item.status == "open" and item.due is not None and item.due < today
    due = f", due {item.due:%d %b %Y}{', **overdue**' if overdue else ''}" if item.due else ""
    mark = {"done": "✅", "dropped": "✖️"}.get(item.status, "⬜")
    return f"- {mark} {escape_md(item.text)} ({item.owner}{due})"


def show_agenda(agenda: Agenda, tz: ZoneInfo) -> None:
    st.caption(f"Version {agenda.version} · {agenda.meeting_minutes} min · saved by "
               f"{escape_md(agenda.created_by or '?')} on {show(agenda.created_at, tz, '%d %b %Y %H:%M')}")
    st.markdown(agenda_markdown(agenda))


def show_actions(items: list[ActionItem], today: date) -> None:
    if items:
        st.markdown("\n".join(action_line(a, today) for a in items))
    else:
        st.caption("No open action items.")


def download_buttons(svc: Service, user: User, meeting: Meeting, key: str, with_agenda: bool = True,
                     label: str = "Add to your calendar:") -> None:
    """Markdown, PDF and ICS downloads of a meeting's agenda (ICS alone, under `label`, before
    there is one)."""
    formats = ("md", "pdf", "ics") if with_agenda else ("ics",)
    # One row that wraps, so a narrow column or a phone never cuts a label off.
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption("Download the agenda:" if with_agenda else label, width="content")
        for fmt in formats:
            export = svc.export(user, "agenda", fmt, meeting_id=meeting.id)
            st.download_button(f"⬇️ {FORMAT_LABELS[fmt]}", data=export.data, file_name=export.filename,
                               mime=export.mime, key=f"{key}-{fmt}", on_click="ignore")
