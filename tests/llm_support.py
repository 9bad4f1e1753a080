"""Helpers for the LLM backend tests: settings, a recording fallback, a scripted 'model'."""
from __future__ import annotations

import socket
import time
from datetime import date

from assistant.coach.types import TurnRequest, TurnResult
from assistant.config import Settings

TODAY = date(2026, 11, 23)


def settings_for(base_url: str, **overrides) -> Settings:
    values = dict(llm="openai", llm_base_url=base_url, llm_model="fake-model", llm_api_key="test-key",
                  llm_timeout=2.0, llm_max_retries=1)
    values.update(overrides)
    return Settings(**values)


def offline_engine():
    """The real offline engine: the fallback in production, so the fallback in the tests."""
    from assistant.coach.offline import OfflineBackend
    return OfflineBackend()


class Recording:
    """Wraps a fallback backend and records which turns it had to answer."""
    name = "offline"

    def __init__(self, inner) -> None:
        self.inner = inner
        self.requests: list[TurnRequest] = []

    def interpret(self, req: TurnRequest) -> TurnResult:
        self.requests.append(req)
        return self.inner.interpret(req)


class Metered:
    """Delegates to a backend and keeps every TurnResult (for the per-turn accounting)."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.results = inner, inner.name, []

    def interpret(self, req: TurnRequest) -> TurnResult:
        result = self.inner.interpret(req)
        self.results.append(result)
        return result


class Sleeps:
    """A sleep that really sleeps (the server sees the pause) and remembers each pause."""

    def __init__(self) -> None:
        self.pauses: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        time.sleep(seconds)


class Clock:
    """time.monotonic with a jump forward the test controls (for Retry-After windows)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.offset


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def request(text: str, draft: dict | None = None, **kwargs) -> TurnRequest:
    return TurnRequest(text=text, draft=draft or {}, today=TODAY, **kwargs)


def turn(update: dict | None = None, reply: str = "", asks: str | None = None) -> dict:
    """What a well-behaved model answers for one turn."""
    return {"update": update or {}, "reply": reply, "asks": asks}
