"""A deployer's setup mistakes end the `waypoint` command in one `Error:` line that says what to
check, never a traceback or a password: a database that is down, refuses the login or can't be
written, a URL Waypoint can't use, a Chroma server that is down, a data folder never initialised.
Everything here is real: a refused TCP port, a throwaway PostgreSQL, SQLite files, folders made
unwritable (chattr +i as root, where chmod would not stop root)."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from pg import fresh_database

runner = CliRunner()
SECRET = "s3cret-pw"
STRONG = "a long enough passphrase"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def one_error_line(result) -> str:
    """The result's only line of output, which must be an `Error:` line, with exit code 1."""
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output and SECRET not in result.output
    return lines[0]


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("WAYPOINT_DATABASE_URL", raising=False)
    monkeypatch.delenv("WAYPOINT_CHROMA_URL", raising=False)
    monkeypatch.delenv("WAYPOINT_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    guides = tmp_path / "guides"  # one small guideline: the first index stays quick
    guides.mkdir()
    (guides / "meetings.md").write_text("# Meetings\n\n## Cadence\n\nMeet every two weeks.\n")
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(guides))
    return tmp_path / "home"


# -- 1. the database ------------------------------------------------------------------------

def test_a_database_server_that_is_down_is_one_line_without_the_password(home, monkeypatch):
    port = free_port()  # nothing listens there: the connection is refused
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", f"postgresql+psycopg://waypoint:{SECRET}@127.0.0.1:{port}/waypoint")
    for args in (("users", "list"), ("init",), ("users", "add", "carol", "--role", "mentor")):
        line = one_error_line(invoke(*args))
        assert line == (f"Error: can't reach the database at 127.0.0.1:{port} (connection refused). "
                        "Check WAYPOINT_DATABASE_URL and that the server is running."), args


@pytest.mark.parametrize("url", [f"postgres://u:{SECRET}@db.example/waypoint", "notaurl",
                                 f"mysql://u:{SECRET}@db.example/waypoint", f"u:{SECRET}@db.example/waypoint"])
def test_a_database_url_waypoint_cannot_use_says_which_ones_work(home, monkeypatch, url):
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", url)
    for args in (("init",), ("users", "list")):
        line = one_error_line(invoke(*args))
        assert "WAYPOINT_DATABASE_URL" in line and "is not a database URL Waypoint supports" in line
        assert line.endswith("use sqlite:///path or postgresql+psycopg://user:pw@host/db.")


def test_a_wrong_role_or_database_on_a_real_server(home, monkeypatch, pg_url):
    base = pg_url.rsplit("@", 1)[1].rsplit("/", 1)[0]  # 127.0.0.1:PORT
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", f"postgresql+psycopg://nobody:{SECRET}@{base}/postgres")
    line = one_error_line(invoke("users", "list"))
    assert line == (f'Error: the database server at {base} refused the connection (role "nobody" does not '
                    'exist). Check the user, password and database name in WAYPOINT_DATABASE_URL.')
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", f"postgresql+psycopg://postgres@{base}/no_such_db")
    assert 'database "no_such_db" does not exist' in one_error_line(invoke("init"))


@contextmanager
def unwritable(path: Path):
    """`path` can't be written, even by root (who ignores chmod): chattr +i then."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("as root, only chattr +i makes a folder unwritable, and it isn't available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_unwritable_data_folder_or_database_file(home):
    home.mkdir()
    with unwritable(home):  # the database file can't be created in it
        line = one_error_line(invoke("init"))
    assert line == (f"Error: can't open the database file {home.resolve() / 'waypoint.db'} (unable to open "
                    "database file): check the permissions of the file and its folder (WAYPOINT_HOME).")
    with unwritable(home):  # nor the folder itself inside it
        line = one_error_line(invoke("--home", str(home / "inner"), "init"))
    assert line.startswith(f"Error: can't create the data folder {home.resolve() / 'inner'} (")
    assert line.endswith("check WAYPOINT_HOME and the folder's permissions.")

    assert invoke("--home", str(home), "init").exit_code == 0
    with unwritable(home / "waypoint.db"):
        line = one_error_line(invoke("users", "add", "carol", "--role", "mentor"))
    assert line == (f"Error: can't write the database file {home.resolve() / 'waypoint.db'} (attempt to write "
                    "a readonly database): check the permissions of the file and its folder (WAYPOINT_HOME).")


# -- 2. init with the Chroma server down ----------------------------------------------------

def test_init_with_the_chroma_server_down_keeps_the_admin_password_for_the_next_run(home, monkeypatch):
    port = free_port()
    monkeypatch.setenv("WAYPOINT_CHROMA_URL", f"http://127.0.0.1:{port}")
    failed = invoke("init")
    line = one_error_line(failed)  # the one-time password banner was not shown...
    assert line.startswith(f"Error: can't reach the Chroma server at http://127.0.0.1:{port}")
    assert json.loads(invoke("users", "list", "--json").output) == []  # ...because no admin exists yet
    monkeypatch.delenv("WAYPOINT_CHROMA_URL")  # the deployer fixes it (here: the embedded index)
    again = invoke("init")
    assert again.exit_code == 0, again.output
    assert "one-time password" in again.output and "waypoint users passwd admin" in again.output
    assert "1 guideline documents" in again.output


# -- 3. a data folder nobody initialised ----------------------------------------------------

@pytest.fixture()
def elsewhere(home, tmp_path, monkeypatch):
    """The current directory is a folder without data, and WAYPOINT_HOME is unset."""
    monkeypatch.setenv("WAYPOINT_HOME", "placeholder")  # recorded, so --home's os.environ write is undone
    monkeypatch.delenv("WAYPOINT_HOME")
    cwd = tmp_path / "x"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return cwd


def test_commands_refuse_an_uninitialised_data_folder_relative_to_the_current_directory(elsewhere):
    expected = (f"Error: No Waypoint data in {elsewhere / '.waypoint'}: run `waypoint init` there first, "
                "or set WAYPOINT_HOME (or --home) to your data folder.")
    for args, stdin in [(("users", "add", "carol", "--role", "mentor", "--password-stdin"), STRONG + "\n"),
                        (("users", "list"), None), (("pairs", "list"), None), (("kb", "list"), None),
                        (("goals", "list", "--user", "carol"), None),
                        (("meetings", "list", "--user", "carol"), None)]:
        assert one_error_line(invoke(*args, input=stdin)) == expected, args
    assert not (elsewhere / ".waypoint").exists(), "nothing was created"
    line = one_error_line(invoke("--home", "data", "users", "list"))
    assert line.startswith(f"Error: No Waypoint data in {elsewhere / 'data'}:")
    assert invoke("smart", "assess", "Give 3 talks by March 2027").exit_code == 0  # needs no data

    assert invoke("init").exit_code == 0
    added = invoke("users", "add", "carol", "--role", "mentor", "--password-stdin", input=STRONG + "\n")
    assert added.exit_code == 0 and "Added mentor carol" in added.output
    assert invoke("kb", "list", "--json").exit_code == 0


def test_an_empty_database_behind_a_url_is_uninitialised(home, monkeypatch, pg_url):
    url = fresh_database(pg_url)
    monkeypatch.setenv("WAYPOINT_DATABASE_URL", url)
    where = url.rsplit("@", 1)[1]
    line = one_error_line(invoke("users", "add", "carol", "--role", "mentor"))
    assert line == (f"Error: No Waypoint data in the database {where} (WAYPOINT_DATABASE_URL): run `waypoint "
                    "init` with this WAYPOINT_DATABASE_URL first, or point it at your database.")
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        assert tables.fetchone()[0] == 0, "the check creates no schema"
    assert invoke("init").exit_code == 0
    assert [u["name"] for u in json.loads(invoke("users", "list", "--json").output)] == ["admin"]
