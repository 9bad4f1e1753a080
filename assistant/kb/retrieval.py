"""Hybrid ranking: dense (embedding) similarity fused with BM25 keyword scores, then with
token-level matching (late.py) where the model provides token states. Pure.

The fused score is a weighted sum of scores that each mean something on their own (cosine
similarity, the share of the query's keyword weight a passage matches, the mean best cosine
of the query's tokens), so it can be compared with a fixed threshold: "the guidelines don't
cover that".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from assistant.kb.late import LATE_WEIGHT
from assistant.kb.lexical import LexicalIndex

DENSE_WEIGHT = 0.6
CANDIDATES = 40  # nearest passages taken from each side before fusing
LATE_POOL = 10  # the hybrid's best passages that token matching reorders


@dataclass(slots=True)
class Snapshot:
    """All passages' texts and metadata with their keyword index, as of one revision."""

    revision: str
    ids: list[str]
    documents: list[str]
    metadatas: list[dict]
    lexical: LexicalIndex
    position: dict[str, int]
    tokens: list | None = None  # each passage's late.Packed states, when the model has them

    @classmethod
    def build(cls, revision: str, ids: list[str], documents: list[str], metadatas: list[dict],
              index_texts: list[str]) -> "Snapshot":
        return cls(revision, ids, documents, metadatas, LexicalIndex(index_texts),
                   {chunk_id: i for i, chunk_id in enumerate(ids)})


def fuse(dense_positions: list[int], dense_scores: np.ndarray, lexical_scores: np.ndarray,
         k: int, dense_weight: float = DENSE_WEIGHT,
         late: Callable[[list[int]], np.ndarray] | None = None,
         late_weight: float = LATE_WEIGHT) -> list[tuple[int, float]]:
    """The k best (position, score) pairs, best first.

    `dense_*` are the nearest passages by embedding only; a passage found by keywords alone
    gets the lowest of those similarities, a safe upper bound of its own. `late` scores the
    candidates by their tokens; it takes `late_weight` of the score.
    """
    candidates = list(dict.fromkeys(dense_positions))
    if lexical_scores.size:
        pool = min(CANDIDATES, lexical_scores.size)
        top = np.argpartition(-lexical_scores, pool - 1)[:pool]
        candidates = list(dict.fromkeys(candidates + [int(i) for i in top if lexical_scores[i] > 0]))
    floor = float(dense_scores.min()) if dense_scores.size else 0.0
    dense = dict(zip(dense_positions, (float(s) for s in dense_scores)))
    scores = np.array([dense_weight * dense.get(pos, floor) + (1 - dense_weight) * float(lexical_scores[pos])
                       for pos in candidates], dtype=np.float32)
    if late is None or not late_weight or not candidates:
        order = np.argsort(-scores, kind="stable")[:k]
    else:
        # Token matching reorders the hybrid's best few only: measured on the mentoring corpus,
        # a pool of 8-80 finds the same answers, and the pool bounds the search's cost.
        pool = np.argsort(-scores, kind="stable")[:max(LATE_POOL, k)]
        scores[pool] = (1 - late_weight) * scores[pool] + late_weight * late([candidates[i] for i in pool])
        order = pool[np.argsort(-scores[pool], kind="stable")][:k]
    return [(candidates[i], float(scores[i])) for i in order]
