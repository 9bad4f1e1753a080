"""Grounding checks on a model's turn, and reconciling it with the offline reading (pure)."""
from __future__ import annotations

from datetime import date

import pytest
from fake_openai import FakeOpenAI, reply
from llm_support import offline_engine, request, settings_for, turn

from assistant.llm import FALLBACK_NAME, LLMBackend
from assistant.llm_checks import check_turn, grounded, reconcile
from assistant.llm_schemas import kind_for

GoalTurn = kind_for("goal").schema


def problems(answer: dict, text: str, **kwargs) -> list[str]:
    return check_turn(GoalTurn.model_validate(answer), request(text, **kwargs))


@pytest.mark.parametrize("value,source", [
    ("Present at our team all-hands meetings", "maybe present at three of our all-hands meetings"),
    ("3 presentations", "present at three of our all-hands"),
    ("Friday afternoons to prepare, agreed with my lead", "my lead said I can use Friday afternoons to prep"),
])
def test_paraphrases_of_the_mentee_are_grounded(value, source):
    assert grounded(value, source)


@pytest.mark.parametrize("value,source", [
    ("1 year", "I want to give 3 talks"),
    ("yes", "yes"),
    ("detail_guidelines", "I want to get better at public speaking"),
])
def test_invented_or_empty_values_are_not(value, source):
    assert not grounded(value, source)


def test_a_grounded_turn_has_no_problems():
    answer = turn({"what": "Give 3 talks at the all-hands", "target": "3 talks",
                   "deadline": "2027-03-31", "deadline_text": "by March 2027"}, "Nice.", "achievability")
    assert problems(answer, "I want to give 3 talks at the all-hands by March 2027") == []


def test_invented_values_and_dates_are_named_for_the_model():
    found = problems(turn({"achievability": "1 year", "deadline": "2028-01-01"}), "I want to give 3 talks")
    assert any(p.startswith("update.achievability:") for p in found)
    assert any(p.startswith("update.deadline:") for p in found)


def test_repeating_a_draft_value_is_harmless():
    assert problems(turn({"what": "Give 3 talks"}), "yes please", draft={"what": "Give 3 talks"}) == []


@pytest.mark.parametrize("intent,text,stage,ok", [
    ("quit", "I have to go, let's continue later", "collecting", True),
    ("quit", "Give 3 talks", "collecting", False),
    ("restart", "let's start over with a new goal", "collecting", True),
    ("restart", "by March", "collecting", False),
    ("confirm", "go for it", "confirming", True),
    ("confirm", "go for it", "collecting", False),
    ("reject", "hmm, not like that", "collecting", False),
    ("skip", "keep it as it is", "collecting", True),
    ("skip", "that\u2019s fine as is", "collecting", True),  # a curly apostrophe reads like a straight one
    ("skip", "I'd rather not put a number on it", "collecting", True),
    ("skip", "I want to lead the team one day", "collecting", False),  # an answer: declining it would lose it
])
def test_control_intents_need_words_or_a_proposal(intent, text, stage, ok):
    found = problems(turn({"intent": intent}), text, draft={"stage": stage})
    assert (found == []) is ok, found


def test_the_coach_message_grounds_an_agreement_but_not_a_proposal():
    history = [{"role": "assistant", "text": "Would 3 talks by March 2027 work as the target?"}]
    agree = turn({"target": "3 talks"})
    assert problems(agree, "yes that works", history=history) == []
    assert problems(agree, "yes that works", history=history, draft={"stage": "confirming"}) != []


def test_prep_ids_must_exist_in_the_draft():
    PrepTurn = kind_for("prep").schema
    answer = PrepTurn.model_validate(turn({"goals": [{"goal_id": 9, "note": "shipped the demo"}]}))
    draft = {"goals": [{"id": 1, "title": "Demo", "progress": 0}]}
    found = check_turn(answer, request("I shipped the demo", kind="prep", draft=draft))
    assert any("goals[0].goal_id" in p and "[1]" in p for p in found)


def test_reconcile_fills_only_what_model_and_draft_both_lack():
    model = {"intent": "info", "what": "Present at all-hands"}
    offline = {"intent": "info", "what": "I want to present", "deadline": "2027-03-31", "relevance": "x"}
    merged = reconcile(model, offline, draft={"relevance": "already known"})
    assert merged == {"intent": "info", "what": "Present at all-hands", "deadline": "2027-03-31"}


def test_reconcile_takes_the_offline_reading_when_the_model_understood_nothing():
    assert reconcile({"intent": "info"}, {"intent": "confirm"}, draft={}) == {"intent": "confirm"}


def test_reconcile_reads_an_update_that_only_repeats_the_draft_as_nothing_understood():
    draft = {"what": "I want to get better at public speaking"}
    assert reconcile({"intent": "info", **draft}, {"intent": "skip"}, draft=draft) == {"intent": "skip"}


def test_reconcile_does_not_answer_a_declined_question():
    merged = reconcile({"intent": "skip"}, {"intent": "info", "target": "I'd rather not put a number on it"}, draft={})
    assert merged == {"intent": "skip"}


def test_reconcile_prefers_the_parsers_date_when_both_read_one():
    merged = reconcile({"deadline": "2027-04-30"}, {"deadline": "2027-03-31"}, draft={})
    assert merged["deadline"] == "2027-03-31"


def test_an_ungrounded_answer_is_corrected_then_falls_back():
    with FakeOpenAI() as server:
        backend = LLMBackend(settings_for(server.base_url), offline_engine())
        invented = turn({"what": "Run a marathon", "deadline": "2030-01-01"}, "Great!", "measure")
        server.push(reply(invented), reply(invented))
        result = backend.interpret(request("Give 3 talks at the all-hands by March 2027"))
        correction = server.text_of(1, "user")
    assert "update.what" in correction and "Run a marathon" in correction
    assert result.backend == FALLBACK_NAME and result.update["deadline"] == date(2027, 3, 31).isoformat()


def test_reconcile_keeps_a_refusal_the_rules_heard_even_if_the_model_stored_it():
    model = {"intent": "info", "target": "I'd rather not put a number on it"}
    assert reconcile(model, {"intent": "skip"}, draft={"what": "Mentor two analysts"}) == {"intent": "skip"}
