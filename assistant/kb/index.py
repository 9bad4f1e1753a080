"""KnowledgeBase: the guidelines' use cases (ingest, list, remove, reindex, search).

Built from Settings and lazy: nothing is opened until the first call. One instance may be
shared by threads (Streamlit sessions): writes take turns under one lock, while searches go
on from the last snapshot under another.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path, PurePath
from typing import Callable, Iterable

import numpy as np

from assistant.config import Settings
from assistant.kb.embeddings import Embedder, build_embedder
from assistant.kb.late import LATE_WEIGHT, maxsim, unit_rows
from assistant.kb.loaders import SUPPORTED, parse
from assistant.kb.retrieval import CANDIDATES, DENSE_WEIGHT, Snapshot, fuse
from assistant.kb.splitting import index_text, split_document
from assistant.kb.store import ChunkStore, Records
from assistant.kb.token_cache import PassageTokens, TokenCache
from assistant.kb.types import DocumentInfo, EmbeddingMismatchError, IngestError, IngestResult, KBError, Piece
from assistant.models import Citation

Progress = Callable[[int, int, str], None]
REVISION_CHECK_SECONDS = 2.0  # how stale a search may be after another process wrote
QUERY_CACHE = 256  # query embeddings kept
DEFAULTS_FLAG = "defaults_loaded"
# Passages one document may make. A 16.8 MB text file of short paragraphs made about 28,000:
# embedding them took 5 minutes of both cores, and the index then failed every listing and
# search ("too many SQL variables" inside Chroma). 3 MB of such text makes about 6,400.
MAX_PASSAGES = 10_000


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        """`embedder` defaults to the model the settings name; tests pass one to share it."""
        self.settings = settings
        self.embedder = embedder if embedder is not None else build_embedder(settings)
        self.store = ChunkStore(settings, self.embedder)
        self._lock = threading.RLock()  # the snapshot and the query cache
        self._write_lock = threading.Lock()  # one ingestion, removal or reindex at a time
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._query_vectors: OrderedDict[str, tuple[np.ndarray, np.ndarray | None]] = OrderedDict()
        # Token matching (late.py) when the model gives token states (MiniLM does, OpenAI not).
        self._late = callable(getattr(self.embedder, "encode_with_tokens", None))
        self.tokens = PassageTokens(
            lambda: TokenCache.under(settings.home, self.store.name, self.embedder.model_id),
            lambda texts: self.embedder.encode_with_tokens(texts))

    # -- ingestion -------------------------------------------------------------------------
    def add_file(self, path: Path) -> IngestResult:
        path = Path(path)
        if not path.is_file():
            return _error(path.name, f"no such file: {path}")
        too_big = self._size_error(path.stat().st_size)
        if too_big:
            return _error(path.name, too_big)
        return self.add_bytes(path.name, path.read_bytes())

    def add_bytes(self, name: str, data: bytes) -> IngestResult:
        name = PurePath(name).name or "upload"
        too_big = self._size_error(len(data))
        if too_big:
            return _error(name, too_big)
        try:
            with self._write_lock:  # so that the same file uploaded twice at once is added once
                return self._ingest(name, data)
        except EmbeddingMismatchError:
            raise  # not this file's fault: every file would fail until `kb reindex`
        except KBError as exc:  # IngestError, or a failed write that was rolled back
            return _error(name, str(exc))

    def add_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> list[IngestResult]:
        files = [f for p in paths for f in _expand(Path(p))]
        results, named = [], {}
        for done, path in enumerate(files, start=1):
            first = named.setdefault(path.name, path)
            # A document is known by its file name: a second "guide.md" would replace the first.
            results.append(self.add_file(path) if first == path else _error(
                path.name, f"another file of this batch has the same name ({first}); rename one of them"))
            if progress:
                progress(done, len(files), path.name)
        return results

    def ensure_defaults(self) -> list[IngestResult]:
        """On first start, ingest the default guidelines in knowledge_dir.

        Only once: an index that already has documents, or had the defaults once and was
        emptied by a coordinator since, is left as it is.
        """
        folder = self.settings.knowledge_dir
        if self.store.flag(DEFAULTS_FLAG) or self.store.count() or folder is None or not Path(folder).is_dir():
            return []
        # knowledge/README.md explains the folder to people; it is not a guideline.
        files = [p for p in _expand(Path(folder)) if p.name.lower() != "readme.md"]
        results = self.add_paths(files)
        self.store.set_flag(DEFAULTS_FLAG)
        return results

    def upgrade_embeddings(self) -> int:
        """Re-embed an index built with an earlier graph of the configured model (a Waypoint
        upgrade, not a change of settings); returns the number of passages, 0 if none."""
        if self.store.built_with() not in self.embedder.supersedes:
            return 0
        return self.reindex()

    def _size_error(self, size: int) -> str | None:
        limit = self.settings.max_upload_mb
        if size > limit * 1024 * 1024:
            return f"the file is {size / 1024 / 1024:.1f} MB; the limit is {limit} MB"
        return None

    def _ingest(self, name: str, data: bytes) -> IngestResult:
        self.store.collection()  # an index built with another model fails here, before any work
        sha = hashlib.sha256(data).hexdigest()
        same = self.store.first({"sha256": sha})
        if same is not None:
            return IngestResult(source=name, doc_id=same["doc_id"], status="unchanged",
                                chunks=self.store.count({"doc_id": same["doc_id"]}))
        doc = parse(name, data)
        pieces = split_document(doc)
        if len(pieces) > MAX_PASSAGES:
            raise IngestError(f"it splits into {len(pieces):,} passages; the limit is {MAX_PASSAGES:,} "
                              "per document: split it into several files")
        # Everything is computed before the index is touched: a failure here changes nothing.
        texts = [index_text(p) for p in pieces]
        try:
            vectors, states = self._embed(texts)
        except Exception as exc:  # e.g. an embedding server that is down or refuses the key
            raise IngestError(f"the embedding model failed ({type(exc).__name__}: {exc})") from exc
        new = _records(sha[:16], name, doc.title, sha, pieces, vectors)
        old = self.store.get({"source": name}, embeddings=True)
        self.store.replace(old, new)
        if states:
            with self._lock:
                self.tokens.add(sha, texts, states)
        self._invalidate()
        return IngestResult(source=name, doc_id=sha[:16], status="replaced" if old.ids else "added",
                            chunks=len(new))

    # -- documents -------------------------------------------------------------------------
    def list_documents(self) -> list[DocumentInfo]:
        docs: dict[str, DocumentInfo] = {}
        for meta in self.store.get(documents=False).metadatas:
            info = docs.get(meta["doc_id"])
            if info is None:
                docs[meta["doc_id"]] = DocumentInfo(
                    doc_id=meta["doc_id"], source=meta["source"], title=meta["title"], chunks=1,
                    added_at=datetime.fromisoformat(meta["added_at"]), sha256=meta["sha256"])
            else:
                info.chunks += 1
        return sorted(docs.values(), key=lambda d: (d.title.lower(), d.source))

    def remove(self, doc_id: str) -> bool:
        with self._write_lock:
            removed = self.store.delete({"doc_id": doc_id}) > 0
        self._invalidate()
        return removed

    def reindex(self) -> int:
        """Re-embed every passage with the configured model; returns the number of passages."""
        with self._write_lock:
            old = self.store.get()
            texts = _index_texts(old)
            vectors, states = self._embed(texts)  # with token states: the first search needn't redo them
            self.store.rebuild(Records(old.ids, vectors, old.documents, old.metadatas))
            with self._lock:
                self.tokens.add_all(texts, [m.get("sha256", "") for m in old.metadatas], states)
        self._invalidate()
        return len(old.ids)

    def _embed(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors and, when the model has them, token states ([] otherwise)."""
        if self._late:
            return self.embedder.encode_with_tokens(texts)
        return self.embedder.encode(texts), []

    def _invalidate(self) -> None:
        with self._lock:
            self._snapshot = None

    # -- search ----------------------------------------------------------------------------
    def search(self, query: str, k: int = 3) -> list[Citation]:
        """The k passages that best answer `query`, best first, score in 0..1.

        Raises KBError when the index can't be searched (EmbeddingMismatchError: run
        `waypoint kb reindex`; or the embedding model or Chroma server failing).
        """
        return self.ranked(query, k, DENSE_WEIGHT)

    def ranked(self, query: str, k: int, dense_weight: float, late_weight: float = LATE_WEIGHT) -> list[Citation]:
        """search() with the balance of signals given: dense_weight 1.0 is embeddings only, 0.0
        keywords only; late_weight 0 leaves token matching out (bench/kb_quality.py compares them)."""
        query = " ".join(query.split())
        if not query or k < 1 or self.store.collection() is None:
            return []
        snapshot = self._current_snapshot()
        if not snapshot.ids:
            return []
        vector, states = self._query_vector(query)
        ids, similarities = self.store.query(vector, min(CANDIDATES, len(snapshot.ids)))
        if any(chunk_id not in snapshot.position for chunk_id in ids):
            snapshot = self._current_snapshot(force=True)  # another process added passages
        keep = [i for i, chunk_id in enumerate(ids) if chunk_id in snapshot.position]
        positions = [snapshot.position[ids[i]] for i in keep]
        tokens = snapshot.tokens
        late = None if states is None or tokens is None else (
            lambda candidates: maxsim(states, [tokens[pos] for pos in candidates]))
        ranked = fuse(positions, similarities[keep], snapshot.lexical.scores(query), k, dense_weight,
                      late, late_weight)
        return [_citation(snapshot, pos, score) for pos, score in ranked]

    def revision(self) -> str:
        """Changes whenever documents are added, replaced or removed (checked every few seconds):
        callers that keep search results key them by it."""
        return self._current_snapshot().revision

    def relevant(self, query: str, k: int = 3) -> list[Citation]:
        """search() without the passages scoring under kb_min_score: [] means not covered."""
        return [c for c in self.search(query, k) if c.score >= self.settings.kb_min_score]

    def _query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray | None]:
        """The query's vector and, when the model has them, its unit token states."""
        # The coach asks the same questions often (a tip per missing SMART criterion).
        with self._lock:
            cached = self._query_vectors.get(query)
            if cached is not None:
                self._query_vectors.move_to_end(query)
                return cached
        try:
            if self._late:
                vectors, states = self.embedder.encode_with_tokens([query])
                cached = (vectors[0], unit_rows(states[0]))
            else:
                cached = (self.embedder.encode([query])[0], None)
        except Exception as exc:  # callers handle KBError: the coach then answers without guidelines
            raise KBError(f"the embedding model failed ({type(exc).__name__}: {exc})") from exc
        with self._lock:
            self._query_vectors[query] = cached
            if len(self._query_vectors) > QUERY_CACHE:
                self._query_vectors.popitem(last=False)
        return cached

    def _current_snapshot(self, force: bool = False) -> Snapshot:
        with self._lock:
            now = time.monotonic()
            if self._snapshot is not None and not force and now - self._checked_at < REVISION_CHECK_SECONDS:
                return self._snapshot
            revision = self.store.revision()
            self._checked_at = now
            if force or self._snapshot is None or self._snapshot.revision != revision:
                records = self.store.get()
                texts = _index_texts(records)
                self._snapshot = Snapshot.build(revision, records.ids, records.documents,
                                                records.metadatas, texts)
                if self._late:
                    shas = [meta.get("sha256", "") for meta in records.metadatas]
                    self._snapshot.tokens = self.tokens.for_passages(texts, shas)
            return self._snapshot


def _error(source: str, message: str) -> IngestResult:
    return IngestResult(source=source, status="error", error=message)


def _expand(path: Path) -> list[Path]:
    """A file as given (its type is checked later); a folder's supported files, recursively."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


def _index_texts(records: Records) -> list[str]:
    return [index_text(Piece(text, meta.get("section", ""))) for text, meta in zip(records.documents, records.metadatas)]


def _records(doc_id: str, source: str, title: str, sha: str, pieces: list[Piece],
             vectors: np.ndarray) -> Records:
    added_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    metadatas = []
    for i, piece in enumerate(pieces):
        meta = {"doc_id": doc_id, "source": source, "title": title, "section": piece.section,
                "chunk": i, "sha256": sha, "added_at": added_at}
        if piece.page is not None:
            meta["page"] = piece.page
        metadatas.append(meta)
    return Records([f"{doc_id}-{i:04d}" for i in range(len(pieces))], vectors,
                   [p.text for p in pieces], metadatas)


def _citation(snapshot: Snapshot, pos: int, score: float) -> Citation:
    meta = snapshot.metadatas[pos]
    return Citation(doc_id=meta["doc_id"], source=meta["source"], title=meta["title"],
                    section=meta.get("section", ""), page=meta.get("page"),
                    text=snapshot.documents[pos], score=round(min(max(score, 0.0), 1.0), 4))
