"""Whole goal-drafting conversations: service + flow + real store, the LLM backend on a fake server."""
from __future__ import annotations

from datetime import date

import pytest
from fake_openai import FakeOpenAI, reply, slow, status
from llm_support import TODAY, offline_engine, settings_for, turn

from assistant.config import Settings
from assistant.deps import build_deps
from assistant.llm import FALLBACK_NAME, LLMBackend
from assistant.service import SYSTEM, Service

# Looser phrasing than the offline rules need; the scripted "model" understands it.
CONVERSATION = [
    ("I'd like to get up in front of people more, maybe present at three of our all-hands meetings",
     turn({"what": "Present at our team all-hands meetings", "measure": "presentations given",
           "target": "3 presentations"}, "Three all-hands presentations, nice. By when?", "deadline")),
    ("before the spring is out",
     turn({"deadline": "2027-06-20", "deadline_text": "before the spring is out"},
          "Spring it is. What will make this doable for you?", "achievability")),
    ("my lead said I can use Friday afternoons to prep",
     turn({"achievability": "Friday afternoons to prepare, agreed with my lead"},
          "Great support. Why does this matter to you?", "relevance")),
    ("I'm aiming for a team lead role next year",
     turn({"relevance": "I'm aiming for a team lead role next year"},
          "That makes it a strong goal. Shall I save it?", None)),
    ("go for it", turn({"intent": "confirm"}, "Saved!", None)),
]


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def service(server, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    # An empty guideline folder: these tests are about the model, not the library.
    (tmp_path / "guidelines").mkdir()
    settings = Settings(home=tmp_path / "home", llm="offline", knowledge_dir=tmp_path / "guidelines")
    backend = LLMBackend(settings_for(server.base_url), offline_engine())
    svc = Service(build_deps(settings, backend=backend, today=lambda: TODAY))
    svc.add_user(SYSTEM, "alex", "mentee")
    return svc


def test_a_whole_conversation_saves_a_goal_with_one_model_call_per_turn(server, service):
    alex = service.user("alex")
    replies = []
    for number, (text, answer) in enumerate(CONVERSATION, start=1):
        server.push(reply(answer))
        replies.append(service.chat(alex, text))
        assert len(server.chat_requests) == number  # exactly one model call per mentee turn
    assert [r.backend for r in replies] == ["openai:fake-model"] * len(CONVERSATION)
    assert replies[-1].step.kind == "saved" and replies[-1].goal is not None
    # Where the model asked what the flow decided to ask, its phrasing was used.
    for (text, answer), chat in zip(CONVERSATION, replies):
        if chat.step.kind == "ask" and chat.step.slot == answer["asks"]:
            assert chat.text == answer["reply"]
    goals = service.goals(alex)
    assert len(goals) == 1 and goals[0].deadline == date(2027, 6, 20)
    assert goals[0].relevance == "I'm aiming for a team lead role next year"
    assert all(r["usage"]["prompt_tokens"] <= 3000 for r in server.chat_requests)


def test_a_turn_the_model_fails_is_answered_offline_and_the_goal_still_saves(server, service):
    alex = service.user("alex")
    lines = [("Give 3 talks at our team all-hands meeting",
              [reply(turn({"what": "Give 3 talks at our team all-hands meeting", "target": "3 talks"},
                          "By when?", "deadline"))]),
             ("by the end of March 2027", [status(500), status(503)]),  # the model is down this turn
             ("My manager gives me an hour a week to prepare",
              [reply(turn({"achievability": "My manager gives me an hour a week to prepare"}, "Why?", "relevance"))]),
             ("I want to lead the team one day", [reply(turn({"relevance": "I want to lead the team one day"}))]),
             ("yes", [reply(turn({"intent": "confirm"}))])]
    chats = []
    for text, steps in lines:
        server.push(*steps)
        chats.append(service.chat(alex, text))
    assert chats[1].backend == FALLBACK_NAME and "HTTP 50" in chats[1].fallback_reason
    assert chats[1].draft.deadline == date(2027, 3, 31)  # the offline engine understood that turn
    assert [c.backend for c in chats[2:]] == ["openai:fake-model"] * 3  # and the model was back
    assert chats[-1].step.kind == "saved"
    goal = service.goals(alex)[0]
    assert goal.deadline == date(2027, 3, 31) and "3 talks" in goal.statement.lower()
    # Every message is stored, each coach message with the backend that answered it (the UI shows it).
    (conversation,) = service.deps.store.list_conversations("alex", "goal")
    assert [m.text for m in conversation.messages if m.role == "user"] == [text for text, _ in lines]
    coach = [m.backend for m in conversation.messages if m.role == "assistant"]
    assert coach == [c.backend for c in chats] and coach[1] == FALLBACK_NAME


# -- asked once, never twice; corrections (the flow's conventions, with the model understanding) ---------
WISH = "I want to get better at public speaking"


def say(server, service, lines):
    """Each (mentee text, model answer) through the service; returns the replies."""
    alex = service.user("alex")
    replies = []
    for text, answer in lines:
        server.push(reply(answer))
        replies.append(service.chat(alex, text))
    return replies


@pytest.mark.parametrize("text, kept", [
    ("keep it as it is", turn({"intent": "skip"}, "Okay, your wording stays. How will you know you've done it?",
                              "measure")),
    # A model that answers by repeating the draft's wording has changed nothing: the rules read the keep.
    ("keep it as it is", turn({"what": WISH}, "Okay, your wording stays. How will you know you've done it?",
                              "measure")),
    ("that\u2019s fine as is", turn()),  # the model understood nothing (and the apostrophe is curly)
], ids=["skip-intent", "repeats-the-draft", "empty-answer-curly-apostrophe"])
def test_keep_it_as_it_is_after_the_vague_wish_question_is_accepted_and_not_asked_again(server, service, text, kept):
    replies = say(server, service, [
        (WISH, turn({"what": WISH}, "A good direction! What would you concretely do, and for whom?", "what")),
        (text, kept),
        ("3 talks", turn({"target": "3 talks"}, "Three talks. By when?", "deadline")),
        ("by the end of March 2027", turn({"deadline": "2027-03-31", "deadline_text": "by the end of March 2027"},
                                          "What makes it achievable?", "achievability")),
        ("My manager gives me an hour a week", turn({"achievability": "My manager gives me an hour a week"},
                                                    "Why does it matter to you?", "relevance")),
        ("I want to lead the team one day", turn({"relevance": "I want to lead the team one day"})),
    ])
    assert replies[0].step.slot == "what" and replies[0].text.startswith("A good direction!")
    keep = replies[1]
    assert keep.backend == "openai:fake-model" and keep.step.kind == "ask" and keep.step.slot == "measure"
    assert keep.draft.what == WISH and keep.draft.settled == ["what"]
    if kept["asks"] == "measure":  # the model's phrasing is used where it asks what the flow asks
        assert keep.text == kept["reply"]
    else:
        assert keep.text.startswith("Okay, we'll keep your wording.") and "isn't specific" not in keep.text
    assert [r.step.slot for r in replies[1:5]] == ["measure", "deadline", "achievability", "relevance"]
    assert replies[-1].step.kind == "propose" and replies[-1].draft.what == WISH
    # From then on the model is told the wish is settled and no longer open.
    after = server.text_of(2)
    assert "Settled, never ask again: what" in after
    assert "Still empty, in asking order: measure, deadline, achievability, relevance" in after


def test_the_skip_intent_for_the_measure_question_leads_to_the_deadline_question(server, service):
    declined = turn({"intent": "skip"}, "Fair enough, no number then. By when would you like to have done it?",
                    "deadline")
    replies = say(server, service, [
        ("Give talks at our team all-hands meeting",
         turn({"what": "Give talks at our team all-hands meeting"}, "How will you know you've done it?", "measure")),
        ("I'd rather not put a number on it", declined),
        ("by the end of March 2027", turn({"deadline": "2027-03-31", "deadline_text": "by the end of March 2027"},
                                          "What makes it achievable?", "achievability")),
        ("My manager gives me an hour a week", turn({"achievability": "My manager gives me an hour a week"},
                                                    "Why does it matter to you?", "relevance")),
        ("I want to lead the team one day", turn({"relevance": "I want to lead the team one day"})),
        ("yes", turn({"intent": "confirm"})),
    ])
    assert replies[0].step.slot == "measure"
    skipped = replies[1]
    assert skipped.backend == "openai:fake-model" and skipped.step.slot == "deadline"
    assert skipped.text == declined["reply"] and skipped.draft.settled == ["measure"]
    assert "measure" not in [r.step.slot for r in replies[1:]]  # never asked again
    assert "**Measurable:** (not given)" in replies[-2].text
    assert replies[-1].step.kind == "saved" and replies[-1].goal.deadline == date(2027, 3, 31)


@pytest.mark.parametrize("correction", [
    turn({"deadline": "2027-03-31", "deadline_text": "March"}, "March it is. What makes it achievable?",
         "achievability"),
    # Date arithmetic is where models slip: the parser's reading of the same words wins.
    turn({"deadline": "2026-03-31", "deadline_text": "March"}, "March it is. What makes it achievable?",
         "achievability"),
    turn(),  # the model missed it: the offline rules read the correction
], ids=["model-reads-it", "model-gets-the-year-wrong", "model-misses-it"])
def test_a_correction_of_the_deadline_moves_it(server, service, correction):
    replies = say(server, service, [
        ("Give 3 talks at our all-hands meeting by June 2027",
         turn({"what": "Give 3 talks at our all-hands meeting by June 2027", "target": "3 talks",
               "deadline": "2027-06-30", "deadline_text": "by June 2027"}, "What makes it achievable?",
              "achievability")),
        ("actually make it March", correction),
        ("My manager gives me an hour a week", turn({"achievability": "My manager gives me an hour a week"},
                                                    "Why does it matter to you?", "relevance")),
        ("I want to lead the team one day", turn({"relevance": "I want to lead the team one day"})),
        ("yes", turn({"intent": "confirm"})),
    ])
    assert replies[0].draft.deadline == date(2027, 6, 30) and replies[0].step.slot == "achievability"
    moved = replies[1]
    assert moved.backend == "openai:fake-model" and moved.draft.deadline == date(2027, 3, 31)
    assert moved.step.slot == "achievability" and not moved.step.retry and moved.draft.target == "3 talks"
    assert moved.draft.what == "Give 3 talks at our all-hands meeting"  # the old date left the goal's words
    goal = replies[-1].goal
    assert goal.deadline == date(2027, 3, 31)
    assert goal.statement == "Give 3 talks at our all-hands meeting by March 31, 2027."


def test_a_model_storing_a_refusal_or_a_pointer_back_is_overruled_by_the_rules(server, service):
    replies = say(server, service, [
        ("Give talks at our team all-hands meeting",
         turn({"what": "Give talks at our team all-hands meeting"}, "How will you know you've done it?", "measure")),
        # The model takes the refusal for a target; the rules heard a refusal.
        ("I'd rather not put a number on it", turn({"target": "I'd rather not put a number on it"},
                                                   "Noted. By when?", "deadline")),
        ("by the end of March 2027", turn({"deadline": "2027-03-31", "deadline_text": "by the end of March 2027"},
                                          "What makes it achievable?", "achievability")),
        # The model stores the remark as the answer; the rules look back instead (nothing said yet).
        ("I already told you that", turn({"achievability": "I already told you that"}, "Thanks!", "relevance")),
    ])
    assert replies[1].draft.target == "" and "measure" in replies[1].draft.settled
    assert replies[3].draft.achievability == "" and replies[3].step.slot == "achievability"
    assert "missed it" in replies[3].text


def test_two_tabs_sending_at_once_keep_both_turns(server, service):
    """A mentee's two tabs send while the model is still answering the first: the second turn
    waits for the first instead of overwriting it (it used to vanish, reply and all)."""
    import threading
    alex = service.user("alex")
    server.push(slow(0.6, reply(turn({"what": "Run 6 coaching sessions", "target": "6 sessions"},
                                      "Six sessions. By when?", "deadline"))),
                reply(turn({"target": "8 sessions"}, "Eight then. By when?", "deadline")))
    first = threading.Thread(target=service.chat, args=(alex, "I want to run 6 coaching sessions"))
    first.start()
    time_to_reach_the_model = 0.2
    threading.Event().wait(time_to_reach_the_model)
    second = service.chat(alex, "change the target to 8 sessions")
    first.join()
    conv = service.goal_conversation(alex)
    texts = [m.text for m in conv.messages]
    assert texts == ["I want to run 6 coaching sessions", "Six sessions. By when?",
                     "change the target to 8 sessions", "Eight then. By when?"]
    assert conv.state["target"] == "8 sessions" == second.draft.target
