"""Language-model usage per mentee turn: what the coordinator's totals are built from."""
from __future__ import annotations

from sqlalchemy import func, insert, select

from assistant.coach.types import Usage
from assistant.store.db import Repo
from assistant.store.tables import llm_usage


class UsageRepo(Repo):
    def record_usage(self, user: str, backend: str, usage: Usage) -> None:
        with self._write() as conn:
            conn.execute(insert(llm_usage).values(
                user=user, backend=backend[:120], at=self._now(), calls=usage.calls,
                prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                latency_ms=int(usage.latency_ms)))

    def usage_totals(self) -> dict[str, int]:
        """Program-wide sums (no per-person figures: coordinators see aggregates)."""
        cols = ("calls", "prompt_tokens", "completion_tokens", "latency_ms")
        with self._read() as conn:
            row = conn.execute(select(*(func.coalesce(func.sum(getattr(llm_usage.c, c)), 0)
                                        for c in cols), func.count())).one()
        return {**dict(zip(cols, (int(v) for v in row[:4]))), "turns": int(row[4])}
