"""Token matching (kb/late.py) and the token states' cache beside the index (kb/token_cache.py)."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from assistant.config import Settings
from assistant.kb import KnowledgeBase
from assistant.kb.embeddings import MiniLMEmbeddingFunction
from assistant.kb.late import maxsim, pack, unit_rows
from assistant.kb.retrieval import fuse
from assistant.kb.token_cache import PassageTokens, TokenCache, text_key

GUIDE = b"""# Meeting cadence

Mentors and mentees meet every two weeks for an hour.

# Feedback

Describe the behaviour you saw and its effect, never the person.

# Ending well

In the closing session, look back at the goals and say what comes next.
"""


def exact_maxsim(query: np.ndarray, passage: np.ndarray) -> float:
    return float((unit_rows(query) @ unit_rows(passage).T).max(axis=1).mean())


def test_maxsim_matches_the_exact_float_computation():
    rng = np.random.default_rng(7)
    query = rng.standard_normal((9, 384))
    passages = [rng.standard_normal((n, 384)) for n in (1, 40, 130)]
    got = maxsim(unit_rows(query), [pack(p) for p in passages])
    assert got == pytest.approx([exact_maxsim(query, p) for p in passages], abs=0.01)


def test_a_passage_holding_the_query_tokens_scores_highest():
    rng = np.random.default_rng(3)
    query = rng.standard_normal((5, 384))
    inside = np.vstack([rng.standard_normal((20, 384)), query, rng.standard_normal((20, 384))])
    scores = maxsim(unit_rows(query), [pack(rng.standard_normal((45, 384))), pack(inside)])
    assert scores[1] == pytest.approx(1.0, abs=0.01) and scores[0] < 0.5
    assert maxsim(unit_rows(query), []).shape == (0,)


def test_fuse_gives_token_matching_its_share_of_the_score():
    lexical = np.array([0.0, 0.0], dtype=np.float32)
    dense = np.array([0.6, 0.4], dtype=np.float32)
    ranked = fuse([0, 1], dense, lexical, k=2, dense_weight=1.0,
                  late=lambda candidates: np.array([{0: 0.2, 1: 0.9}[c] for c in candidates]), late_weight=0.5)
    assert ranked == [(1, pytest.approx(0.65)), (0, pytest.approx(0.4))]
    assert [pos for pos, _ in fuse([0, 1], dense, lexical, k=2, dense_weight=1.0, late=None)] == [0, 1]


def test_token_cache_round_trip_prune_and_a_torn_file(tmp_path):
    cache = TokenCache.under(tmp_path, "guides", "model/one")
    rng = np.random.default_rng(1)
    states = {text_key("a"): pack(rng.standard_normal((3, 8))), text_key("b"): pack(rng.standard_normal((5, 8)))}
    cache.save("sha1", states)
    loaded = cache.load("sha1")
    assert set(loaded) == set(states)
    for key, packed in states.items():
        assert np.array_equal(loaded[key].values, packed.values) and np.allclose(loaded[key].scales, packed.scales)
    (cache.root / "sha2.npz").write_bytes(b"not a numpy file")
    assert cache.load("sha2") == {} and cache.load("absent") == {}
    cache.prune({"sha2"})
    assert sorted(p.name for p in cache.root.iterdir()) == ["sha2.npz"]


def test_passage_tokens_compute_only_what_neither_memory_nor_disk_has(tmp_path):
    rng = np.random.default_rng(2)
    calls: list[list[str]] = []

    def compute(texts):
        calls.append(list(texts))
        return None, [rng.standard_normal((4, 8)) for _ in texts]

    cache = TokenCache(tmp_path / "tokens")
    first = PassageTokens(lambda: cache, compute)
    first.add("doc", ["one", "two"], [rng.standard_normal((4, 8)), rng.standard_normal((6, 8))])
    second = PassageTokens(lambda: cache, compute)  # a new process: from the file, nothing computed
    got = second.for_passages(["one", "two", "three"], ["doc", "doc", "doc"])
    assert calls == [["three"]] and [len(p.values) for p in got] == [4, 6, 4]
    assert set(cache.load("doc")) == {text_key(t) for t in ("one", "two", "three")}


def test_passage_tokens_leave_token_matching_out_when_the_model_fails(tmp_path):
    def broken(texts):
        raise TimeoutError("model gone")
    assert PassageTokens(lambda: TokenCache(tmp_path), broken).for_passages(["x"], ["doc"]) is None


@pytest.fixture(scope="module")
def embedder():
    return MiniLMEmbeddingFunction()


def test_a_new_process_reads_the_cache_and_a_lost_cache_is_rebuilt(tmp_path, embedder, monkeypatch):
    settings = Settings(home=tmp_path)
    passages = KnowledgeBase(settings, embedder=embedder).add_bytes("guide.md", GUIDE).chunks
    question = "What happens when the mentoring ends?"
    sizes: list[int] = []
    real = embedder.encode_with_tokens
    monkeypatch.setattr(embedder, "encode_with_tokens", lambda texts: sizes.append(len(texts)) or real(texts))

    cached = KnowledgeBase(settings, embedder=embedder).search(question, k=3)
    assert sizes == [1]  # the question only: the passages' states came from the cache
    assert "closing session" in cached[0].text
    shutil.rmtree(tmp_path / "tokens")
    rebuilt = KnowledgeBase(settings, embedder=embedder).search(question, k=3)
    assert sizes[1:] == [1, passages]  # the question, then the document's passages again
    assert [(c.text, c.score) for c in rebuilt] == [(c.text, c.score) for c in cached]
    assert any((tmp_path / "tokens").rglob("*.npz"))


def test_removing_a_document_drops_its_cache_file(tmp_path, embedder):
    kb = KnowledgeBase(Settings(home=tmp_path), embedder=embedder)
    doc = kb.add_bytes("guide.md", GUIDE)
    other = kb.add_bytes("other.md", b"# Goals\n\nA goal names a date by which it is done.")
    kb.search("When do we meet?")
    assert len(list((tmp_path / "tokens").rglob("*.npz"))) == 2
    kb.remove(doc.doc_id)
    assert kb.search("When do we meet?")[0].doc_id == other.doc_id
    assert len(list((tmp_path / "tokens").rglob("*.npz"))) == 1


def test_reindex_writes_the_token_states_with_the_vectors(tmp_path, embedder, monkeypatch):
    settings = Settings(home=tmp_path)
    KnowledgeBase(settings, embedder=embedder).add_bytes("guide.md", GUIDE)
    shutil.rmtree(tmp_path / "tokens")
    assert KnowledgeBase(settings, embedder=embedder).reindex() >= 1
    assert any((tmp_path / "tokens").rglob("*.npz"))
    sizes: list[int] = []
    real = embedder.encode_with_tokens
    monkeypatch.setattr(embedder, "encode_with_tokens", lambda texts: sizes.append(len(texts)) or real(texts))
    assert KnowledgeBase(settings, embedder=embedder).search("When do we meet?")
    assert sizes == [1], "only the question was embedded: the passages' states came from the reindex"
