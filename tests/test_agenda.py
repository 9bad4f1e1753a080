"""Agenda building: time boxes, ordering, blockers as items, many items; meeting records and cadence."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from pydantic import ValidationError

from assistant.agenda import allocate_minutes, build_agenda, retime, suggest_questions
from assistant.coach.prep import new_draft
from assistant.coach.prep_models import ActionStatusReport, GoalReport, PrepDraft
from assistant.meeting_models import Agenda, AgendaItem, Cadence, Meeting
from meeting_fixtures import TODAY, actions, context, goals, meeting


def prep(**fields) -> PrepDraft:
    return new_draft(context()).model_copy(update=fields)


REPORTS = [GoalReport(goal_id=1, percent=60, milestones_done=["Write the talk outline"], note="outline done"),
           GoalReport(goal_id=2, note="no time this month")]


@pytest.mark.parametrize("weights, total", [
    ([1], 15), ([3, 2, 1], 45), ([1, 1, 1], 47), ([5, 1, 1, 1, 1, 1, 1, 1, 1], 45), ([0.3, 2.7, 1.1, 9], 240),
    ([1] * 48, 240), ([2, 2], 61)])
def test_allocation_adds_up_exactly_with_a_five_minute_floor(weights, total):
    minutes = allocate_minutes(weights, total)
    assert sum(minutes) == total and min(minutes) >= 5
    heavy, light = weights.index(max(weights)), weights.index(min(weights))
    assert minutes[heavy] >= minutes[light]


def test_allocation_refuses_what_cannot_fit():
    with pytest.raises(ValueError):
        allocate_minutes([1] * 4, 15)


@pytest.mark.parametrize("minutes", [15, 20, 30, 45, 47, 60, 90, 119, 240])
@pytest.mark.parametrize("blockers", [0, 1, 3, 12, 60])
def test_time_boxes_always_add_up_to_the_meeting(minutes, blockers):
    draft = prep(reports=REPORTS, blockers=[f"Blocker number {n}" for n in range(blockers)],
                 questions=["How do I ask for a raise?"], wins=["shipped"])
    agenda = build_agenda(draft, goals(), meeting(minutes), actions())
    assert sum(i.minutes for i in agenda.items) == minutes == agenda.meeting_minutes
    assert all(i.minutes >= 5 for i in agenda.items)
    assert len(agenda.items) <= minutes // 5
    assert [i.priority for i in agenda.items] == list(range(1, len(agenda.items) + 1))
    assert agenda.items[-1].kind == "wrapup"


def test_each_blocker_becomes_an_item_linked_to_its_goal():
    draft = prep(blockers=["Legal hasn't cleared my conference slides", "My laptop keeps crashing"])
    agenda = build_agenda(draft, goals(), meeting(), actions())
    blockers = [i for i in agenda.items if i.kind == "blocker"]
    assert [b.topic for b in blockers] == ["Blocker: Legal hasn't cleared my conference slides",
                                           "Blocker: My laptop keeps crashing"]
    assert [b.goal_id for b in blockers] == [1, None]
    assert agenda.blockers == draft.blockers


def test_goals_with_progress_get_items_and_updates():
    agenda = build_agenda(prep(reports=REPORTS), goals(), meeting(), actions())
    goal_items = [i for i in agenda.items if i.kind == "goal"]
    assert [(i.goal_id, i.topic) for i in goal_items] == [(1, "Give three conference talks (20% → 60%)"),
                                                          (2, "Reach Spanish level B1 (40% → 40%)")]
    assert [(p.goal_id, p.progress_after, p.delta) for p in agenda.progress] == [(1, 60, 40), (2, 40, 0)]
    assert "Milestones done: Write the talk outline" in goal_items[0].details


def test_items_follow_what_the_mentee_marked_most_important():
    draft = prep(reports=REPORTS, blockers=["Waiting on legal for my conference slides"], questions=["How do I get promoted?"],
                 wins=["Shipped the release"], wants=["Mostly the Spanish exam", "my questions",
                                                      "feedback on my CV"])
    agenda = build_agenda(draft, goals(), meeting(60), actions())
    kinds = [(i.kind, i.goal_id) for i in agenda.items]
    assert kinds[:3] == [("goal", 2), ("questions", None), ("want", None)]
    assert agenda.items[2].topic == "feedback on my CV"  # a wish no item covers becomes its own item
    assert kinds[3:] == [("blocker", 1), ("goal", 1), ("actions", None), ("wins", None), ("wrapup", None)]
    spanish, talks = agenda.items[0], agenda.items[4]
    assert spanish.minutes > talks.minutes  # what matters most also gets more time


def test_without_wishes_blockers_come_first():
    draft = prep(reports=REPORTS, blockers=["Waiting on legal"], questions=["Q?"])
    kinds = [i.kind for i in build_agenda(draft, goals(), meeting(), actions()).items]
    assert kinds == ["blocker", "goal", "goal", "questions", "actions", "wrapup"]


def test_too_many_items_merge_the_tail_into_other_topics():
    blockers = [f"Blocker {n}: something about team {n}" for n in range(20)]
    agenda = build_agenda(prep(blockers=blockers, reports=REPORTS), goals(), meeting(45), actions())
    assert len(agenda.items) == 9
    other = agenda.items[-2]
    assert other.topic == "Other topics" and agenda.items[-1].kind == "wrapup"
    listed = [i.topic for i in agenda.items[:-2]] + other.details
    assert all(any(b.rstrip(".") in t for t in listed) for b in blockers)  # nothing silently dropped
    short = build_agenda(prep(blockers=blockers), goals(), meeting(15), actions())
    assert [i.minutes for i in short.items] == [5, 5, 5]


def test_empty_prep_still_gives_a_usable_agenda():
    agenda = build_agenda(prep(), goals(), meeting(30), [])
    assert [i.kind for i in agenda.items] == ["checkin", "wrapup"]
    assert sum(i.minutes for i in agenda.items) == 30


def test_action_statuses_from_the_prep_show_in_the_agenda():
    draft = prep(action_reports=[ActionStatusReport(action_id=7, status="done"),
                                 ActionStatusReport(action_id=8, status="dropped")])
    agenda = build_agenda(draft, goals(), meeting(), actions())
    assert [(a.id, a.status) for a in agenda.open_actions] == [(7, "done")]
    (review,) = [i for i in agenda.items if i.kind == "actions"]
    assert review.details == ["Send the CV to Maria (done)"]


def test_agenda_validates_its_time_boxes_and_retime_refits_edits():
    agenda = build_agenda(prep(reports=REPORTS, blockers=["Waiting on legal"]), goals(), meeting(), actions())
    broken = agenda.model_dump()
    broken["items"][0]["minutes"] += 5
    with pytest.raises(ValidationError, match="add up to 50"):
        Agenda.model_validate(broken)
    edited = agenda.items[1:] + [AgendaItem(topic="Conference budget", minutes=10, priority=1)]
    fixed = retime(edited, 60)
    assert sum(i.minutes for i in fixed) == 60 and [i.priority for i in fixed] == [1, 2, 3, 4, 5]
    Agenda.model_validate({**agenda.model_dump(), "items": [i.model_dump() for i in fixed], "meeting_minutes": 60})


def test_markdown_keeps_the_mentees_words():
    draft = prep(reports=REPORTS, questions=["How do I say “no” to extra work?"], wins=["Gave my first demo"])
    md = build_agenda(draft, goals(), meeting(), actions()).as_markdown()
    assert "> How do I say “no” to extra work?" in md
    assert "- **Give three conference talks**: 20% → 60%; milestones done: Write the talk outline" in md
    assert "- [ ] Send the CV to Maria (mentee, due 20 Nov 2026)" in md


def test_suggested_questions_are_tied_to_blockers_and_goals():
    draft = prep(reports=REPORTS, blockers=["Waiting on legal for my slides"])
    agenda = build_agenda(draft, goals(), meeting(), actions())
    earlier = build_agenda(prep(blockers=["Legal review of slides is slow"]), goals(), meeting(), [])
    questions = suggest_questions(goals(), agenda, [earlier], today=TODAY)
    assert 3 <= len(questions) <= 5
    assert "came up last time too" in questions[0] and "Waiting on legal" in questions[0]
    assert any("Reach Spanish level B1" in q and "01 Mar 2027" in q for q in questions)  # stalled goal
    assert any("20% → 60%" in q for q in questions)
    assert any("Send the CV to Maria" in q and "was due" in q for q in questions)  # overdue action
    assert questions == suggest_questions(goals(), agenda, [earlier], today=TODAY)
    fresh = suggest_questions(goals(), agenda, [], today=TODAY)
    assert fresh[0].startswith("What have you already tried on")


def test_a_passed_deadline_is_asked_about_as_passed_whatever_the_progress():
    """After the deadline, "what would you change to make it?" makes no sense: close, re-date or drop."""
    from datetime import timedelta
    agenda = build_agenda(prep(), goals(), meeting(), [])
    later = max(g.deadline for g in goals()) + timedelta(days=1)
    questions = suggest_questions(goals(), agenda, [], today=later)
    passed = [q for q in questions if "passed on" in q]
    assert passed and all("close it, give it a new date, or drop it?" in q for q in passed)
    assert not any("to make it?" in q for q in questions)


def test_suggested_questions_fall_back_to_general_ones():
    questions = suggest_questions([], build_agenda(prep(), goals(), meeting(), []))
    assert len(questions) == 3 and len(set(questions)) == 3


def test_meeting_defaults_and_limits():
    m = Meeting(mentee="ana", mentor="bob", starts_at=datetime(2026, 11, 26, 15, 0))
    assert m.minutes == 45 and m.status == "scheduled"
    assert m.starts_at.tzinfo == timezone.utc  # naive input is taken as UTC
    assert m.ends_at == datetime(2026, 11, 26, 15, 45, tzinfo=timezone.utc)
    for bad in (10, 241):
        with pytest.raises(ValidationError):
            Meeting(mentee="ana", mentor="bob", starts_at=m.starts_at, minutes=bad)
    with pytest.raises(ValidationError):
        Meeting(mentee="ana", mentor="bob", starts_at=m.starts_at, status="maybe")


@pytest.mark.parametrize("cadence, last, today, expected", [
    (Cadence.weekly, datetime(2026, 11, 19, 10), TODAY, datetime(2026, 11, 26, 10)),
    (Cadence.weekly, datetime(2026, 10, 1, 10), TODAY, datetime(2026, 11, 26, 10)),  # skips the past
    (Cadence.biweekly, datetime(2026, 11, 16, 9), TODAY, datetime(2026, 11, 30, 9)),
    (Cadence.monthly, datetime(2026, 10, 31, 14), TODAY, datetime(2026, 11, 30, 14)),  # clamped
    (Cadence.monthly, datetime(2026, 12, 31, 14), date(2027, 1, 1), datetime(2027, 1, 31, 14)),
    (Cadence.monthly, datetime(2027, 1, 31, 14), date(2027, 2, 1), datetime(2027, 2, 28, 14)),
])
def test_cadence_proposes_the_next_date(cadence, last, today, expected):
    proposed = cadence.next_date(last, today)
    assert proposed == expected and proposed.date() >= today
    assert Cadence("biweekly") is Cadence.biweekly


def test_edited_time_boxes_scale_in_proportion_with_a_floor():
    from assistant.agenda import scale_minutes
    assert scale_minutes([20, 20, 10, 10, 10, 10], 45) == [11, 11, 6, 6, 6, 5]  # 2:1 kept, equal stays equal
    assert scale_minutes([20, 10], 60) == [40, 20]
    assert scale_minutes([100, 1, 1], 45) == [35, 5, 5]  # the small ones held at 5 minutes
    assert scale_minutes([5, 5, 5], 16) == [6, 5, 5]
    with pytest.raises(ValueError, match="cannot fit"):
        scale_minutes([10] * 10, 45)


def test_overdue_milestones_actions_and_a_passed_deadline_are_marked_given_today():
    from datetime import date

    from assistant.meeting_models import ActionItem
    from assistant.models import Goal, Milestone
    from assistant.ui.agenda_view import action_line

    goal = Goal(owner="alex", title="Talks", statement="Give three talks", deadline=date(2026, 11, 20),
                milestones=[Milestone(title="Outline", due=date(2026, 11, 1)),
                            Milestone(title="Slides", due=date(2026, 11, 1), done=True),
                            Milestone(title="Rehearse", due=date(2026, 12, 1))])
    marked = goal.as_markdown(today=date(2026, 11, 23))
    assert "Fri 20 Nov 2026 (passed)" in marked and "Outline (by 01 Nov 2026, overdue)" in marked
    assert "Slides (by 01 Nov 2026)\n" in marked and "Rehearse (by 01 Dec 2026)" in marked
    assert "overdue" not in goal.as_markdown() and "passed" not in goal.as_markdown(), "no today, no marks"
    assert "passed" not in goal.model_copy(update={"status": "done"}).as_markdown(today=date(2026, 11, 23))
    item = ActionItem(meeting_id=1, text="Send the CV", owner="mentee", due=date(2026, 11, 20))
    assert action_line(item, date(2026, 11, 23)).endswith("(mentee, due 20 Nov 2026, **overdue**)")
    assert "overdue" not in action_line(item, date(2026, 11, 20))
    assert "overdue" not in action_line(item.model_copy(update={"status": "done"}), date(2026, 11, 23))
