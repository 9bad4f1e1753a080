"""The Chroma edge: one collection of passages (WAYPOINT_CHROMA_COLLECTION, so installs can
share a Chroma server), embedded locally or on a Chroma server.

Everything the knowledge base knows lives in the collection itself: each passage's metadata
carries its document's id, name, title, hash and date, and the collection's metadata names
the embedding model that built it. Nothing else is needed, so a Chroma server
(WAYPOINT_CHROMA_URL) works exactly like the embedded default; the passages' token states
beside it (token_cache.py) are a cache, rebuilt from the passages when missing.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.config import Settings
from assistant.kb.types import EmbeddingMismatchError, KBError

REBUILD_SUFFIX = "_rebuild"  # a reindex fills NAME_rebuild, then renames it over NAME


@dataclass(slots=True)
class Records:
    """A batch of passages as Chroma stores them."""

    ids: list[str]
    embeddings: Any  # np.ndarray (n, dim)
    documents: list[str]
    metadatas: list[dict[str, Any]]

    def __len__(self) -> int:
        return len(self.ids)


def open_client(settings: Settings):
    """An embedded PersistentClient under WAYPOINT_HOME, or an HttpClient for chroma_url."""
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    if not settings.chroma_url:
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    url = urlparse(settings.chroma_url if "//" in settings.chroma_url else f"http://{settings.chroma_url}")
    try:
        return chromadb.HttpClient(host=url.hostname or "localhost", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=chroma_settings)
    except Exception as exc:  # the client checks the server on creation
        raise KBError(f"can't reach the Chroma server at {settings.chroma_url}: {exc}") from exc


class ChunkStore:
    """The passages collection (WAYPOINT_CHROMA_COLLECTION), opened on first use."""

    def __init__(self, settings: Settings, embedder) -> None:
        self._settings = settings
        self.name = settings.chroma_collection
        self._rebuild = self.name + REBUILD_SUFFIX
        self._embedder = embedder
        self._client = None
        self._collection = None
        self._lock = threading.RLock()

    @property
    def client(self):
        with self._lock:
            if self._client is None:
                self._client = open_client(self._settings)
            return self._client

    # -- the collection and its embedding model ------------------------------------------
    def collection(self, create: bool = False, check_model: bool = True):
        """The passages collection; None if it doesn't exist and create is False."""
        with self._lock:
            if self._collection is None:
                self._collection = self._open(create)
            if self._collection is not None and check_model:
                self._ensure_model()
            return self._collection

    def _ensure_model(self) -> None:
        built_with = (self._collection.metadata or {}).get("embedding_model")
        if built_with in (None, self._embedder.model_id):
            return
        if self._collection.count():
            raise EmbeddingMismatchError(
                f"The guideline index was built with the embedding model '{built_with}', but "
                f"'{self._embedder.model_id}' is configured. Run `waypoint kb reindex` to rebuild "
                "the index with the configured model (or switch WAYPOINT_EMBEDDING back).")
        # An empty index simply adopts the configured model.
        self.client.delete_collection(self.name)
        self._collection = self._create(self.name)

    def _open(self, create: bool):
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        if self.name not in names and self._rebuild in names:
            self._finish_rebuild()  # a reindex stopped between its last two steps
            names.add(self.name)
        if self.name in names:
            return self.client.get_collection(self.name, embedding_function=None)
        if not create:
            return None
        return self._create(self.name)

    def _create(self, name: str, flags: dict | None = None):
        metadata = {**(flags or {}), "embedding_model": self._embedder.model_id, "revision": uuid.uuid4().hex}
        return self.client.create_collection(
            name, embedding_function=self._embedder, configuration={"hnsw": {"space": "cosine"}},
            metadata=metadata)

    def flag(self, key: str) -> bool:
        """A yes/no fact about the index kept in its metadata, e.g. 'defaults_loaded'."""
        collection = self.collection(check_model=False)
        return bool(collection is not None and (collection.metadata or {}).get(key))

    def set_flag(self, key: str) -> None:
        with self._lock:
            _update_metadata(self.collection(create=True, check_model=False), **{key: True})

    def built_with(self) -> str | None:
        """The embedding model id the index records; None without an index."""
        collection = self.collection(check_model=False)
        return None if collection is None else (collection.metadata or {}).get("embedding_model")

    def revision(self) -> str:
        """Changes on every write, by any process: tells cached search indexes they are stale."""
        if self.collection() is None:
            return ""
        fresh = self.client.get_collection(self.name, embedding_function=None)
        if fresh.id != self._collection.id:  # another process reindexed: follow the new collection
            with self._lock:
                self._collection = fresh
                self._ensure_model()
        return str((fresh.metadata or {}).get("revision", ""))

    def _bump_revision(self, collection) -> None:
        _update_metadata(collection, revision=uuid.uuid4().hex)

    # -- reads -----------------------------------------------------------------------------
    def get(self, where: dict | None = None, embeddings: bool = False, documents: bool = True) -> Records:
        collection = self.collection(check_model=False)
        if collection is None:
            return Records([], None, [], [])
        include = ["metadatas"] + (["documents"] if documents else []) + (["embeddings"] if embeddings else [])
        got = collection.get(where=where, include=include)
        vectors = got.get("embeddings")
        return Records(list(got["ids"]),
                       np.asarray(vectors, dtype=np.float32) if vectors is not None else None,
                       list(got.get("documents") or [""] * len(got["ids"])), list(got["metadatas"]))

    def first(self, where: dict) -> dict | None:
        """Metadata of one passage matching `where`, if any."""
        collection = self.collection(check_model=False)
        if collection is None:
            return None
        got = collection.get(where=where, limit=1, include=["metadatas"])
        return got["metadatas"][0] if got["ids"] else None

    def count(self, where: dict | None = None) -> int:
        collection = self.collection(check_model=False)
        if collection is None:
            return 0
        return collection.count() if where is None else len(collection.get(where=where, include=[])["ids"])

    def query(self, vector: np.ndarray, n: int) -> tuple[list[str], np.ndarray]:
        """Ids of the n nearest passages and their cosine similarities, best first."""
        got = self.collection().query(query_embeddings=[vector], n_results=n, include=["distances"])
        return list(got["ids"][0]), 1.0 - np.asarray(got["distances"][0], dtype=np.float32)

    # -- writes ----------------------------------------------------------------------------
    def replace(self, old: Records, new: Records) -> None:
        """Swap `old` passages for `new` ones; on any failure put the old ones back."""
        with self._lock:
            collection = self.collection(create=True)
            try:
                if old.ids:
                    collection.delete(ids=old.ids)
                self._add(collection, new)
            except Exception as exc:
                self._restore(collection, old, new)
                raise KBError(f"the index could not be updated ({exc}); nothing was changed") from exc
            self._bump_revision(collection)

    def delete(self, where: dict) -> int:
        with self._lock:
            collection = self.collection(check_model=False)
            if collection is None:
                return 0
            ids = collection.get(where=where, include=[])["ids"]
            if ids:
                collection.delete(ids=ids)
                self._bump_revision(collection)
            return len(ids)

    def _add(self, collection, records: Records) -> None:
        step = max(1, self.client.get_max_batch_size())
        for start in range(0, len(records), step):
            end = start + step
            collection.add(ids=records.ids[start:end], embeddings=records.embeddings[start:end],
                           documents=records.documents[start:end], metadatas=records.metadatas[start:end])

    def _restore(self, collection, old: Records, new: Records) -> None:
        try:
            collection.delete(ids=new.ids)
            if old.ids:
                self._add(collection, old)
        except Exception:  # the original error is the one worth reporting
            pass

    # -- reindex ---------------------------------------------------------------------------
    def rebuild(self, records: Records) -> None:
        """Replace the whole collection by `records` (embedded with the configured model).

        The new collection is filled under another name first; the old one is dropped only
        once the new one is complete, then the new one takes its name.
        """
        with self._lock:
            names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
            if self._rebuild in names:
                self.client.delete_collection(self._rebuild)
            current = self.collection(check_model=False)
            flags = {k: v for k, v in ((current.metadata or {}) if current else {}).items()
                     if k not in ("embedding_model", "revision")}
            fresh = self._create(self._rebuild, flags)
            try:
                self._add(fresh, records)
            except Exception as exc:
                self.client.delete_collection(self._rebuild)
                raise KBError(f"reindex failed ({exc}); the old index is unchanged") from exc
            if self.name in names:
                self.client.delete_collection(self.name)
            self._finish_rebuild()
            self._collection = None

    def _finish_rebuild(self) -> None:
        self.client.get_collection(self._rebuild, embedding_function=None).modify(name=self.name)


def _update_metadata(collection, **changes) -> None:
    # Chroma replaces a collection's metadata as a whole: carry the other keys over.
    collection.modify(metadata={**(collection.metadata or {}), **changes})
