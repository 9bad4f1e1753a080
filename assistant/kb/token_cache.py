"""Passages' token states on disk: a cache beside the index, never the index itself.

Chroma holds everything the knowledge base knows (store.py); token states (late.py) are too
big for its metadata (38 KB a passage made each write 5× slower), so they are kept here, one
file per document under WAYPOINT_HOME/tokens/<collection>/<model>/, keyed by a hash of each
passage's indexed text. Anything missing (a document added from another machine sharing a
Chroma server, an index from before this cache, an unwritable folder) is recomputed from
the passage's text by the caller, so losing this folder costs time, never results.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Callable

import numpy as np

from assistant.kb.late import Packed, pack

log = logging.getLogger(__name__)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class TokenCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def under(cls, home: Path, collection: str, model_id: str) -> "TokenCache":
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)
        return cls(Path(home) / "tokens" / collection / safe)

    def load(self, doc_sha: str) -> dict[str, Packed]:
        """The states saved for a document (by its content hash); {} when none or unreadable."""
        path = self._path(doc_sha)
        if not path.is_file():
            return {}
        try:
            with np.load(path) as data:
                keys, ends = data["keys"], data["ends"]
                values, scales = data["values"], data["scales"]
        except (OSError, ValueError, KeyError) as exc:  # a torn or foreign file: recomputed
            log.warning("ignoring the token cache %s: %s", path, exc)
            return {}
        starts = np.concatenate([[0], ends[:-1]])
        return {str(k): Packed(values[a:b], scales[a:b]) for k, a, b in zip(keys, starts, ends)}

    def save(self, doc_sha: str, states: dict[str, Packed]) -> None:
        """Write a document's states atomically (temp file, then rename); failures only log."""
        if not states:
            return
        keys = list(states)
        tmp = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                np.savez(out, keys=np.array(keys), ends=np.cumsum([len(states[k].values) for k in keys]),
                         values=np.concatenate([states[k].values for k in keys]),
                         scales=np.concatenate([states[k].scales for k in keys]))
            os.replace(tmp, self._path(doc_sha))
        except OSError as exc:
            if tmp is not None:  # a full disk: don't leave the half-written file behind
                Path(tmp).unlink(missing_ok=True)
            log.warning("can't write the token cache in %s (%s): kept in memory only", self.root, exc)

    def prune(self, keep: set[str]) -> None:
        """Delete the files of documents no longer in the index."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("*.npz"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)

    def _path(self, doc_sha: str) -> Path:
        return self.root / f"{doc_sha}.npz"


class PassageTokens:
    """The indexed passages' token states: in memory, else in their document's cache file,
    else computed again from the text by `compute` (the model's encode_with_tokens)."""

    def __init__(self, cache: Callable[[], TokenCache],
                 compute: Callable[[list[str]], tuple[np.ndarray, list[np.ndarray]]]) -> None:
        self._cache = cache  # a function: the folder depends on the collection and model
        self._compute = compute
        self._memory: dict[str, Packed] = {}

    def add(self, doc_sha: str, texts: list[str], states: list[np.ndarray]) -> None:
        """A document just ingested: its states, computed along with its vectors."""
        packed = {text_key(t): pack(s) for t, s in zip(texts, states)}
        self._memory.update(packed)
        self._cache().save(doc_sha, packed)

    def add_all(self, texts: list[str], doc_shas: list[str], states: list[np.ndarray]) -> None:
        """Passages of several documents (a reindex), saved one file per document."""
        for sha, positions in _by_document(doc_shas[:len(states)]).items():
            self.add(sha, [texts[p] for p in positions], [states[p] for p in positions])

    def for_passages(self, texts: list[str], doc_shas: list[str]) -> list[Packed] | None:
        """Each passage's states, in order; None (token matching left out) if the model fails."""
        keys = [text_key(t) for t in texts]
        by_doc = _by_document(doc_shas)
        cache = self._cache()
        try:
            for sha, positions in by_doc.items():
                if any(keys[p] not in self._memory for p in positions):
                    self._memory.update(cache.load(sha))
                missing = [p for p in positions if keys[p] not in self._memory]
                if missing:
                    _, states = self._compute([texts[p] for p in missing])
                    self._memory.update((keys[p], pack(s)) for p, s in zip(missing, states))
                    cache.save(sha, {keys[p]: self._memory[keys[p]] for p in positions})
        except Exception as exc:  # the model failing here fails the query's embedding too
            log.warning("token matching left out of this search: %s", exc)
            return None
        self._memory = {key: self._memory[key] for key in keys}  # removed passages go
        cache.prune(set(by_doc))
        return [self._memory[key] for key in keys]


def _by_document(doc_shas: list[str]) -> dict[str, list[int]]:
    """Positions grouped by their document: a cache file holds one document's passages."""
    groups: dict[str, list[int]] = {}
    for pos, sha in enumerate(doc_shas):
        groups.setdefault(sha, []).append(pos)
    return groups
