"""Per-turn latency of the offline goal coach over scripted conversations (no I/O).

Run: .venv/bin/python bench/flow_latency.py
"""
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.coach.flow import advance  # noqa: E402
from assistant.coach.offline import OfflineBackend  # noqa: E402
from assistant.coach.templates import phrase  # noqa: E402
from assistant.coach.types import GoalDraft, GoalUpdate, TurnRequest  # noqa: E402

TODAY = date(2026, 11, 23)
SCRIPTS = [
    ["I want to get better at public speaking", "Give 3 talks at our team all-hands meeting",
     "by the end of March 2027", "My manager gives me an hour a week to prepare",
     "I want to lead the team one day", "yes"],
    ["Earn the PMP certification by October 2027 because I want to lead projects. My company pays the course.",
     "change the deadline to May 2027", "looks good"],
    ["Learn Spanish", "Pass the DELE B2 exam", "within 6 months", "I have 4 hours a week and an app subscription",
     "Our biggest client is in Madrid", "save it"],
    ["Read 6 books on people management", "by March 2025", "by the end of 2027", "30 minutes every evening",
     "so I can be a better manager", "start over", "Write a one-page summary of 6 management books by June 2027",
     "I read on my commute", "I'm a new manager", "yes"],
]


def run(rounds: int = 50) -> list[float]:
    backend, times = OfflineBackend(), []
    for _ in range(rounds):
        for script in SCRIPTS:
            draft = GoalDraft()
            for text in script:
                t0 = time.perf_counter()
                req = TurnRequest(text=text, draft=draft.model_dump(mode="json"), expecting=draft.asked, today=TODAY)
                update = GoalUpdate.model_validate(backend.interpret(req).update)
                draft, step = advance(draft, update, TODAY)
                phrase(step, draft)
                times.append((time.perf_counter() - t0) * 1000)
    return times


def run_service(rounds: int = 5) -> list[float]:
    """The same scripts through Service.chat: SQLite writes (WAL) before and after each turn.

    The knowledge base is given an empty guideline folder, so this measures the engine and the
    store; guideline search has its own figures in bench/README_kb.md."""
    import tempfile

    from assistant.config import Settings
    from assistant.deps import build_deps
    from assistant.service import SYSTEM, Service

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "no-guidelines"
        empty.mkdir()
        svc = Service(build_deps(Settings(home=Path(tmp), llm="offline", knowledge_dir=empty),
                                 today=lambda: TODAY))
        for r in range(rounds):
            for i, script in enumerate(SCRIPTS):
                user = svc.add_user(SYSTEM, f"mentee{r}-{i}", "mentee")
                for text in script:
                    t0 = time.perf_counter()
                    svc.chat(user, text)
                    times.append((time.perf_counter() - t0) * 1000)
    return times


def report(label: str, t: list[float]) -> None:
    t = sorted(t)
    p50, p95 = statistics.median(t), t[max(0, int(len(t) * 0.95) - 1)]
    print(f"{label}: {len(t)} turns, p50 {p50:.2f} ms, p95 {p95:.2f} ms per turn (target p95 <= 15 ms)")


if __name__ == "__main__":
    run(1)  # warm up dateparser's language data
    report("offline engine (rules + state machine + templates)", run())
    report("whole turn through the service (engine + SQLite writes)", run_service())
