"""The three journeys in a real browser, plus what must never work.

The tests run in file order: the mentor reads the brief the mentee prepared just before.
People other than the ones a journey creates are seeded through the service (`cast`).
Screenshots go to the session's folder (printed at the end); WAYPOINT_UPDATE_SCREENSHOTS=1
copies them to docs/screenshots/.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from browser_steps import and_wait, choose, fill, heading, open_page, say, settle, shot, sign_in, sign_out
from playwright.sync_api import expect

from assistant.models import Goal
from assistant.service import SYSTEM

PASSWORDS = {"maria": "blue harbour 41", "alex": "green lantern 52", "sam": "red meadow 63",
             "omar": "grey summit 74"}
SAM_GOAL = "Run 4 customer workshops in Lisbon by June 2027"
GOAL_LINES = ["I want to get better at public speaking",
              "Give 3 talks at our team all-hands meeting",
              "by the end of March 2027",
              "My manager gives me an hour a week to prepare",
              "I want to lead the team one day"]
PREP_LINES = ["About 20% now: I picked my first topic", "I gave a 5-minute demo at stand-up",
              "Finding time to rehearse", "How do I choose a topic the team cares about?", "that's all"]


@pytest.fixture(scope="module")
def cast(server):
    """maria mentors alex; omar mentors sam, who has a goal alex must never see."""
    svc = server.service()
    for name, role, mentor in (("maria", "mentor", None), ("omar", "mentor", None),
                               ("alex", "mentee", "maria"), ("sam", "mentee", "omar")):
        svc.create_account(SYSTEM, name, role, PASSWORDS[name], mentor=mentor, must_change=False,
                           display_name=name.title())
    svc.deps.store.save_goal(Goal(owner="sam", title="Customer workshops", statement=SAM_GOAL,
                                  deadline=date(2027, 6, 30)), by="sam")
    return svc


def test_coordinator_uploads_a_guideline_and_pairs_two_people(server, cast, new_page, tmp_path):
    page = new_page()
    sign_in(page, server.url, "admin", server.admin_password, lands_on="Program overview")
    page.reload()  # the session survives a reload (a new Streamlit session, same browser)
    expect(heading(page, "Program overview")).to_be_visible()

    open_page(page, "People", "People and pairs")
    fill(page, "User name (used to sign in; lower case, no spaces)", "jo")
    fill(page, "Full name", "Jo Rivera")
    fill(page, "Initial password (at least 10 characters, not containing the user name; they choose their own at first sign-in)",
         "jo's first pass 1")
    and_wait(page, lambda: page.get_by_role("button", name="Add", exact=True).click())
    expect(page.get_by_text("Added mentee jo.")).to_be_visible()
    choose(page, "Mentor", "maria")
    choose(page, "Mentee without a mentor", "jo")
    and_wait(page, lambda: page.get_by_role("button", name="Pair", exact=True).click())
    expect(page.get_by_text("Paired maria with jo.")).to_be_visible()
    assert cast.deps.store.mentor_of("jo") == "maria"
    shot(page, server.shots / "coordinator-people.png")

    open_page(page, "Guidelines", "Program guidelines")
    guideline = tmp_path / "peer-feedback.md"
    guideline.write_text("# Peer feedback\n\nAsk for feedback within a week of every talk you give, "
                         "from two colleagues who saw it.\n")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(guideline))
    upload = page.get_by_role("button", name="Add to guidelines", exact=True)
    expect(upload).to_be_enabled()  # once the file has reached the server
    and_wait(page, upload.click)
    expect(page.get_by_text("peer-feedback.md: added")).to_be_visible()
    shot(page, server.shots / "coordinator-guidelines.png")

    open_page(page, "Program", "Program overview")
    expect(page.get_by_test_id("stMetric").filter(has_text="Pairs").first).to_contain_text("3")


def test_new_mentee_chooses_a_password_and_signs_out(server, cast, new_page):
    page = new_page()
    sign_in(page, server.url, "jo", "jo's first pass 1", lands_on="Choose your password")
    fill(page, "Current password", "jo's first pass 1")
    fill(page, "New password (at least 10 characters, not containing the user name)", "jo chose this one")
    fill(page, "New password again", "jo chose this one")
    and_wait(page, lambda: page.get_by_role("button", name="Change password").click())
    expect(heading(page, "Goal coach")).to_be_visible()
    page.reload()
    expect(heading(page, "Goal coach")).to_be_visible()
    sign_out(page)
    page.reload()  # the revoked session stays revoked
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(heading(page, "Goal coach")).to_have_count(0)


def test_mentee_drafts_a_goal_and_prepares_a_meeting(server, cast, new_page):
    page = new_page()
    sign_in(page, server.url, "alex", PASSWORDS["alex"], lands_on="Goal coach")
    for line in GOAL_LINES:
        say(page, line)
    for name in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):  # all five met
        expect(page.get_by_text(f"✅ {name}", exact=True)).to_be_visible()
    shot(page, server.shots / "mentee-chat.png", height=1500)
    say(page, "yes")
    expect(page.get_by_text("is now one of your goals")).to_be_visible()
    assert [g.title for g in cast.goals(cast.user("alex"))]

    open_page(page, "Meetings", "Meetings")
    and_wait(page, lambda: page.get_by_role("button", name="Book meeting").click())
    expect(page.get_by_text("Meeting booked")).to_be_visible()

    open_page(page, "Prepare meeting", "Prepare meeting")
    for line in PREP_LINES:
        say(page, line)
    say(page, "yes")
    expect(page.get_by_text("saved: maria can see it")).to_be_visible()
    shot(page, server.shots / "mentee-prep.png")


def set_date(page, label: str, day: date) -> None:
    """A date field is three spin buttons (day, month, year in DD/MM/YYYY order)."""
    for part, value in (("day", f"{day.day:02d}"), ("month", f"{day.month:02d}"), ("year", str(day.year))):
        page.get_by_role("spinbutton", name=f"{part}, {label}").type(value)


def test_mentee_keeps_a_goal_current_on_my_goals(server, cast, new_page):
    page = new_page()
    sign_in(page, server.url, "alex", PASSWORDS["alex"], lands_on="Goal coach")
    open_page(page, "My goals", "My goals")
    goal = cast.goals(cast.user("alex"))[0]
    milestones = page.get_by_test_id("stExpander").nth(1)  # Details, Milestones, Edit
    and_wait(page, lambda: milestones.locator("summary").click())
    fill(page, "New milestone", "Dry run with Maria")
    set_date(page, "By (optional)", goal.deadline.replace(year=goal.deadline.year + 1))
    and_wait(page, lambda: milestones.get_by_role("button", name="Add").click())
    # Refused: the reason shows in the section that stayed open, with what was typed kept.
    expect(milestones.get_by_text("on or before the goal's deadline")).to_be_visible()
    expect(page.get_by_label("New milestone")).to_have_value("Dry run with Maria")
    set_date(page, "By (optional)", goal.deadline - timedelta(days=30))
    and_wait(page, lambda: milestones.get_by_role("button", name="Add").click())
    expect(milestones.get_by_text("Dry run with Maria")).to_be_visible()  # still open after the rerun
    assert [m.title for m in cast.goal(cast.user("alex"), goal.id).milestones] == ["Dry run with Maria"]
    shot(page, server.shots / "mentee-goals.png", height=1100)


def test_mentor_reads_the_brief(server, cast, new_page):
    page = new_page()
    sign_in(page, server.url, "maria", PASSWORDS["maria"], lands_on="My mentees")
    choose(page, "Mentee", "alex")
    settle(page)
    expect(page.get_by_text("Give 3 talks at our team all-hands meeting").first).to_be_visible()
    shot(page, server.shots / "mentor-mentees.png")
    open_page(page, "Brief", "Meeting brief")
    choose(page, "Mentee", "alex")
    settle(page)
    expect(page.get_by_text("Finding time to rehearse").first).to_be_visible()  # from alex's prep
    expect(page.get_by_text("Questions you could ask")).to_be_visible()
    shot(page, server.shots / "mentor-brief.png")
    assert SAM_GOAL not in page.inner_text("body")


def test_coordinator_sees_the_program_in_aggregates_only(server, cast, new_page):
    page = new_page()
    sign_in(page, server.url, "admin", server.admin_password, lands_on="Program overview")
    metric = page.get_by_test_id("stMetric")
    expect(metric.filter(has_text="Fully SMART").first).to_contain_text("1")  # alex's, from the chat
    # one meeting booked, none held yet: it shows as the next meeting
    expect(page.get_by_role("row").filter(has_text="alex")).to_contain_text(re.compile(r"\d\d \w{3} 20\d\d"))
    shot(page, server.shots / "coordinator-program.png")
    body = page.inner_text("body")
    assert SAM_GOAL not in body and "all-hands" not in body and "rehearse" not in body


# Every page of every role, and the query parameters a page might be tempted to read.
PATHS = ["", "chat", "my_goals", "prep", "meetings", "account", "mentees", "brief", "people", "program",
         "knowledge", "choose-password", "login"]
QUERY = "?mentee=sam&owner=sam&user=sam&goal={id}&goal_id={id}&meeting_id=1&brief_mentee=sam"


def test_a_mentee_cannot_reach_another_mentees_goals(server, cast, new_page):
    page = new_page()
    sign_in(page, server.url, "alex", PASSWORDS["alex"], lands_on="Goal coach")
    query = QUERY.format(id=cast.goals(cast.user("sam"))[0].id)
    for path in PATHS:
        for suffix in ("", query):
            page.goto(f"{server.url}/{path}{suffix}")
            settle(page)
            expect(page.locator("h1").first).to_be_visible()
            body = page.inner_text("body")
            assert SAM_GOAL not in body and "Customer workshops" not in body, f"/{path}{suffix}"
            assert "People and pairs" not in body and "Meeting brief" not in body, f"/{path}{suffix}"
    page.goto(server.url)  # away from any "page not found" dialog
    expect(heading(page, "Goal coach")).to_be_visible()
    # Nor through a widget: no list on alex's pages offers sam.
    for link, title in (("My goals", "My goals"), ("Meetings", "Meetings"), ("Prepare meeting", "Prepare meeting")):
        open_page(page, link, title)
        for box in page.get_by_role("combobox").all():
            box.click()
            options = page.get_by_role("option").all_inner_texts()
            page.keyboard.press("Escape")
            assert not any("sam" in o.lower() for o in options), options


def test_no_password_reaches_the_server_log_or_the_database(server, cast):
    log = server.log.read_text(encoding="utf-8", errors="replace")
    database = b"".join(p.read_bytes() for p in server.home.glob("waypoint.db*"))
    for secret in [server.admin_password, "jo's first pass 1", "jo chose this one", *PASSWORDS.values()]:
        assert secret not in log and secret.encode() not in database


def test_an_old_link_opened_signed_out_asks_to_sign_in(server, new_page):
    page = new_page()
    for path in ("my_goals", "brief", "people"):
        page.goto(f"{server.url}/{path}")
        settle(page)
        expect(page.get_by_label("User name", exact=True)).to_be_visible()
        assert "Page not found" not in page.inner_text("body"), path
