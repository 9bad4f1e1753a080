"""What went wrong with a model call, whether another try can help, and when.

The OpenAI SDK's own retries are off (max_retries=0 on the client): the
backend retries here, within a per-turn budget, so a mentee never waits more
than a few seconds before the offline engine answers instead.
"""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass

import openai

BACKOFF_S = 0.25      # pause before retrying a 5xx / dropped connection
RETRY_AFTER_CAP_S = 60.0  # longest server-requested pause we remember across turns


@dataclass(frozen=True)
class Fault:
    kind: str           # timeout | connection | rate_limit | server | client | unexpected
    detail: str
    retryable: bool
    retry_after: float | None = None  # seconds the server asked us to wait

    def delay(self, attempt: int) -> float:
        """Seconds to pause before retry number `attempt` (1-based)."""
        if self.retry_after is not None:
            return self.retry_after
        return BACKOFF_S * attempt

    def describe(self) -> str:
        labels = {
            "timeout": "the model did not answer in time",
            "connection": "the model server could not be reached",
            "rate_limit": "the model server is rate limiting",
            "server": "the model server failed",
            "client": "the model server refused the request",
            "unexpected": "the model call failed",
        }
        return f"{labels.get(self.kind, self.kind)} ({self.detail})"


def parse_retry_after(headers, now: float | None = None) -> float | None:
    """Seconds from `retry-after-ms`, `retry-after` (seconds or an HTTP date); None if absent/bad."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def classify(exc: BaseException) -> Fault:
    """Map an exception from the SDK (or LangChain) to a Fault."""
    detail = _short(exc)
    # Order matters: APITimeoutError is an APIConnectionError.
    if isinstance(exc, openai.APITimeoutError):
        return Fault("timeout", detail, retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return Fault("connection", detail, retryable=True)
    if isinstance(exc, openai.RateLimitError):
        wait = parse_retry_after(exc.response.headers)
        return Fault("rate_limit", detail, retryable=True, retry_after=wait if wait is not None else 1.0)
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500 or exc.status_code in (408, 409):
            return Fault("server", detail, retryable=True, retry_after=parse_retry_after(exc.response.headers))
        return Fault("client", detail, retryable=False)  # 400/401/404/422: the same request fails again
    if isinstance(exc, (openai.APIResponseValidationError, ValueError)):
        # A 200 whose body is not a chat completion (e.g. not JSON): a glitch worth one retry.
        return Fault("server", detail, retryable=True)
    return Fault("unexpected", detail, retryable=False)


def _short(exc: BaseException) -> str:
    status = getattr(exc, "status_code", None)
    text = " ".join(str(exc).split())[:160] or type(exc).__name__
    return f"HTTP {status}: {text}" if status else f"{type(exc).__name__}: {text}"
