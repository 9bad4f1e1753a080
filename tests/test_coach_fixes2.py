"""Reported coach bugs, second round, each through the flow or the service: refusals stored as
answers, "I already told you" stored as an answer, resources glued into the goal, corrections
that name a part, and hedged progress figures in the meeting prep."""
from __future__ import annotations

from datetime import date

import pytest
from meeting_fixtures import Chat, context
from meetings_support import at, prep, svc, who  # noqa: F401

from assistant.coach.flow import advance, criteria_status, specific, statement
from assistant.coach.offline import understand
from assistant.coach.recall import MISSED
from assistant.coach.templates import ASK, phrase
from assistant.coach.types import GoalDraft

TODAY = date(2026, 11, 23)
BOOKS = "Read 6 books on people management by June 2027"
AWS = ("I want to pass the AWS Solutions Architect Associate exam, scoring at least 800, by June 30, 2027. "
       "My manager pays for the exam and gives me 3 hours a week of study time.")
PAYS = "My manager pays for the exam and gives me 3 hours a week of study time."
PMP = ("Earn the PMP certification by October 2027 because I want to lead projects. "
       "My company pays for the course.")


def converse(lines, draft=None, said=None):
    draft, steps = draft or GoalDraft(), []
    earlier = {"said": said} if said else {}
    for line in lines:
        draft, step = advance(draft, understand(line, draft, draft.asked, TODAY, **earlier), TODAY)
        steps.append(step)
    return draft, steps


def asked(slot: str) -> GoalDraft:
    """A draft whose coach has just asked for `slot`."""
    opening = {"measure": ["Mentor the junior analysts in my team"],
               "deadline": ["Give 3 talks at our all-hands meeting"],
               "achievability": [BOOKS], "relevance": [BOOKS, "skip"]}[slot]
    draft, steps = converse(opening)
    assert steps[-1].slot == slot
    return draft


# -- 1. a refusal or "it can't be measured" declines the part, at any slot -------------------------
SLOTS = ["measure", "deadline", "achievability", "relevance"]
DECLINES = ["I'd rather not put a number on it", "I'd prefer not to commit to that", "I don't want to say",
            "I don't want to go into it right now", "no number", "I can't put a number on it", "hard to measure",
            "not measurable", "Honestly, it's hard to measure", "there's no number for it"]


@pytest.mark.parametrize("slot", SLOTS)
@pytest.mark.parametrize("text", DECLINES)
def test_a_refusal_declines_the_part_asked_like_skip(slot, text):
    before = asked(slot)
    draft, steps = converse([text], before)
    assert slot in draft.settled and steps[-1].slot != slot
    kept = {"settled", "asked", "tries", "stage"}
    assert draft.model_dump(exclude=kept) == before.model_dump(exclude=kept)  # nothing stored


def test_no_number_on_it_is_no_target_and_not_measurable():
    draft, steps = converse(["I'd rather not put a number on it"], asked("measure"))
    assert draft.target == "" and not criteria_status(draft)["Measurable"]
    assert phrase(steps[-1], draft).startswith("Okay, let's leave that out. By when")


@pytest.mark.parametrize("slot, text", [
    ("relevance", "I don't want to fail my team"),  # a wish not to: a reason, not a refusal
    ("relevance", "I don't want to let my team down"),
    ("achievability", "I'd rather not work weekends, but I have 3 evenings a week"),
    ("achievability", "I'd rather not work weekends"),  # a constraint is part of what makes it achievable
])
def test_the_same_openings_with_the_mentees_own_matter_are_answers(slot, text):
    draft, _ = converse([text], asked(slot))
    assert getattr(draft, slot) == text and slot not in draft.settled


@pytest.mark.parametrize("text", ["it's measurable by the number of talks", "measurable: 3 talks"])
def test_saying_it_is_measurable_is_no_refusal(text):
    draft, _ = converse([text], asked("measure"))
    assert draft.target and "measure" not in draft.settled


def test_an_answer_after_a_refusal_is_the_answer():
    draft, _ = converse(["I'd rather not put a number on it, but I'll know when my team stops asking me"],
                        asked("measure"))
    assert draft.target == "I'll know when my team stops asking me"


# -- 2. "I already told you" is looked up, never stored ---------------------------------------------
POINTERS = ["I already told you that in my first message", "as I said before", "see above",
            "I mentioned it already"]


@pytest.mark.parametrize("text", POINTERS)
def test_a_remark_that_points_back_is_not_stored(text):
    draft, steps = converse([text], asked("achievability"))
    assert draft.achievability == "" and steps[-1].slot == "achievability" and steps[-1].retry


@pytest.mark.parametrize("text", POINTERS)
def test_a_remark_that_points_back_finds_the_part_in_what_was_said(text):
    first = "Give 3 talks at our all-hands by June 2027 with the help of my manager"
    draft, _ = converse([first])
    draft, steps = converse([text], draft, said=[first])
    assert draft.achievability == "with the help of my manager" and steps[-1].slot == "relevance"


def test_a_part_kept_with_the_goals_words_is_found_there_and_taken_out():
    glued = GoalDraft(what="Give 3 talks at our all-hands by June 2027. My manager gives me 2 hours a week.",
                      target="3 talks", deadline=date(2027, 6, 30), deadline_text="by June 2027",
                      asked="achievability", tries={"achievability": 1})
    draft, steps = converse(["I already told you that in my first message"], glued)
    assert draft.achievability == "My manager gives me 2 hours a week."
    assert draft.what == "Give 3 talks at our all-hands by June 2027." and steps[-1].slot == "relevance"


def test_the_service_says_sorry_when_it_cannot_find_the_part(svc):  # noqa: F811
    alex = who(svc, "alex")
    svc.chat(alex, PMP.split(" because")[0])
    reply = svc.chat(alex, "I already told you that in my first message")
    assert reply.text == f"{MISSED} {ASK['achievability']}" and reply.draft.achievability == ""
    assert MISSED == "Sorry, I missed it \u2014 could you say it once more?"


def test_the_service_finds_the_part_in_an_earlier_message_of_this_goal_only(svc):  # noqa: F811
    alex = who(svc, "alex")
    svc.chat(alex, "Give 3 talks at our all-hands by June 2027 with the help of my manager")
    reply = svc.chat(alex, "as I said before")
    assert reply.draft.achievability == "with the help of my manager" and reply.step.slot == "relevance"
    svc.chat(alex, "for my promotion")
    assert svc.chat(alex, "yes").step.kind == "saved"
    svc.chat(alex, "Read 6 books on people management by June 2027")  # the next goal
    reply = svc.chat(alex, "see above")
    assert reply.draft.achievability == "" and reply.text.startswith(MISSED)  # not the last goal's help


# -- 3. resources told with the goal are what makes it achievable -----------------------------------
def test_resources_in_the_first_message_fill_achievable_not_the_goal():
    draft, steps = converse([AWS])
    assert draft.what == ("I want to pass the AWS Solutions Architect Associate exam, scoring at least 800, "
                          "by June 30, 2027.")
    assert draft.achievability == PAYS and steps[-1].slot == "relevance"
    assert specific(draft) == "Pass the AWS Solutions Architect Associate exam, scoring at least 800"


@pytest.mark.parametrize("goal", [
    AWS,  # its own sentence
    AWS.replace("2027. My", "2027\nMy"),  # on a line of its own, without a full stop
    ("Earn the AWS Solutions Architect Associate certification by June 30, 2027, scoring at least 800 on the exam\n"
     "My manager pays for the exam and gives me 3 hours a week of study time."),
])
def test_resources_told_while_the_goal_is_asked_for_fill_achievable(goal):
    draft, steps = converse(["I want to grow my cloud skills", goal])
    assert steps[0].slot == "what" and steps[-1].kind == "propose"
    assert draft.achievability == PAYS and "manager" not in draft.what
    for text in (specific(draft), statement(draft), phrase(steps[-1], draft)):
        assert " ," not in text and ", ." not in text and ",." not in text
    assert "scoring at least 800" in specific(draft) and "June" not in specific(draft)


def test_help_named_inside_the_goals_sentence_stays_in_the_goal():
    draft, _ = converse(["I want to improve my leadership skills",
                         "Lead our sprint planning with the help of my team lead"])
    assert draft.what == "Lead our sprint planning with the help of my team lead" and draft.achievability == ""


def test_a_deadline_taken_out_of_the_goals_words_leaves_no_stray_comma():
    draft, _ = converse(["Earn the AWS certification by June 30, 2027, scoring at least 800 on the exam"])
    assert specific(draft) == "Earn the AWS certification, scoring at least 800 on the exam"


# -- 4. a correction that names the part changes that part ----------------------------------------
@pytest.mark.parametrize("text, slot, value", [
    ("Change achievable to: my manager pays for the exam", "achievability", "my manager pays for the exam"),
    ("change the achievability to my manager pays for the exam", "achievability", "my manager pays for the exam"),
    ("set support to: 2 hours a week", "achievability", "2 hours a week"),
    ("update the resources part to 2 hours a week", "achievability", "2 hours a week"),
    ("change relevant to: I want to lead projects", "relevance", "I want to lead projects"),
    ("change the relevance to I want to lead projects", "relevance", "I want to lead projects"),
    ("change why to: I want to lead projects", "relevance", "I want to lead projects"),
    ("change the reason to: I want to lead projects", "relevance", "I want to lead projects"),
    ("change the target to: a score of 80%", "target", "a score of 80%"),
    ("change measurable to: a score of 80%", "target", "a score of 80%"),
])
def test_a_correction_naming_the_part_changes_that_part(text, slot, value):
    draft, _ = converse([PMP])
    draft, steps = converse([text], draft)
    assert getattr(draft, slot) == value and draft.what == "Earn the PMP certification by October 2027"
    assert steps[-1].kind == "propose"


def test_a_corrected_deadline_drops_the_colon():
    draft, _ = converse([PMP, "change the deadline to: May 2027"])
    assert draft.deadline == date(2027, 5, 31) and draft.deadline_text == "May 2027"


@pytest.mark.parametrize("text", ["The goal should be: Earn the PMP certification with a score of 80% or more",
                                  "change the goal to: Earn the PMP certification with a score of 80% or more"])
def test_a_new_statement_of_the_goal_replaces_it(text):
    draft, steps = converse([PMP, text])
    assert draft.what == "Earn the PMP certification with a score of 80% or more"
    assert draft.target == "80% or more" and draft.achievability == "My company pays for the course."
    assert statement(draft) == "Earn the PMP certification with a score of 80% or more by October 31, 2027."


@pytest.mark.parametrize("text", ["What makes it achievable: my company pays for the exam",
                                  "what makes this achievable is my company pays for the exam"])
def test_what_makes_it_achievable_is_no_part_of_the_answer(text):
    draft, _ = converse([text], asked("achievability"))
    assert draft.achievability == "my company pays for the exam"
    draft, _ = converse([PMP, text])  # also when the goal is proposed
    assert draft.achievability == "my company pays for the exam"


# -- 5. prep: a hedged figure is the progress, and only the words besides it are a note -------------
def _goal_2() -> Chat:
    chat = Chat(context())
    chat.say("skip")
    assert chat.draft.asked == "goal:2"
    return chat


@pytest.mark.parametrize("text", ["about the same, maybe 15", "maybe 15", "around 15", "15 or so",
                                  "about 15 percent", "15%", "hmm, 15 I guess", "not much, 15% or so"])
def test_a_hedged_figure_sets_the_progress_and_leaves_no_note(text):
    chat = _goal_2()
    step = chat.say(text)
    report = chat.draft.report_for(2)
    assert report.percent == 15 and report.note == "" and step.slot == "action:7"


def test_words_besides_the_figure_are_the_note():
    chat = _goal_2()
    chat.say("roughly 15, the grammar took longer than planned")
    report = chat.draft.report_for(2)
    assert report.percent == 15 and report.note == "the grammar took longer than planned"


def test_a_figure_with_a_difficulty_is_a_blocker_without_the_figure():
    chat = _goal_2()
    chat.say("maybe 15, I'm struggling with the grammar")
    assert chat.draft.report_for(2).percent == 15 and chat.draft.blockers == ["I'm struggling with the grammar"]


def test_the_service_saves_a_hedged_figure_and_the_agenda_does_not_repeat_it(svc):  # noqa: F811
    alex = who(svc, "alex")
    svc.schedule_meeting(alex, "alex", at(30))
    _, replies = prep(svc, "alex", "about the same, maybe 15", "skip", "skip", "skip", "skip")
    assert replies[0].draft.reports[0].percent == 15
    agenda = replies[-1].step.agenda
    assert replies[-1].step.kind == "confirm"
    (item,) = [i for i in agenda.items if i.kind == "goal"]
    assert "(10% \u2192 15%)" in item.topic and item.details == []
    assert svc.prep_chat(alex, "yes").step.kind == "save" and svc.goals(alex)[0].progress == 15


def test_the_agenda_shows_a_bare_percentage_once(svc):  # noqa: F811
    alex = who(svc, "alex")
    svc.schedule_meeting(alex, "alex", at(30))
    _, replies = prep(svc, "alex", "40%", "done")
    (item,) = [i for i in replies[-1].step.agenda.items if i.kind == "goal"]
    assert "(10% \u2192 40%)" in item.topic and item.details == []
