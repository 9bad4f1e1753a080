"""Reported coach bugs, each through the flow or the service: a measure that rewrote the goal,
difficulties filed as wins, bare percentages, closing words stored as wishes, and
"since your last meeting" before any meeting."""
from __future__ import annotations

from datetime import date

import pytest
from meeting_fixtures import Chat, context, goals, meeting
from meetings_support import at, held_meeting_with_actions, prep, svc, who  # noqa: F401

from assistant.coach.flow import advance, specific, statement, to_goal
from assistant.coach.offline import understand
from assistant.coach.prep import goal_changes, phrase, start_prep
from assistant.coach.prep_models import PrepContext
from assistant.coach.types import GoalDraft

TODAY = date(2026, 11, 23)
DASHBOARD = "each of them ships one dashboard on their own"


def converse(lines, draft=None):
    draft = draft or GoalDraft()
    steps = []
    for line in lines:
        draft, step = advance(draft, understand(line, draft, draft.asked, TODAY), TODAY)
        steps.append(step)
    return draft, steps


# -- 1. an answer about success is the measure, not a new goal ------------------------------------
def test_a_target_told_after_the_goal_keeps_the_goals_action():
    draft, _ = converse(["mentor two junior analysts", DASHBOARD, "by February 15, 2027", "skip", "skip", "yes"])
    assert draft.what == "mentor two junior analysts" and draft.target == DASHBOARD
    assert specific(draft) == "Mentor two junior analysts"
    goal = to_goal(draft, "alex")
    assert goal.statement == f"Mentor two junior analysts ({DASHBOARD}) by February 15, 2027."
    assert goal.target == DASHBOARD and "dashboard" not in goal.title.lower()


def test_an_answer_to_how_will_you_know_becomes_the_target():
    draft, steps = converse(["Mentor the junior analysts in my team"])
    assert steps[-1].slot == "measure"
    draft, steps = converse([DASHBOARD], draft)
    assert draft.what == "Mentor the junior analysts in my team" and draft.target == DASHBOARD
    assert steps[-1].slot == "deadline"


def test_a_specific_answer_about_success_does_not_replace_a_kept_wish():
    draft, _ = converse(["I want to help the junior analysts grow", "keep it", DASHBOARD])
    assert draft.what == "I want to help the junior analysts grow" and draft.target == DASHBOARD


def test_the_goal_said_again_while_the_measure_is_asked_replaces_it():
    draft, _ = converse(["Mentor the junior analysts in my team",
                         "my goal is to mentor two junior analysts until each ships a dashboard"])
    assert statement(draft) == "Mentor two junior analysts until each ships a dashboard."


def test_a_count_of_something_else_is_no_correction_of_the_goals_count():
    draft, _ = converse(["Give 3 talks at our all-hands meeting", "I want each talk to get 20 attendees"])
    assert draft.what == "Give 3 talks at our all-hands meeting" and "20 attendees" in draft.target


# -- 2. difficulties are blockers; a bare figure answers "where is it now?" -----------------------
def _at(slot: str) -> Chat:
    chat = Chat(context())
    while chat.draft.asked != slot:
        chat.say("skip")
    return chat


@pytest.mark.parametrize("slot", ["wins", "questions", "wants"])
@pytest.mark.parametrize("text", ["Finding a slot with the team lead is hard", "I get nervous with Q&A",
                                  "It's really tough to find time for the course", "I'm struggling with the slides",
                                  "I can't get the data", "no time this month", "still waiting on legal"])
def test_a_difficulty_is_a_blocker_whatever_is_asked(slot, text):
    chat = _at(slot)
    chat.say(text)
    assert chat.draft.blockers == [text]
    assert chat.draft.wins == chat.draft.questions == chat.draft.wants == []


@pytest.mark.parametrize("text", ["I'm not nervous about it any more", "I worked hard and shipped the guide"])
def test_no_difficulty_is_no_blocker(text):
    chat = _at("wins")
    chat.say(text)
    assert chat.draft.blockers == []


@pytest.mark.parametrize("text", ["55%", "55 %", "about 55 percent", "we're at 55", "55", "at 55 now", "I'd say 55"])
def test_a_bare_percentage_sets_the_asked_goals_progress(text):
    chat = _at("goal:2")
    step = chat.say(text)
    assert chat.draft.report_for(2).percent == 55 and step.slot == "action:7"
    assert [(g.id, g.progress) for g in goal_changes(chat.draft, goals())] == [(2, 55)]


def test_a_count_answering_a_goal_is_no_percentage():
    chat = _at("goal:1")
    chat.say("I gave 2 talks")
    assert chat.draft.report_for(1).percent is None


# -- 3. closing words end the part without being stored -------------------------------------------
@pytest.mark.parametrize("text", ["that's all, thanks", "that's it", "nothing else", "no more", "all done",
                                  "thanks", "Thank you!", "No, that's all for now, thank you", "ok that's it then"])
def test_closing_words_at_the_last_question_store_nothing(text):
    chat = _at("wants")
    step = chat.say(text)
    assert step.kind == "confirm" and chat.draft.wants == []
    assert not chat.replies[-1].startswith("Noted")


def test_closing_words_at_the_questions_store_no_question():
    chat = _at("questions")
    chat.say("that's all, thanks")
    assert chat.draft.questions == [] and chat.step.kind == "confirm"


# -- 4. no "last meeting" before the first one ------------------------------------------------------
def _questions(ctx: PrepContext) -> str:
    chat = Chat(ctx)
    chat.script("skip", "skip")
    return " ".join(chat.replies)


def test_a_first_meeting_is_prepared_without_a_last_meeting():
    asked = _questions(PrepContext(meeting=meeting(), goals=goals(), open_actions=[], today=TODAY))
    assert "last meeting" not in asked and "How is \u201cGive three conference talks\u201d coming along?" in asked
    assert "Any wins lately, big or small?" in asked


def test_a_later_meeting_still_counts_from_the_last_one():
    assert "since your last meeting" in _questions(context())  # items carried over from meeting 3
    told = PrepContext(meeting=meeting(), goals=goals(), open_actions=[], today=TODAY, met_before=True)
    assert "since your last meeting" in _questions(told)
    assert "since the last meeting" in phrase(start_prep(told)[1].model_copy(update={"goal": None, "slot": "wins"}))


def test_the_service_says_last_meeting_only_once_there_was_one(svc):  # noqa: F811
    svc.schedule_meeting(who(svc, "alex"), "alex", at(30))
    opening, _ = prep(svc, "alex")
    assert "last meeting" not in opening and "coming along" in opening


def test_the_service_after_a_held_meeting_asks_since_the_last_one(svc):  # noqa: F811
    held_meeting_with_actions(svc)
    svc.schedule_meeting(who(svc, "alex"), "alex", at(30))
    opening, _ = prep(svc, "alex")
    assert "since your last meeting" in opening


def test_the_service_reads_bare_progress_difficulties_and_closing_words(svc):  # noqa: F811
    alex = who(svc, "alex")
    svc.schedule_meeting(alex, "alex", at(30))
    _, replies = prep(svc, "alex", "we're at 40", "Finding a slot with the team lead is hard",
                      "I get nervous with Q&A", "skip", "skip", "that's all, thanks")
    draft = replies[-1].draft
    assert draft.reports[0].percent == 40 and draft.wins == [] and draft.wants == []
    assert draft.blockers == ["Finding a slot with the team lead is hard", "I get nervous with Q&A"]
    assert replies[-1].step.kind == "confirm" and "wish" not in replies[-1].text
    saved = svc.prep_chat(alex, "yes")
    assert saved.step.kind == "save" and svc.goals(alex)[0].progress == 40
