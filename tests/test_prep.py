"""The meeting-prep state machine driven through the offline interpreter, as the service will."""
from __future__ import annotations

import json

import pytest

from assistant.coach.prep import action_changes, goal_changes, open_slots, phrase, prep_turn, start_prep
from assistant.coach.prep_models import PREP_SCHEMAS, GoalReport, PrepDraft, PrepUpdate
from assistant.coach.prep_rules import percent_in, understand
from meeting_fixtures import Chat, actions, context, goals

ALL_SLOTS = ["goal:1", "goal:2", "action:7", "action:8", "wins", "blockers", "questions", "wants"]


def test_asks_each_active_goal_then_carried_over_actions_then_topics_one_at_a_time():
    chat = Chat(context())
    chat.script("about 30% now", "halfway there", "done", "still working on it", "I got good feedback on my demo",
                "skip", "skip", "skip")
    assert chat.asked == ALL_SLOTS  # done goal 3 and closed action 9 are never brought up
    assert "Send the CV to Maria" in chat.replies[2] and "due 20 Nov 2026" in chat.replies[2]
    assert "bob agreed to" in chat.replies[3]  # the mentor's own action item
    assert all(reply.count("?") <= 2 for reply in chat.replies)  # one focused question per reply
    assert chat.step.kind == "confirm"


def test_carried_over_action_items_get_their_status_and_feed_the_agenda():
    chat = Chat(context())
    chat.script("skip", "skip", "yes, sent it on Friday", "we dropped it, finance changed the process")
    assert {r.action_id: r.status for r in chat.draft.action_reports} == {7: "done", 8: "dropped"}
    changed = action_changes(chat.draft, actions())
    assert [(a.id, a.status) for a in changed] == [(7, "done"), (8, "dropped")]
    agenda = chat.script("done").agenda
    assert [(a.id, a.status) for a in agenda.open_actions] == [(7, "done")]  # dropped leaves the agenda


def test_in_progress_action_stays_open():
    chat = Chat(context())
    chat.script("skip", "skip", "not yet")
    assert chat.draft.status_for(7).status == "in_progress"
    assert action_changes(chat.draft, actions()) == []


def test_information_volunteered_early_is_never_asked_for():
    chat = Chat(context())
    step = chat.say("Spanish is about 70%, and I finished the talk outline. I'm blocked by the legal review "
                    "of my slides. I'd like to ask how to handle hostile questions. "
                    "We can drop the budget review with finance.")
    report = chat.draft.report_for(1)
    assert report.milestones_done == ["Write the talk outline"]
    assert chat.draft.report_for(2).percent == 70
    assert chat.draft.blockers == ["I'm blocked by the legal review of my slides."]
    assert chat.draft.questions == ["I'd like to ask how to handle hostile questions."]
    assert chat.draft.status_for(8).status == "dropped"
    assert step.kind == "ask" and step.slot == "action:7"  # goal 1 has a report now, goal 2 too
    chat.script("done", "I presented at the all-hands and it went well", "Mostly the conference talk")
    assert chat.asked == ["goal:1", "action:7", "wins", "wants"]
    assert chat.step.kind == "confirm"


def test_bare_done_answers_the_goal_or_action_asked_but_finishes_elsewhere():
    draft, _ = start_prep(context())
    assert understand("done", draft, "goal:1").goals[0].percent == 100
    assert understand("done", draft, "action:7").actions[0].status == "done"
    assert understand("done", draft, "wins").intent == "finish"
    assert understand("that's all", draft, "goal:1").intent == "finish"


@pytest.mark.parametrize("text, expected", [
    ("about 60%", 60), ("I'm at 45 percent", 45), ("halfway", 50), ("from 40% to 70%", 70),
    ("3 of 5 talks booked", 60), ("almost done", 90), ("sixty percent", 60), ("it's done", 100),
    ("just started", 10), ("nothing moved this week", None)])
def test_percentages_in_the_mentees_words(text, expected):
    assert percent_in(text) == expected


def test_milestones_named_as_done_but_not_when_negated():
    draft, _ = start_prep(context())
    done = understand("I submitted the PyCon proposal yesterday", draft, "wins")
    assert done.goals == [GoalReport(goal_id=1, milestones_done=["Submit the PyCon proposal"],
                                     note="I submitted the PyCon proposal yesterday")]
    assert understand("I haven't finished the talk outline", draft, "goal:1").goals[0].milestones_done == []


def test_milestones_move_the_goal_when_no_percent_was_given():
    chat = Chat(context())
    chat.script("finished the outline and submitted the PyCon proposal", "skip")
    (talks,) = [g for g in goal_changes(chat.draft, goals()) if g.id == 1]
    assert talks.progress == 100  # all three milestones done now
    assert all(m.done for m in talks.milestones)


def test_anything_can_be_skipped_and_no_blockers_counts_as_an_answer():
    chat = Chat(context())
    step = chat.script("skip", "nothing", "pass", "skip", "no blockers really, all good")
    assert step.slot == "wins"  # still waiting for the wins, but blockers are answered
    assert "blockers" in chat.draft.answered
    assert chat.say("nothing").slot == "questions"
    assert chat.asked == ["goal:1", "goal:2", "action:7", "action:8", "wins", "wins", "questions"]
    assert chat.draft.reports == [] and chat.draft.action_reports == []
    assert chat.script("n/a", "skip").kind == "confirm"


def test_unclear_answer_is_asked_again_once_then_skipped():
    chat = Chat(context())
    chat.script("skip", "skip")
    step = chat.say("hmm the weather was odd")
    assert step.kind == "ask" and step.slot == "action:7" and step.retry
    assert "done, in progress or dropped" in phrase(step)
    step = chat.say("purple monkey")
    assert step.slot == "action:8" and "action:7" in chat.draft.answered


def test_draft_survives_a_restart_of_the_app():
    ctx = context()
    script = ["about 30%", "Spanish is halfway", "done", "skip", "My manager praised the release",
              "I'm stuck waiting for a test environment", "How do you say no to extra work?",
              "Most important is the test environment", "yes"]
    straight = Chat(ctx)
    straight.script(*script)
    resumed = Chat(ctx)
    resumed.script(*script[:4])
    stored = json.dumps(resumed.draft.model_dump(mode="json"))  # what the store keeps between turns
    after_restart = Chat(ctx, PrepDraft.model_validate(json.loads(stored)))
    after_restart.script(*script[4:])
    assert straight.step.kind == after_restart.step.kind == "save"
    assert after_restart.draft == straight.draft
    plain = lambda a: a.model_dump(exclude={"created_at"})  # noqa: E731
    assert plain(after_restart.step.agenda) == plain(straight.step.agenda)
    first = after_restart.step.agenda.items[0]  # "most important is the test environment"
    assert first.kind == "blocker" and "waiting for a test environment" in first.topic


def test_finish_early_then_confirm_saves_once():
    chat = Chat(context())
    step = chat.script("about 35%, we booked the venue", "that's all")
    assert step.kind == "confirm" and step.agenda is not None
    assert "Shall I save it?" in phrase(step) and "min)" in phrase(step)
    assert open_slots(chat.draft)  # unanswered questions stay unanswered; nothing is made up
    step = chat.say("looks good")
    assert step.kind == "save" and chat.draft.stage == "saved"
    assert step.agenda.progress[0].progress_after == 35
    closed = chat.say("one more thing")
    assert closed.kind == "closed" and "tell me a question, blocker or win" in phrase(closed)


def test_after_saving_new_entries_are_handed_on_for_the_saved_agenda():
    chat = Chat(context())
    chat.script("about 35%, we booked the venue", "that's all", "yes")
    step = chat.say("I'd also like to ask how to pitch the budget. And I won the hackathon!")
    assert step.kind == "add" and step.agenda is None  # the service extends the saved agenda
    assert step.additions == {"wins": ["I won the hackathon!"],
                              "questions": ["I'd also like to ask how to pitch the budget."]}
    assert phrase(step).startswith("Noted: 1 win, 1 question. I added them to your saved agenda; bob sees")
    assert chat.draft.stage == "saved" and "I'd also like to ask how to pitch the budget." in chat.draft.questions
    # Said again, it is already there: nothing new to add.
    assert chat.say("I'd also like to ask how to pitch the budget.").kind == "closed"
    assert chat.draft.report_for(1).percent == 35  # progress is not reopened after the save


def test_reject_at_confirmation_lets_the_mentee_add_things():
    chat = Chat(context())
    chat.script("done")  # goal 1 is done
    chat.say("that's all")
    assert chat.say("no").kind == "change"
    step = chat.say("I'd also like to ask about the promotion process")
    assert step.kind == "confirm"
    assert "promotion" in " ".join(i.topic + " ".join(i.details) for i in step.agenda.items)
    assert chat.say("yes").kind == "save"


def test_quit_keeps_the_draft_and_coming_back_continues():
    chat = Chat(context())
    chat.say("about 30%")
    assert chat.say("later").kind == "left" and chat.draft.stage == "left"
    step = chat.say("Spanish is at 55%")
    assert chat.draft.report_for(2).percent == 55 and step.slot == "action:7"


def test_restart_clears_the_answers():
    chat = Chat(context())
    chat.script("about 30%", "I'm blocked by travel budget")
    step = chat.say("start over")
    assert step.restarted and step.slot == "goal:1"
    assert chat.draft.reports == [] and chat.draft.blockers == []


def test_unknown_ids_from_a_backend_are_ignored():
    ctx = context()
    draft, _ = start_prep(ctx)
    update = PrepUpdate(goals=[GoalReport(goal_id=999, percent=50)], wins=["shipped it"])
    draft, step = prep_turn(draft, update, ctx)
    assert draft.reports == [] and draft.wins == ["shipped it"] and step.slot == "goal:1"


def test_prep_update_schema_is_exported_for_the_llm_backend():
    assert PREP_SCHEMAS["prep"] is PrepUpdate
    schema = PrepUpdate.model_json_schema()
    assert schema["additionalProperties"] is False
    assert {"intent", "goals", "actions", "blockers", "questions", "wants", "none_for"} <= set(schema["properties"])
    llm_schemas = pytest.importorskip("assistant.llm_schemas")
    chat = Chat(context())
    chat.script("about 30%", "skip", "I'm blocked by travel budget")
    assert llm_schemas.kind_for("prep").missing(chat.draft.model_dump(mode="json")) == open_slots(chat.draft)


@pytest.mark.parametrize("expecting, text, field, expected", [
    (None, "Sent the CV to Maria last week", "actions", [{"action_id": 7, "status": "done", "note": ""}]),
    ("confirm", "add a question: how do I delegate?", "questions", ["how do I delegate?"]),
    ("wins", "Can't wait for the conference!", "wins", ["Can't wait for the conference!"]),
    ("blockers", "the budget", "blockers", ["the budget"]),
    ("wants", "nothing special", "intent", "skip"),
    ("goal:2", "Spanish: 55%. Talks: 40%", "goals", [{"goal_id": 2, "percent": 55, "milestones_done": [],
                                                     "note": "Spanish: 55%."},
                                                    {"goal_id": 1, "percent": 40, "milestones_done": [],
                                                     "note": "Talks: 40%"}]),
    ("goal:1", "I finished the outline but I'm stuck on the PyCon proposal", "blockers",
     ["I'm stuck on the PyCon proposal"]),
])
def test_rules_read_each_sentence_for_what_it_says(expecting, text, field, expected):
    draft, _ = start_prep(context())
    assert understand(text, draft, expecting).model_dump()[field] == expected


def test_lead_ins_that_joined_an_entry_to_the_chat_are_not_kept():
    draft, _ = start_prep(context())
    assert understand("Also, should I aim for a promotion this year?", draft, "questions").questions == [
        "Should I aim for a promotion this year?"]
    assert understand("And another thing: the budget review is stuck", draft, "blockers").blockers == [
        "The budget review is stuck"]


@pytest.mark.parametrize("text, wants", [
    ("Most important: the writing time problem, then talk feedback",
     ["Most important: the writing time problem, then talk feedback"]),
    ("I want to agree a plan for getting writing time, and get feedback on my talk slides",
     ["I want to agree a plan for getting writing time, and get feedback on my talk slides"]),
    ("The deadline problem first. Then my slides.", ["The deadline problem first.", "My slides."]),
])
def test_what_the_mentee_wants_from_the_meeting_is_a_wish_even_when_it_names_a_problem(text, wants):
    """Asked "what do you most want from this meeting?", a problem to talk about is a wish: it used
    to become a new blocker (and top the agenda as one) while the question was asked again."""
    draft, _ = start_prep(context())
    update = understand(text, draft, "wants")
    assert (update.wants, update.blockers) == (wants, [])



@pytest.mark.parametrize("text", ["no goals", "none this time", "nothing new really"])
def test_a_short_no_to_a_list_question_is_not_an_entry(text):
    draft, _ = start_prep(context())
    update = understand(text, draft, "wins")
    assert update.wins == [] and update.none_for == ["wins"]


def test_writing_verbs_tick_a_milestone():
    draft, _ = start_prep(context())
    wrote = understand("I wrote the talk outline last week", draft, "goal:1")
    assert wrote.goals and wrote.goals[0].milestones_done, wrote


# -- news told out of order lands in its own slot ------------------------------------------------
def _at_blockers() -> Chat:
    chat = Chat(context())
    chat.script("skip", "skip", "skip", "skip", "skip")
    assert chat.draft.asked == "blockers"
    return chat


@pytest.mark.parametrize("text, win", [
    ("No blockers, but I finally shipped the onboarding guide!", "I finally shipped the onboarding guide!"),
    ("Nothing really. Good news though: I passed the certification", "I passed the certification"),
    ("no blockers, we launched the new site", "we launched the new site"),
])
def test_a_win_told_when_blockers_are_asked_is_a_win_and_blockers_are_none(text, win):
    chat = _at_blockers()
    step = chat.say(text)
    assert chat.draft.wins == [win] and chat.draft.blockers == []
    assert "blockers" in chat.draft.answered and step.slot == "questions"
    assert chat.replies[-1].startswith("Noted: 1 win, no blockers.")


@pytest.mark.parametrize("text", ["Nope. Thanks", "Not much, sorry", "No."])
def test_a_plain_no_to_a_list_question_is_no_entry(text):
    chat = _at_blockers()
    chat.say(text)
    assert chat.draft.blockers == [] and "blockers" in chat.draft.answered


def test_a_no_with_more_to_say_keeps_the_rest():
    chat = Chat(context())
    chat.script("skip", "skip", "skip", "skip")
    step = chat.say("No, waiting on legal")  # asked for wins
    assert chat.draft.wins == [] and chat.draft.blockers == ["waiting on legal"]
    assert "wins" in chat.draft.answered and step.slot == "questions"
    chat = _at_blockers()
    chat.say("No, but I'd like to ask about the promotion process")
    assert chat.draft.blockers == [] and chat.draft.questions == ["I'd like to ask about the promotion process"]


def test_a_win_after_not_really_drops_the_not_really():
    chat = Chat(context())
    chat.script("skip", "skip", "skip", "skip", "Not really, but my manager praised my demo")
    assert chat.draft.wins == ["my manager praised my demo"]


def test_no_blockers_while_an_action_is_asked_is_not_its_status():
    chat = Chat(context())
    chat.script("skip", "skip", "skip")
    step = chat.say("no blockers")
    assert chat.draft.status_for(8) is None and "blockers" in chat.draft.answered
    assert step.slot == "action:8" and not step.retry  # the action item is still open


def test_a_win_told_while_an_action_is_asked_is_a_win():
    chat = Chat(context())
    chat.script("skip", "skip", "skip")
    step = chat.say("I presented at the all-hands")
    assert chat.draft.wins == ["I presented at the all-hands"] and chat.draft.status_for(8) is None
    assert step.slot == "action:8" and not step.retry


def test_not_yet_with_a_reason_is_the_status_and_a_blocker():
    chat = Chat(context())
    chat.script("skip", "skip")
    step = chat.say("Not yet, still waiting on Maria's reply")
    assert chat.draft.status_for(7).status == "in_progress"
    assert chat.draft.blockers == ["still waiting on Maria's reply"] and step.slot == "action:8"


def test_a_denied_done_corrects_the_named_action_item():
    chat = Chat(context())
    chat.script("skip", "skip", "done")
    assert chat.draft.status_for(7).status == "done"
    chat.say("actually the CV isn't sent yet")  # while action 8 is asked
    assert chat.draft.status_for(7).status == "in_progress" and chat.draft.status_for(8) is None


def test_accomplishment_answering_wins_is_a_win_and_progress():
    draft, _ = start_prep(context())
    update = understand("I submitted the PyCon proposal yesterday", draft, "wins")
    assert update.wins == ["I submitted the PyCon proposal yesterday"]
    assert update.goals[0].milestones_done == ["Submit the PyCon proposal"]


@pytest.mark.parametrize("expecting, text, field, expected", [
    ("blockers", "I'm not happy with how the review went", "blockers", ["I'm not happy with how the review went"]),
    ("questions", "Actually I do have a question: how do I get on the committee?", "questions",
     ["how do I get on the committee?"]),
    ("wants", "Bad news: the budget was cut", "blockers", ["the budget was cut"]),
    ("confirm", "Thanks, that's all", "intent", "confirm"),
])
def test_labels_denials_and_courtesy_are_read(expecting, text, field, expected):
    draft, _ = start_prep(context())
    assert understand(text, draft, expecting).model_dump()[field] == expected


def test_an_unreadable_message_at_the_agenda_says_so():
    chat = Chat(context())
    chat.say("that's all")
    step = chat.say("purple monkey")
    assert step.kind == "confirm" and chat.replies[-1].startswith("Sorry, I didn't catch a change there.")
