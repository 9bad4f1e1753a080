"""`waypoint meetings|prep|agenda export|goals export` through typer's runner on a real SQLite home;
every export is parsed back (ICS with icalendar, PDF with pypdf, CSV with csv)."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from assistant.deps import build_deps
from assistant.exports import GOAL_CSV_COLUMNS
from assistant.models import Goal, Milestone
from assistant.service import Service

runner = CliRunner()
TODAY = "2026-11-23"
PREP = ["about 40% now, and I finished the outline", "I gave a demo and got praised",
        "I'm blocked: no slot at the all-hands yet", "I'd like to ask how to handle tough questions",
        "Mostly the all-hands slot", "yes"]


def invoke(*args: str):
    return runner.invoke(app, list(args))


def ok(*args: str):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(tmp_path / "no-guidelines"))
    ok("users", "add", "maria", "--role", "mentor")
    ok("users", "add", "alex", "--role", "mentee", "--mentor", "maria")
    ok("users", "add", "sam", "--role", "mentee")
    svc = Service(build_deps(Settings()))
    svc.deps.store.save_goal(Goal(owner="alex", title="Give three talks at all-hands", statement="=Give 3 talks",
                                  deadline=date(2027, 3, 31), progress=10,
                                  milestones=[Milestone(title="Write the outline")]), by="alex")
    svc.deps.store.close()
    return tmp_path / "home"


def script(tmp_path, lines: list[str], name: str = "prep.txt"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def prepared(tmp_path) -> int:
    """Book a meeting and run the whole prep; returns the meeting id."""
    out = ok("meetings", "add", "--mentee", "alex", "--at", "2026-11-30 10:00", "--today", TODAY).output
    meeting_id = int(out.split("#")[1].split(":")[0])
    ok("prep", "--user", "alex", "--script", script(tmp_path, PREP), "--today", TODAY)
    return meeting_id


def test_meetings_add_and_list(home):
    out = ok("meetings", "add", "--mentee", "alex", "--at", "2026-11-30 10:00", "--today", TODAY).output
    assert "alex & maria, 2026-11-30 10:00 UTC, 45 min" in out
    ok("meetings", "add", "--mentee", "alex", "--at", "2026-12-14 15:30", "--minutes", "60", "--by", "maria",
       "--today", TODAY)
    listed = json.loads(ok("meetings", "list", "--user", "alex", "--json").output)
    assert [(m["starts_at"], m["minutes"], m["created_by"], m["agenda_version"]) for m in listed] == [
        ("2026-11-30T10:00:00Z", 45, "alex", None), ("2026-12-14T15:30:00Z", 60, "maria", None)]
    assert all(m["mentor_private_notes"] == "" and m["status"] == "scheduled" for m in listed)
    assert len(json.loads(ok("meetings", "list", "--user", "maria", "--json").output)) == 2
    assert "No meetings yet." in ok("meetings", "list", "--user", "sam").output
    assert "[scheduled, no agenda]" in ok("meetings", "list", "--user", "alex").output


@pytest.mark.parametrize("args, message", [
    (("--mentee", "alex", "--at", "30/11/2026 10:00"), "YYYY-MM-DD HH:MM"),
    (("--mentee", "alex", "--at", "2026-11-20 10:00"), "in the past"),
    (("--mentee", "nobody", "--at", "2026-11-30 10:00"), "No user named"),
    (("--mentee", "sam", "--at", "2026-11-30 10:00"), "no mentor"),
    (("--mentee", "alex", "--at", "2026-11-30 10:00", "--by", "sam"), "only see your own"),
    (("--mentee", "alex", "--at", "2026-11-30 10:00", "--minutes", "5"), "--minutes"),
])
def test_meetings_add_refusals(home, args, message):
    result = invoke("meetings", "add", *args, "--today", TODAY)
    assert result.exit_code != 0 and message in result.output


def test_scripted_prep_saves_an_agenda_and_resumes_across_runs(home, tmp_path):
    ok("meetings", "add", "--mentee", "alex", "--at", "2026-11-30 10:00", "--today", TODAY)
    first = json.loads(ok("prep", "--user", "alex", "--script", script(tmp_path, PREP[:2] + ["quit"], "a.txt"),
                          "--today", TODAY, "--json").output)
    assert first[0]["step"] == "open" and "Give three talks at all-hands" in first[0]["text"]
    assert first[-1]["step"] == "left"
    second = json.loads(ok("prep", "--user", "alex", "--script", script(tmp_path, PREP[2:], "b.txt"),
                           "--today", TODAY, "--json").output)
    assert second[0]["text"].startswith("Welcome back!") and "blocking you" in second[0]["text"]
    assert [t["step"] for t in second[2::2]] == ["ask", "ask", "confirm", "save"]
    assert second[-1]["agenda_version"] == 1 and second[-1]["meeting_id"] == 1
    listed = json.loads(ok("meetings", "list", "--user", "maria", "--json").output)
    assert listed[0]["agenda_version"] == 1
    md = ok("agenda", "export", "--meeting", "1", "--format", "md").output
    assert "> I'd like to ask how to handle tough questions" in md
    # The mentee wants the slot most: that blocker leads the agenda.
    assert md.index("no slot at the all-hands") < md.index("Give three talks at all-hands (10% → 40%)")
    assert "## Wins\n\n- I gave a demo and got praised" in md


def test_prep_refusals(home, tmp_path):
    result = invoke("prep", "--user", "alex", "--script", script(tmp_path, ["hi"]), "--today", TODAY)
    assert result.exit_code == 1 and "No meeting is scheduled" in result.output
    result = invoke("prep", "--user", "maria", "--script", script(tmp_path, ["hi"]), "--today", TODAY)
    assert result.exit_code == 1 and "only mentees" in result.output
    assert "No user named" in invoke("prep", "--user", "nobody", "--today", TODAY).output


def test_agenda_exports_parse_back(home, tmp_path, monkeypatch):
    meeting_id = str(prepared(tmp_path))
    md = ok("agenda", "export", "--meeting", meeting_id, "--format", "md").output
    assert md.startswith("# Mentoring: alex & maria") and "## Blockers" in md

    ics = invoke("agenda", "export", "--meeting", meeting_id, "--format", "ics").stdout_bytes
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
    assert event.decoded("dtend") == datetime(2026, 11, 30, 10, 45, tzinfo=timezone.utc)
    assert str(event["summary"]) == "Mentoring: alex & maria" and int(event["sequence"]) == 1
    assert "I'm blocked: no slot at the all-hands yet" in str(event["description"])

    out = tmp_path / "agenda.pdf"
    assert "Wrote" in ok("agenda", "export", "--meeting", meeting_id, "--format", "pdf", "--out", str(out)).output
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Meeting agenda" in text and "tough questions" in text
    monkeypatch.chdir(tmp_path)  # a PDF without --out lands in the current folder, never on stdout
    ok("agenda", "export", "--meeting", meeting_id, "--format", "pdf")
    assert (tmp_path / "agenda-alex-2026-11-30.pdf").read_bytes().startswith(b"%PDF")


def test_goals_exports_parse_back(home, tmp_path):
    prepared(tmp_path)  # the prep moved the goal to 40% and ticked its milestone
    raw = invoke("goals", "export", "--user", "alex", "--format", "csv").stdout_bytes
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(GOAL_CSV_COLUMNS)
    assert (rows[0]["title"], rows[0]["progress"], rows[0]["milestones_done"]) == (
        "Give three talks at all-hands", "40", "1")
    assert rows[0]["statement"] == "'=Give 3 talks"  # no formula reaches a spreadsheet
    data = json.loads(ok("goals", "export", "--user", "alex", "--format", "json").output)
    assert data["format"] == "waypoint.goals" and data["goals"][0]["progress"] == 40
    md = ok("goals", "export", "--user", "alex", "--format", "md").output
    assert md.startswith("# Goals of alex") and "- [x] Write the outline" in md
    out = tmp_path / "goals.csv"
    ok("goals", "export", "--user", "alex", "--format", "csv", "--out", str(out))
    assert out.read_bytes() == raw


@pytest.mark.parametrize("args, message", [
    (("agenda", "export", "--meeting", "1", "--format", "docx"), "--format must be one of md, pdf, ics"),
    (("agenda", "export", "--meeting", "99", "--format", "md"), "No meeting 99"),
    (("goals", "export", "--user", "alex", "--format", "pdf"), "--format must be one of csv, md, json"),
    (("goals", "export", "--user", "nobody", "--format", "csv"), "No user named"),
])
def test_export_refusals(home, args, message):
    result = invoke(*args)
    assert result.exit_code == 1 and message in result.output


def test_agenda_before_the_prep(home):
    ok("meetings", "add", "--mentee", "alex", "--at", "2026-11-30 10:00", "--today", TODAY)
    result = invoke("agenda", "export", "--meeting", "1", "--format", "md")
    assert result.exit_code == 1 and "no agenda yet" in result.output
    ics = invoke("agenda", "export", "--meeting", "1", "--format", "ics").stdout_bytes
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert "not prepared yet" in str(event["description"])
