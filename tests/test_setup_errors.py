"""The web app (the real app.py under AppTest) with a setup mistake: every visitor sees one clear
line saying Waypoint can't start and why, never a stack trace or a password; fixing the setting or
starting the server is enough (nothing failed is cached). Real SQLite and PostgreSQL throughout."""
from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest
import sqlalchemy
from streamlit.testing.v1 import AppTest

from pg import Cluster, find_bindir

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SECRET = "s3cret-pw"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def home(tmp_path, monkeypatch):
    for name in ("OPENAI_API_KEY", "WAYPOINT_DATABASE_URL", "WAYPOINT_LLM", "WAYPOINT_LLM_BASE_URL",
                 "WAYPOINT_LLM_API_KEY", "WAYPOINT_TIMEZONE", "WAYPOINT_CHROMA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(tmp_path / "no-guidelines"))
    return tmp_path / "home"


def page(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in (at.error, at.markdown, at.text, at.exception) for e in kind)


def plain(markdown: str) -> str:
    """The text of Markdown the app escaped (escape_md)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def only_error(at: AppTest) -> str:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, page(at)
    assert not at.text_input, "the page stops at the error: no sign-in form"
    text = plain(at.error[0].value)
    assert SECRET not in page(at) and "Traceback" not in page(at) and "File \"" not in page(at)
    return text


@pytest.mark.parametrize("name, value, says", [
    ("WAYPOINT_TIMEZONE", "Mars/Olympus", "WAYPOINT_TIMEZONE: "),
    ("WAYPOINT_LLM", "openai", "WAYPOINT_LLM=openai needs WAYPOINT_LLM_API_KEY"),
    ("WAYPOINT_DATABASE_URL", f"postgres://waypoint:{SECRET}@db.example/waypoint",
     "is not a database URL Waypoint supports"),
    ("WAYPOINT_DATABASE_URL", f"postgresql+psycopg://waypoint:{SECRET}@127.0.0.1:{free_port()}/waypoint",
     "can't reach the database at 127.0.0.1:"),
])
def test_a_configuration_error_is_one_clear_line_on_the_sign_in_page(home, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    text = only_error(run_app())
    assert text.startswith("Waypoint can't start: ") and says in text, text

    monkeypatch.delenv(name)  # fixed: the next visit starts normally
    at = run_app()
    assert not at.exception and not at.error and at.text_input(key="login_name")


def test_a_database_that_goes_away_after_start_is_one_clear_line(home, monkeypatch, capfd):
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found")
    cluster = Cluster(bindir)  # its own server: this test stops it
    try:
        cluster.start()
        monkeypatch.setenv("WAYPOINT_DATABASE_URL", cluster.url())
        at = run_app()
        assert not at.exception and at.text_input(key="login_name")
        cluster.stop()
        capfd.readouterr()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        [error] = at.error
        assert plain(error.value).startswith("Waypoint can't reach its database right now."), error.value
        assert str(cluster.port) not in error.value, "visitors aren't told where the server is"
        assert (f"Waypoint: can't reach the database at 127.0.0.1:{cluster.port} (connection refused)"
                in capfd.readouterr().err), "the operator is"
    finally:
        cluster.stop()


def test_a_connection_lost_while_running_is_described_for_the_deployer(home, monkeypatch):
    """What the CLI prints when the database goes away in the middle of a command."""
    from assistant.deps import setup_problem
    port = free_port()
    url = f"postgresql+psycopg://waypoint:{SECRET}@127.0.0.1:{port}/waypoint"
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", url)
    engine = sqlalchemy.create_engine(url)
    with pytest.raises(sqlalchemy.exc.OperationalError) as raised:
        engine.connect()
    assert setup_problem(raised.value) == (f"can't reach the database at 127.0.0.1:{port} (connection refused). "
                                           "Check WAYPOINT_DATABASE_URL and that the server is running.")
    assert setup_problem(RuntimeError("a bug")) is None  # anything else keeps its traceback
