"""The goal-drafting state machine with the offline rules, no I/O."""
from datetime import date

import pytest

from assistant.coach.flow import advance, criteria_status, missing, statement, to_goal
from assistant.coach.offline import understand
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


def test_vague_answers_accepted_after_two_tries():
    draft, steps = converse(["be more strategic", "be more strategic really", "just more strategic"])
    assert steps[0].slot == "what" and steps[1].slot == "what"
    assert steps[-1].slot != "what"  # it stops insisting and moves on
    assert "what" not in missing(draft)


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
