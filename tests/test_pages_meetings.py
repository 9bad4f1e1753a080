"""The real app.py under AppTest: the mentee prepares a meeting, the mentor reads the brief,
both use the Meetings page. Dates are relative to the real today, as the app's are."""
from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.config import Settings
from assistant.deps import build_deps
from assistant.models import Goal
from assistant.service import SYSTEM, Service

ROOT = Path(__file__).resolve().parents[1]
TODAY = date.today()
PREP = ["about 40% now", "not yet", "I gave a demo and got praised",
        "I'm stuck: [click here](http://evil.example) <b>no slot</b>", "skip", "skip"]


def login(name: str) -> AppTest:
    """A fresh browser session signed in as `name` (the one place that knows how to sign in)."""
    from login_support import login as sign_in
    return sign_in(name)


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"assistant/ui/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.text, *at.caption, *at.info, *at.success, *at.error, *at.subheader]
    return "\n".join(str(p.value) for p in parts)


def service(today: date = TODAY) -> Service:
    return Service(build_deps(Settings(), today=lambda: today))


@pytest.fixture()
def home(tmp_path, monkeypatch):
    """maria mentors alex; they met two weeks ago (notes, one action item); the next meeting is in 3 days."""
    from login_support import PASSWORD
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    guidelines = tmp_path / "guidelines"
    guidelines.mkdir()
    shutil.copy(ROOT / "knowledge" / "05-feedback.md", guidelines)  # a small, real library
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(guidelines))
    svc = service()
    for name, role, mentor in (("maria", "mentor", None), ("alex", "mentee", "maria"), ("sam", "mentee", "maria")):
        svc.create_account(SYSTEM, name, role, PASSWORD, mentor=mentor, must_change=False)
    svc.deps.store.save_goal(Goal(owner="alex", title="Give three talks at all-hands", statement="Give 3 talks",
                                  deadline=date(TODAY.year + 1, 3, 31), progress=10), by="alex")
    then = service(TODAY - timedelta(days=14))
    maria = svc.user("maria")
    held = then.schedule_meeting(maria, "alex", datetime.combine(TODAY - timedelta(days=14), time(10)))
    then.record_notes(maria, held.id, "Picked the talk topics.", [{"text": "Send the outline to Maria"}])
    then.record_notes(maria, held.id, "Quiet today; ask about workload.", private=True)
    svc.schedule_meeting(maria, "alex", datetime.combine(TODAY + timedelta(days=3), time(10)))
    return svc


def test_prep_page_saves_the_agenda_with_downloads_and_edits(home):
    at = open_page(login("alex"), "prep")
    assert "Give three talks at all-hands" in at.chat_message[0].markdown[0].value
    assert "hasn't" not in texts(at) and "appears here once" in texts(at)
    for line in PREP:
        at.chat_input[0].set_value(line).run()
        assert not at.exception, at.exception
    shown = texts(at)
    assert "Send the outline to Maria" in shown  # last meeting's action item was asked about
    assert "Shall I save it?" in shown
    at.chat_input[0].set_value("yes").run()
    assert "Agenda v1 saved" in texts(at) and "Remembered something? Tell the coach" in texts(at)
    assert "Version 1" in texts(at) and "I gave a demo and got praised" in texts(at)
    assert sorted(b.key for b in at.get("download_button")) == ["prep-2-ics", "prep-2-md", "prep-2-pdf"]
    # Edit: a new first item, the rest kept; saving re-fits the minutes as version 2.
    [editor] = at.get("dataframe")
    at.session_state[editor.key] = {"edited_rows": {}, "deleted_rows": [],
                                    "added_rows": [{"#": 0, "topic": "Salary talk", "minutes": 10}]}
    at.button(key="save_agenda").click().run()
    assert not at.exception, at.exception
    agenda = home.agenda(home.user("alex"), 2)
    assert agenda.version == 2 and agenda.items[0].topic == "Salary talk"
    assert sum(i.minutes for i in agenda.items) == 45 and "Version 2" in texts(at)
    # A question remembered after saving, told to the chat, joins the edited agenda as version 3.
    at.chat_input[0].set_value("One more question: can I present at the spring offsite?").run()
    assert not at.exception, at.exception
    assert "Agenda v3 saved" in texts(at) and "Version 3" in texts(at)
    agenda = home.agenda(home.user("alex"), 2)
    assert agenda.items[0].topic == "Salary talk" and sum(i.minutes for i in agenda.items) == 45
    assert agenda.questions[-1] == "can I present at the spring offsite?"
    assert "can I present at the spring offsite?" in texts(at)


def test_prep_page_without_a_meeting_says_what_to_do(home):
    at = open_page(login("sam"), "prep")
    assert "No meeting is scheduled yet" in texts(at) and not at.chat_input
    assert "waypoint meetings" not in texts(at), "a mentee gets no command line to type"
    assert [link.proto.page for link in at.get("page_link")] == ["meetings"]


def test_mentor_brief_page(home):
    alex = home.user("alex")
    home.prep_conversation(alex)
    for line in PREP + ["yes"]:
        home.prep_chat(alex, line)
    at = open_page(login("maria"), "brief")
    shown = texts(at)
    assert f"{TODAY + timedelta(days=3):%d %b %Y}, 10:00 UTC" in shown
    assert "Give three talks at all\\-hands \\(10% → 40%\\)" in shown  # the agenda, escaped
    assert "](http" not in shown and "<b>" not in shown  # the mentee's text can't become a link or HTML
    assert [m.value for m in at.metric] == ["40%"] and "+30 pts" in str(at.metric[0].proto.delta)
    assert len(at.get("vega_lite_chart")) == 1  # the goal's progress over time
    questions = next(m.value for m in at.markdown if m.value.startswith("1. ") and " min, " not in m.value)
    assert 3 <= questions.count("\n") + 1 <= 5 and "stuck" in questions
    assert "Send the outline to Maria" in shown  # still open
    assert "📖 Source: Giving and Receiving Feedback" in shown
    assert "Picked the talk topics." in shown and "Quiet today; ask about workload." in shown
    assert not any("**" in t.value for t in at.text), "the guideline tip is Markdown, not raw text"
    assert f"due 31 Mar {TODAY.year + 1}" in shown
    assert {b.key for b in at.get("download_button")} == {"brief-2-md", "brief-2-pdf", "brief-2-ics"}


def test_meetings_page_booking_and_notes_for_both_sides(home):
    at = open_page(login("alex"), "meetings")
    assert "Private notes" not in [t.label for t in at.text_area]  # never offered to the mentee
    assert "Quiet today" not in texts(at)
    at.selectbox(key="cadence").select("weekly").run()
    proposal = next(c.value for c in at.caption if c.value.startswith("Proposed"))
    assert f"{TODAY + timedelta(days=10):%a %d %b %Y}, 10:00 UTC" in proposal  # a week after the next one
    at.button(key="book").click().run()
    assert "Meeting booked" in texts(at) and len(home.meetings(home.user("alex"))) == 3

    mentor = open_page(login("maria"), "meetings")
    held = home.meetings(home.user("maria"))[0]
    assert mentor.text_area(key=f"private-{held.id}").value == "Quiet today; ask about workload."
    mentor.text_input(key=f"action-{held.id}-0").input("Draft the abstract").run()
    mentor.date_input(key=f"due-{held.id}-0").set_value(TODAY + timedelta(days=5)).run()
    mentor.button(key="save_notes").click().run()
    assert not mentor.exception and "1 new action item" in texts(mentor)
    assert [a.text for a in home.action_items(home.user("alex"))] == ["Send the outline to Maria",
                                                                     "Draft the abstract"]
    assert mentor.text_input(key=f"action-{held.id}-0").value == "", "saved rows empty, so nothing is added twice"
    first = home.action_items(home.user("alex"))[0]
    assert texts(mentor).count("Send the outline to Maria") == 1, "each open item is listed once"
    mentor.button(key=f"done-{first.id}").click().run()
    assert [a.text for a in home.action_items(home.user("alex"))] == ["Draft the abstract"]
    coming = home.meetings(home.user("maria"))[1]
    cancel = mentor.button(key=f"cancel-{coming.id}")
    assert cancel.label == "Yes, cancel this meeting", "cancelling asks first"
    cancel.click().run()
    assert "Meeting cancelled." in texts(mentor) and home.meetings(home.user("maria"))[1].status == "cancelled"
    assert f"cancelled-{coming.id}-ics" in {b.key for b in mentor.get("download_button")}, \
        "a cancelled meeting still ahead offers the calendar file that removes it"


def test_my_goals_page_offers_the_goal_downloads(home):
    at = open_page(login("alex"), "my_goals")
    assert {b.key for b in at.get("download_button")} == {"goals-alex-csv", "goals-alex-md", "goals-alex-json"}
    assert sum("Give three talks" in m.value for m in at.markdown) == 1, "the card shows the title once"


def test_my_mentees_page_offers_the_mentees_goal_downloads(home):
    at = open_page(login("maria"), "mentees")
    assert not at.exception, at.exception
    assert {b.key for b in at.get("download_button")} == {"goals-alex-csv", "goals-alex-md", "goals-alex-json"}


def test_meetings_page_shows_and_takes_the_programs_local_time(home, monkeypatch):
    monkeypatch.setenv("WAYPOINT_TIMEZONE", "Asia/Tokyo")  # UTC+9 all year
    at = open_page(login("alex"), "meetings")
    booked = texts(at)
    assert f"{TODAY + timedelta(days=3):%a %d %b %Y}, 19:00 JST · 45 min" in booked  # 10:00 UTC, stored
    day = TODAY + timedelta(days=20)
    at.date_input(key=next(d.key for d in at.date_input if d.key.startswith("day-"))).set_value(day).run()
    time_box = next(t for t in at.time_input if t.key.startswith("time-"))
    assert time_box.label == "Time (Asia/Tokyo)"
    time_box.set_value(time(9, 0)).run()
    at.button(key="book").click().run()
    assert f"Meeting booked for {day:%a %d %b %Y}, 09:00 JST." in texts(at)
    newest = home.meetings(home.user("alex"))[-1]
    assert newest.starts_at == datetime.combine(day, time(0), tzinfo=newest.starts_at.tzinfo)  # 09:00 JST


def test_a_mentee_without_a_mentor_is_told_instead_of_offered_a_booking_form(home):
    from login_support import PASSWORD
    home.create_account(SYSTEM, "jo", "mentee", PASSWORD, must_change=False)
    at = open_page(login("jo"), "meetings")
    assert "You don't have a mentor yet" in texts(at)
    assert not [b for b in at.button if b.key == "book"]
