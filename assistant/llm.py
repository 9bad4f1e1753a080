"""LLMBackend: one structured model call per mentee turn through LangChain's ChatOpenAI.

Works with any OpenAI-compatible server (OpenAI, Azure, vLLM, Ollama, llama.cpp).
The model only *understands* the turn (a validated update) and *phrases* a
reply; the flow decides what is asked next and what is saved.

Per turn: call → validate (pydantic shape, then grounding in what the mentee
said: llm_checks) → on invalid output one corrective call naming the errors →
on transport faults a bounded retry (Retry-After honoured within a small wait
budget) → otherwise the offline engine answers this turn, marked
"offline (fallback)" with the reason. The next turn tries the model again,
unless the server asked us (Retry-After) to stay away longer. An accepted
answer is topped up by the offline rules where it left a gap (`reconcile`).

Structured output: method="function_calling" by default (a forced tool call):
OpenAI, Azure, vLLM and llama.cpp's server all honour it, and llama.cpp turns
the schema into a grammar. "json_mode" (response_format json_object, the
fields described in the prompt) suits servers without tool support.
"""
from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import openai
from pydantic import BaseModel

from assistant.coach.types import Backend, TurnRequest, TurnResult, Usage
from assistant.coach.refusal import points_back
from assistant.coach.text import plain
from assistant.llm_checks import check_turn, reconcile
from assistant.llm_faults import RETRY_AFTER_CAP_S, Fault, classify
from assistant.llm_messages import TurnPrompt, build_prompt, estimate_tokens
from assistant.llm_output import truncated_message, validate_turn
from assistant.llm_schemas import TurnKind, kind_for

log = logging.getLogger(__name__)

FALLBACK_NAME = "offline (fallback)"
# Not "json_schema": llama-cpp-python's server rejects that response_format type.
METHODS = ("function_calling", "json_mode")


def build_chat(settings, max_tokens: int = 700):
    """The LangChain client; the SDK's own retries are off (we retry per turn)."""
    from langchain_openai import ChatOpenAI  # imported here: the offline app never loads it

    if not (settings.llm_api_key or settings.llm_base_url):
        raise ValueError("WAYPOINT_LLM=openai needs WAYPOINT_LLM_API_KEY / OPENAI_API_KEY "
                         "or WAYPOINT_LLM_BASE_URL (for a local server)")
    limit: dict[str, Any] = {}
    if settings.llm_base_url:
        # llama.cpp's server ignores max_completion_tokens (what ChatOpenAI sends for max_tokens).
        limit["extra_body"] = {"max_tokens": max_tokens}
    else:
        limit["max_tokens"] = max_tokens
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        # Local servers take any key; the SDK insists on one.
        api_key=settings.llm_api_key or "no-key",
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=0.2,
        **limit,
    )


class _Meter:
    """Usage of the model calls of one turn (failed calls count too: they cost time)."""

    def __init__(self) -> None:
        self.calls = self.prompt = self.completion = 0
        self.seconds = 0.0

    def add(self, raw: Any, seconds: float) -> None:
        self.calls += 1
        self.seconds += seconds
        meta = getattr(raw, "usage_metadata", None) or {}
        if meta:
            self.prompt += int(meta.get("input_tokens") or 0)
            self.completion += int(meta.get("output_tokens") or 0)
            return
        token_usage = (getattr(raw, "response_metadata", None) or {}).get("token_usage") or {}
        self.prompt += int(token_usage.get("prompt_tokens") or 0)
        self.completion += int(token_usage.get("completion_tokens") or 0)

    def usage(self) -> Usage:
        return Usage(calls=self.calls, prompt_tokens=self.prompt, completion_tokens=self.completion,
                     latency_ms=round(self.seconds * 1000.0, 1))


class LLMBackend:
    """Backend over an OpenAI-compatible chat model, with the offline engine as fallback."""

    def __init__(self, settings, fallback: Backend, *, chat=None, method: str = "function_calling",
                 max_tokens: int = 700, wait_budget_s: float = 5.0, floor: bool = True,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        self.name = f"openai:{settings.llm_model}"
        self.fallback = fallback
        self.floor = floor
        self.method = method
        self.max_retries = settings.llm_max_retries
        self.turn_budget_s = settings.llm_timeout  # no new call once a turn has waited this long
        self.wait_budget_s = wait_budget_s
        self._chat = chat if chat is not None else build_chat(settings, max_tokens)
        self._sleep, self._clock = sleep, clock
        self._runnables: dict[str, Any] = {}
        self._quiet_until = 0.0  # set only from a Retry-After we could not honour within a turn

    # -- the Backend protocol -------------------------------------------------------------
    def interpret(self, req: TurnRequest) -> TurnResult:
        meter = _Meter()
        try:
            kind = kind_for(req.kind)
        except KeyError:
            return self._fall_back(req, f"no model schema for '{req.kind}' turns", meter)
        wait = self._quiet_until - self._clock()
        if wait > 0:
            return self._fall_back(req, f"the model server asked to wait {wait:.0f} s more (Retry-After)", meter)
        prompt = build_prompt(req, kind, extra_tokens=self._schema_tokens(kind))
        return self._run(req, kind, prompt, meter)

    # -- one turn -------------------------------------------------------------------------
    def _run(self, req: TurnRequest, kind: TurnKind, prompt: TurnPrompt, meter: _Meter) -> TurnResult:
        messages = prompt.messages()
        faults_left, waited, corrected, attempt = self.max_retries, 0.0, False, 0
        started = self._clock()
        while True:
            if attempt and self._clock() - started >= self.turn_budget_s:
                # A mentee is waiting: after a timed-out (or slow) call, no second one.
                return self._fall_back(req, f"no answer within {self.turn_budget_s:g} s (WAYPOINT_LLM_TIMEOUT)", meter)
            attempt += 1
            try:
                raw, parsed = self._call(kind, messages, meter)
            except Exception as exc:  # noqa: BLE001 - every fault ends in a retry or the fallback
                fault = classify(exc)
                log.warning("model call %d failed: %s", attempt, fault.describe())
                delay = fault.delay(attempt)
                if not fault.retryable or faults_left == 0 or waited + delay > self.wait_budget_s:
                    self._remember_retry_after(fault)
                    return self._fall_back(req, fault.describe(), meter)
                faults_left -= 1
                waited += delay
                self._sleep(delay)
                continue
            turn, text, error = validate_turn(kind.schema, raw, parsed)
            if turn is not None:
                problems = check_turn(turn, req)
                if not problems:
                    return self._result(req, turn, meter)
                turn, error = None, "; ".join(problems)
            log.warning("model output rejected (attempt %d): %s", attempt, error)
            if corrected:
                return self._fall_back(req, f"the model's answer was invalid twice ({error})", meter)
            corrected = True
            messages = prompt.retry_messages(text, error)

    def _call(self, kind: TurnKind, messages: list, meter: _Meter) -> tuple[Any, Any]:
        runnable = self._runnables.get(kind.schema.__name__)
        if runnable is None:
            # The wire schema (a dict) is sent; validation is ours, against kind.schema.
            runnable = self._chat.with_structured_output(kind.wire, method=self.method, include_raw=True)
            self._runnables[kind.schema.__name__] = runnable
        started = self._clock()
        try:
            out = runnable.invoke(messages)
        except openai.LengthFinishReasonError as exc:
            # The SDK's parse path raises on truncation; treat it as invalid output
            # (a corrective retry asking for a shorter answer), not as a transport fault.
            raw = truncated_message(exc)
            meter.add(raw, self._clock() - started)
            return raw, None
        except Exception:
            meter.add(None, self._clock() - started)
            raise
        meter.add(out.get("raw"), self._clock() - started)
        return out.get("raw"), out.get("parsed")

    def _schema_tokens(self, kind: TurnKind) -> int:
        # function_calling sends the tool's JSON schema too, and servers bill it as prompt.
        if self.method == "json_mode":
            return 0
        return estimate_tokens(json.dumps(kind.wire, separators=(",", ":")))

    def _remember_retry_after(self, fault: Fault) -> None:
        if fault.kind == "rate_limit" and fault.retry_after:
            self._quiet_until = self._clock() + min(fault.retry_after, RETRY_AFTER_CAP_S)

    def _result(self, req: TurnRequest, turn: BaseModel, meter: _Meter) -> TurnResult:
        reply = (getattr(turn, "reply", "") or "").strip() or None
        update = turn.update.model_dump(mode="json", exclude_none=True)
        if self.floor:  # local rules, no model call: the LLM never understands less than offline
            offline = self.fallback.interpret(req)
            if points_back(plain(req.text)):  # "I already told you": the rules look back, a model may store it
                return offline.model_copy(update={"backend": self.name, "usage": meter.usage()})
            update = reconcile(update, offline.update, req.draft)
        return TurnResult(update=update,
                          reply=reply, asks=getattr(turn, "asks", None) if reply else None,
                          backend=self.name, usage=meter.usage())

    def _fall_back(self, req: TurnRequest, reason: str, meter: _Meter) -> TurnResult:
        result = self.fallback.interpret(req)
        # The reason is shown in the UI: keep it to a line or two.
        short = reason if len(reason) <= 300 else reason[:299] + "…"
        return result.model_copy(update={"backend": FALLBACK_NAME, "fallback_reason": short,
                                         "usage": meter.usage()})


# -- UI helpers ----------------------------------------------------------------------------
def stream_text(text: str, delay: float = 0.0, sleep: Callable[[float], None] = time.sleep) -> Iterator[str]:
    """Word chunks of an already validated reply, for st.write_stream."""
    for chunk in re.findall(r"\s*\S+\s*", text or ""):
        if delay:
            sleep(delay)
        yield chunk


def make_backend(settings) -> Backend:
    """Offline when WAYPOINT_LLM=offline, else the LLM with the offline engine as fallback."""
    from assistant.coach.offline import OfflineBackend  # lazy: keeps import order simple

    if settings.llm == "offline":
        return OfflineBackend()
    # `llm_method` is optional in Settings: servers without tool calls want "json_mode".
    method = getattr(settings, "llm_method", None) or "function_calling"
    return LLMBackend(settings, fallback=OfflineBackend(), method=method)
