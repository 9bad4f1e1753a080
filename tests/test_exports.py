"""Every export parsed back with a real reader: icalendar, pypdf, csv, json."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from assistant.agenda import build_agenda
from assistant.coach.prep import new_draft
from assistant.coach.prep_models import GoalReport
from assistant.exports import (GOAL_CSV_COLUMNS, agenda_markdown, agenda_pdf, goals_csv, goals_json, goals_markdown,
                               meeting_ics, render)
from assistant.exports_pdf import to_latin1
from assistant.meeting_models import Meeting
from assistant.models import Goal, Milestone
from meeting_fixtures import actions, context, goals, meeting

NASTY = "“Smart” quotes — dashes… emoji 🚀👩🏽‍💻, Łukasz Ősz, Дмитрий Иванов, 李雷, naïve café"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def agenda(questions=("How do I say no to extra work?",), blockers=("Waiting on legal for my conference slides",),
           minutes=45):
    draft = new_draft(context()).model_copy(update={
        "reports": [GoalReport(goal_id=1, percent=60, milestones_done=["Write the talk outline"])],
        "questions": list(questions), "blockers": list(blockers), "wins": ["Shipped the release"]})
    return build_agenda(draft, goals(), meeting(minutes), actions(), now=datetime(2026, 11, 23, 8, tzinfo=timezone.utc))


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_ics_has_the_meeting_in_utc_and_the_agenda_as_description():
    m, a = meeting(), agenda()
    cal = Calendar.from_ical(meeting_ics(m, a))
    (event,) = cal.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=45)
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert str(event["summary"]) == "Mentoring: ana & bob"
    description = str(event["description"])  # the agenda, in words a calendar shows as they are
    assert "**" not in description and "\n#" not in description and not description.startswith("#")
    assert description.startswith("Meeting agenda (v") and "\nItems:\n" in description
    for item in a.items:
        assert item.topic in description
    assert str(event["uid"]) == "waypoint-meeting-4@waypoint"
    assert str(event["status"]) == "CONFIRMED" and int(event["sequence"]) == a.version
    assert str(cal["version"]) == "2.0" and "Waypoint" in str(cal["prodid"])


def test_ics_uid_is_stable_per_meeting_and_the_export_is_deterministic():
    m, a = meeting(), agenda()
    moved = m.model_copy(update={"starts_at": m.starts_at + timedelta(days=1)})
    uid = lambda data: str(Calendar.from_ical(data).walk("VEVENT")[0]["uid"])  # noqa: E731
    assert uid(meeting_ics(m, a)) == uid(meeting_ics(moved)) == uid(meeting_ics(m, a.model_copy(update={"version": 2})))
    other = m.model_copy(update={"id": 5})
    assert uid(meeting_ics(other)) != uid(meeting_ics(m))
    unsaved = Meeting(mentee="ana", mentor="bob", starts_at=m.starts_at, created_at=m.created_at)
    assert uid(meeting_ics(unsaved)) == uid(meeting_ics(unsaved.model_copy(update={"minutes": 60})))
    assert meeting_ics(m, a) == meeting_ics(m, a)


def test_ics_for_a_cancelled_meeting_and_one_without_agenda():
    m = meeting(status="cancelled", minutes=30)
    (event,) = Calendar.from_ical(meeting_ics(m)).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1
    (prepared,) = Calendar.from_ical(meeting_ics(m, agenda().model_copy(update={"version": 3}))).walk("VEVENT")
    assert prepared["sequence"] == 4, "a cancellation outranks every agenda version a calendar may hold"
    assert "not prepared" in str(event["description"])
    assert event.decoded("dtend") == datetime(2026, 11, 26, 15, 30, tzinfo=timezone.utc)


def test_ics_survives_unicode_and_long_lines():
    a = agenda(questions=[NASTY, "x" * 300])
    (event,) = Calendar.from_ical(meeting_ics(meeting(), a)).walk("VEVENT")
    assert NASTY in str(event["description"]) and "x" * 300 in str(event["description"])


def test_agenda_pdf_text_comes_back():
    pages, text = pdf_text(agenda_pdf(agenda(), meeting()))
    assert pages == 1
    for expected in ("Mentoring: ana & bob", "2026-11-26 15:00 UTC, 45 min", "Meeting agenda (version 1)",
                     "Give three conference talks (20% -> 60%)", "How do I say no to extra work?",
                     "Waiting on legal for my conference slides", "Send the CV to Maria (mentee, due 20 Nov 2026)"):
        assert expected in text


def test_agenda_pdf_does_not_crash_on_smart_quotes_emoji_or_other_scripts():
    _, text = pdf_text(agenda_pdf(agenda(questions=[NASTY]), meeting()))
    assert '"Smart" quotes - dashes... emoji' in text
    assert "Lukasz Osz" in text and "naïve café" in text  # Latin-1 kept, other Latin letters simplified
    assert "🚀" not in text


def test_latin1_sanitiser_never_leaves_unencodable_text():
    cleaned = to_latin1(NASTY + "\u200b\ufe0f€™")
    cleaned.encode("latin-1")
    assert cleaned.startswith('"Smart" quotes - dashes... emoji')
    assert "EUR(TM)" in cleaned


@pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu fonts not installed")
def test_agenda_pdf_with_a_unicode_font_keeps_names_in_other_scripts():
    _, text = pdf_text(agenda_pdf(agenda(questions=[NASTY]), meeting(), font_path=DEJAVU))
    assert "Дмитрий Иванов" in text and "“Smart” quotes" in text and "Łukasz" in text


def test_long_agenda_flows_over_pages_and_long_words_wrap():
    many = [f"Question {n}: how should I handle stakeholder {n} who keeps changing priorities?" for n in range(80)]
    data = agenda_pdf(agenda(questions=many + ["https://example.org/" + "a" * 200], minutes=240), meeting(240))
    pages, text = pdf_text(data)
    assert pages > 1
    assert "Question 79: how should I handle stakeholder 79" in text.replace("\n", " ")
    assert data == agenda_pdf(agenda(questions=many + ["https://example.org/" + "a" * 200], minutes=240),
                              meeting(240))  # same agenda, same bytes


def test_agenda_markdown_export_has_the_meeting_header():
    text = agenda_markdown(agenda(), meeting()).decode("utf-8")
    assert text.startswith("# Mentoring: ana & bob\n\n**When:** 2026-11-26 15:00 UTC, 45 min\n")
    assert agenda().as_markdown() in text


def tricky_goals() -> list[Goal]:
    odd = Goal(id=10, owner="zoë", title='Lead "Q1" review, then retro', statement="=HYPERLINK(\"http://x\")\nline two",
               measure="-5 bugs", deadline=date(2027, 1, 15), progress=5,
               milestones=[Milestone(title="Draft, share", due=date(2026, 12, 1), done=True),
                           Milestone(title="Run it")])
    return goals() + [odd]


def test_goals_csv_parses_back_with_the_csv_module():
    data = goals_csv(tricky_goals())
    assert data.startswith(b"\xef\xbb\xbf")  # BOM so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(GOAL_CSV_COLUMNS) and len(rows) == 4
    assert [r["deadline"] for r in rows] == ["2027-06-30", "2027-03-01", "2026-01-01", "2027-01-15"]
    odd = rows[3]
    assert odd["owner"] == "zoë" and odd["title"] == 'Lead "Q1" review, then retro'
    assert odd["statement"] == "'=HYPERLINK(\"http://x\")\nline two"  # formula neutralised, newline kept
    assert odd["measure"] == "'-5 bugs"
    assert (odd["milestones_done"], odd["milestones_total"]) == ("1", "2")
    assert odd["milestones"] == "[x] Draft, share (2026-12-01) | [ ] Run it"
    assert rows[0]["progress"] == "20" and rows[2]["status"] == "done"


def test_goals_json_parses_back_into_goals():
    originals = tricky_goals()
    data = goals_json(originals)
    payload = json.loads(data)
    assert payload["format"] == "waypoint.goals" and payload["version"] == 1
    assert [g["deadline"] for g in payload["goals"]] == ["2027-06-30", "2027-03-01", "2026-01-01", "2027-01-15"]
    back = [Goal.model_validate(g) for g in payload["goals"]]
    assert back == originals  # every field survives (edit history is left out; these goals have none)
    assert "zoë" in data.decode("utf-8")  # not \u-escaped


def test_goals_markdown_lists_each_goal():
    text = goals_markdown(goals()).decode("utf-8")
    assert text.startswith("# Goals of ana\n")
    for g in goals():
        assert f"## {g.title}" in text and f"**Deadline:** {g.deadline:%a %d %b %Y}" in text
    assert "- [x] Rehearse with the team" in text
    assert goals_markdown([]).decode() == "# Goals\n\nNo goals yet.\n"


def test_a_dated_goals_markdown_export_marks_what_is_overdue_as_the_pages_do():
    late = goals()[0].model_copy(update={"deadline": date(2026, 11, 1), "milestones": [
        Milestone(title="Book the venue", due=date(2026, 11, 10)),
        Milestone(title="Send invites", due=date(2026, 11, 12), done=True)]})
    text = render("md", goals=[late], today=date(2026, 11, 23)).decode()
    assert text.startswith("# Goals of ana\n\nAs of 23 Nov 2026.\n\n## ")
    assert "**Deadline:** Sun 01 Nov 2026 (passed)" in text
    assert "- [ ] Book the venue (by 10 Nov 2026, overdue)" in text
    assert "- [x] Send invites (by 12 Nov 2026)\n" in text
    assert "overdue" not in goals_markdown([late]).decode()  # undated: a snapshot without marks


def test_render_dispatches_by_format_and_rejects_unknown_ones():
    a, m = agenda(), meeting()
    assert render("md", agenda=a, meeting=m) == agenda_markdown(a, m)
    assert render("ics", agenda=a, meeting=m) == meeting_ics(m, a)
    assert render("pdf", agenda=a).startswith(b"%PDF-")
    assert render("json", goals=goals()) == goals_json(goals())
    with pytest.raises(ValueError):
        render("docx", agenda=a)
    with pytest.raises(ValueError):
        render("pdf", goals=goals())
    with pytest.raises(ValueError):
        render("ics", agenda=a)
