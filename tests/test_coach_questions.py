"""What a mentee says that is not the answer asked for: a question, a refusal, a lead-in,
news volunteered early, or a deadline with no goal in it."""
from datetime import date

import pytest

from assistant.clock import long_date
from assistant.coach.flow import advance, statement
from assistant.coach.offline import understand
from assistant.coach.templates import ASK, phrase
from assistant.coach.types import GoalDraft
from assistant.config import Settings
from assistant.deps import build_deps
from assistant.service import SYSTEM, Service

TODAY = date(2026, 11, 23)
GOAL = "Read 6 books on people management by June 2027"
AWS = ("I want to earn the AWS Solutions Architect Associate certification with a score of 800 or higher by "
       "June 30, 2027 because our team is moving to the cloud and I have 4 hours a week of study time approved "
       "by my manager")


def converse(lines, draft=None):
    draft, steps = draft or GoalDraft(), []
    for line in lines:
        draft, step = advance(draft, understand(line, draft, draft.asked, TODAY), TODAY)
        steps.append(step)
    return draft, steps


def at(slot):
    """A draft whose coach has just asked for `slot` (achievability or relevance)."""
    draft, steps = converse([GOAL] + (["skip"] if slot == "relevance" else []))
    assert steps[-1].slot == slot
    return draft


# -- 1. a question while achievability or relevance is asked ------------------------------------
@pytest.mark.parametrize("slot", ["achievability", "relevance"])
@pytest.mark.parametrize("question", ["how often should we meet?", "what's the weather like in Paris tomorrow?",
                                      "how often should we meet", "Is 4 hours a week enough?",
                                      "the weather in Paris tomorrow?", "As I said, how often should we meet?"])
def test_a_question_is_answered_and_the_part_asked_again(slot, question):
    draft, steps = converse([question], at(slot))
    assert steps[-1].kind == "answer" and steps[-1].slot == slot and steps[-1].question
    assert getattr(draft, slot) == "" and draft.asked == slot and slot not in draft.settled
    assert phrase(steps[-1], draft).endswith(ASK[slot])


@pytest.mark.parametrize("slot, text, stored", [
    ("relevance", "Why? Because my team needs it", "Because my team needs it"),
    ("relevance", "Why does it matter? Because my team needs it", "Because my team needs it"),
    ("relevance", "for my promotion?", "for my promotion?"),
    ("achievability", "I'm not sure, maybe 3 hours a week?", "I'm not sure, maybe 3 hours a week?"),
    ("achievability", "3 hours a week?", "3 hours a week?"),
    ("achievability", "I have 4 hours a week. Is that enough?", "I have 4 hours a week."),
    ("achievability", "What I need is an hour a week", "What I need is an hour a week"),
])
def test_an_answer_with_a_question_mark_or_a_question_word_is_still_an_answer(slot, text, stored):
    draft, steps = converse([text], at(slot))
    assert steps[-1].kind in ("ask", "propose") and getattr(draft, slot) == stored


# -- 2. refusals and lead-ins ------------------------------------------------------------------
@pytest.mark.parametrize("decline", ["I'd rather not say", "I don't want to say", "prefer not to say", "pass",
                                     "none of your business", "I'm not comfortable sharing that"])
def test_a_refusal_declines_the_part_like_skip(decline):
    draft, steps = converse([GOAL, decline, decline])
    assert [s.slot for s in steps] == ["achievability", "relevance", None]
    assert draft.achievability == "" and draft.relevance == "" and steps[-1].kind == "propose"
    assert "Okay, let's leave that out." in phrase(steps[-1], draft)


def test_a_wish_not_to_fail_is_no_refusal():
    draft, _ = converse(["I don't want to fail my new team"], at("relevance"))
    assert draft.relevance == "I don't want to fail my new team"


@pytest.mark.parametrize("slot, text, stored", [
    ("achievability", "the achievable part should be: 4 hours a week with my manager", "4 hours a week with my manager"),
    ("achievability", "as I said, 4 hours a week with my manager", "4 hours a week with my manager"),
    ("achievability", "like I said, 4 hours a week", "4 hours a week"),
    ("achievability", "it's achievable because I have 4 hours a week", "I have 4 hours a week"),
    ("achievability", "achievable: 4 hours a week", "4 hours a week"),
    ("relevance", "relevant: I want to lead the team", "I want to lead the team"),
    ("relevance", "the relevant part is: I want to lead the team", "I want to lead the team"),
    ("relevance", "as I said, it's for my new team lead role", "it's for my new team lead role"),
])
def test_a_lead_in_is_not_stored_with_the_answer(slot, text, stored):
    draft, _ = converse([text], at(slot))
    assert getattr(draft, slot) == stored


def test_a_part_named_by_the_mentee_fills_that_part():
    draft, steps = converse(["relevant: I want to lead the team"], at("achievability"))
    assert draft.relevance == "I want to lead the team" and draft.achievability == ""
    assert steps[-1].slot == "achievability"


# -- 3. everything volunteered up front --------------------------------------------------------
def test_reason_and_resources_given_up_front_are_split_and_not_asked_again():
    draft, steps = converse([AWS])
    assert steps[-1].kind == "propose"
    assert draft.relevance == "because our team is moving to the cloud"
    assert draft.achievability == "I have 4 hours a week of study time approved by my manager"
    assert draft.target == "800 or higher" and draft.deadline == date(2027, 6, 30)
    reply = phrase(steps[-1], draft)
    assert ("- **Specific:** Earn the AWS Solutions Architect Associate certification with a score of 800 or "
            "higher\n") in reply
    assert statement(draft) == ("Earn the AWS Solutions Architect Associate certification with a score of 800 "
                                "or higher by June 30, 2027.")


@pytest.mark.parametrize("text, support, reason", [
    ("Earn the AWS Solutions Architect certification by June 30, 2027 because our team is moving to the cloud, "
     "and my manager supports it with a training budget", "my manager supports it with a training budget",
     "because our team is moving to the cloud"),
    ("I need to pass the CKA exam by March 2027 so that I can run our clusters and I have time set aside each "
     "Friday", "I have time set aside each Friday", "so that I can run our clusters"),
    ("Give 3 talks at our all-hands by June 2027, and I have 2 hours a week set aside because I want to lead "
     "the team", "I have 2 hours a week set aside", "because I want to lead the team"),
])
def test_a_resources_clause_joined_with_and_is_what_makes_it_achievable(text, support, reason):
    draft, steps = converse([text])
    assert draft.achievability == support and draft.relevance == reason and steps[-1].kind == "propose"


def test_an_and_clause_without_resources_stays_part_of_the_reason():
    draft, steps = converse(["Give 3 talks at our all-hands by June 2027 because I want to grow and I have "
                             "always loved speaking"])
    assert draft.relevance == "because I want to grow and I have always loved speaking"
    assert draft.achievability == "" and steps[-1].slot == "achievability"


# -- 4. a deadline with no goal in it ----------------------------------------------------------
@pytest.mark.parametrize("text, deadline", [
    ("By the end of February I need to have this done", date(2027, 2, 28)),
    ("I need this done by the end of February", date(2027, 2, 28)),
    ("I have to finish it by March 2027", date(2027, 3, 31)),
])
def test_a_deadline_alone_is_noted_and_the_goal_asked_for(text, deadline):
    draft, steps = converse([text])
    assert draft.what == "" and draft.deadline == deadline and steps[-1].slot == "what"
    assert phrase(steps[-1], draft).startswith(f"Got it: the deadline is {long_date(deadline)}. What exactly would you")
    draft, steps = converse(["Give 3 talks at our all-hands meeting"], draft)
    assert steps[-1].slot == "achievability"  # the deadline is not asked again


def test_a_goal_stated_with_its_own_deadline_after_a_deadline_alone_is_stated_with_one_date():
    draft, steps = converse(["By the end of February I need to have this done", AWS])
    assert steps[-1].kind == "propose" and draft.deadline == date(2027, 6, 30)
    assert statement(draft).count(" by ") == 1


# -- through the service: the guidelines answer, the pending question comes back ----------------
@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    home = tmp_path_factory.mktemp("coach-questions")
    service = Service(build_deps(Settings(home=home, llm="offline"), today=lambda: TODAY))
    service.add_user(SYSTEM, "alex", "mentee")
    return service


def test_the_service_answers_a_question_asked_instead_of_a_part(svc):
    alex = svc.user("alex")
    assert svc.chat(alex, GOAL).step.slot == "achievability"
    reply = svc.chat(alex, "how often should we meet?")
    assert reply.step.kind == "answer" and reply.citations and reply.citations[0].source == "04-meetings.md"
    assert reply.text.endswith(ASK["achievability"]) and reply.draft.achievability == ""
    svc.chat(alex, "I'd rather not say")
    reply = svc.chat(alex, "what's the weather like in Paris tomorrow?")
    assert "don't cover" in reply.text and reply.text.endswith(ASK["relevance"])
    assert reply.draft.relevance == "" and reply.draft.achievability == ""
    assert svc.goal_conversation(alex).state["asked"] == "relevance"


def test_leave_it_as_it_is_keeps_the_wording_and_does_not_quit():
    from assistant.coach.offline import QUIT, KEEP
    assert KEEP.match("leave it as it is") and not QUIT.match("leave it as it is")
    assert QUIT.match("leave") and QUIT.match("leave now, I'll come back")
