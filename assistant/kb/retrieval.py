"""Hybrid ranking: dense (embedding) similarity fused with BM25 keyword scores. Pure.

The fused score is a weighted sum of two scores that each mean something on their own
(cosine similarity, and the share of the query's keyword weight a passage matches), so it
can be compared with a fixed threshold: "the guidelines don't cover that".
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.kb.lexical import LexicalIndex

DENSE_WEIGHT = 0.6
CANDIDATES = 40  # nearest passages taken from each side before fusing


@dataclass(slots=True)
class Snapshot:
    """All passages' texts and metadata with their keyword index, as of one revision."""

    revision: str
    ids: list[str]
    documents: list[str]
    metadatas: list[dict]
    lexical: LexicalIndex
    position: dict[str, int]

    @classmethod
    def build(cls, revision: str, ids: list[str], documents: list[str], metadatas: list[dict],
              index_texts: list[str]) -> "Snapshot":
        return cls(revision, ids, documents, metadatas, LexicalIndex(index_texts),
                   {chunk_id: i for i, chunk_id in enumerate(ids)})


def fuse(dense_positions: list[int], dense_scores: np.ndarray, lexical_scores: np.ndarray,
         k: int, dense_weight: float = DENSE_WEIGHT) -> list[tuple[int, float]]:
    """The k best (position, score) pairs, best first.

    `dense_*` are the nearest passages by embedding only; a passage found by keywords alone
    gets the lowest of those similarities, a safe upper bound of its own.
    """
    candidates = dict.fromkeys(dense_positions)
    if lexical_scores.size:
        pool = min(CANDIDATES, lexical_scores.size)
        top = np.argpartition(-lexical_scores, pool - 1)[:pool]
        candidates.update(dict.fromkeys(int(i) for i in top if lexical_scores[i] > 0))
    floor = float(dense_scores.min()) if dense_scores.size else 0.0
    dense = dict(zip(dense_positions, (float(s) for s in dense_scores)))
    scored = [(pos, dense_weight * dense.get(pos, floor) + (1 - dense_weight) * float(lexical_scores[pos]))
              for pos in candidates]
    scored.sort(key=lambda item: -item[1])
    return scored[:k]
