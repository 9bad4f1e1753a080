"""The store against real databases: SQLite in tmp_path and a throwaway PostgreSQL."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Boolean, bindparam, event, inspect, insert, select, text

from assistant.config import Settings
from assistant.models import Citation, Goal, Message, Milestone, User
from assistant.store import ConversationChanged, Store, StoreError
from assistant.store.db import UTCDateTime, make_engine, migrate, schema_version
from assistant.store.migrations import MIGRATIONS
from assistant.store.tables import metadata
from pg import fresh_database

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand, so timestamps are known exactly."""
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'waypoint.db'}"
    return fresh_database(request.getfixturevalue("pg_url"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url, clock):
    with Store(db_url, clock=clock) as opened:
        opened.add_user(User(name="alice", role="mentee", display_name="Alice A."))
        opened.add_user(User(name="bea", role="mentee"))
        opened.add_user(User(name="mo", role="mentor"))
        opened.add_user(User(name="max", role="mentor"))
        yield opened


def a_goal(owner: str = "alice", **changes) -> Goal:
    fields = dict(owner=owner, title="Give 3 talks", statement="Give 3 internal talks by May 2027.",
                  measure="talks given", target="3 talks", baseline="0 talks",
                  achievability="lead gives slots", relevance="visibility for promotion",
                  deadline=date(2027, 5, 31), status="active", progress=10,
                  milestones=[Milestone(title="Pick topic", due=date(2027, 1, 15), done=True),
                              Milestone(title="First talk", due=date(2027, 3, 1))],
                  created_at=datetime(2026, 11, 23, 10, 30, 15, 123456,
                                      tzinfo=timezone(timedelta(hours=2))),
                  updated_at=T0)
    return Goal(**{**fields, **changes})


def a_message(text_: str, role: str = "user") -> Message:
    cite = Citation(doc_id="d1", source="03-smart-goals.md", title="SMART goals",
                    section="Deadlines", page=2, text="Goals need a date.", score=0.8125)
    return Message(role=role, text=text_, at=T0, backend="offline",
                   citations=[cite] if role == "assistant" else [])


# --- opening, migrations ------------------------------------------------------

def test_open_from_settings_creates_home_wal_and_foreign_keys(tmp_home):
    settings = Settings(home=tmp_home / "nested")
    with Store.open(settings) as store, store.engine.connect() as conn:
        assert (tmp_home / "nested" / "waypoint.db").is_file()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


def _shape(url: str) -> dict:
    engine = make_engine(url)
    try:
        insp = inspect(engine)
        return {t: {"columns": {c["name"]: (str(c["type"]), c["nullable"])
                                for c in insp.get_columns(t)},
                    "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                                      for i in insp.get_indexes(t)),
                    "foreign_keys": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                           for f in insp.get_foreign_keys(t))}
                for t in insp.get_table_names() if t != schema_version.name}
    finally:
        engine.dispose()


def test_migrations_build_exactly_the_schema_the_code_queries(db_url, tmp_path):
    Store(db_url).close()
    if db_url.startswith("sqlite"):
        reference = f"sqlite:///{tmp_path / 'reference.db'}"
    else:
        reference = fresh_database(db_url.rsplit("/", 1)[0] + "/postgres")
    engine = make_engine(reference)
    metadata.create_all(engine)
    engine.dispose()
    assert _shape(db_url) == _shape(reference)


def test_v1_database_is_upgraded_on_open(db_url):
    engine = make_engine(db_url)
    assert migrate(engine, MIGRATIONS[:1]) == 1  # what the first release created
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (name, role, display_name, active, created_at) "
                          "VALUES ('old', 'mentor', 'Old Timer', :t, :at)")
                     .bindparams(bindparam("t", True, Boolean), bindparam("at", T0, UTCDateTime)))
    assert "password_hash" not in {c["name"] for c in inspect(engine).get_columns("users")}
    engine.dispose()

    with Store(db_url) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert "password_hash" in {c["name"] for c in inspect(store.engine).get_columns("users")}
        assert store.get_user("old") == User(id=1, name="old", role="mentor",
                                             display_name="Old Timer", created_at=T0)
        store.set_password_hash("old", "$argon2id$fake")
        assert store.get_password_hash("old") == "$argon2id$fake"
        with store.engine.connect() as conn:
            applied = conn.execute(select(schema_version.c.version, schema_version.c.name)
                                   .order_by(schema_version.c.version)).all()
    assert [(v, n) for v, n in applied] == [(i + 1, s.name) for i, s in enumerate(MIGRATIONS)]


def test_reopening_applies_nothing_twice_and_newer_schema_is_refused(db_url):
    Store(db_url).close()
    Store(db_url).close()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        assert conn.scalar(select(schema_version.c.version).order_by(
            schema_version.c.version.desc()).limit(1)) == len(MIGRATIONS)
        assert len(conn.execute(select(schema_version)).all()) == len(MIGRATIONS)
        conn.execute(insert(schema_version).values(version=len(MIGRATIONS) + 1,
                                                   name="from the future", applied_at=T0))
    engine.dispose()
    with pytest.raises(StoreError, match="newer than this code"):
        Store(db_url)


# --- users and pairings -------------------------------------------------------

def test_users_round_trip_and_password_hash_stays_out_of_the_model(store):
    alice = store.get_user("alice")
    assert alice.display_name == "Alice A." and alice.role == "mentee" and alice.active
    assert store.get_user("nobody") is None
    assert [u.name for u in store.list_users()] == ["alice", "bea", "max", "mo"]
    assert [u.name for u in store.list_users(role="mentor")] == ["max", "mo"]

    assert store.set_active("bea", False).active is False
    assert [u.name for u in store.list_users(role="mentee", include_inactive=False)] == ["alice"]
    assert store.get_user("bea").active is False

    assert store.get_password_hash("alice") is None
    store.set_password_hash("alice", "$argon2id$v=19$abc")
    assert store.get_password_hash("alice") == "$argon2id$v=19$abc"
    assert "password" not in store.get_user("alice").model_dump_json()
    with pytest.raises(StoreError):
        store.set_password_hash("nobody", "x")
    with pytest.raises(StoreError):
        store.set_active("nobody", True)


def test_duplicate_user_is_refused_and_leaves_the_first(store):
    added = store.add_user(User(name="carl", role="mentee"), password_hash="h1")
    with pytest.raises(StoreError, match="already exists") as err:
        store.add_user(User(name="carl", role="mentor"), password_hash="h2")
    assert isinstance(err.value, ValueError)
    assert store.get_user("carl") == added
    assert store.get_password_hash("carl") == "h1"


def test_pairing_rules(store):
    first = store.pair("mo", "alice")
    assert (first.mentor, first.mentee, first.active) == ("mo", "alice", True)
    assert store.pair("mo", "alice") == first  # idempotent
    with pytest.raises(StoreError, match="already has the mentor 'mo'"):
        store.pair("max", "alice")
    for mentor, mentee in (("alice", "bea"), ("mo", "max"), ("mo", "nobody")):
        with pytest.raises(StoreError):
            store.pair(mentor, mentee)
    store.set_active("bea", False)
    with pytest.raises(StoreError, match="deactivated"):
        store.pair("mo", "bea")
    store.set_active("bea", True)
    store.pair("mo", "bea")
    assert store.mentor_of("alice") == "mo" and store.mentees_of("mo") == ["alice", "bea"]

    assert store.unpair("mo", "alice").active is False
    with pytest.raises(StoreError, match="not paired"):
        store.unpair("mo", "alice")
    assert store.mentor_of("alice") is None
    store.pair("max", "alice")
    assert store.mentor_of("alice") == "max" and store.mentees_of("mo") == ["bea"]
    assert [(p.mentor, p.mentee) for p in store.list_pairings()] == [("mo", "bea"), ("max", "alice")]
    assert len(store.list_pairings(active_only=False)) == 3


# --- goals ----------------------------------------------------------------------

def test_goal_round_trips_exactly(store):
    saved = store.save_goal(a_goal(), by="alice")
    assert saved.id is not None
    assert saved == a_goal().model_copy(update={"id": saved.id})
    assert store.get_goal(saved.id) == saved
    assert store.list_goals(owner="alice") == [saved]
    assert store.get_goal(saved.id + 1000) is None


def test_goal_versions_record_the_previous_state(store, clock):
    v1 = store.save_goal(a_goal(), by="alice")
    assert store.save_goal(v1, by="alice", note="nothing") == v1  # no change, no version

    clock.tick()
    edited = v1.model_copy(update={"deadline": date(2027, 6, 30), "history": []})
    v2 = store.save_goal(edited, by="mo", note="deadline 2027-06-30")
    assert v2.deadline == date(2027, 6, 30)
    assert (v2.created_at, v2.updated_at) == (v1.created_at, clock.now)
    [h1] = v2.history
    assert (h1.version, h1.at, h1.by, h1.note) == (1, clock.now, "mo", "deadline 2027-06-30")
    assert Goal.model_validate({**h1.snapshot, "id": v1.id}) == v1

    clock.tick()
    v3 = store.save_goal(v2.model_copy(update={"progress": 50, "status": "done"}), by="alice")
    assert [h.version for h in v3.history] == [1, 2]
    assert v3.history[1].snapshot["deadline"] == "2027-06-30"
    assert store.get_goal(v1.id) == v3

    with pytest.raises(StoreError, match="owner can't change"):
        store.save_goal(v3.model_copy(update={"owner": "bea"}), by="mo")
    with pytest.raises(StoreError, match="no goal"):
        store.save_goal(v3.model_copy(update={"id": v3.id + 1000}), by="mo")
    assert store.get_goal(v1.id) == v3


def test_goal_filters_counts_and_unknown_owner(store):
    store.save_goal(a_goal(), by="alice")
    store.save_goal(a_goal(status="done"), by="alice")
    store.save_goal(a_goal("bea", status="draft"), by="bea")
    assert [g.status for g in store.list_goals(owner="alice")] == ["active", "done"]
    assert [g.owner for g in store.list_goals(status=["draft", "done"])] == ["alice", "bea"]
    assert store.count_goals() == 3 and store.count_goals(owner=["alice", "bea"], status="done") == 1
    assert store.count_goals_by_status() == {"active": 1, "done": 1, "draft": 1}
    assert store.count_goals_by_status(owner="bea") == {"draft": 1}
    with pytest.raises(StoreError, match="'ghost'"):
        store.save_goal(a_goal("ghost"), by="ghost")
    assert store.count_goals() == 3


# --- conversations --------------------------------------------------------------

def test_conversation_survives_a_restart(db_url, clock):
    with Store(db_url, clock=clock) as store:
        store.add_user(User(name="alice", role="mentee"))
        conv = store.open_conversation("alice", "goal")
        assert (conv.user, conv.kind, conv.status, conv.messages) == ("alice", "goal", "open", [])
        conv.messages += [a_message("I want to give talks"), a_message("How many?", "assistant")]
        conv.state = {"what": "give talks", "deadline": None, "tries": {"measure": 1}}
        clock.tick()
        saved = store.save_conversation(conv)
        assert saved.updated_at == clock.now

    with Store(db_url, clock=clock) as store:  # the app restarted
        resumed = store.open_conversation("alice", "goal")
        assert resumed == saved
        resumed.messages.append(a_message("Three"))
        resumed.state["measure"] = "talks"
        appended = store.save_conversation(resumed)

    with Store(db_url, clock=clock) as store:
        assert store.get_conversation(saved.id) == appended
        assert [m.text for m in appended.messages][-1] == "Three"
        rewritten = appended.model_copy(update={"messages": [a_message("Start over")], "state": {}})
        with pytest.raises(ConversationChanged, match="another window"):
            store.save_conversation(rewritten)  # messages are only ever appended
        assert store.get_conversation(saved.id) == appended


def test_a_save_built_on_an_older_read_is_refused_and_drops_nothing(store):
    """Two tabs read the conversation, each appends a turn: the second save must not delete the
    first one's turn (it used to rewrite the messages: last save wins)."""
    first_tab = store.open_conversation("alice", "goal")
    second_tab = store.open_conversation("alice", "goal")
    first_tab.messages += [a_message("what does the guide say about milestones?"), a_message("It says…", "assistant")]
    first_tab.state = {"what": "give talks"}
    kept = store.save_conversation(first_tab)
    second_tab.messages += [a_message("change the target to 8 sessions")]
    second_tab.state = {"what": "8 sessions"}
    with pytest.raises(ConversationChanged):
        store.save_conversation(second_tab)
    assert store.get_conversation(kept.id) == kept


def test_one_open_conversation_per_user_and_kind(store, clock):
    goal_chat = store.open_conversation("alice", "goal")
    assert store.open_conversation("alice", "goal").id == goal_chat.id
    prep = store.open_conversation("alice", "prep")
    assert prep.id != goal_chat.id
    with pytest.raises(StoreError, match="'nobody'"):
        store.open_conversation("nobody", "goal")

    clock.tick()
    assert store.close_conversation(goal_chat.id).status == "closed"
    again = store.open_conversation("alice", "goal")
    assert again.id not in (goal_chat.id, prep.id)
    with pytest.raises(StoreError, match="another open goal conversation"):
        store.save_conversation(store.get_conversation(goal_chat.id).model_copy(
            update={"status": "open"}))
    with pytest.raises(StoreError):
        store.close_conversation(9999)

    assert [c.id for c in store.list_conversations("alice")] == [again.id, goal_chat.id, prep.id]
    assert [c.id for c in store.list_conversations("alice", kind="prep")] == [prep.id]
    assert store.list_conversations("bea") == []


def test_a_failure_mid_save_leaves_the_previous_conversation(store):
    conv = store.open_conversation("alice", "goal")
    conv.messages.append(a_message("first"))
    before = store.save_conversation(conv.model_copy(update={"state": {"step": 1}}))

    def crash_when_writing_messages(conn, cursor, statement, params, context, executemany):
        if statement.startswith("INSERT INTO messages"):
            raise RuntimeError("simulated crash while writing messages")

    event.listen(store.engine, "before_cursor_execute", crash_when_writing_messages)
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            store.save_conversation(before.model_copy(update={
                "state": {"step": 2}, "messages": [*before.messages, a_message("second")]}))
    finally:
        event.remove(store.engine, "before_cursor_execute", crash_when_writing_messages)
    assert store.get_conversation(before.id) == before  # state NOT at step 2


# --- two processes on one database ------------------------------------------------

def test_two_stores_write_at_the_same_time(db_url):
    first, second = Store(db_url), Store(db_url)
    try:
        first.add_user(User(name="alice", role="mentee"))
        goal = first.save_goal(a_goal(), by="alice")

        def work(args):
            store, worker = args
            for i in range(15):
                store.add_user(User(name=f"w{worker}-{i}", role="mentee"))
                latest = store.get_goal(goal.id)
                store.save_goal(latest.model_copy(update={"title": f"w{worker}-{i}"}),
                                by=f"w{worker}", note=str(i))
                store.open_conversation("alice", "goal")
            return worker

        with ThreadPoolExecutor(4) as pool:
            done = list(pool.map(work, [(first, 0), (second, 1), (first, 2), (second, 3)]))
        assert done == [0, 1, 2, 3]
        assert len(second.list_users()) == 1 + 4 * 15
        history = first.get_goal(goal.id).history
        assert [h.version for h in history] == list(range(1, 4 * 15 + 1))
        assert len(second.list_conversations("alice")) == 1
    finally:
        first.close()
        second.close()


def test_llm_usage_totals_add_up(tmp_path):
    from assistant.coach.types import Usage
    from assistant.store import Store
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    assert store.usage_totals() == {"calls": 0, "prompt_tokens": 0, "completion_tokens": 0,
                                    "latency_ms": 0, "turns": 0}
    store.record_usage("alex", "openai:gpt", Usage(calls=1, prompt_tokens=900, completion_tokens=80, latency_ms=420.5))
    store.record_usage("sam", "openai:gpt", Usage(calls=2, prompt_tokens=1500, completion_tokens=100, latency_ms=800))
    totals = store.usage_totals()
    assert totals == {"calls": 3, "prompt_tokens": 2400, "completion_tokens": 180, "latency_ms": 1220, "turns": 2}


def test_coordinator_sees_llm_usage_totals_only(tmp_path):
    from assistant.coach.types import Usage
    from assistant.config import Settings
    from assistant.deps import build_deps
    from assistant.service import SYSTEM, AccessDenied, Service
    svc = Service(build_deps(Settings(home=tmp_path, llm="offline")))
    casey = svc.add_user(SYSTEM, "casey", "coordinator")
    alex = svc.add_user(SYSTEM, "alex", "mentee")
    assert svc.program_stats(casey).llm.calls == 0
    svc.deps.store.record_usage("alex", "openai:m", Usage(calls=1, prompt_tokens=1200, completion_tokens=90, latency_ms=640))
    llm = svc.program_stats(casey).llm
    assert (llm.calls, llm.prompt_tokens, llm.completion_tokens, llm.turns, llm.latency_ms) == (1, 1200, 90, 1, 640)
    with pytest.raises(AccessDenied):
        svc.program_stats(alex)
