"""The meeting prep through the service: carried-over action items, restarts, the LLM backend
on a local server and the offline fallback, on a real SQLite store."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from meetings_support import at, held_meeting_with_actions, make_service, prep, svc, who  # noqa: F401

from assistant.models import Goal
from assistant.service import SYSTEM, AccessDenied, NotFound


def test_carried_over_action_items_flow_into_the_next_prep_and_agenda(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    held_meeting_with_actions(svc)
    second = svc.schedule_meeting(alex, "alex", svc.next_meeting_date(alex, "alex", "biweekly"))
    assert second.starts_at == datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)

    opening, replies = prep(svc, "alex", "about 40% now", "not yet", "yes", "skip", "skip", "skip", "skip")
    assert "Give three talks at all-hands" in opening and "10%" in opening
    assert "Send the outline to Maria" in replies[0].text and "due 01 Dec 2026" in replies[0].text
    assert "maria agreed to" in replies[1].text and "Introduce alex to the events team" in replies[1].text
    assert replies[-1].step.kind == "confirm" and replies[-1].meeting.id == second.id
    assert "Review action items from last time" in replies[-1].text
    saved = svc.prep_chat(alex, "yes")
    assert saved.step.kind == "save" and saved.agenda.version == 1 and saved.agenda.created_by == "alex"

    agenda = svc.agenda(maria, second.id)
    assert agenda == saved.agenda
    assert sum(item.minutes for item in agenda.items) == second.minutes
    assert [(a.text, a.status) for a in agenda.open_actions] == [
        ("Send the outline to Maria", "open"), ("Introduce alex to the events team", "done")]
    review = next(item for item in agenda.items if item.kind == "actions")
    assert review.details == ["Send the outline to Maria (open)", "Introduce alex to the events team (done)"]
    assert [(p.progress_before, p.progress_after) for p in agenda.progress] == [(10, 40)]

    # The answers were applied to the records: goal progress, action statuses, a progress log entry.
    goal = svc.goals(alex)[0]
    assert goal.progress == 40 and goal.history[-1].note == "progress updated in meeting prep"
    assert [(a.text, a.status) for a in svc.action_items(alex, status=None)] == [
        ("Send the outline to Maria", "open"), ("Introduce alex to the events team", "done")]
    assert [p.progress for p in svc.deps.store.progress_history([goal.id])[goal.id]] == [10, 40]
    # The conversation is kept, every turn in it, the user's words first.
    messages = svc.prep_conversation(alex).messages
    assert len(messages) == 1 + 2 * 8 and messages[1].text == "about 40% now"


def test_open_items_come_back_until_they_are_closed(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    held_meeting_with_actions(svc)
    second = svc.schedule_meeting(maria, "alex", at(30))
    # The mentee says the outline is in progress and skips everything else.
    _, replies = prep(svc, "alex", "skip", "still working on it", "skip", "done", "yes")
    assert replies[-1].step.kind == "save"
    open_now = {a.text for a in svc.action_items(alex)}
    assert open_now == {"Send the outline to Maria", "Introduce alex to the events team"}
    # Meeting 2 is held (on its day), a new item is agreed; meeting 3's prep asks about all three.
    later = make_service(svc.deps.settings.home, today=date(2026, 11, 30))
    later.record_notes(maria, second.id, "Outline needs a story.", [{"text": "Rewrite the intro"}])
    later.schedule_meeting(maria, "alex", at(14, 10, 12))
    opening, replies = prep(later, "alex", "skip", "skip", "skip", "skip")
    asked = " ".join([opening] + [r.text for r in replies])
    for text in ("Send the outline to Maria", "Introduce alex to the events team", "Rewrite the intro"):
        assert text in asked
    # The finished meeting's prep is kept, closed, as history; the new one is open.
    convs = later.deps.store.list_conversations("alex", kind="prep")
    assert sorted(c.status for c in convs) == ["closed", "open"]


def test_prep_survives_a_restart_and_leaving(svc):
    alex = who(svc, "alex")
    svc.schedule_meeting(alex, "alex", at(30))
    prep(svc, "alex", "about 30%", "quit")
    again = make_service(svc.deps.settings.home)  # a new process on the same database
    draft = again.prep_draft(alex)
    assert draft.stage == "left" and draft.report_for(svc.goals(alex)[0].id).percent == 30
    reply = again.prep_chat(alex, "I'd like to ask how to pick a topic")
    assert reply.draft.questions == ["I'd like to ask how to pick a topic"]
    assert reply.step.kind == "ask" and reply.draft.stage == "collecting"
    messages = again.prep_conversation(alex).messages
    assert [m.role for m in messages[:3]] == ["assistant", "user", "assistant"]
    assert messages[-2].text == "I'd like to ask how to pick a topic"


def test_prep_needs_a_meeting_and_a_message(svc):
    alex = who(svc, "alex")
    with pytest.raises(NotFound, match="No meeting is scheduled"):
        svc.prep_conversation(alex)
    svc.schedule_meeting(alex, "alex", at(30))
    with pytest.raises(ValueError, match="Type a message"):
        svc.prep_chat(alex, "   ")
    with pytest.raises(ValueError, match="too long"):
        svc.prep_chat(alex, "x" * 4001)
    with pytest.raises(AccessDenied):
        svc.prep_chat(who(svc, "maria"), "hello")


def test_prep_through_the_llm_backend_on_a_local_server_and_its_fallback(tmp_path, monkeypatch):
    from fake_openai import FakeOpenAI, reply, status
    from llm_support import offline_engine, settings_for, turn

    from assistant.llm import LLMBackend
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with FakeOpenAI() as server:
        svc = make_service(tmp_path / "home", backend=LLMBackend(settings_for(server.base_url), offline_engine()))
        svc.add_user(SYSTEM, "maria", "mentor")
        svc.add_user(SYSTEM, "alex", "mentee", mentor="maria")
        goal = svc.deps.store.save_goal(Goal(owner="alex", title="Give three talks", statement="Give 3 talks",
                                             deadline=date(2027, 3, 31), progress=10), by="alex")
        alex = who(svc, "alex")
        svc.schedule_meeting(alex, "alex", at(30))
        svc.prep_conversation(alex)
        server.push(reply(turn({"goals": [{"goal_id": goal.id, "percent": 40}]},
                               "Forty percent, lovely. Any wins to share?", "wins")))
        first = svc.prep_chat(alex, "the talks are going ok, about 40 percent done")
        assert first.backend == "openai:fake-model" and first.text == "Forty percent, lovely. Any wins to share?"
        assert first.draft.report_for(goal.id).percent == 40
        assert "about 40 percent" in server.text_of(-1)
        server.push(status(500), status(500), status(500))
        second = svc.prep_chat(alex, "I got good feedback from my lead")
        assert second.backend == "offline (fallback)" and second.fallback_reason
        assert second.draft.wins == ["I got good feedback from my lead"]
        assert svc.prep_draft(alex).wins == ["I got good feedback from my lead"]  # persisted


class Garbled:
    """A backend whose answer does not fit PrepUpdate: the offline rules must answer instead."""
    name = "garbled"

    def interpret(self, req):
        from assistant.coach.types import TurnResult
        return TurnResult(update={"goals": "sixty"}, backend="garbled")


def test_an_unusable_backend_answer_falls_back_to_the_offline_rules(tmp_path):
    svc = make_service(tmp_path / "home", backend=Garbled())
    svc.add_user(SYSTEM, "maria", "mentor")
    svc.add_user(SYSTEM, "alex", "mentee", mentor="maria")
    alex = who(svc, "alex")
    svc.schedule_meeting(alex, "alex", at(30))
    reply = svc.prep_chat(alex, "I'd like to ask about career paths")
    assert reply.backend == "offline (fallback)" and "ValidationError" in reply.fallback_reason
    assert reply.draft.questions == ["I'd like to ask about career paths"]


def test_a_win_told_when_asked_for_blockers_is_saved_as_a_win(svc):
    alex = who(svc, "alex")
    meeting = svc.schedule_meeting(alex, "alex", at(30))
    _, replies = prep(svc, "alex", "about 30%", "skip", "No blockers, but I finally shipped the onboarding guide!",
                      "skip", "skip", "yes")
    assert replies[2].text.startswith("Noted: 1 win, no blockers.")
    assert replies[-1].step.kind == "save"
    agenda = svc.agenda(who(svc, "maria"), meeting.id)
    assert agenda.wins == ["I finally shipped the onboarding guide!"] and agenda.blockers == []
    assert [i.kind for i in agenda.items].count("blocker") == 0
    assert any(i.kind == "wins" and "onboarding guide" in " ".join(i.details) for i in agenda.items)


def test_prep_speaks_of_the_last_meeting_only_when_the_pair_has_met(svc):  # noqa: F811
    maria = who(svc, "maria")
    svc.schedule_meeting(maria, "alex", at(26))
    opening, _ = prep(svc, "alex")
    assert "How is" in opening and "since your last meeting" not in opening, "their first meeting"
    second = make_service(svc.deps.settings.home, today=date(2026, 11, 27))  # the first was held
    second.schedule_meeting(maria, "alex", at(10, month=12))
    opening, _ = prep(second, "alex")
    assert "since your last meeting" in opening


def test_a_question_told_after_saving_joins_the_edited_agenda_for_the_mentor(svc):
    alex, maria = who(svc, "alex"), who(svc, "maria")
    meeting = svc.schedule_meeting(maria, "alex", at(26))
    *_, saved = prep(svc, "alex", "about 20%", "skip", "skip", "skip", "skip", "yes")[1]
    assert saved.step.kind == "save" and saved.agenda.version == 1
    edited = svc.edit_agenda(alex, meeting.id, [{"topic": "Salary talk", "minutes": 20},
                                                *[i.model_dump() for i in saved.agenda.items]])
    assert edited.version == 2
    again = make_service(svc.deps.settings.home)  # later, another process
    reply = again.prep_chat(alex, "Another question: should I apply for the lead role?")
    assert reply.step.kind == "add" and reply.agenda.version == 3 and reply.agenda.created_by == "alex"
    assert "I added it to your saved agenda; maria sees the new version." in reply.text
    brief = again.agenda(maria, meeting.id)
    assert brief == reply.agenda and brief.items[0].topic == "Salary talk"
    assert brief.questions == ["should I apply for the lead role?"]
    assert sum(i.minutes for i in brief.items) == meeting.minutes
    goal_id = svc.goals(alex)[0].id  # progress was logged once, at the save, not again
    assert [p.progress for p in again.deps.store.progress_history([goal_id])[goal_id]] == [20]
    # Small talk adds nothing and saves no version.
    assert again.prep_chat(alex, "thanks!").step.kind == "closed" and again.agenda(alex, meeting.id).version == 3
