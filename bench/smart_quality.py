"""Accuracy of the offline SMART analysis, per field, on the dev set and our extra set.

    .venv/bin/python bench/smart_quality.py [--show-misses]

dev is ../shared/eval/smart_goals_dev.jsonl; extra is tests/data/smart_goals_extra.jsonl (100
goals labelled blind, by the rules in ../shared/README.md, before the analysis was tuned on
them). A label of null is debatable and not scored. Today is 2026-11-23, as the labels assume.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.smart import assess  # noqa: E402

TODAY = date(2026, 11, 23)
SETS = {"dev": ROOT.parent / "shared" / "eval" / "smart_goals_dev.jsonl",
        "extra": ROOT / "tests" / "data" / "smart_goals_extra.jsonl"}
FIELDS = ("specific", "measurable", "time_bound", "deadline")


def observed(text: str) -> dict:
    result = assess(text, TODAY)
    return {"specific": result.specific.met, "measurable": result.measurable.met,
            "time_bound": result.time_bound.met,
            "deadline": result.deadline.isoformat() if result.deadline else None}


def score(path: Path) -> tuple[dict[str, tuple[int, int]], list[str], float]:
    """Per field (right, scored), the misses, and the mean milliseconds per goal."""
    goals = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {f: [0, 0] for f in FIELDS}
    misses = []
    started = time.perf_counter()
    for goal in goals:
        got = observed(goal["text"])
        for field in FIELDS:
            # null is debatable and not scored, except a deadline null because there is none
            if goal.get(field) is None and not (field == "deadline" and goal.get("time_bound") is False):
                continue
            counts[field][1] += 1
            if got[field] == goal[field]:
                counts[field][0] += 1
            else:
                misses.append(f"  {goal['id']} {field}: expected {goal[field]}, got {got[field]}: {goal['text']}")
    per_goal = (time.perf_counter() - started) * 1000 / max(len(goals), 1)
    return {f: (c[0], c[1]) for f, c in counts.items()}, misses, per_goal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    print(f"{'set':<7}" + "".join(f"{f:>16}" for f in FIELDS) + f"{'ms/goal':>10}")
    for name, path in SETS.items():
        if not path.exists():
            print(f"{name:<7} (missing: {path})")
            continue
        counts, misses, per_goal = score(path)
        print(f"{name:<7}" + "".join(f"{f'{r}/{n}':>16}" for r, n in counts.values()) + f"{per_goal:>10.2f}")
        if args.show_misses and misses:
            print("\n".join(misses))


if __name__ == "__main__":
    main()
