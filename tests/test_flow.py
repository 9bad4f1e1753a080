"""The goal-drafting state machine with the offline rules, no I/O."""
from datetime import date

import pytest

from assistant.coach.flow import advance, criteria_status, missing, statement, to_goal
from assistant.coach.offline import understand
from assistant.coach.templates import phrase
from assistant.coach.types import GoalDraft

TODAY = date(2026, 11, 23)


def converse(lines, draft=None):
    """Run mentee lines through understand+advance; return the draft and the steps."""
    draft = draft or GoalDraft()
    steps = []
    for line in lines:
        update = understand(line, draft, draft.asked, TODAY)
        draft, step = advance(draft, update, TODAY)
        steps.append(step)
    return draft, steps


def test_one_slot_at_a_time_in_order():
    draft, steps = converse(["I want to get better at public speaking"])
    assert steps[-1].kind == "ask" and steps[-1].slot == "what"
    draft, steps = converse(["Give 3 talks at our team all-hands meeting"], draft)
    assert steps[-1].slot == "deadline"  # the measure (3 talks) came with it
    draft, steps = converse(["by the end of March 2027"], draft)
    assert draft.deadline == date(2027, 3, 31) and steps[-1].slot == "achievability"
    draft, steps = converse(["My manager gives me an hour a week to prepare"], draft)
    assert steps[-1].slot == "relevance"
    draft, steps = converse(["I want to lead the team one day and need to be heard"], draft)
    assert steps[-1].kind == "propose" and draft.stage == "confirming"
    draft, steps = converse(["yes, save it"], draft)
    assert steps[-1].kind == "saved" and draft.stage == "saved"
    goal = to_goal(draft, "alex")
    assert goal.deadline == date(2027, 3, 31) and "3 talks" in goal.statement.lower()


def test_everything_volunteered_at_once_goes_straight_to_proposal():
    text = ("Present our team's quarterly results to the leadership group at least twice before the end of "
            "June 2027 because I want to be considered for the team lead role. My manager agreed to coach me.")
    draft, steps = converse([text])
    assert steps[-1].kind == "propose", (steps, draft)
    assert draft.deadline == date(2027, 6, 30)
    assert draft.relevance and draft.achievability


def test_never_asks_for_what_it_already_has():
    # Deadline and reason come first, before the goal itself is clear.
    draft, steps = converse(["I'd like to do this by May 2027 because it matters for my promotion"])
    asked = [s.slot for s in steps]
    draft, steps2 = converse(["Complete the AWS Solutions Architect certification",
                              "I have a training budget and 3 hours a week"], draft)
    asked += [s.slot for s in steps2]
    assert "deadline" not in asked and "relevance" not in asked
    assert steps2[-1].kind == "propose"


def test_edit_deadline_while_confirming():
    draft, _ = converse(["Earn the PMP certification by October 2027 because I want to lead projects. "
                         "My company pays for the course."])
    assert draft.stage == "confirming"
    draft, steps = converse(["change the deadline to May 2027"], draft)
    assert draft.deadline == date(2027, 5, 31)
    assert steps[-1].kind == "propose" and "deadline" in steps[-1].filled
    assert "May 31, 2027" in statement(draft) or "May 2027" in statement(draft)


def test_past_deadline_is_refused_and_asked_again():
    draft, _ = converse(["Read 6 books on people management"])
    draft, steps = converse(["by March 2025"], draft)
    assert draft.deadline is None
    assert steps[-1].problem == "deadline_past" and steps[-1].slot == "deadline"


def test_start_over_and_quit():
    draft, _ = converse(["Read 6 books on people management by the end of 2027"])
    assert draft.what
    draft, steps = converse(["let's start over"], draft)
    assert steps[-1].kind == "restarted" and draft.what == "" and draft.deadline is None
    draft, steps = converse(["quit"], draft)
    assert steps[-1].kind == "left" and draft.stage == "left"


def test_question_is_answered_without_losing_the_pending_slot():
    draft, _ = converse(["Shadow the sales team on 4 client calls"])
    draft, steps = converse(["How often should we meet?"], draft)
    assert steps[-1].kind == "answer" and steps[-1].slot == "deadline"
    assert steps[-1].question == "How often should we meet?"


def test_a_vague_wish_is_asked_about_once_then_accepted_as_restated():
    draft, steps = converse(["be more strategic", "be more strategic really"])
    assert [s.slot for s in steps] == ["what", "measure"]  # it doesn't insist a second time
    assert draft.what == "be more strategic really" and "what" not in missing(draft)


def test_resume_from_serialised_draft():
    draft, _ = converse(["Run 3 brown-bag sessions on accessibility for the front-end team"])
    restored = GoalDraft.model_validate_json(draft.model_dump_json())
    draft2, steps = converse(["within 8 weeks"], restored)
    assert draft2.deadline == date(2027, 1, 18) and steps[-1].slot == "achievability"


def test_criteria_status_tracks_the_draft():
    draft, _ = converse(["Give 2 talks at the engineering guild by April 2027"])
    status = criteria_status(draft)
    assert status["Specific"] and status["Measurable"] and status["Time-bound"]
    assert not status["Achievable"] and not status["Relevant"]


def test_incomplete_draft_cannot_become_a_goal():
    with pytest.raises(ValueError):
        to_goal(GoalDraft(what="Give 2 talks"), "alex")


def test_a_weekday_in_a_later_answer_does_not_move_the_deadline():
    draft, _ = converse(["Give 2 talks at the engineering guild by April 2027"])
    draft, steps = converse(["My lead said I can use Friday afternoons to prepare"], draft)
    assert draft.deadline == date(2027, 4, 30)
    assert draft.achievability and steps[-1].slot == "relevance"


# -- asked once, never twice -------------------------------------------------------------------
@pytest.mark.parametrize("insist", ["keep it as it is", "that's fine as is", "no, that's it"])
def test_a_mentee_who_insists_on_their_wording_has_it_kept(insist):
    draft, steps = converse(["I want to get better at public speaking", insist])
    assert draft.what == "I want to get better at public speaking" and "what" in draft.settled
    assert steps[-1].kind == "ask" and steps[-1].slot == "measure"
    reply = phrase(steps[-1], draft)
    assert reply.startswith("Okay, we'll keep your wording.") and "isn't specific" not in reply


def test_after_a_kept_wish_each_missing_part_is_still_asked_once():
    draft, steps = converse(["I want to get better at public speaking", "keep it as it is", "3 talks",
                             "by March 2027", "My manager gives me an hour a week", "I want to lead the team"])
    assert [s.slot for s in steps[:-1]] == ["what", "measure", "deadline", "achievability", "relevance"]
    assert steps[-1].kind == "propose"
    assert draft.what == "I want to get better at public speaking" and draft.target == "3 talks"
    assert statement(draft) == "Get better at public speaking (3 talks) by March 31, 2027."


def test_a_bare_target_answering_what_exactly_keeps_the_wish():
    draft, steps = converse(["I want to get better at public speaking", "maybe 3 talks"])
    assert draft.what == "I want to get better at public speaking" and draft.target == "3 talks"
    assert steps[-1].slot == "deadline" and criteria_status(draft)["Specific"]


def test_a_qualifier_narrows_the_wish_instead_of_replacing_it():
    draft, steps = converse(["I want to improve my leadership skills", "in our weekly planning meetings"])
    assert draft.what == "I want to improve my leadership skills in our weekly planning meetings"
    assert steps[-1].slot == "measure"


@pytest.mark.parametrize("decline", ["skip", "I don't know", "no", "nothing really"])
def test_declined_parts_are_not_asked_again_and_show_as_open(decline):
    draft, steps = converse(["Read 6 books on people management by June 2027", decline, decline])
    assert [s.slot for s in steps] == ["achievability", "relevance", None]
    assert steps[-1].kind == "propose" and draft.achievability == "" and draft.relevance == ""
    reply = phrase(steps[-1], draft)
    assert "Okay, let's leave that out." in reply and "**Achievable:** (not given)" in reply
    status = criteria_status(draft)
    assert not status["Achievable"] and not status["Relevant"]
    draft, steps = converse(["yes"], draft)
    goal = to_goal(draft, "alex")
    assert goal.achievability == "" and goal.deadline == date(2027, 6, 30)


def test_a_put_off_deadline_comes_back_last_because_a_goal_needs_one():
    draft, steps = converse(["Read 6 books on people management", "skip", "My lead lends me the books",
                             "for my new team lead role"])
    assert [s.slot for s in steps] == ["deadline", "achievability", "relevance", "deadline"]
    assert phrase(steps[1], draft).startswith("Okay, we'll come back to the date at the end. What makes")
    assert "I need an end date" in phrase(steps[-1], draft)
    draft, steps = converse(["March"], draft)  # a bare month answers "by when?"
    assert draft.deadline == date(2027, 3, 31) and steps[-1].kind == "propose"


def test_an_unreadable_answer_gets_one_clarifying_retry_then_moves_on():
    draft, steps = converse(["Read 6 books on people management by June 2027", "yes", "yes"])
    assert [s.slot for s in steps] == ["achievability", "achievability", "relevance"]
    assert steps[1].retry and "Or say \"skip\"" in phrase(steps[1], draft)
    assert draft.achievability == ""  # "yes" is not what makes it achievable


def test_other_news_first_is_no_failed_answer():
    draft, _ = converse(["Give 3 talks at our all-hands meeting"])
    draft, steps = converse(["My manager gives me an hour a week"], draft)
    assert steps[-1].slot == "deadline" and not steps[-1].retry
    assert phrase(steps[-1], draft).startswith("Got it: I've noted what makes it achievable. By when")


def test_a_date_with_no_goal_in_it_is_not_taken_for_the_wish():
    draft, steps = converse(["I'd like to do this by May 2027 because it matters for my promotion"])
    assert draft.what == "" and draft.deadline == date(2027, 5, 31)
    assert phrase(steps[-1], draft).startswith("Got it: I've noted why it matters, and the deadline is May 31, 2027. "
                                               "What exactly")


# -- corrections ---------------------------------------------------------------------------------
def test_actually_make_it_march_moves_the_deadline():
    draft, _ = converse(["Give 3 talks at our all-hands meeting"])
    draft, steps = converse(["actually make it March"], draft)
    assert draft.deadline == date(2027, 3, 31) and steps[-1].slot == "achievability"


def test_a_corrected_target_updates_the_goals_own_words():
    draft, _ = converse(["Give 3 talks at our all-hands meeting by June 2027"])
    draft, _ = converse(["actually make it 4 talks"], draft)
    assert draft.target == "4 talks" and draft.what == "Give 4 talks at our all-hands meeting by June 2027"
    draft, _ = converse(["make it 5"], draft)  # a bare number keeps the unit
    assert draft.target == "5 talks" and "Give 5 talks" in statement(draft)


def test_a_changed_deadline_is_not_stated_twice():
    draft, _ = converse(["Earn the PMP certification by October 2027 because I want to lead projects. "
                         "My company pays for the course."])
    draft, _ = converse(["change the deadline to May 2027"], draft)
    assert statement(draft) == "Earn the PMP certification by May 31, 2027."


def test_answers_to_achievability_or_relevance_change_nothing_else():
    draft, _ = converse(["be more strategic", "keep it", "skip", "by June 2027"])
    draft, _ = converse(["My manager will review my 2 plans each week with me"], draft)
    assert draft.what == "be more strategic" and draft.target == ""
    assert draft.achievability == "My manager will review my 2 plans each week with me"


def test_a_time_without_a_day_is_asked_about_by_its_own_words():
    draft, _ = converse(["Read 6 books on people management"])
    draft, steps = converse(["next summer"], draft)
    assert draft.deadline is None and steps[-1].retry
    assert phrase(steps[-1], draft).startswith("When you say \"next summer\", which date do you mean?")
    draft, steps = converse(["end of June 2027"], draft)
    assert draft.deadline == date(2027, 6, 30) and steps[-1].slot == "achievability"


def test_a_condition_answering_how_will_you_know_is_the_target_not_a_new_goal():
    draft, steps = converse(["I want to improve my leadership skills", "keep it", "when my team says so"])
    assert draft.what == "I want to improve my leadership skills" and draft.target == "when my team says so"
    assert steps[-1].slot == "deadline"


def test_recurring_time_while_the_deadline_is_asked_is_support_not_a_deadline():
    draft, _ = converse(["I'd like to present at three of our all-hands meetings"])
    draft, steps = converse(["my lead said I can use Friday afternoons to prep"], draft)
    assert draft.deadline is None and "Friday afternoons" in draft.achievability
    assert steps[-1].slot == "deadline"  # still the date it was asking for


def test_an_ambition_told_out_of_turn_is_the_reason_and_a_go_ahead_fills_nothing():
    draft, _ = converse(["I'd like to present at three of our all-hands meetings"])
    draft, _ = converse(["I'm aiming for a team lead role next year"], draft)
    assert "team lead role" in draft.relevance and draft.deadline is None
    before = draft.model_copy(deep=True)
    draft, steps = converse(["go for it"], draft)
    assert draft.relevance == before.relevance and draft.achievability == before.achievability


def test_the_end_of_a_season_is_asked_about_by_its_own_words():
    draft, _ = converse(["Read 6 books on people management"])
    draft, steps = converse(["before the spring is out"], draft)
    assert draft.deadline is None and steps[-1].retry
    assert phrase(steps[-1], draft).startswith("When you say \"before the spring\", which date do you mean?")
