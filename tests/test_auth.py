"""Accounts: hashing, the password policy, sessions, login/logout, deactivation, the first
admin, the CLI and the sign-in pages. Real SQLite in tmp_path, real argon2."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from login_support import APP, PASSWORD, login, sign_in
from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from assistant import auth
from assistant.cli import app as cli
from assistant.config import Settings
from assistant.deps import build_deps
from assistant.models import Goal
from assistant.service import SYSTEM, AccessDenied, LoginFailed, Service
from assistant.store.tables import sessions
from assistant.ui.session import first_start

SECRET = "Tr0ub4dor and horses"  # a password that must never show up outside its hash


@pytest.fixture()
def svc(tmp_home, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("WAYPOINT_ADMIN_PASSWORD", raising=False)
    service = Service(build_deps(Settings()))
    service.create_account(SYSTEM, "coord", "coordinator", PASSWORD, must_change=False)
    service.create_account(SYSTEM, "maria", "mentor", PASSWORD, must_change=False)
    service.create_account(SYSTEM, "alex", "mentee", SECRET, mentor="maria", must_change=False)
    return service


def reopened(svc: Service) -> Service:
    """Another process (or a restarted server) over the same database."""
    return Service(build_deps(svc.deps.settings))


# -- pure parts ------------------------------------------------------------------------------

def test_hashes_are_salted_argon2id_and_verify():
    first, second = auth.hash_password(SECRET), auth.hash_password(SECRET)
    assert first.startswith("$argon2id$") and first != second and SECRET not in first
    assert auth.verify_password(first, SECRET) and auth.verify_password(second, SECRET)
    assert not auth.verify_password(first, SECRET + "!")
    assert not auth.verify_password(None, SECRET)  # unknown user: still a full verify, then no
    assert not auth.verify_password("not a hash", SECRET)


@pytest.mark.parametrize("password, problem", [
    ("short1", "at least"), ("x" * 300, "at most"), (" padded password ", "space"),
    ("alex-is-great-2027", "user name"), ("password123", "easy"), ("aaaaaaaaaaaa", "easy"),
])
def test_password_policy_refuses(password, problem):
    with pytest.raises(auth.PasswordPolicyError, match=problem):
        auth.check_password(password, "alex")


def test_policy_accepts_a_passphrase_and_generated_passwords():
    auth.check_password("correct horse battery staple", "alex")
    for _ in range(20):
        auth.check_password(auth.generate_password(), "admin")


def test_session_tokens_are_random_and_stored_as_digests():
    tokens = {auth.new_session_token() for _ in range(50)}
    assert len(tokens) == 50 and all(auth.is_token_shaped(t) for t in tokens)
    token = tokens.pop()
    digest = auth.token_digest(token)
    assert len(digest) == 64 and token not in digest and digest == auth.token_digest(token)
    assert not auth.is_token_shaped("x' OR 1=1 --") and not auth.is_token_shaped("")


def test_throttle_locks_after_repeated_failures_and_forgets_them():
    now = [datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)]
    throttle = auth.LoginThrottle(limit=3, window=timedelta(minutes=15), clock=lambda: now[0])
    for _ in range(3):
        assert not throttle.locked("Alex")
        throttle.failed("alex")
    assert throttle.locked("ALEX") and not throttle.locked("maria")
    now[0] += timedelta(minutes=16)
    assert not throttle.locked("alex")
    throttle.failed("alex")
    throttle.succeeded("alex")
    assert throttle._failures == {}


# -- sessions --------------------------------------------------------------------------------

def test_login_opens_a_session_that_survives_a_restart_until_logout(svc):
    result = svc.login("alex", SECRET)
    assert result.user.name == "alex" and not result.must_change
    assert svc.session_user(result.token).name == "alex"
    again = reopened(svc)  # a page reload reaches a new Streamlit session, maybe a new process
    assert again.session_user(result.token).name == "alex"
    with svc.deps.store.engine.connect() as conn:
        stored = conn.execute(select(sessions.c.token_hash, sessions.c.expires_at)).one()
    assert stored.token_hash == auth.token_digest(result.token)  # the token itself is nowhere
    assert stored.expires_at <= datetime.now(timezone.utc) + auth.SESSION_TTL
    again.logout(result.token)
    assert svc.session_user(result.token) is None and again.session_user(result.token) is None


def test_sessions_expire(svc, monkeypatch):
    monkeypatch.setattr(auth, "SESSION_TTL", timedelta(seconds=-1))
    result = svc.login("alex", SECRET)
    assert svc.session_user(result.token) is None


@pytest.mark.parametrize("name, password", [
    ("alex", "wrong password here"), ("nobody", SECRET), ("", SECRET), ("maria", SECRET),
])
def test_every_failed_login_says_the_same_thing(svc, name, password):
    with pytest.raises(LoginFailed) as refused:
        svc.login(name, password)
    assert str(refused.value) == "Wrong user name or password."


def test_a_user_without_password_or_deactivated_cannot_log_in(svc):
    svc.add_user(SYSTEM, "nopass", "mentee")
    with pytest.raises(LoginFailed, match="Wrong user name or password"):
        svc.login("nopass", "")
    svc.deactivate(svc.user("coord"), "alex")
    with pytest.raises(LoginFailed, match="Wrong user name or password"):
        svc.login("alex", SECRET)


def test_repeated_failures_lock_the_account_for_a_while(svc):
    for _ in range(8):
        with pytest.raises(LoginFailed):
            svc.login("alex", "not the password")
    with pytest.raises(LoginFailed, match="Too many"):
        svc.login("alex", SECRET)
    assert svc.login("maria", PASSWORD).user.name == "maria"  # only that account


# -- people ----------------------------------------------------------------------------------

def test_deactivation_ends_sessions_and_pairs_but_keeps_records(svc):
    coord = svc.user("coord")
    token = svc.login("alex", SECRET).token
    svc.deps.store.save_goal(Goal(owner="alex", title="Talks", statement="Give 3 talks by March 2027",
                                  deadline="2027-03-31"), by="alex")
    svc.deactivate(coord, "alex")
    assert svc.session_user(token) is None
    assert svc.pairs(coord) == [] and svc.deps.store.mentees_of("maria") == []
    assert [g.title for g in svc.deps.store.list_goals(owner="alex")] == ["Talks"]
    assert svc.user("alex").active is False
    svc.reactivate(coord, "alex")
    assert svc.login("alex", SECRET).user.active


def test_coordinators_cannot_lock_everyone_out(svc):
    coord = svc.user("coord")
    with pytest.raises(ValueError, match="your own"):
        svc.deactivate(coord, "coord")
    with pytest.raises(ValueError, match="last active coordinator"):
        svc.deactivate(SYSTEM, "coord")


def test_new_accounts_must_change_the_initial_password(svc):
    coord = svc.user("coord")
    with pytest.raises(auth.PasswordPolicyError):
        svc.create_account(coord, "sam", "mentee", "short")
    assert svc.deps.store.get_user("sam") is None  # refused before anything was written
    svc.create_account(coord, "sam", "mentee", "initial pass 42", mentor="maria")
    result = svc.login("sam", "initial pass 42")
    assert result.must_change and svc.password_must_change(result.user)
    with pytest.raises(AccessDenied, match="current password"):
        svc.change_password(result.user, "wrong", "my own choice 7")
    with pytest.raises(auth.PasswordPolicyError, match="differ"):
        svc.change_password(result.user, "initial pass 42", "initial pass 42")
    svc.change_password(result.user, "initial pass 42", "my own choice 7")
    assert not svc.password_must_change(result.user)
    assert svc.login("sam", "my own choice 7").user.name == "sam"


def test_changing_a_password_signs_out_the_other_sessions(svc):
    alex = svc.user("alex")
    here, elsewhere = svc.login("alex", SECRET).token, svc.login("alex", SECRET).token
    svc.change_password(alex, SECRET, "a brand new secret", keep_token=here)
    assert svc.session_user(here).name == "alex" and svc.session_user(elsewhere) is None
    svc.reset_password(svc.user("coord"), "alex", "reset by coord 1")
    assert svc.session_user(here) is None
    assert svc.login("alex", "reset by coord 1").must_change


def test_external_identity_maps_to_an_existing_account_only(svc):
    coord = svc.user("coord")
    svc.create_account(coord, "kim@example.org", "mentor", PASSWORD)
    assert svc.login_external("Kim@Example.org").user.name == "kim@example.org"
    with pytest.raises(LoginFailed, match="No active Waypoint account"):
        svc.login_external("stranger@example.org")
    with pytest.raises(LoginFailed, match="confirm"):
        svc.login_external("kim@example.org", email_verified=False)
    svc.deactivate(coord, "kim@example.org")
    with pytest.raises(LoginFailed):
        svc.login_external("kim@example.org")


# -- first start -----------------------------------------------------------------------------

def test_first_start_uses_the_admin_password_once(tmp_home):
    svc = Service(build_deps(Settings()))
    assert svc.ensure_admin("chosen by the operator 1") is None
    assert not svc.login("admin", "chosen by the operator 1").must_change
    assert svc.ensure_admin("another password 2") is None  # never resets an existing admin
    with pytest.raises(LoginFailed):
        svc.login("admin", "another password 2")


def test_first_start_prints_a_one_time_password_once(tmp_home, capsys):
    svc = Service(build_deps(Settings()))
    first_start(svc, None)
    printed = capsys.readouterr().err
    password = printed.split("one-time password")[1].split()[0]
    assert svc.login("admin", password).must_change and svc.first_start_pending()
    first_start(reopened(svc), None)  # the next start
    assert capsys.readouterr().err == ""
    svc.change_password(svc.user("admin"), password, "a coordinator's own passphrase 1")
    assert not svc.first_start_pending()  # the sign-in page stops naming the account


def test_a_weak_admin_password_is_refused_with_a_message(tmp_home, capsys):
    svc = Service(build_deps(Settings()))
    first_start(svc, "admin")
    assert "WAYPOINT_ADMIN_PASSWORD was not accepted" in capsys.readouterr().err
    assert svc.deps.store.get_user("admin") is None


def test_no_password_in_plain_text_in_database_or_logs(svc, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    coord = svc.user("coord")
    svc.create_account(coord, "sam", "mentee", SECRET + " sam")
    token = svc.login("sam", SECRET + " sam").token
    with pytest.raises(LoginFailed):
        svc.login("sam", SECRET + " typo")
    svc.change_password(svc.user("sam"), SECRET + " sam", SECRET + " new", keep_token=token)
    svc.deps.store.close()
    files = list(svc.deps.settings.home.glob("waypoint.db*"))
    assert files
    blob = b"".join(f.read_bytes() for f in files)
    out = capfd.readouterr()
    for secret in (SECRET, SECRET + " sam", SECRET + " typo", SECRET + " new", token):
        assert secret.encode() not in blob
        assert secret not in caplog.text and secret not in out.out and secret not in out.err


# -- CLI -------------------------------------------------------------------------------------

def test_cli_users_and_pairs(tmp_home):
    runner = CliRunner()

    def run(*args, stdin=None):
        result = runner.invoke(cli, list(args), input=stdin)
        assert result.exit_code == 0, result.output
        return result.output

    run("users", "add", "maria", "--role", "mentor", "--password-stdin", "--permanent", stdin="mentor pass 12\n")
    run("users", "add", "alex", "--role", "mentee", "--mentor", "maria", "--password-stdin",
        stdin=SECRET + "\n")
    run("users", "add", "sam", "--role", "mentee")
    assert SECRET not in run("users", "list")
    svc = Service(build_deps(Settings()))
    assert svc.login("alex", SECRET).must_change and not svc.login("maria", "mentor pass 12").must_change
    assert '"mentee": "alex"' in run("pairs", "list", "--json")
    run("pairs", "remove", "maria", "alex")
    run("pairs", "add", "maria", "sam")
    assert [p["mentee"] for p in json.loads(run("pairs", "list", "--json"))] == ["sam"]
    run("users", "passwd", "sam", stdin="sam's pass 123\n")
    assert svc.login("sam", "sam's pass 123").must_change
    run("users", "deactivate", "sam")
    with pytest.raises(LoginFailed):
        svc.login("sam", "sam's pass 123")
    refused = runner.invoke(cli, ["users", "passwd", "alex"], input="short\n")
    assert refused.exit_code == 1 and "at least" in refused.output
    refused = runner.invoke(cli, ["pairs", "add", "maria", "nobody"])
    assert refused.exit_code == 1 and "nobody" in refused.output


# -- the pages -------------------------------------------------------------------------------

@pytest.fixture()
def app_home(svc, tmp_path, monkeypatch):
    # A one-page guideline folder, so that the first chat turn doesn't ingest the full set.
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "smart.md").write_text("# SMART goals\n\nA goal names what, how much and by when.\n")
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(guides))
    monkeypatch.setenv("WAYPOINT_ADMIN_PASSWORD", "operator pass for tests")
    return svc


def test_sign_in_page_refuses_a_wrong_password(app_home):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    sign_in(at, "alex", "not it at all")
    assert [e.value for e in at.error] == ["Wrong user name or password\\."]
    assert at.text_input(key="login_name") and not at.chat_input


def test_sign_in_lands_on_the_role_page_and_sign_out_revokes(app_home):
    at = login("alex", SECRET)
    assert at.chat_input, "a mentee lands on the goal coach"
    token = at.session_state["session_token"]
    assert app_home.session_user(token).name == "alex"
    at.button(key="logout").click().run()
    assert at.text_input(key="login_name") and not at.chat_input
    assert app_home.session_user(token) is None


def test_an_initial_password_must_be_replaced_first(app_home):
    app_home.create_account(SYSTEM, "sam", "mentee", "initial pass 42")
    at = login("sam", "initial pass 42")
    assert at.title[0].value == "🔑 Choose your password" and not at.chat_input
    at.text_input(key="pw_current").input("initial pass 42")
    at.text_input(key="pw_new").input("sam chose this 9")
    at.text_input(key="pw_again").input("sam chose this 9")
    at.button(key="FormSubmitter:change_password-Change password").click().run()
    assert not at.exception and at.chat_input, "after the change, the mentee's pages open"


def test_coordinator_adds_pairs_and_deactivates_people_on_the_page(app_home):
    at = login("coord")
    assert at.title[0].value == "🗂️ Program overview"
    at.switch_page("assistant/ui/people.py").run()
    at.text_input(key="new_name").input("sam")
    at.text_input(key="new_display").input("Sam Lee")
    at.selectbox(key="new_role").select("mentee")
    at.text_input(key="new_password").input("sam initial 77")
    at.button(key="FormSubmitter:add_person-Add").click().run()
    assert not at.error, [e.value for e in at.error]
    assert app_home.user("sam").display_name == "Sam Lee"
    at.selectbox(key="pair_mentor").select("maria")
    at.selectbox(key="pair_mentee").select("sam")
    at.button(key="FormSubmitter:pair_people-Pair").click().run()
    assert app_home.deps.store.mentor_of("sam") == "maria"
    at.button(key="unpair-alex").click().run()
    assert app_home.deps.store.mentor_of("alex") is None
    at.button(key="deactivate-sam").click().run()
    assert not app_home.user("sam").active and app_home.deps.store.mentor_of("sam") is None
    assert any("records stay" in s.value for s in at.success)


def test_program_page_shows_counts_but_no_goal_text(app_home):
    app_home.deps.store.save_goal(Goal(owner="alex", title="Secret plan", statement=(
        "Give 3 talks at the all-hands by March 31, 2027"), achievability="an hour a week",
        relevance="I want to lead", deadline="2027-03-31"), by="alex")
    at = login("coord")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Goals"] == "1" and metrics["Fully SMART"] == "1" and metrics["Share fully SMART"] == "100%"
    shown = " ".join(str(e.value) for e in [*at.markdown, *at.text, *at.caption, *at.metric])
    assert "Secret plan" not in shown and "all-hands" not in shown


OIDC_SECRETS = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s" * 32,
                         "client_id": "waypoint", "client_secret": "x",
                         "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


def oidc_app(claims: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets = OIDC_SECRETS
    at.user = claims
    return at.run()


def test_oidc_sign_in_maps_the_verified_email_to_an_account(app_home):
    app_home.create_account(SYSTEM, "kim@example.org", "mentor", PASSWORD, must_change=False)
    before = oidc_app({})  # not signed in with the provider: a button to do so
    assert any(b.label == "Sign in with your organisation" for b in before.button)
    at = oidc_app({"is_logged_in": True, "email": "Kim@Example.org", "email_verified": True})
    assert not at.exception and at.title[0].value == "🧭 My mentees"
    assert app_home.session_user(at.session_state["session_token"]).name == "kim@example.org"


def test_oidc_sign_in_without_an_account_is_refused(app_home):
    at = oidc_app({"is_logged_in": True, "email": "stranger@example.org", "email_verified": True})
    assert "No active Waypoint account" in at.error[0].value
    assert at.button(key="oidc_logout")
    with app_home.deps.store.engine.connect() as conn:
        assert conn.execute(select(sessions)).all() == []  # nobody was signed in


def test_user_names_have_one_form_and_sign_in_ignores_capitals(svc):
    lee = svc.create_account(SYSTEM, "  Lee.Park ", "mentee", PASSWORD, must_change=False)
    assert lee.name == "lee.park"
    assert svc.login("Lee.Park", PASSWORD).user.name == "lee.park"  # a phone keyboard's capital
    assert svc.login("ALEX", SECRET).user.name == "alex"
    with pytest.raises(ValueError, match="already exists"):
        svc.create_account(SYSTEM, "ALEX", "mentee", PASSWORD)
    for bad in ("Jo Rivera", "x", "-dash", "a" * 81, "née"):
        with pytest.raises(ValueError, match="2 to 80 characters"):
            svc.create_account(SYSTEM, bad, "mentee", PASSWORD)
    assert svc.create_account(SYSTEM, "pat@example.com", "mentor", PASSWORD).name == "pat@example.com"
    assert {u.name for u in svc.users(SYSTEM)} == {"coord", "maria", "alex", "lee.park", "pat@example.com"}
