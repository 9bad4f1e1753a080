"""Meetings, agendas, notes, access, exports and the brief through the service, on a real SQLite store."""
from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone

import pytest
from meetings_support import ROOT, at, held_meeting_with_actions, make_service, prep, svc, who  # noqa: F401

from assistant.service import SYSTEM, AccessDenied, NotFound, Service


def test_edit_agenda_saves_a_retimed_version_before_the_meeting_only(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    meeting = svc.schedule_meeting(alex, "alex", at(30), minutes=60)
    with pytest.raises(ValueError, match="at least one item"):
        svc.edit_agenda(alex, meeting.id, [{"topic": "  "}])
    prep(svc, "alex", "about 30%", "that's all", "yes")
    first = svc.agenda(alex, meeting.id)
    assert [i.kind for i in first.items] == ["goal", "wrapup"]
    goal_item = first.items[0]
    assert goal_item.goal_id == svc.goals(alex)[0].id
    rows = [{"topic": "My promotion case", "minutes": 20, "owner": "mentee"},
            {"topic": goal_item.topic, "minutes": 10, "owner": "mentor"}]
    edited = svc.edit_agenda(alex, meeting.id, rows, questions=["How do I ask for a raise?"])
    assert edited.version == 2 and edited.created_by == "alex"
    assert [i.topic for i in edited.items] == ["My promotion case", goal_item.topic]
    assert [i.minutes for i in edited.items] == [40, 20], "scaled in proportion to what the mentee set"
    assert edited.items[1].kind == goal_item.kind and edited.items[1].goal_id == goal_item.goal_id
    assert edited.questions == ["How do I ask for a raise?"]
    assert [a.version for a in svc.agenda_versions(maria, meeting.id)] == [1, 2]
    assert svc.agenda(maria, meeting.id, version=1) == first
    with pytest.raises(AccessDenied):
        svc.edit_agenda(maria, meeting.id, rows)
    # Time boxes that fill the meeting are kept as set; the same agenda again is no new version.
    exact = [{"topic": "My promotion case", "minutes": 45, "owner": "mentee"},
             {"topic": goal_item.topic, "minutes": 15, "owner": "mentor"}]
    third = svc.edit_agenda(alex, meeting.id, exact)
    assert [i.minutes for i in third.items] == [45, 15] and third.version == 3
    assert svc.edit_agenda(alex, meeting.id, exact).version == 3
    with pytest.raises(ValueError, match="cannot fit"):
        svc.edit_agenda(alex, meeting.id, [{"topic": f"topic {n}"} for n in range(13)])
    after = make_service(svc.deps.settings.home, today=date(2026, 12, 1))
    with pytest.raises(ValueError, match="before the meeting"):
        after.edit_agenda(alex, meeting.id, rows)


def test_the_mentees_wishes_reach_the_agenda_and_every_list_can_be_corrected(svc):
    """What the mentee most wants from the meeting is kept in the agenda (it used to be used only
    to order items, so a wish that matched no item vanished), and the editor corrects each list."""
    alex, maria = who(svc, "alex"), who(svc, "maria")
    meeting = svc.schedule_meeting(alex, "alex", at(30), minutes=60)
    prep(svc, "alex", "about 30%", "skip", "skip", "skip",
         "Most important: the writing time problem, then feedback on my talk slides", "yes")
    agenda = svc.agenda(maria, meeting.id)
    assert agenda.wants == ["Most important: the writing time problem, then feedback on my talk slides"]
    assert agenda.blockers == []
    assert "## What the mentee most wants from this meeting" in agenda.as_markdown()
    assert "feedback on my talk slides" in svc.export(maria, "agenda", "md", meeting_id=meeting.id).data.decode()
    rows = [i.model_dump() for i in agenda.items]
    edited = svc.edit_agenda(alex, meeting.id, rows, blockers=["No writing time", " "], wins=["Outline done"],
                             wants=["A plan for writing time", "Slide feedback"])
    assert (edited.version, edited.blockers, edited.wins, edited.wants) == (
        2, ["No writing time"], ["Outline done"], ["A plan for writing time", "Slide feedback"])
    assert svc.brief(maria, meeting_id=meeting.id).agenda.wants == ["A plan for writing time", "Slide feedback"]
    with pytest.raises(ValueError, match="no list minutes"):
        svc.edit_agenda(alex, meeting.id, rows, minutes=["5"])


def test_scheduling_rules_and_cadence_proposals(svc):
    alex, maria, sam = who(svc, "alex"), who(svc, "maria"), who(svc, "sam")
    proposal = svc.next_meeting_date(alex, "alex", "weekly")
    assert proposal == datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)  # no meeting yet: a week out
    with pytest.raises(ValueError, match="past"):
        svc.schedule_meeting(alex, "alex", at(20))
    booked = svc.schedule_meeting(maria, "alex", at(26, 15))
    assert (booked.minutes, booked.mentor, booked.created_by, booked.status) == (45, "maria", "maria", "scheduled")
    with pytest.raises(ValueError, match="overlaps"):
        svc.schedule_meeting(alex, "alex", at(26, 15) + timedelta(minutes=30))
    assert svc.next_meeting_date(alex, "alex", "biweekly") == datetime(2026, 12, 10, 15, 0, tzinfo=timezone.utc)
    assert svc.next_meeting_date(maria, "alex", "monthly") == datetime(2026, 12, 26, 15, 0, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        svc.next_meeting_date(alex, "alex", "yearly")
    assert svc.cancelled_ahead(maria, "alex") == []
    svc.cancel_meeting(alex, booked.id)
    assert svc.upcoming_meeting(alex) is None
    assert [m.id for m in svc.cancelled_ahead(maria, "alex")] == [booked.id]
    ics = svc.export(maria, "agenda", "ics", meeting_id=booked.id).data
    assert b"STATUS:CANCELLED" in ics and b"SEQUENCE:1" in ics
    svc.add_user(SYSTEM, "lone", "mentee")
    with pytest.raises(ValueError, match="no mentor"):
        svc.schedule_meeting(who(svc, "lone"), "lone", at(30))
    assert svc.meetings(sam) == []


def test_notes_action_items_and_private_notes(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    future = svc.schedule_meeting(alex, "alex", at(30))
    with pytest.raises(ValueError, match="once the meeting has taken place"):
        svc.record_notes(alex, future.id, "too early")
    first = held_meeting_with_actions(svc)
    svc.record_notes(maria, first.id, "Seems tired; ask about workload.", private=True)
    with pytest.raises(AccessDenied, match="private"):
        svc.record_notes(alex, first.id, "peek", private=True)
    seen_by_alex = svc.meeting(alex, first.id)
    assert seen_by_alex.notes == "Talked about the talk topics." and seen_by_alex.mentor_private_notes == ""
    assert all(m.mentor_private_notes == "" for m in svc.meetings(alex))
    assert svc.meeting(maria, first.id).mentor_private_notes == "Seems tired; ask about workload."
    assert svc.meetings(maria)[0].mentor_private_notes == "Seems tired; ask about workload."
    assert svc.meeting(maria, first.id).status == "done"
    items = svc.action_items(maria, "alex")
    assert [(i.text, i.owner, i.due) for i in items] == [
        ("Send the outline to Maria", "mentee", date(2026, 12, 1)),
        ("Introduce alex to the events team", "mentor", None)]
    svc.set_action_status(alex, items[1].id, "done")
    assert [i.text for i in svc.action_items(alex)] == ["Send the outline to Maria"]
    assert "Seems tired" not in svc.export(alex, "agenda", "ics", meeting_id=first.id).data.decode()


def test_nobody_outside_the_pair_sees_or_changes_anything(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    sam, omar, cora = who(svc, "sam"), who(svc, "omar"), who(svc, "cora")
    first = held_meeting_with_actions(svc)
    item = svc.action_items(alex)[0]
    for outsider in (sam, omar, cora):
        for call in (lambda: svc.meetings(outsider, "alex"), lambda: svc.meeting(outsider, first.id),
                     lambda: svc.agenda(outsider, first.id), lambda: svc.action_items(outsider, "alex"),
                     lambda: svc.schedule_meeting(outsider, "alex", at(30)),
                     lambda: svc.next_meeting_date(outsider, "alex", "weekly"),
                     lambda: svc.record_notes(outsider, first.id, "x"),
                     lambda: svc.set_action_status(outsider, item.id, "dropped"),
                     lambda: svc.brief(outsider, mentee="alex"), lambda: svc.brief(outsider, meeting_id=first.id),
                     lambda: svc.export(outsider, "agenda", "ics", meeting_id=first.id),
                     lambda: svc.export(outsider, "goals", "csv", mentee="alex"),
                     lambda: svc.cancel_meeting(outsider, first.id),
                     lambda: svc.cancelled_ahead(outsider, "alex")):
            with pytest.raises(AccessDenied):
                call()
    with pytest.raises(AccessDenied):
        svc.meetings(alex, "maria")  # a mentor's list is theirs alone
    with pytest.raises(AccessDenied):
        svc.brief(alex, mentee="alex")  # the brief is the mentor's
    with pytest.raises(NotFound):
        svc.meeting(maria, 999)
    # Once unpaired, the mentor no longer sees the mentee's meetings.
    svc.unpair(SYSTEM, "maria", "alex")
    with pytest.raises(AccessDenied):
        svc.meeting(maria, first.id)
    assert svc.meetings(maria) == []
    assert svc.action_items(alex)[0].id == item.id


def test_exports_check_access_and_the_operator_path_is_cli_only(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    meeting = svc.schedule_meeting(alex, "alex", at(30))
    with pytest.raises(ValueError, match="no agenda yet"):
        svc.export(alex, "agenda", "md", meeting_id=meeting.id)
    ics = svc.export(maria, "agenda", "ics", meeting_id=meeting.id)
    assert ics.filename == "meeting-alex-2026-11-30.ics" and ics.mime == "text/calendar"
    prep(svc, "alex", "that's all", "yes")
    pdf = svc.export(alex, "agenda", "pdf", meeting_id=meeting.id)
    assert pdf.data.startswith(b"%PDF") and pdf.filename == "agenda-alex-2026-11-30.pdf"
    goals = svc.export(maria, "goals", "json", mentee="alex")
    assert goals.filename == "goals-alex.json" and b"Give three talks" in goals.data
    assert svc.export(alex, "goals", "md").data == goals_md(svc)
    with pytest.raises(ValueError):
        svc.export(alex, "goals", "pdf")
    with pytest.raises(ValueError):
        svc.export(alex, "minutes", "md")  # type: ignore[arg-type]
    assert svc.export_as_operator("agenda", "md", meeting_id=meeting.id).data == \
        svc.export(alex, "agenda", "md", meeting_id=meeting.id).data
    pages = (ROOT / "assistant" / "ui").glob("*.py")
    assert not [p.name for p in pages if "as_operator" in p.read_text(encoding="utf-8")]


def goals_md(svc: Service) -> bytes:
    from assistant.exports import goals_markdown
    return goals_markdown(svc.deps.store.list_goals(owner="alex"), today=svc.deps.today())


def test_brief_shows_progress_since_last_meeting_questions_and_history(svc):
    maria = who(svc, "maria")
    first = held_meeting_with_actions(svc)  # logs 10% at meeting 1
    second = svc.schedule_meeting(maria, "alex", at(7, 10, 12))
    before_prep = svc.brief(maria, mentee="alex")
    assert before_prep.meeting.id == second.id and before_prep.agenda is None
    assert before_prep.previous.id == first.id and before_prep.previous.notes == "Talked about the talk topics."
    assert [(t.before, t.now) for t in before_prep.goals] == [(10, 10)]
    assert 3 <= len(before_prep.questions) <= 5
    prep(svc, "alex", "about 55%", "skip", "skip", "skip", "I'm stuck finding a free slot at the all-hands",
         "skip", "skip", "yes")
    brief = svc.brief(maria, meeting_id=second.id)
    assert brief.agenda.version == 1 and brief.agenda.blockers
    [trend] = brief.goals
    assert (trend.before, trend.now, trend.delta) == (10, 55, 45)
    assert [p.progress for p in trend.history] == [10, 10, 55]  # created, meeting 1, prep
    assert [p.at for p in trend.history] == sorted(p.at for p in trend.history)
    assert 3 <= len(brief.questions) <= 5
    assert any("free slot" in q for q in brief.questions)  # the blocker is asked about
    assert [a.text for a in brief.open_actions] == ["Send the outline to Maria", "Introduce alex to the events team"]
    assert brief.tip is None and brief.tip_source == ""  # no guidelines in this home


def test_brief_cites_a_guideline_tip_when_the_library_has_one(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    guidelines = tmp_path / "guidelines"
    guidelines.mkdir()
    shutil.copy(ROOT / "knowledge" / "05-feedback.md", guidelines)
    svc = make_service(tmp_path / "home", knowledge=guidelines)
    svc.add_user(SYSTEM, "maria", "mentor")
    svc.add_user(SYSTEM, "alex", "mentee", mentor="maria")
    svc.schedule_meeting(who(svc, "alex"), "alex", at(30))
    brief = svc.brief(who(svc, "maria"), mentee="alex")
    assert brief.tip is not None and brief.tip.source == "05-feedback.md"
    assert brief.tip_source.startswith("Giving and Receiving Feedback")
    assert brief.tip.score >= svc.deps.settings.kb_min_score


@pytest.mark.parametrize("how", ["unpair", "deactivate the mentor"])
def test_ending_a_pair_cancels_its_meetings_ahead_and_keeps_the_past(svc, how):  # noqa: F811
    from assistant.meeting_models import Meeting
    alex = who(svc, "alex")
    past = svc.deps.store.add_meeting(Meeting(mentee="alex", mentor="maria", created_by="alex",
                                              starts_at=datetime(2026, 11, 16, 10, tzinfo=timezone.utc)))
    ahead = [svc.schedule_meeting(alex, "alex", at(day)) for day in (26, 30)]
    if how == "unpair":
        svc.unpair(who(svc, "cora"), "maria", "alex")
    else:
        svc.deactivate(who(svc, "cora"), "maria")
    store = svc.deps.store
    assert [store.get_meeting(m.id).status for m in ahead] == ["cancelled", "cancelled"]
    assert store.get_meeting(past.id).status == "scheduled", "the past stays as it was"
    assert svc.meetings_by_phase(alex, "alex")[0] == [], "alex sees nothing coming up with his old mentor"


def test_brief_lists_milestones_ticked_on_my_goals_since_the_last_meeting(svc):  # noqa: F811
    alex, maria = who(svc, "alex"), who(svc, "maria")
    goal = svc.goals(alex)[0]  # milestones "Write the first outline", "Book a slot"
    svc.set_milestone_done(alex, goal.id, 0)  # ticked before the first meeting
    held_meeting_with_actions(svc)
    svc.schedule_meeting(maria, "alex", at(7, 10, 12))
    svc.deps.store._now.now = datetime(2026, 11, 24, 12, tzinfo=timezone.utc)  # the shared Clock: the next day
    svc.set_milestone_done(alex, goal.id, 1)
    [trend] = svc.brief(maria, mentee="alex").goals
    assert trend.milestones_done == ["Book a slot"], "only what was ticked since the last meeting"


def test_since_the_last_meeting_is_measured_from_what_was_recorded_at_it(svc):
    """Meeting 1 records 10%; alex then moves the goal to 30% on My goals and preps at 45%.
    The brief's change since the last meeting is +35 (from 10), not +15 (from the prep's 30)."""
    alex, maria = who(svc, "alex"), who(svc, "maria")
    held_meeting_with_actions(svc)  # records 10% at meeting 1
    second = svc.schedule_meeting(maria, "alex", at(7, 10, 12))
    goal = svc.goals(alex)[0]
    svc.edit_goal(alex, goal.id, progress=30)
    prep(svc, "alex", "about 45%", "skip", "skip", "skip", "skip", "skip", "skip", "yes")
    [trend] = svc.brief(maria, meeting_id=second.id).goals
    assert (trend.before, trend.now, trend.delta) == (10, 45, 35)
