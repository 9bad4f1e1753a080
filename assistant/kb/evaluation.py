"""Scoring retrieval against question sets like ../shared/eval/kb_questions_dev.jsonl. Pure.

Shared by the retrieval test and bench/kb_quality.py so that both judge a hit the same way.
"""
from __future__ import annotations

import json
import re
from pathlib import Path


def load_questions(path: Path) -> list[dict]:
    """`{"id", "question", "answer_contains", "source"}` per line; [] if the file is absent."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic apostrophes made plain, lower case."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def answered(question: dict, passages: list[str]) -> bool:
    """True when one of the passages contains one of the question's answer phrases."""
    wanted = [normalise(phrase) for phrase in question["answer_contains"]]
    return any(phrase in normalise(passage) for passage in passages for phrase in wanted)
