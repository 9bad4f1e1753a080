"""Reported coach bugs, third round (a user walk-through), each through the flow or the service:
deadline corrections ignored or filed as answers, a goal sentence that soaked up the rest of the
first message, help asked for after it was told, a deadline acknowledged without its date, an
emoji offered "keep it", and "what exactly?" tacked onto an answer after a save."""
from __future__ import annotations

from datetime import date

import pytest
from meetings_support import svc, who  # noqa: F401
from test_coach_fixes2 import converse

from assistant.coach.flow import advance, statement
from assistant.coach.offline import understand
from assistant.coach.templates import ASK, RETRY, phrase
from assistant.coach.types import GoalDraft

TODAY = date(2026, 11, 23)
MEETUP = "I want to give 3 talks at our team's monthly tech meetup, by the end of April 2027."
SLOT = "My manager already offered me a slot."
MARIA = "My mentor Maria said she'd review my slides and I can use Friday afternoons"
STAGE = "I'm terrified of it right now, last time I froze in a team demo"
TALKS = "Give 3 talks at our team's monthly tech meetup by the end of April 2027"


def proposed() -> GoalDraft:
    """The walk-through's goal, proposed with its target corrected to 4 talks."""
    draft, steps = converse(["hi", f"{MEETUP} {SLOT}", "actually make it 4 talks", "for my promotion"])
    assert steps[-1].kind == "propose" and draft.deadline == date(2027, 4, 30)
    return draft


def asked_achievable() -> GoalDraft:
    draft, steps = converse([TALKS])
    assert steps[-1].slot == "achievability"
    return draft


# -- 1. a deadline corrected in so many words changes the deadline ----------------------------------
@pytest.mark.parametrize("text", ["no, the deadline is end of May", "the deadline is end of May",
                                  "actually the deadline is May 31, 2027", "change the deadline to end of May",
                                  "no, end of May"])
def test_a_deadline_stated_anew_under_the_proposal_changes_it(text):
    draft, steps = converse([text], proposed())
    assert draft.deadline == date(2027, 5, 31) and steps[-1].kind == "propose"
    assert statement(draft) == "Give 4 talks at our team's monthly tech meetup by May 31, 2027."
    assert phrase(steps[-1], draft).startswith("Got it: the deadline is May 31, 2027. Here's your SMART goal")


@pytest.mark.parametrize("text, part, value", [
    ("no, the deadline is end of May", "deadline", date(2027, 5, 31)),
    ("the deadline is May 31, 2027", "deadline", date(2027, 5, 31)),
    ("no, the target is 4 talks", "target", "4 talks"),
    ("actually make it 4 talks", "target", "4 talks"),
])
def test_a_correction_of_another_part_changes_it_and_the_question_is_asked_again(text, part, value):
    draft, steps = converse([text], asked_achievable())
    assert getattr(draft, part) == value and draft.achievability == ""
    assert steps[-1].kind == "ask" and steps[-1].slot == "achievability" and not steps[-1].retry
    assert phrase(steps[-1], draft).endswith(ASK["achievability"])


def test_an_instruction_about_the_goal_sentence_is_never_an_answer():
    text = "and drop the bit about my manager from the goal sentence, that's not part of the goal"
    draft, steps = converse([text], asked_achievable())
    assert draft.achievability == "" and draft.what == TALKS  # nothing about a manager to drop
    assert steps[-1].kind == "ask_change" and steps[-1].slot == "achievability"
    reply = phrase(steps[-1], draft)
    assert '"change the goal to: …"' in reply and reply.endswith(ASK["achievability"])
    draft, steps = converse(["please reword the goal sentence a bit"], proposed())  # under the proposal too
    assert steps[-1].kind == "ask_change" and '"change the goal to: …"' in phrase(steps[-1], draft)


def test_the_bit_named_is_taken_out_of_the_goal_sentence():
    glued = GoalDraft(what=f"{TALKS}. {SLOT}", target="3 talks", deadline=date(2027, 4, 30),
                      deadline_text="by the end of April 2027", asked="achievability", tries={"achievability": 1})
    draft, steps = converse(["drop the bit about my manager from the goal sentence, that's not part of the goal"],
                            glued)
    assert draft.what == f"{TALKS}." and draft.achievability == SLOT and steps[-1].slot == "relevance"


# -- 2. the goal sentence holds the goal: what, how many, by when -----------------------------------
@pytest.mark.parametrize("before", [[], ["hi"], ["I want to speak more"]])
def test_the_goal_sentence_keeps_out_the_help_told_with_it(before):
    draft, steps = converse([*before, f"{MEETUP} {SLOT}"])
    assert draft.what == MEETUP and draft.achievability == SLOT and steps[-1].slot == "relevance"


def test_the_goal_sentence_keeps_out_where_the_mentee_stands():
    draft, _ = converse([f"Present at a conference, maybe two talks. {STAGE}"])
    assert draft.what == "Present at a conference, maybe two talks." and draft.baseline == STAGE
    assert draft.target == "two talks"


def test_a_changed_deadline_goes_with_the_goals_own_sentence():
    draft, _ = converse(["hi", f"{MEETUP} {SLOT}", "actually make it 4 talks", "for my promotion",
                         "change the deadline to end of May"])
    assert statement(draft) == "Give 4 talks at our team's monthly tech meetup by May 31, 2027."
    kept = GoalDraft(what=f"Give 4 talks at our meetup. {SLOT}", target="4 talks", deadline=date(2027, 5, 31),
                     deadline_text="end of May")  # a draft saved before the fix
    assert statement(kept) == f"Give 4 talks at our meetup by May 31, 2027. {SLOT}"


# -- 3. what was told is not asked for ----------------------------------------------------------------
@pytest.mark.parametrize("help_told", [SLOT, MARIA, "I can use Friday afternoons."])
@pytest.mark.parametrize("before", [[], ["hi"]])
def test_help_told_in_the_first_message_is_not_asked_for(before, help_told):
    draft, steps = converse([*before, f"{TALKS}. {help_told}"])
    assert draft.achievability == help_told and steps[-1].slot == "relevance"
    assert draft.what == f"{TALKS}."


def test_help_told_while_the_reason_is_asked_fills_achievable():
    draft, steps = converse(["Read 6 books on people management by June 2027", "skip",
                             f"For my promotion. {SLOT}"])
    assert draft.relevance == "For my promotion." and draft.achievability == SLOT
    assert steps[-1].kind == "propose"


def test_an_answer_repeating_the_help_noted_is_not_the_reason():
    draft, _ = converse([TALKS, MARIA])
    draft, steps = converse(["Maria reviews my slides, and Friday afternoons"], draft)
    assert draft.relevance == "" and draft.achievability == MARIA and steps[-1].slot == "relevance"


def test_after_a_recalled_part_the_next_question_is_asked_and_a_repeat_is_not_its_answer(svc):  # noqa: F811
    alex = who(svc, "alex")
    svc.chat(alex, "Give 3 talks at our meetup by April 2027 with the help of my mentor Maria reviewing my slides")
    reply = svc.chat(alex, "I told you already")
    assert reply.draft.achievability == "with the help of my mentor Maria reviewing my slides"
    assert reply.step.slot == "relevance" and "my mentor Maria reviewing my slides" in reply.text
    assert reply.text.endswith(ASK["relevance"])
    reply = svc.chat(alex, "Maria reviews my slides")
    assert reply.draft.relevance == "" and reply.step.slot == "relevance"
    assert reply.text == f"I have that already as what makes it achievable. {RETRY['relevance']}"


# -- 4. a deadline is acknowledged with the date understood ------------------------------------------
def test_the_deadline_is_acknowledged_with_its_date():
    draft, steps = converse(["Give 3 talks at our all-hands", "by 12 December 2027"])
    assert phrase(steps[-1], draft).startswith("Got it: the deadline is December 12, 2027. What makes")
    draft, steps = converse(["Give 3 talks at our all-hands by June 2027"])
    assert phrase(steps[-1], draft).startswith(
        "Got it: I've noted the goal and the target, and the deadline is June 30, 2027. What makes")


# -- 5. an emoji is no wording to keep -----------------------------------------------------------------
@pytest.mark.parametrize("before", [[], ["hi"], ["\U0001F44D"]])
@pytest.mark.parametrize("emoji", ["\U0001F44D", "\U0001F3A4\U0001F3A4\U0001F3A4"])
def test_an_emoji_alone_is_asked_what_they_want_to_achieve(before, emoji):
    draft, steps = converse([*before, emoji])
    assert draft.what == "" and phrase(steps[-1], draft) == ASK["what"]


def test_an_emoji_is_no_answer_to_store():
    draft, steps = converse(["Read 6 books on people management by June 2027", "\U0001F3A4\U0001F3A4"])
    assert draft.achievability == "" and steps[-1].slot == "achievability"


# -- 6. a question after a save is answered, with no question of the coach's own -------------------
def test_a_question_right_after_a_save_gets_no_what_exactly(svc):  # noqa: F811
    alex = who(svc, "alex")
    for line in ["Give 3 talks at our all-hands by June 2027", "my manager gives me an hour a week",
                 "for my promotion"]:
        svc.chat(alex, line)
    assert svc.chat(alex, "yes").step.kind == "saved"
    reply = svc.chat(alex, "how often should we meet?")
    assert reply.step.kind == "answer" and ASK["what"] not in reply.text
    assert reply.text.endswith("If you'd like to set a goal, just tell me about it.")
    reply = svc.chat(alex, "Read 6 books on people management by June 2027")  # the next goal starts as usual
    assert reply.draft.what == "Read 6 books on people management by June 2027"


@pytest.mark.parametrize("what, expected", [
    ("Quiero publicar 6 artículos en el blog de la empresa antes de junio", "Quiero publicar 6 artículos en el blog"),
    ("read 6 books on people management and write a one-page summary of each for my team",
     "Read 6 books on people management"),
    ("give 3 talks at our team's monthly tech meetup", "Give 3 talks at our team's monthly tech meetup"),
])
def test_a_long_goal_gets_a_short_title_without_an_ellipsis(what, expected):
    """A title cut with "…" showed the ellipsis in the edit box, exports and agendas."""
    from assistant.coach.flow import title
    assert title(GoalDraft(what=what)) == expected
