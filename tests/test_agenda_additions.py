"""Entries told to the prep chat after saving join the saved agenda (assistant/agenda_additions.py)."""
from __future__ import annotations

import pytest

from assistant.agenda import build_agenda, retime
from assistant.agenda_additions import add_to_agenda
from assistant.coach.prep_models import PrepDraft
from meeting_fixtures import goals, meeting


def saved(minutes: int = 45, **fields):
    return build_agenda(PrepDraft(mentor="bob", **fields), goals(), meeting(minutes), [])


def topics(agenda) -> list[str]:
    return [item.topic for item in agenda.items]


def test_a_question_joins_the_questions_item_and_the_time_boxes_still_fill_the_meeting():
    agenda = saved(questions=["How do I pick a topic?"], blockers=["waiting for legal"])
    new = add_to_agenda(agenda, {"questions": ["How do I pitch the budget?"]}, "bob", goals(), "ana")
    [item] = [i for i in new.items if i.kind == "questions"]
    assert item.details == ["How do I pick a topic?", "How do I pitch the budget?"]
    assert new.questions == ["How do I pick a topic?", "How do I pitch the budget?"]
    assert topics(new) == topics(agenda) and sum(i.minutes for i in new.items) == 45
    assert new.created_by == "ana" and new.blockers == agenda.blockers


def test_the_mentees_edits_stay_and_a_blocker_becomes_an_item_before_the_wrap_up():
    agenda = saved(wins=["shipped the demo"], blockers=["waiting for legal"])
    edited = agenda.model_copy(update={"items": retime(
        [agenda.items[0].model_copy(update={"topic": "Salary talk", "minutes": 30}), *agenda.items[1:]], 45)})
    new = add_to_agenda(edited, {"blockers": ["no slot for the three conference talks"]}, "bob", goals())
    assert topics(new) == ["Salary talk", "Wins to share", "Blocker: no slot for the three conference talks",
                           "Next steps and new action items"]
    assert new.items[2].goal_id == 1 and new.items[2].kind == "blocker"  # linked by its words
    assert [i.priority for i in new.items] == [1, 2, 3, 4] and sum(i.minutes for i in new.items) == 45
    assert new.items[0].minutes > new.items[1].minutes  # the edited proportions are kept
    assert "Mentee: note what you have already tried for each blocker." in new.prework


def test_a_wish_naming_an_item_adds_none_and_one_naming_something_new_adds_one():
    agenda = saved(blockers=["waiting for the budget sign-off"])
    same = add_to_agenda(agenda, {"wants": ["mostly the budget"]}, "bob")
    assert topics(same) == topics(agenda) and same.wants == ["mostly the budget"]
    more = add_to_agenda(agenda, {"wants": ["talk about my promotion"]}, "bob")
    assert "talk about my promotion" in topics(more) and len(more.items) == len(agenda.items) + 1


def test_an_item_the_mentee_removed_comes_back_and_nothing_is_added_twice():
    agenda = saved(questions=["How do I pick a topic?"])
    edited = agenda.model_copy(update={"items": retime([i for i in agenda.items if i.kind != "questions"], 45)})
    new = add_to_agenda(edited, {"questions": ["how do I pick a topic?", "Who else should I meet?"]}, "bob")
    [item] = [i for i in new.items if i.kind == "questions"]
    assert item.topic == "Questions for bob" and item.owner == "mentor"
    assert item.details == ["Who else should I meet?"]  # the first one is already on the list
    assert new.questions == ["How do I pick a topic?", "Who else should I meet?"]
    assert new.prework.count("bob: read the mentee's questions before the meeting.") == 1


def test_a_full_short_meeting_folds_the_last_items_into_other_topics():
    agenda = saved(15, blockers=["waiting for legal", "no laptop"])  # 15 minutes: room for three items
    assert len(agenda.items) == 3
    new = add_to_agenda(agenda, {"blockers": ["no budget", "no reviewer"]}, "bob")
    assert len(new.items) == 3 and sum(i.minutes for i in new.items) == 15
    assert new.items[-1].kind == "wrapup" and new.items[1].topic == "Other topics"
    assert new.items[1].details == ["Blocker: no laptop", "Blocker: no budget", "Blocker: no reviewer"]
    assert new.blockers == ["waiting for legal", "no laptop", "no budget", "no reviewer"]


def test_a_question_for_a_full_agenda_folds_in_instead_of_overfilling_the_meeting():
    agenda = saved(15, blockers=["waiting for legal", "no laptop"])
    new = add_to_agenda(agenda, {"questions": ["Who signs off?"], "wins": ["shipped it"]}, "bob")
    assert [i.kind for i in new.items] == ["blocker", "other", "wrapup"] and sum(i.minutes for i in new.items) == 15
    assert new.items[1].details == ["Blocker: no laptop", "Questions for bob", "Wins to share"]
    assert new.questions == ["Who signs off?"] and new.wins == ["shipped it"]  # the brief still lists them


@pytest.mark.parametrize("minutes", [15, 20, 30, 45, 60, 240])
@pytest.mark.parametrize("before, added", [(0, 1), (2, 3), (5, 12), (12, 1)])
def test_any_addition_to_any_agenda_still_fills_the_meeting_exactly(minutes, before, added):
    agenda = saved(minutes, blockers=[f"old blocker {n}" for n in range(before)], questions=["Q1?"])
    new = add_to_agenda(agenda, {"blockers": [f"new blocker {n}" for n in range(added)], "questions": ["Q2?"],
                                 "wins": ["a win"], "wants": ["talk about travel"]}, "bob")
    assert sum(i.minutes for i in new.items) == minutes and min(i.minutes for i in new.items) >= 5
    assert len(new.items) <= minutes // 5 and new.items[-1].kind == "wrapup"
    assert len(new.blockers) == before + added and new.questions == ["Q1?", "Q2?"]
