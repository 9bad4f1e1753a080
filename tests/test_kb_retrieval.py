"""Retrieval quality on the shared mentoring corpus, the "not covered" threshold, BM25 and fusion."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import assistant.kb.index as kb_index
from assistant.config import Settings
from assistant.kb import KnowledgeBase
from assistant.kb.embeddings import MiniLMEmbeddingFunction
from assistant.kb.evaluation import answered, load_questions
from assistant.kb.lexical import LexicalIndex, tokenize
from assistant.kb.retrieval import fuse

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "mentoring-articles"
DEV = SHARED / "eval" / "kb_questions_dev.jsonl"
EXTRA = Path(__file__).parent / "data" / "kb_questions_extra.jsonl"
# Written by helpers blind to the system; our closest estimate of the held-out set (bench/README_kb.md).
BLIND = [Path(__file__).parent / "data" / f"kb_questions_{name}.jsonl" for name in ("blind", "blind2", "blind3")]
needs_corpus = pytest.mark.skipif(not (CORPUS.is_dir() and DEV.is_file()), reason="../shared corpus absent")


def top3_has_answer(kb: KnowledgeBase, question: dict) -> bool:
    return answered(question, [c.text for c in kb.search(question["question"], k=3)])


@pytest.fixture(scope="module")
def embedder():
    return MiniLMEmbeddingFunction()


@pytest.fixture(scope="module")
def corpus_kb(tmp_path_factory, embedder):
    home = tmp_path_factory.mktemp("corpus")
    kb = KnowledgeBase(Settings(home=home, knowledge_dir=home / "none"), embedder=embedder)
    results = kb.add_paths([CORPUS])
    assert results and all(r.status == "added" for r in results)
    return kb


@needs_corpus
@pytest.mark.parametrize("question", load_questions(DEV), ids=lambda q: q["id"])
def test_dev_question_answered_in_top_3(corpus_kb, question):
    assert top3_has_answer(corpus_kb, question), [c.text[:80] for c in corpus_kb.search(question["question"])]


@needs_corpus
def test_extra_questions_mostly_answered_in_top_3(corpus_kb):
    questions = load_questions(EXTRA)
    assert len(questions) >= 15
    misses = [q["id"] for q in questions if not top3_has_answer(corpus_kb, q)]
    assert len(misses) <= len(questions) // 10, misses  # at least 90% (bench/kb_quality.py reports it)


@needs_corpus
@pytest.mark.parametrize("path", BLIND, ids=lambda p: p.stem)
def test_blind_questions_keep_their_measured_rate(corpus_kb, path):
    questions = load_questions(path)
    assert len(questions) >= 40
    misses = [q["id"] for q in questions if not top3_has_answer(corpus_kb, q)]
    # Measured 88%, 92% and 92% (blind3 written after the last change), short of the 95% aim:
    # this guards against sliding back, nothing more.
    assert len(misses) <= len(questions) // 5, misses


@needs_corpus
def test_results_best_first_with_scores_in_range(corpus_kb):
    hits = corpus_kb.search("How should a mentee prepare before a meeting?", k=5)
    scores = [c.score for c in hits]
    assert len(hits) == 5 and scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert all(c.source.endswith(".txt") and c.title and c.doc_id for c in hits)


@needs_corpus
@pytest.mark.parametrize("question", ["What is the boiling point of mercury?",
                                      "Which football club won the league in 1998?",
                                      "How do I reset the office printer?"])
def test_relevant_is_empty_when_the_guidelines_do_not_cover_it(corpus_kb, question):
    assert corpus_kb.relevant(question) == []


@needs_corpus
@pytest.mark.parametrize("question", ["How often should a mentor and mentee meet?",
                                      "How should I react to feedback from my mentor?"])
def test_relevant_keeps_passages_above_the_threshold(corpus_kb, question):
    hits = corpus_kb.relevant(question)
    assert hits and all(c.score >= corpus_kb.settings.kb_min_score for c in hits)


def test_empty_index_and_blank_query(tmp_path, embedder):
    kb = KnowledgeBase(Settings(home=tmp_path), embedder=embedder)
    assert kb.search("how often should we meet?") == [] and kb.relevant("anything") == []
    kb.add_bytes("a.md", b"# A\n\nMentors and mentees meet every second week.")
    assert kb.search("   ") == [] and kb.search("meet", k=0) == []


def test_search_sees_writes_of_another_instance(tmp_path, embedder, monkeypatch):
    monkeypatch.setattr(kb_index, "REVISION_CHECK_SECONDS", 0.0)
    settings = Settings(home=tmp_path)
    reader, writer = KnowledgeBase(settings, embedder=embedder), KnowledgeBase(settings, embedder=embedder)
    first = writer.add_bytes("a.md", b"# Meetings\n\nMentors and mentees meet every second week.")
    assert reader.search("How often do we meet?")[0].doc_id == first.doc_id
    second = writer.add_bytes("b.md", b"# Feedback\n\nGive feedback on behaviour, never on the person.")
    assert reader.search("How should I give feedback?")[0].doc_id == second.doc_id
    writer.remove(second.doc_id)
    assert {c.doc_id for c in reader.search("How should I give feedback?", k=5)} == {first.doc_id}


def test_tokenize_stems_and_drops_stopwords():
    assert tokenize("The mentee's meetings were independent") == ["mente", "meet", "independ"]
    assert tokenize("Independence and MEETING") == ["independ", "meet"]


def test_british_and_american_spellings_match():
    assert tokenize("formalised organisation behaviour prioritising") == \
        tokenize("formalized organization behavior prioritizing") == ["formal", "organiz", "behavior", "priorit"]
    assert tokenize("hours four tour raise") == ["hour", "four", "tour", "rais"]  # short words are left alone
    index = LexicalIndex(["Every organization needs a formal process with real commitments."])
    british = index.scores("Why should an organisation formalise its process?")
    assert british[0] > 0.5 and british[0] == index.scores("Why should an organization formalize its process?")[0]


def test_bm25_prefers_rare_matching_terms():
    index = LexicalIndex(["mentor meets mentee weekly", "mentor writes a report",
                          "quarterly budget review", "mentor mentor mentor"])
    scores = index.scores("weekly mentor meetings")
    assert int(np.argmax(scores)) == 0 and scores[2] == 0.0
    assert 0.0 < scores.max() <= 1.0
    assert index.scores("astronomy").max() == 0.0 and LexicalIndex([]).scores("x").size == 0


def test_fuse_gives_keyword_only_candidates_the_lowest_dense_score():
    lexical = np.array([0.0, 0.9, 0.0, 0.1], dtype=np.float32)
    ranked = fuse([0, 2], np.array([0.8, 0.5], dtype=np.float32), lexical, k=3, dense_weight=0.5)
    # 1 and 3 were found by keywords only: they get the dense floor 0.5.
    assert [pos for pos, _ in ranked] == [1, 0, 3]
    assert [score for _, score in ranked] == pytest.approx([0.5 * 0.5 + 0.5 * 0.9, 0.5 * 0.8, 0.5 * 0.5 + 0.5 * 0.1])
