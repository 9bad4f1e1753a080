"""Who may see and change what, enforced in the service layer.

Every public Service method (found with inspect, so a new method without a case here fails
`test_every_public_method_has_a_case`) is called by each role, once on records the actor may
reach (alex's: alex himself, maria his mentor) and once on someone else's (sam's, whose mentor is
omar). Refusals must be AccessDenied or NotFound; allowed calls must succeed and return only what
the actor may see. Each call gets a fresh copy of one prepared database.
"""
from __future__ import annotations

import inspect
import json
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant import auth
from assistant.coach.offline import OfflineBackend
from assistant.config import Settings
from assistant.deps import Deps
from assistant.kb import KnowledgeBase
from assistant.meeting_models import ActionItem, Agenda, AgendaItem, Meeting
from assistant.models import Goal, Message, User
from assistant.service import AccessDenied, LoginFailed, NotFound, Service
from assistant.store import Store

TODAY = date(2026, 11, 23)
PASSWORD = "privacy test pass 1"
ROOT = Path(__file__).resolve().parents[1]
ACTORS = {"mentee": "alex", "mentor": "maria", "coordinator": "coord"}
REFUSED = (AccessDenied, NotFound)
ALL = frozenset(ACTORS)


@dataclass(frozen=True)
class Records:
    """One mentee's records: `own` (alex's) or `other` (sam's)."""
    mentee: str
    mentor: str
    goal_id: int
    past_meeting: int
    next_meeting: int
    action_id: int
    secret: str  # words that appear only in this mentee's goal, chat and notes


def at(day: int, hour: int = 15) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=timezone.utc)


# -- the prepared world ----------------------------------------------------------------------

def _settings(home: Path, guides: Path) -> Settings:
    return Settings(home=home, database_url=f"sqlite:///{home / 'waypoint.db'}", knowledge_dir=guides,
                    llm="offline")


def _service(settings: Settings, kb: KnowledgeBase) -> Service:
    return Service(Deps(settings=settings, store=Store(settings.db_url), backend=OfflineBackend(),
                        today=lambda: TODAY, _kb=kb))


def _mentee_records(svc: Service, mentee: str, mentor: str, secret: str) -> Records:
    store = svc.deps.store
    goal = store.save_goal(Goal(owner=mentee, title=f"{secret} goal", deadline=date(2027, 3, 31),
                                statement=f"Give 3 talks on {secret} by March 31, 2027"), by=mentee)
    conv = store.open_conversation(mentee, "goal")
    conv.messages.append(Message(role="user", text=f"My {secret} plans"))
    store.save_conversation(conv)
    past = store.add_meeting(Meeting(mentee=mentee, mentor=mentor, starts_at=at(16), created_by=mentor))
    mentor_user = store.get_user(mentor)
    svc.record_notes(mentor_user, past.id, f"shared {secret} notes",
                     [ActionItem(text=f"Draft the {secret} outline")])
    svc.record_notes(mentor_user, past.id, f"PRIVATE {secret} impressions", private=True)
    upcoming = svc.schedule_meeting(mentor_user, mentee, at(26))
    store.save_agenda(Agenda(meeting_id=upcoming.id, meeting_minutes=45, created_by=mentee,
                             items=[AgendaItem(topic=f"{secret} talk plan", minutes=45, priority=1)]))
    action = store.list_action_items(mentee)[0]
    return Records(mentee, mentor, goal.id, past.id, upcoming.id, action.id, secret)


@pytest.fixture(scope="session")
def guides(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("guides")
    (folder / "smart.md").write_text("# SMART goals\n\nA specific goal says what will be done, "
                                     "how much, and by when. Meet your mentor every two weeks.\n")
    return folder


@pytest.fixture(scope="session")
def kb(tmp_path_factory, guides) -> KnowledgeBase:
    """One real knowledge base for every world (building one costs an embedding model load)."""
    return KnowledgeBase(_settings(tmp_path_factory.mktemp("kb"), guides))


@pytest.fixture(scope="session")
def template(tmp_path_factory, guides, kb) -> tuple[Path, Records, Records]:
    home = tmp_path_factory.mktemp("template")
    svc = _service(_settings(home, guides), kb)
    store, hashed = svc.deps.store, auth.hash_password(PASSWORD)
    for name, role in [("coord", "coordinator"), ("maria", "mentor"), ("omar", "mentor"),
                       ("alex", "mentee"), ("sam", "mentee"), ("lee", "mentee")]:
        store.add_user(User(name=name, role=role), password_hash=hashed)
    store.pair("maria", "alex")
    store.pair("omar", "sam")
    own = _mentee_records(svc, "alex", "maria", "ALEXSECRET")
    other = _mentee_records(svc, "sam", "omar", "SAMSECRET")
    store.close()
    return home, own, other


@pytest.fixture()
def world(template, tmp_path, guides, kb) -> tuple[Service, Records, Records]:
    home, own, other = template
    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    svc = _service(_settings(copy, guides), kb)
    yield svc, own, other
    svc.deps.store.close()


# -- the cases -------------------------------------------------------------------------------

Call = Callable[[Service, User, Records], object]


@dataclass(frozen=True)
class Case:
    call: Call
    own: frozenset = frozenset()  # roles allowed on alex's records (mentee alex, mentor maria)
    other: frozenset = frozenset()  # roles allowed on sam's records
    check: Callable[[object, User, Records], None] | None = None


PAIR = frozenset({"mentee", "mentor"})
COORD = frozenset({"coordinator"})


def only_this_mentee(result, actor: User, r: Records) -> None:
    """Every record returned belongs to the mentee asked about."""
    items = result if isinstance(result, list) else [result]
    assert items and all(getattr(item, "owner", r.mentee) == r.mentee for item in items), items


def only_own_mentees(result, actor: User, r: Records) -> None:
    assert result == ["alex"], result


def no_private_notes_unless_mentor(result, actor: User, r: Records) -> None:
    items = result if isinstance(result, list) else [result]
    for m in items:
        if isinstance(m, Meeting) and actor.name != m.mentor:
            assert m.mentor_private_notes == "", f"{actor.name} saw the mentor's private notes"


def no_goal_text(result, actor, r: Records) -> None:
    dumped = json.dumps(result.model_dump(mode="json"))
    assert "ALEXSECRET" not in dumped and "SAMSECRET" not in dumped


def upload(svc: Service, actor: User, r: Records):
    return svc.kb_upload(actor, f"note-{uuid.uuid4().hex[:8]}.md", b"# Note\n\nBook meetings early.\n")


def remove(svc: Service, actor: User, r: Records):
    doc = svc.deps.kb.add_bytes(f"gone-{uuid.uuid4().hex[:8]}.md", b"# Gone\n\nTo be removed.\n")
    return svc.kb_remove(actor, doc.doc_id)


def replace(svc: Service, actor: User, r: Records):
    tag = uuid.uuid4().hex[:8]
    old = svc.deps.kb.add_bytes(f"old-{tag}.md", f"# Old {tag}\n\nMeet monthly.\n".encode())
    return svc.kb_replace(actor, old.doc_id, f"new-{tag}.md", f"# New {tag}\n\nMeet every two weeks.\n".encode())


def own_only(result, actor: User, r: Records) -> None:
    assert getattr(result, "user", actor.name) == actor.name


AGENDA_ROWS = [{"topic": "Rehearse the talk", "minutes": 30}, {"topic": "Questions", "minutes": 15}]

CASES: dict[str, Case] = {
    # goals and chats
    "goal_conversation": Case(lambda s, a, r: s.goal_conversation(a), {"mentee"}, {"mentee"}, own_only),
    "chat": Case(lambda s, a, r: s.chat(a, "I want to give 2 talks by May 2027"), {"mentee"}, {"mentee"}),
    "goals": Case(lambda s, a, r: s.goals(a, r.mentee), PAIR, check=only_this_mentee),
    "goal": Case(lambda s, a, r: s.goal(a, r.goal_id), PAIR, check=only_this_mentee),
    "edit_goal": Case(lambda s, a, r: s.edit_goal(a, r.goal_id, progress=40), {"mentee"}, check=only_this_mentee),
    "add_milestone": Case(lambda s, a, r: s.add_milestone(a, r.goal_id, "Outline the talk"), {"mentee"},
                          check=only_this_mentee),
    "set_milestone_done": Case(lambda s, a, r: s.set_milestone_done(
        a, r.goal_id, len(s.add_milestone(s.deps.store.get_user(r.mentee), r.goal_id, "Outline").milestones) - 1),
        {"mentee"}, check=only_this_mentee),
    "remove_milestone": Case(lambda s, a, r: s.remove_milestone(
        a, r.goal_id, len(s.add_milestone(s.deps.store.get_user(r.mentee), r.goal_id, "Outline").milestones) - 1),
        {"mentee"}, check=only_this_mentee),
    "mentees": Case(lambda s, a, r: s.mentees(a), {"mentor"}, {"mentor"}, only_own_mentees),
    # meetings, agendas, notes, prep, briefs
    "schedule_meeting": Case(lambda s, a, r: s.schedule_meeting(a, r.mentee, at(30)), PAIR),
    "cancel_meeting": Case(lambda s, a, r: s.cancel_meeting(a, r.next_meeting), PAIR),
    "next_meeting_date": Case(lambda s, a, r: s.next_meeting_date(a, r.mentee, "weekly"), PAIR),
    "mentor_of_mentee": Case(lambda s, a, r: s.mentor_of_mentee(a, r.mentee), PAIR),
    "meetings": Case(lambda s, a, r: s.meetings(a, r.mentee), PAIR, check=no_private_notes_unless_mentor),
    "meetings#mentor": Case(lambda s, a, r: s.meetings(a, r.mentor), {"mentor"}),
    "meetings_by_phase": Case(lambda s, a, r: [m for phase in s.meetings_by_phase(a, r.mentee) for m in phase],
                              PAIR, check=no_private_notes_unless_mentor),
    "cancelled_ahead": Case(lambda s, a, r: s.cancelled_ahead(a, r.mentee), PAIR,
                            check=no_private_notes_unless_mentor),
    "meeting": Case(lambda s, a, r: s.meeting(a, r.past_meeting), PAIR, check=no_private_notes_unless_mentor),
    "upcoming_meeting": Case(lambda s, a, r: s.upcoming_meeting(a, r.mentee), PAIR,
                             check=no_private_notes_unless_mentor),
    "agenda": Case(lambda s, a, r: s.agenda(a, r.next_meeting), PAIR),
    "agenda_versions": Case(lambda s, a, r: s.agenda_versions(a, r.next_meeting), PAIR),
    "edit_agenda": Case(lambda s, a, r: s.edit_agenda(a, r.next_meeting, AGENDA_ROWS), {"mentee"}),
    "record_notes": Case(lambda s, a, r: s.record_notes(a, r.past_meeting, "We agreed on a plan"), PAIR,
                         check=no_private_notes_unless_mentor),
    "record_notes#private": Case(lambda s, a, r: s.record_notes(a, r.past_meeting, "only me", private=True),
                                 {"mentor"}),
    "action_items": Case(lambda s, a, r: s.action_items(a, r.mentee), PAIR),
    "set_action_status": Case(lambda s, a, r: s.set_action_status(a, r.action_id, "done"), PAIR),
    "export#agenda": Case(lambda s, a, r: s.export(a, "agenda", "md", meeting_id=r.next_meeting), PAIR),
    "export#goals": Case(lambda s, a, r: s.export(a, "goals", "csv", mentee=r.mentee), PAIR),
    "prep_conversation": Case(lambda s, a, r: s.prep_conversation(a, r.next_meeting), {"mentee"}),
    "prep_draft": Case(lambda s, a, r: s.prep_draft(a, r.next_meeting), {"mentee"}),
    "prep_chat": Case(lambda s, a, r: s.prep_chat(a, "I gave my first talk", r.next_meeting), {"mentee"}),
    "brief": Case(lambda s, a, r: s.brief(a, meeting_id=r.next_meeting), {"mentor"}),
    "brief#mentee": Case(lambda s, a, r: s.brief(a, mentee=r.mentee), {"mentor"}),
    # guidelines: program-wide, no one's records
    "kb_search": Case(lambda s, a, r: s.kb_search(a, "how often should we meet"), ALL, ALL),
    "ask_guidelines": Case(lambda s, a, r: s.ask_guidelines(a, "What makes a goal specific?"), ALL, ALL),
    "kb_documents": Case(lambda s, a, r: s.kb_documents(a), COORD, COORD),
    "kb_upload": Case(upload, COORD, COORD),
    "kb_remove": Case(remove, COORD, COORD),
    "kb_replace": Case(replace, COORD, COORD),
    # accounts and people
    "password_must_change": Case(lambda s, a, r: s.password_must_change(a), ALL, ALL),
    "change_password": Case(lambda s, a, r: s.change_password(a, PASSWORD, "a fresh passphrase 2"), ALL, ALL),
    "reset_password": Case(lambda s, a, r: s.reset_password(a, r.mentee, "a fresh passphrase 2"), COORD, COORD),
    "create_account": Case(lambda s, a, r: s.create_account(a, f"new-{r.mentee}", "mentee", PASSWORD,
                                                            mentor=r.mentor), COORD, COORD),
    "add_user": Case(lambda s, a, r: s.add_user(a, f"new-{r.mentee}", "mentor"), COORD, COORD),
    "users": Case(lambda s, a, r: s.users(a), COORD, COORD),
    "deactivate": Case(lambda s, a, r: s.deactivate(a, r.mentee), COORD, COORD),
    "reactivate": Case(lambda s, a, r: s.reactivate(a, r.mentee), COORD, COORD),
    "pair": Case(lambda s, a, r: s.pair(a, r.mentor, "lee"), COORD, COORD),
    "unpair": Case(lambda s, a, r: s.unpair(a, r.mentor, r.mentee), COORD, COORD),
    "pairs": Case(lambda s, a, r: s.pairs(a), COORD, COORD),
    "program_stats": Case(lambda s, a, r: s.program_stats(a), COORD, COORD, no_goal_text),
}

# No acting user: how one signs in, and what the server's own operator (CLI) does. Each has
# its own test below; the operator ones must never be called from a page.
ENTRY_POINTS = {"login", "login_external", "session_user", "logout", "ensure_admin", "first_start_pending"}
OPERATOR_ONLY = {"user", "export_as_operator"}


def public_methods() -> set[str]:
    return {name for name, _ in inspect.getmembers(Service, inspect.isfunction) if not name.startswith("_")}


def test_every_public_method_has_a_case():
    covered = {key.split("#")[0] for key in CASES} | ENTRY_POINTS | OPERATOR_ONLY
    assert public_methods() - covered == set(), "add a privacy case for each new Service method"
    assert covered - public_methods() == set(), "a case names a method that no longer exists"


def test_methods_with_an_actor_take_it_first():
    for name in public_methods() - ENTRY_POINTS - OPERATOR_ONLY:
        params = list(inspect.signature(getattr(Service, name)).parameters)
        assert params[:2] == ["self", "actor"], f"{name} must take the acting user first"


@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("role", sorted(ACTORS))
@pytest.mark.parametrize("key", sorted(CASES))
def test_access(world, key, role, scope):
    svc, own, other = world
    case, records = CASES[key], own if scope == "own" else other
    actor = svc.deps.store.get_user(ACTORS[role])
    allowed = role in (case.own if scope == "own" else case.other)
    if not allowed:
        with pytest.raises(REFUSED):
            case.call(svc, actor, records)
        return
    result = case.call(svc, actor, records)
    if case.check is not None:
        case.check(result, actor, records)


def test_a_deactivated_or_unpaired_mentor_loses_access(world):
    svc, own, _ = world
    store = svc.deps.store
    maria = store.get_user("maria")
    assert svc.goals(maria, "alex")
    store.unpair("maria", "alex")
    for call in (lambda: svc.goals(maria, "alex"), lambda: svc.meeting(maria, own.past_meeting),
                 lambda: svc.brief(maria, mentee="alex")):
        with pytest.raises(REFUSED):
            call()
    store.pair("maria", "alex")
    gone = store.set_active("maria", False)
    with pytest.raises(REFUSED):
        svc.goals(gone, "alex")


def test_private_mentor_notes_never_reach_the_mentee(world):
    svc, own, _ = world
    alex, maria = (svc.deps.store.get_user(n) for n in ("alex", "maria"))
    assert "PRIVATE" in svc.meeting(maria, own.past_meeting).mentor_private_notes
    seen_by_alex = [svc.meeting(alex, own.past_meeting), *svc.meetings(alex), svc.upcoming_meeting(alex)]
    assert all(m.mentor_private_notes == "" for m in seen_by_alex)
    for what, kw in (("agenda", {"meeting_id": own.next_meeting}), ("goals", {"mentee": "alex"})):
        assert b"PRIVATE" not in svc.export(alex, what, "md", **kw).data
    with pytest.raises(AccessDenied):
        svc.record_notes(alex, own.past_meeting, "I'd like to see those", private=True)
    with pytest.raises(AccessDenied):
        svc.brief(alex, meeting_id=own.next_meeting)


def test_coordinator_sees_aggregates_only(world):
    svc, _, _ = world
    coord = svc.deps.store.get_user("coord")
    stats = svc.program_stats(coord)
    assert stats.goals == 2 and stats.pairs == 2 and stats.people == {"mentee": 3, "mentor": 2, "coordinator": 1}
    assert {(a.mentor, a.mentee, a.meetings) for a in stats.pair_activity} == {("maria", "alex", 1),
                                                                                ("omar", "sam", 1)}
    assert stats.quiet_pairs == 0 and stats.unpaired_mentees == 1
    for call in (lambda: svc.goals(coord, "alex"), lambda: svc.goal_conversation(coord),
                 lambda: svc.meetings(coord, "alex"), lambda: svc.export(coord, "goals", "md", mentee="alex")):
        with pytest.raises(AccessDenied):
            call()


def test_a_pair_is_quiet_without_a_meeting_held_in_30_days():
    from assistant.models import Pairing
    from assistant.service.program import _pair_activity

    def pair_with(*meetings: tuple[int, str], paired_days_ago: int = 60):
        rows = [Meeting(mentee="alex", mentor="maria", starts_at=datetime(2026, 11, 23, 15, tzinfo=timezone.utc)
                        + timedelta(days=offset), status=status) for offset, status in meetings]
        pair = Pairing(mentor="maria", mentee="alex",
                       created_at=datetime(2026, 11, 23, tzinfo=timezone.utc) - timedelta(days=paired_days_ago))
        return _pair_activity([pair], rows, TODAY)[0]

    assert pair_with().quiet and pair_with((-45, "done")).quiet and pair_with((10, "cancelled")).quiet
    assert not pair_with((-45, "done"), (-20, "done")).quiet
    upcoming = pair_with((-45, "done"), (12, "scheduled"))
    assert upcoming.quiet and upcoming.meetings == 1, "45 days without a meeting: a booking ahead doesn't hide it"
    assert not pair_with((-20, "done"), (12, "scheduled")).quiet
    unheld = pair_with((-45, "done"), (-10, "scheduled"))  # past, never recorded: not held
    assert unheld.quiet and unheld.meetings == 1 and unheld.last_meeting == date(2026, 10, 9)
    late_evening = pair_with((-3, "done"))  # 15:00 UTC is still that day in Paris; 23:30 UTC is the next
    assert late_evening.last_meeting == date(2026, 11, 20)
    assert not pair_with(paired_days_ago=10).quiet, "a pair formed 10 days ago is still getting started"
    assert upcoming.last_meeting == date(2026, 10, 9) and upcoming.next_meeting == date(2026, 12, 5)
    assert _pair_activity([Pairing(mentor="maria", mentee="alex")], None, TODAY)[0].meetings is None
    from zoneinfo import ZoneInfo
    night = Meeting(mentee="alex", mentor="maria", starts_at=datetime(2026, 12, 7, 23, 30, tzinfo=timezone.utc))
    paris = _pair_activity([Pairing(mentor="maria", mentee="alex")], [night], TODAY, ZoneInfo("Europe/Paris"))[0]
    assert paris.next_meeting == date(2026, 12, 8), "00:30 in Paris is the 8th, not the UTC 7th"


# -- entry points without an acting user -----------------------------------------------------

def test_nobody_signs_in_as_someone_else(world):
    svc, _, _ = world
    for name, password in (("sam", "privacy test pass 2"), ("sam", ""), ("SAM", PASSWORD + " ")):
        with pytest.raises(LoginFailed):
            svc.login(name, password)
    with pytest.raises(LoginFailed):
        svc.login_external("sam@example.org")  # no account has that name


def test_session_tokens_cannot_be_forged_or_replayed_from_the_database(world):
    svc, _, _ = world
    token = svc.login("sam", PASSWORD).token
    digest = auth.token_digest(token)
    for forged in (digest, digest[:43], auth.new_session_token(), "' OR '1'='1", "", None):
        assert svc.session_user(forged) is None
    svc.logout(auth.new_session_token())  # someone else's logout can't end sam's session
    assert svc.session_user(token).name == "sam"


def test_first_start_never_resets_an_existing_admin(world):
    svc, _, _ = world
    svc.ensure_admin("first operator pass 1")
    assert svc.ensure_admin("takeover attempt 2") is None and svc.ensure_admin(None) is None
    assert svc.login("admin", "first operator pass 1").user.role == "coordinator"


def test_operator_only_methods_are_never_called_from_a_page():
    pages = [ROOT / "app.py", *sorted((ROOT / "assistant" / "ui").glob("*.py"))]
    pattern = re.compile(r"(svc|service\(\))\.(%s)\(" % "|".join(sorted(OPERATOR_ONLY)))
    for page in pages:
        for line in page.read_text(encoding="utf-8").splitlines():
            assert not pattern.search(line), f"{page.name}: {line.strip()}"


# -- output safety ---------------------------------------------------------------------------

def test_pages_never_render_raw_html_and_run_script_in_one_place_only():
    for page in [ROOT / "app.py", *sorted((ROOT / "assistant" / "ui").glob("*.py"))]:
        text = page.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, page.name
        if "unsafe_allow_javascript" in text:
            assert page.name == "session.py", f"{page.name} runs JavaScript"


def test_no_page_has_a_bare_expression_that_magic_would_render():
    """Streamlit's "magic" st.writes the value of any bare expression that isn't a plain call,
    e.g. `st.markdown(a) if x else st.text(b)` shows a DeltaGenerator's help table."""
    import ast
    for page in [ROOT / "app.py", *sorted((ROOT / "assistant" / "ui").glob("*.py"))]:
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Constant, ast.Await, ast.Yield, ast.YieldFrom)):
                pytest.fail(f"{page.name}:{node.lineno}: a bare expression, rendered by magic")


def test_user_text_is_escaped_before_markdown():
    from assistant.ui.common import escape_md, goal_markdown, safe_markdown
    nasty = "<img src=x onerror=alert(1)> ![t](http://evil.example/p.png) [click](javascript:x) $x^2$ :red[hi]"
    goal = Goal(owner="alex", title=nasty[:100], statement=nasty, relevance=nasty, deadline=date(2027, 1, 1))
    for text in (escape_md(nasty), goal_markdown(goal, date(2027, 2, 1)), safe_markdown(nasty)):
        bare = re.sub(r"\\.", "", text)  # what is left once the escaped characters are gone
        assert not set("<[]$") & set(bare) and "://" not in bare and "www." not in bare, bare
    assert ":" not in re.sub(r"\\.", "", escape_md(nasty))  # no :red[...] or :emoji: either


def test_uploads_are_size_checked_before_parsing(world):
    svc, _, _ = world
    coord = svc.deps.store.get_user("coord")
    limit = svc.deps.kb.settings.max_upload_mb * 1024 * 1024
    result = svc.kb_upload(coord, "huge.pdf", b"not a pdf at all" + b"x" * limit)
    assert result.status == "error" and "limit" in result.error
    page = (ROOT / "assistant" / "ui" / "knowledge.py").read_text(encoding="utf-8")
    assert "svc.kb_upload(" in page and "deps.kb" not in page.replace("svc.deps.settings", "")
