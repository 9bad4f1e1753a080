"""LLMBackend through the real ChatOpenAI client against a fake OpenAI server on 127.0.0.1."""
from __future__ import annotations

import pytest
from fake_openai import FakeOpenAI, bad_body, drop, invalid_json, reply, slow, status, truncated
from llm_support import Clock, Recording, Sleeps, closed_port_url, offline_engine, request, settings_for, turn

from assistant.coach.types import GoalUpdate
from assistant.llm import FALLBACK_NAME, LLMBackend, stream_text

GOOD = turn({"what": "Give 3 talks at the team all-hands", "target": "3 talks"},
            "Three talks, great. By when would you like to have given them?", "deadline")


@pytest.fixture
def server():
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fallback():
    return Recording(offline_engine())


@pytest.fixture
def make(server, fallback):
    def build(**overrides):
        backend_kwargs = {k: overrides.pop(k) for k in ("method", "sleep", "clock", "wait_budget_s") if k in overrides}
        return LLMBackend(settings_for(server.base_url, **overrides), fallback, **backend_kwargs)
    return build


def test_one_call_answers_the_turn_with_a_validated_update_and_reply(server, make, fallback):
    server.push(reply(GOOD))
    result = make().interpret(request("I want to give 3 talks at our all-hands"))
    assert result.backend == "openai:fake-model" and result.fallback_reason is None
    assert GoalUpdate.model_validate(result.update).target == "3 talks"
    assert result.reply == GOOD["reply"] and result.asks == "deadline"
    assert len(server.chat_requests) == 1 and result.usage.calls == 1


def test_usage_comes_from_the_api_usage_fields(server, make):
    server.push(reply(GOOD))
    result = make().interpret(request("I want to give 3 talks"))
    told = server.chat_requests[0]["usage"]
    assert result.usage.prompt_tokens == told["prompt_tokens"] > 0
    assert result.usage.completion_tokens == told["completion_tokens"] > 0
    assert result.usage.latency_ms > 0


def test_request_shape_structured_tool_and_max_tokens_in_body(server, make):
    server.push(reply(GOOD))
    make().interpret(request("I want to give 3 talks"))
    body = server.chat_requests[0]["body"]
    assert body["model"] == "fake-model"
    assert body["tool_choice"]["function"]["name"] == body["tools"][0]["function"]["name"] == "GoalTurn"
    # llama.cpp's server ignores max_completion_tokens: the limit travels as max_tokens.
    assert body["max_tokens"] > 0 and "max_completion_tokens" not in body
    assert server.chat_requests[0]["headers"]["authorization"] == "Bearer test-key"


def test_the_sdk_does_not_retry_on_its_own(server, make, fallback):
    server.push(status(500))
    result = make(llm_max_retries=0).interpret(request("I want to give 3 talks"))
    assert len(server.chat_requests) == 1  # the openai SDK would retry twice by default
    assert result.backend == FALLBACK_NAME and "HTTP 500" in result.fallback_reason
    assert len(fallback.requests) == 1


@pytest.mark.parametrize("fault", [status(500), status(503), drop(), bad_body()],
                         ids=["500", "503", "dropped-connection", "not-a-completion"])
def test_a_transient_fault_is_retried_then_the_model_answers(server, make, fallback, fault):
    server.push(fault, reply(GOOD))
    result = make(llm_timeout=0.5).interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model", result.fallback_reason
    assert result.usage.calls == 2 and len(server.chat_requests) == 2


@pytest.mark.parametrize("fault,words,calls", [(status(500), "failed", 2), (drop(), "reached", 2),
                                               (slow(3.0), "within 0.5 s", 1), (status(502), "failed", 2)],
                         ids=["500", "dropped-connection", "timeout-not-retried", "502"])
def test_repeated_faults_end_in_the_offline_engine_for_that_turn(server, make, fallback, fault, words, calls):
    server.push(*[fault] * calls)
    backend = make(llm_timeout=0.5)
    req = request("Give 3 talks at the all-hands by March 2027")
    result = backend.interpret(req)
    assert result.backend == FALLBACK_NAME and words in result.fallback_reason
    assert fallback.requests == [req]
    assert result.update == offline_engine().interpret(req).update  # nothing the mentee wrote is lost
    assert result.usage.calls == calls
    # No sticky breaker: the next turn asks the model again.
    server.push(reply(GOOD))
    assert backend.interpret(request("I want to give 3 talks at the all-hands")).backend == "openai:fake-model"


def test_refused_connection_falls_back(fallback):
    backend = LLMBackend(settings_for(closed_port_url()), fallback)
    result = backend.interpret(request("Give 3 talks"))
    assert result.backend == FALLBACK_NAME and "could not be reached" in result.fallback_reason
    assert result.usage.calls == 2 and len(fallback.requests) == 1


def test_retry_after_is_honoured(server, make):
    sleeps = Sleeps()
    server.push(status(429, retry_after=1), reply(GOOD))
    result = make(sleep=sleeps).interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model"
    assert sleeps.pauses == [1.0]
    first, second = server.chat_requests
    assert second["at"] - first["at"] >= 1.0


def test_a_retry_after_longer_than_the_budget_is_honoured_by_staying_offline(server, make, fallback):
    clock, sleeps = Clock(), Sleeps()
    backend = make(sleep=sleeps, clock=clock, wait_budget_s=5.0)
    server.push(status(429, retry_after=30))
    first = backend.interpret(request("I want to give 3 talks"))
    assert first.backend == FALLBACK_NAME and "rate limiting" in first.fallback_reason
    assert sleeps.pauses == [] and len(server.chat_requests) == 1
    second = backend.interpret(request("I want to give 3 talks"))  # still inside the server's window
    assert second.backend == FALLBACK_NAME and "Retry-After" in second.fallback_reason
    assert len(server.chat_requests) == 1 and second.usage.calls == 0
    clock.offset += 31  # the window has passed: the model is asked again
    server.push(reply(GOOD))
    assert backend.interpret(request("I want to give 3 talks")).backend == "openai:fake-model"
    assert len(server.chat_requests) == 2


def test_invalid_output_gets_one_corrective_retry_with_the_errors(server, make):
    bad = {"update": {"deadline": "soon", "colour": "blue"}, "reply": "ok", "asks": "everything"}
    server.push(reply(bad), reply(GOOD))
    result = make().interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model" and result.usage.calls == 2
    retry = server.messages(-1)
    assert retry[-2]["role"] == "assistant" and "soon" in retry[-2]["content"]  # its own answer, shown back
    errors = retry[-1]["content"]
    assert "update.deadline" in errors and "update.colour" in errors and "asks" in errors
    assert sum(r["usage"]["prompt_tokens"] for r in server.chat_requests) == result.usage.prompt_tokens


def test_invalid_twice_falls_back(server, make, fallback):
    server.push(reply({"update": {"what": 42}}), reply({"nonsense": True}))
    result = make().interpret(request("Give 3 talks"))
    assert result.backend == FALLBACK_NAME and "invalid twice" in result.fallback_reason
    assert result.usage.calls == 2 and len(fallback.requests) == 1


@pytest.mark.parametrize("method", ["function_calling", "json_mode"])
@pytest.mark.parametrize("broken", [invalid_json(), truncated(GOOD)], ids=["invalid-json", "truncated"])
def test_malformed_or_truncated_output_is_corrected(server, make, method, broken):
    server.push(broken, reply(GOOD))
    result = make(method=method).interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model", result.fallback_reason
    assert result.usage.calls == 2
    if broken["kind"] == "truncated":
        assert "cut off" in server.messages(-1)[-1]["content"]


def test_json_mode_asks_for_a_json_object_without_tools(server, make):
    server.push(reply(GOOD))
    result = make(method="json_mode").interpret(request("I want to give 3 talks"))
    body = server.chat_requests[0]["body"]
    assert body["response_format"] == {"type": "json_object"} and "tools" not in body
    assert "JSON" in server.text_of(0, "system")  # OpenAI's json mode requires the word
    assert result.asks == "deadline"


def test_code_fences_around_json_are_accepted(server, make):
    server.push(reply("```json\n" + __import__("json").dumps(GOOD) + "\n```"))
    result = make(method="json_mode").interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model" and result.usage.calls == 1


def test_tiktoken_is_never_used(server, make, monkeypatch, tmp_path):
    import tiktoken

    def refuse(*args, **kwargs):
        raise AssertionError("tiktoken was called (it would download its tables)")
    monkeypatch.setattr(tiktoken, "get_encoding", refuse)
    monkeypatch.setattr(tiktoken, "encoding_for_model", refuse)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    server.push(status(500), reply({"bad": 1}), reply(GOOD))
    result = make().interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model" and result.usage.prompt_tokens > 0


def test_prep_turns_use_the_prep_schema(server, make):
    from assistant.coach.prep_models import PrepUpdate

    answer = turn({"wins": ["shipped the demo"], "blockers": ["no test data"]}, "Nice win! Anything else?", "questions")
    server.push(reply(answer))
    result = make().interpret(request("I shipped the demo but I have no test data", kind="prep",
                                      draft={"goals": [], "wins": []}))
    assert server.chat_requests[0]["body"]["tool_choice"]["function"]["name"] == "PrepTurn"
    assert PrepUpdate.model_validate(result.update).blockers == ["no test data"]
    assert result.asks == "questions"


def test_an_empty_reply_leaves_phrasing_to_the_templates(server, make):
    server.push(reply(turn({"what": "Give 3 talks"}, "", "measure")))
    result = make().interpret(request("Give 3 talks"))
    assert result.reply is None and result.asks is None and result.update["what"] == "Give 3 talks"


def test_openai_without_key_or_url_is_a_clear_error(monkeypatch, fallback):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    from assistant.config import Settings
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        LLMBackend(Settings(llm="openai", llm_api_key=None, llm_base_url=None), fallback)


def test_stream_text_chunks_by_words_and_loses_nothing():
    text = "Three talks, great.  By when would you\nlike to have given them?"
    chunks = list(stream_text(text))
    assert "".join(chunks) == text and len(chunks) == len(text.split())
    assert list(stream_text("")) == []


def test_make_backend_picks_offline_or_the_llm_with_the_offline_fallback(server):
    from assistant.llm import make_backend

    assert make_backend(settings_for(server.base_url, llm="offline")).name == "offline"
    backend = make_backend(settings_for(server.base_url))
    assert isinstance(backend, LLMBackend) and backend.fallback.name == "offline"
    server.push(status(500), status(500))
    assert backend.interpret(request("Give 3 talks by March 2027")).backend == FALLBACK_NAME


def test_a_turn_makes_no_new_call_once_it_has_waited_the_timeout(server, make, fallback):
    """A call that timed out is not retried: the mentee would wait twice as long for the same
    server. (A walk-through saw turns of 2-3 timeouts with a slow local model.)"""
    server.push(slow(1.5, reply(GOOD)), reply(GOOD))
    result = make(llm_timeout=1.0).interpret(request("I want to give 3 talks"))
    assert result.backend == FALLBACK_NAME and len(fallback.requests) == 1
    assert len(server.chat_requests) == 1


def test_a_fast_invalid_answer_still_gets_its_correction_within_the_timeout(server, make):
    bad = {"update": {"deadline": "soon"}, "reply": "ok", "asks": "everything"}
    server.push(reply(bad), reply(GOOD))
    result = make(llm_timeout=5.0).interpret(request("I want to give 3 talks"))
    assert result.backend == "openai:fake-model" and len(server.chat_requests) == 2
