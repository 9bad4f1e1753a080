"""`waypoint kb ...` mounted the way the root CLI mounts it, run with CliRunner."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from assistant.cli_kb import kb_app

GUIDE = """# Meeting guide

## Cadence

Mentor and mentee meet every two weeks for forty-five minutes. The mentee books the room and
sends an agenda two days before, with the goals to discuss and one question for the mentor.
"""
FEEDBACK = """# Feedback guide

## Giving feedback

Describe the situation, the behaviour and its impact, then ask what the other person saw.
Keep it to one topic at a time and give it within a week of what happened.
"""

app = typer.Typer()
app.add_typer(kb_app, name="kb")


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(tmp_path / "knowledge"))
    monkeypatch.delenv("WAYPOINT_EMBEDDING", raising=False)
    monkeypatch.delenv("WAYPOINT_CHROMA_URL", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["kb", *args])


def test_add_list_search_remove(cli, tmp_path):
    folder = tmp_path / "guides"
    folder.mkdir()
    (folder / "meetings.md").write_text(GUIDE)
    (tmp_path / "feedback.md").write_text(FEEDBACK)

    added = cli("add", str(folder), str(tmp_path / "feedback.md"))
    assert added.exit_code == 0, added.output
    assert "meetings.md" in added.output and "feedback.md" in added.output and "added" in added.output

    listed = cli("list", "--json")
    assert listed.exit_code == 0
    docs = {d["source"]: d for d in json.loads(listed.output)}
    assert set(docs) == {"meetings.md", "feedback.md"}
    assert docs["meetings.md"]["title"] == "Meeting guide" and docs["meetings.md"]["chunks"] == 1
    assert set(docs["meetings.md"]) == {"doc_id", "source", "title", "chunks", "added_at", "sha256"}

    human = cli("list")
    assert human.exit_code == 0 and docs["feedback.md"]["doc_id"] in human.output

    found = cli("search", "How often do we meet?", "-k", "2", "--json")
    assert found.exit_code == 0
    hits = json.loads(found.output)
    assert len(hits) == 2 and list(hits[0]) == ["doc_id", "source", "title", "section", "text", "score"]
    assert hits[0]["source"] == "meetings.md" and hits[0]["section"] == "Cadence"
    assert hits[0]["score"] >= hits[1]["score"]

    readable = cli("search", "How should I give feedback?")
    assert readable.exit_code == 0 and "Feedback guide § Giving feedback" in readable.output

    removed = cli("remove", docs["meetings.md"]["doc_id"])
    assert removed.exit_code == 0 and docs["meetings.md"]["doc_id"] in removed.output
    assert [d["source"] for d in json.loads(cli("list", "--json").output)] == ["feedback.md"]


def test_adding_again_is_unchanged(cli, tmp_path):
    path = tmp_path / "meetings.md"
    path.write_text(GUIDE)
    assert cli("add", str(path)).exit_code == 0
    again = cli("add", str(path))
    assert again.exit_code == 0 and "unchanged" in again.output


def test_bad_files_exit_non_zero_but_good_ones_are_added(cli, tmp_path):
    (tmp_path / "meetings.md").write_text(GUIDE)
    (tmp_path / "empty.txt").write_bytes(b"")
    result = cli("add", str(tmp_path / "meetings.md"), str(tmp_path / "empty.txt"), str(tmp_path / "nope.pdf"))
    assert result.exit_code == 1
    assert "the file is empty" in result.output and "no such file" in result.output
    assert [d["source"] for d in json.loads(cli("list", "--json").output)] == ["meetings.md"]


def test_remove_unknown_id_fails_clearly(cli):
    result = cli("remove", "0123456789abcdef")
    assert result.exit_code == 1 and "no document with id '0123456789abcdef'" in result.output


def test_empty_knowledge_base(cli):
    assert json.loads(cli("list", "--json").output) == []
    assert json.loads(cli("search", "anything", "--json").output) == []
    assert "empty" in cli("list").output


def test_reindex_and_model_mismatch(cli, tmp_path, monkeypatch):
    (tmp_path / "meetings.md").write_text(GUIDE)
    assert cli("add", str(tmp_path / "meetings.md")).exit_code == 0
    reindexed = cli("reindex")
    assert reindexed.exit_code == 0 and "Reindexed 1 passages" in reindexed.output

    monkeypatch.setenv("WAYPOINT_EMBEDDING", "openai")
    mismatch = cli("search", "How often do we meet?")
    assert mismatch.exit_code == 1 and "waypoint kb reindex" in mismatch.output


def test_two_files_of_one_batch_with_the_same_name_are_not_merged(cli, tmp_path):
    for team, rule in (("teamA", "Team A meets every Monday."), ("teamB", "Team B meets every Friday.")):
        (tmp_path / team).mkdir()
        (tmp_path / team / "guide.md").write_text(f"# {team} guide\n\n## Meetings\n\n{rule}\n")
    result = cli("add", str(tmp_path / "teamA"), str(tmp_path / "teamB"))
    assert result.exit_code == 1 and "same name" in result.output
    [doc] = json.loads(cli("list", "--json").output)
    assert doc["title"] == "teamA guide", "the first stays; the second is refused, not swapped in"
