"""The meetings repository on SQLite (tmp_path) and a throwaway PostgreSQL (`pg_url`)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest

from assistant.meeting_models import ActionItem, Agenda, AgendaItem, Meeting
from assistant.models import Goal, User
from assistant.store import Store, StoreError
from pg import fresh_database

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'waypoint.db'}" if request.param == "sqlite"
           else fresh_database(request.getfixturevalue("pg_url")))
    ticks = iter(T0 + timedelta(minutes=n) for n in range(10_000))
    with Store(url, clock=lambda: next(ticks)) as opened:
        for name, role in (("alex", "mentee"), ("bea", "mentee"), ("maria", "mentor")):
            opened.add_user(User(name=name, role=role))
        yield opened


def a_meeting(store: Store, mentee: str = "alex", day: int = 30, **kw) -> Meeting:
    return store.add_meeting(Meeting(mentee=mentee, mentor="maria", starts_at=datetime(2026, 11, day, 10, 0),
                                     created_by=mentee, created_at=T0, **kw))


def an_agenda(meeting: Meeting, topic: str = "Check-in") -> Agenda:
    return Agenda(meeting_id=meeting.id, meeting_minutes=meeting.minutes, created_by="alex",
                  items=[AgendaItem(topic=topic, minutes=meeting.minutes, priority=1)],
                  questions=["How do I say “no” to my manager?"])


def test_meetings_round_trip_in_time_order_and_keep_their_pair(store):
    late = a_meeting(store, day=30)
    early = a_meeting(store, day=24, minutes=60)
    a_meeting(store, mentee="bea", day=25)
    assert [m.id for m in store.list_meetings(mentee="alex")] == [early.id, late.id]
    assert store.get_meeting(early.id) == early and early.starts_at.tzinfo is not None
    assert len(store.list_meetings(mentor="maria")) == 3
    held = early.model_copy(update={"status": "done", "notes": "Good one.", "mentor_private_notes": "tired"})
    store.update_meeting(held)
    assert store.get_meeting(early.id) == held
    assert [m.id for m in store.list_meetings(mentee="alex", status="scheduled")] == [late.id]
    with pytest.raises(StoreError, match="between"):
        store.update_meeting(held.model_copy(update={"mentee": "bea"}))
    with pytest.raises(StoreError):
        store.add_meeting(Meeting(mentee="nobody", mentor="maria", starts_at=T0))
    assert store.get_meeting(999) is None


def test_agenda_versions_are_appended_never_overwritten(store):
    meeting = a_meeting(store)
    first = store.save_agenda(an_agenda(meeting))
    second = store.save_agenda(an_agenda(meeting, "Career talk").model_copy(update={"version": 7}))
    assert (first.version, second.version) == (1, 2)  # the store numbers them
    assert store.get_agenda(meeting.id) == second
    assert store.get_agenda(meeting.id, version=1) == first
    assert first.questions == ["How do I say “no” to my manager?"]
    assert (first.created_at, second.created_at) == (T0, T0 + timedelta(minutes=1))  # stamped by the store
    assert [a.items[0].topic for a in store.list_agendas(meeting.id)] == ["Check-in", "Career talk"]
    assert store.get_agenda(a_meeting(store, day=26).id) is None
    with pytest.raises(StoreError):
        store.save_agenda(an_agenda(meeting).model_copy(update={"meeting_id": 999}))


def test_concurrent_agenda_saves_get_distinct_versions(store):
    meeting = a_meeting(store)
    with ThreadPoolExecutor(max_workers=4) as pool:
        saved = list(pool.map(lambda n: store.save_agenda(an_agenda(meeting, f"topic {n}")), range(8)))
    assert sorted(a.version for a in saved) == list(range(1, 9))


def test_action_items_belong_to_a_meeting_and_are_listed_per_mentee(store):
    first, second = a_meeting(store, day=24), a_meeting(store, day=30)
    other = a_meeting(store, mentee="bea", day=24)
    made = store.add_action_items(first.id, [ActionItem(text="Send the CV", due=date(2026, 12, 1)),
                                             ActionItem(text="Intro to events team", owner="mentor")])
    store.add_action_items(second.id, [ActionItem(text="Rewrite the intro")])
    store.add_action_items(other.id, [ActionItem(text="Not alex's")])
    assert [a.meeting_id for a in made] == [first.id, first.id] and made[0].due == date(2026, 12, 1)
    assert [a.text for a in store.list_action_items("alex")] == ["Send the CV", "Intro to events team",
                                                               "Rewrite the intro"]
    done = store.set_action_status(made[0].id, "done")
    assert done.status == "done" and store.get_action_item(made[0].id) == done
    assert [a.text for a in store.list_action_items("alex", status="open")] == ["Intro to events team",
                                                                            "Rewrite the intro"]
    assert [a.text for a in store.list_action_items("alex", meeting_id=second.id)] == ["Rewrite the intro"]
    with pytest.raises(StoreError):
        store.set_action_status(999, "done")
    with pytest.raises(StoreError):
        store.add_action_items(999, [ActionItem(text="orphan")])
    assert store.add_action_items(first.id, []) == []


def test_goal_progress_is_a_log_per_goal(store):
    goal = store.save_goal(Goal(owner="alex", title="Talks", statement="Give 3 talks", deadline=date(2027, 3, 1)),
                           by="alex")
    meeting = a_meeting(store)
    store.record_progress([(goal.id, 10)], meeting_id=meeting.id)
    store.record_progress([(goal.id, 40)])
    history = store.progress_history([goal.id, 12345])
    assert [(p.progress, p.meeting_id) for p in history[goal.id]] == [(10, meeting.id), (40, None)]
    assert history[goal.id][0].at < history[goal.id][1].at and history[12345] == []
    with pytest.raises(StoreError):
        store.record_progress([(12345, 5)])
    store.record_progress([])
    assert store.progress_history([]) == {}
