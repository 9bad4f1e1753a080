"""The knowledge base against a real Chroma server (WAYPOINT_CHROMA_URL): nothing assumes embedded."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.kb import KBError, KnowledgeBase
from assistant.kb.embeddings import MiniLMEmbeddingFunction

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    if not Path(CHROMA).exists():
        pytest.skip("the chroma command is not installed")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    server = subprocess.Popen([CHROMA, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the Chroma server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_ingest_search_and_remove_on_a_server(chroma_url, tmp_path):
    home = tmp_path / "home"
    kb = KnowledgeBase(Settings(home=home, chroma_url=chroma_url), embedder=MiniLMEmbeddingFunction())
    guide = ("# Meetings\n\n## Cadence\n\nMentor and mentee meet every two weeks; the mentee sends "
             "an agenda two days before.\n\n## Closing\n\nThe pair ends with a closing conversation "
             "after nine months and writes down what was learned.\n")
    added = kb.add_bytes("meetings.md", guide.encode())
    assert added.status == "added"
    assert kb.add_bytes("meetings.md", guide.encode()).status == "unchanged"
    assert "every two weeks" in kb.search("How often do we meet?")[0].text
    assert [d.doc_id for d in kb.list_documents()] == [added.doc_id]
    assert kb.reindex() == added.chunks
    assert kb.remove(added.doc_id) and kb.list_documents() == []
    assert not (home / "chroma").exists()  # nothing was written next to the app


def test_unreachable_server_is_a_clear_error(tmp_path):
    kb = KnowledgeBase(Settings(home=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(KBError, match="can't reach the Chroma server"):
        kb.list_documents()


def test_two_installs_on_one_server_keep_their_own_guidelines(chroma_url, tmp_path):
    """WAYPOINT_CHROMA_COLLECTION: staging and production share the server, not the documents."""
    embedder = MiniLMEmbeddingFunction()
    staging = KnowledgeBase(Settings(home=tmp_path / "staging", chroma_url=chroma_url,
                                     chroma_collection="waypoint_staging"), embedder=embedder)
    production = KnowledgeBase(Settings(home=tmp_path / "production", chroma_url=chroma_url,
                                        chroma_collection="waypoint_production"), embedder=embedder)
    trial = staging.add_bytes("trial.md", b"# Trial rules\n\n## Cadence\n\nStaging pairs meet daily.\n")
    real = production.add_bytes("rules.md", b"# Program rules\n\n## Cadence\n\nPairs meet every two weeks.\n")
    assert [d.doc_id for d in staging.list_documents()] == [trial.doc_id]
    assert [d.doc_id for d in production.list_documents()] == [real.doc_id]
    assert staging.reindex() == trial.chunks  # a reindex swaps its own collection only
    assert [d.source for d in production.list_documents()] == ["rules.md"]
    assert staging.remove(trial.doc_id) and staging.list_documents() == []
    assert "every two weeks" in production.search("How often do pairs meet?")[0].text
