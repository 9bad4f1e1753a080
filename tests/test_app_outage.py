"""The goal chat when the database goes away mid-conversation (a real PostgreSQL, stopped):
the mentee gets a plain message, not a stack trace naming the server, and what they typed stays
on screen (and goes back in the chat box if the session lives on) to send again."""
from __future__ import annotations

import os
import shutil

import pytest
from login_support import PASSWORD, login
from pg import Cluster, find_bindir

from assistant.config import Settings
from assistant.deps import build_deps
from assistant.service import SYSTEM, Service


@pytest.fixture
def cluster():
    bindir = find_bindir()
    if bindir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("PostgreSQL server binaries not found: run `sudo bash scripts/pg-setup.sh`")
    running = Cluster(bindir)
    running.start()
    yield running
    running.stop()


def test_a_message_sent_while_the_database_is_down_comes_back_to_the_box(cluster, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", cluster.url())
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(tmp_path / "no-guidelines"))
    (tmp_path / "no-guidelines").mkdir()
    Service(build_deps(Settings())).create_account(SYSTEM, "sam", "mentee", PASSWORD, must_change=False)
    at = login("sam")
    at.chat_input[0].set_value("I want to give 3 talks at all-hands").run()
    assert not at.exception and at.chat_message[-1].name == "assistant"
    cluster._run("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
    at.chat_input[0].set_value("by the end of March 2027").run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert "can't reach its database" in error
    assert str(cluster.port) not in error, "no server address shown to a mentee"
    [unsent] = at.text_area
    assert unsent.value == "by the end of March 2027", "what they typed is on screen to send again"
    assert at.session_state["goal-chat-refill"] == "by the end of March 2027"
