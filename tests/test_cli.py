"""The `waypoint` CLI through typer's runner, on a real SQLite home."""
import json

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    # One guideline instead of the whole library keeps each test's first index small.
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "03-smart-goals.md").write_text(
        (Path(__file__).resolve().parents[1] / "knowledge" / "03-smart-goals.md").read_text())
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(guides))
    return tmp_path / "home"


def invoke(*args):
    result = runner.invoke(app, list(args))
    return result


def test_smart_assess_json_shape(home):
    r = invoke("smart", "assess", "Earn the PMP certification by October 2027.", "--today", "2026-11-23", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert set(data) == {"specific", "measurable", "achievable", "relevant", "time_bound", "deadline", "questions"}
    assert data["specific"]["met"] is True and data["time_bound"]["met"] is True
    assert data["achievable"]["met"] is None and data["deadline"] == "2027-10-31"
    assert isinstance(data["specific"]["reason"], str) and data["questions"]


def test_smart_assess_vague(home):
    r = invoke("smart", "assess", "Get better at public speaking.", "--today", "2026-11-23", "--json")
    data = json.loads(r.output)
    assert data["specific"]["met"] is False and data["deadline"] is None
    assert len(data["questions"]) >= 3


def test_bad_today_is_a_clear_error(home):
    r = invoke("smart", "assess", "x", "--today", "23/11/2026")
    assert r.exit_code != 0 and "YYYY-MM-DD" in r.output


def test_scripted_chat_saves_goal_and_lists_it(home, tmp_path):
    script = tmp_path / "chat.txt"
    script.write_text("I want to get better at public speaking\n"
                      "Give 3 talks at our team all-hands meeting\n"
                      "by the end of March 2027\n"
                      "My manager gives me an hour a week to prepare\n"
                      "I want to lead the team one day\n"
                      "yes\n")
    assert invoke("users", "add", "alex", "--role", "mentee").exit_code == 0
    r = invoke("--home", str(home), "chat", "--user", "alex", "--script", str(script),
               "--today", "2026-11-23", "--json")
    assert r.exit_code == 0, r.output
    transcript = json.loads(r.output)
    assert [t["role"] for t in transcript[:2]] == ["user", "assistant"]
    assert transcript[-1]["step"] == "saved" and transcript[-1]["goal_id"]
    r = invoke("goals", "list", "--user", "alex", "--json")
    goals = json.loads(r.output)
    assert len(goals) == 1 and goals[0]["deadline"] == "2027-03-31"
    assert goals[0]["owner"] == "alex" and goals[0]["status"] == "active"
    assert goals[0]["achievability"] and goals[0]["relevance"]


def test_chat_resumes_a_draft_across_runs(home, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Shadow the sales team on 4 client calls\n")
    second.write_text("by February 2027\n")
    invoke("users", "add", "sam", "--role", "mentee")
    invoke("chat", "--user", "sam", "--script", str(first), "--today", "2026-11-23")
    r = invoke("chat", "--user", "sam", "--script", str(second), "--today", "2026-11-23", "--json")
    reply = json.loads(r.output)[-1]["text"]
    assert "achievable" in reply.lower() or "support" in reply.lower()


def test_users_add_with_mentor_and_errors(home):
    assert invoke("users", "add", "maria", "--role", "mentor").exit_code == 0
    r = invoke("users", "add", "alex", "--role", "mentee", "--mentor", "maria")
    assert r.exit_code == 0 and "paired with maria" in r.output
    r = invoke("users", "add", "alex", "--role", "mentee")
    assert r.exit_code == 1 and "already exists" in r.output
    r = invoke("users", "add", "zed", "--role", "boss")
    assert r.exit_code == 1
    r = invoke("users", "list", "--json")
    assert {u["name"] for u in json.loads(r.output)} == {"maria", "alex"}


def test_goals_list_unknown_user(home):
    r = invoke("goals", "list", "--user", "nobody", "--json")
    assert r.exit_code == 1 and "No user named" in r.output


def test_missing_script_file(home, tmp_path):
    invoke("users", "add", "alex", "--role", "mentee")
    r = invoke("chat", "--user", "alex", "--script", str(tmp_path / "nope.txt"))
    assert r.exit_code == 1 and "no such script" in r.output


def test_init_creates_admin_once_and_indexes_guidelines(home, monkeypatch):
    monkeypatch.delenv("WAYPOINT_ADMIN_PASSWORD", raising=False)
    r = invoke("init")
    assert r.exit_code == 0, r.output
    assert "one-time password" in r.output and "1 guideline documents" in r.output
    again = invoke("init")
    assert again.exit_code == 0 and "one-time password" not in again.output
    users = json.loads(invoke("users", "list", "--json").output)
    assert [(u["name"], u["role"]) for u in users] == [("admin", "coordinator")]


def test_init_refuses_a_weak_admin_password(home, monkeypatch):
    monkeypatch.setenv("WAYPOINT_ADMIN_PASSWORD", "short")
    r = invoke("init")
    assert r.exit_code == 1 and "not accepted" in r.output


def test_chat_never_creates_an_account_for_a_mistyped_name(home, tmp_path):
    script = tmp_path / "chat.txt"
    script.write_text("Give 3 talks by March 2027\n")
    r = invoke("chat", "--user", "alx", "--script", str(script))
    assert r.exit_code == 1 and "No user named 'alx'" in r.output
    assert json.loads(invoke("users", "list", "--json").output) == []


def test_bad_input_ends_in_one_error_line_not_a_traceback(home, tmp_path, monkeypatch):
    assert invoke("users", "add", "maria", "--role", "mentor").exit_code == 0
    invoke("users", "add", "alex", "--role", "mentee", "--mentor", "maria")
    # a failed pairing adds nobody
    r = invoke("users", "add", "bob", "--role", "mentee", "--mentor", "alex")
    assert r.exit_code == 1 and "'alex' is not a mentor" in r.output
    r = invoke("users", "add", "dana", "--role", "mentee", "--mentor", "ghost")
    assert r.exit_code == 1 and "No user named 'ghost'" in r.output
    assert {u["name"] for u in json.loads(invoke("users", "list", "--json").output)} == {"maria", "alex"}
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Présenter 3 fois\n".encode("latin-1"))
    too_long = tmp_path / "long.txt"
    too_long.write_text("x" * 4100 + "\n")
    for args, says in [(("chat", "--user", "alex", "--script", str(latin1)), "not UTF-8"),
                       (("chat", "--user", "alex", "--script", str(too_long)), "too long"),
                       (("goals", "export", "--user", "alex", "--format", "md", "--out", str(tmp_path / "no" / "g.md")),
                        "No such file or directory"),
                       (("kb", "search", "  "), "give a question")]:
        r = invoke(*args)
        assert r.exit_code != 0 and says in r.output and "Traceback" not in r.output, (args, r.output)
        assert not isinstance(r.exception, (ValueError, OSError)), "handled, not raised"
    monkeypatch.setenv("WAYPOINT_TIMEZONE", "Mars/Olympus")
    r = invoke("goals", "list", "--user", "alex")
    assert r.exit_code == 1 and r.output.startswith("Error: WAYPOINT_TIMEZONE") and "Traceback" not in r.output


def test_a_person_added_without_a_password_is_told_how_to_get_one(home):
    assert invoke("users", "add", "maria", "--role", "mentor").exit_code == 0
    r = invoke("users", "add", "alex", "--role", "mentee", "--mentor", "maria")
    assert r.exit_code == 0
    assert r.output.splitlines() == ["Added mentee alex, paired with maria",
                                     "alex can't sign in yet: set a password with `waypoint users passwd alex` "
                                     "(read from stdin)."]
    r = runner.invoke(app, ["users", "add", "sam", "--role", "mentee", "--password-stdin"],
                      input="a long enough passphrase\n")
    assert r.exit_code == 0 and r.output.splitlines() == ["Added mentee sam"]
