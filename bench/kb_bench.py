"""Speed of the guideline knowledge base: ingestion rate and search latency.

    .venv/bin/python bench/kb_bench.py [--docs 8] [--sizes 1000 10000] [--queries 200] [--graph both]

1. Ingestion: synthetic Markdown guidelines (sections of ~600 characters) go through
   add_bytes() — parse, split, embed, write to Chroma — and the rate is passages per second.
2. Search: an index of N synthetic passages (real text, so the keyword index is realistic;
   random unit vectors instead of embeddings, since computing 10k real ones would take
   minutes and does not change the cost of a query) is searched with real questions. The
   time per search() includes embedding the question, the Chroma query, BM25 and fusion.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.kb import KnowledgeBase  # noqa: E402
from assistant.kb.embeddings import MiniLMEmbeddingFunction  # noqa: E402
from assistant.kb.evaluation import load_questions  # noqa: E402
from assistant.kb.splitting import index_text  # noqa: E402
from assistant.kb.store import Records  # noqa: E402
from assistant.kb.types import Piece  # noqa: E402

SHARED = ROOT.parent / "shared"
FALLBACK_WORDS = ("mentor mentee goal meeting feedback program agenda progress skill career "
                  "week month plan review support listen action learn role coordinator").split()


def vocabulary() -> list[str]:
    corpus = SHARED / "corpus" / "mentoring-articles"
    words = [w for f in sorted(corpus.glob("*")) for w in re.findall(r"[A-Za-z']+", f.read_text())]
    return words or FALLBACK_WORDS


def paragraph(rng: random.Random, words: list[str], chars: int = 600) -> str:
    sentences, size = [], 0
    while size < chars - 40:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 18))).capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)


def markdown_doc(rng: random.Random, words: list[str], sections: int) -> str:
    parts = [f"# Guideline {rng.randint(1, 10**6)}"]
    for i in range(sections):
        parts += [f"## Section {i}: {' '.join(rng.sample(words, 3))}", paragraph(rng, words)]
    return "\n\n".join(parts)


def bench_ingest(docs: int, words: list[str], threads: int, quantized: bool) -> None:
    rng = random.Random(1)
    texts = [markdown_doc(rng, words, 25).encode() for _ in range(docs)]
    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase(Settings(home=Path(home)), embedder=MiniLMEmbeddingFunction(threads, quantized))
        kb.embedder.encode(["warm up"])  # model loading is a one-off, not part of the rate
        wall, cpu = time.perf_counter(), time.process_time()
        results = [kb.add_bytes(f"guide-{i}.md", data) for i, data in enumerate(texts)]
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        chunks = sum(r.chunks for r in results)
        passages = kb.store.get().documents
        print(f"ingestion: {chunks} passages (mean {np.mean([len(p) for p in passages]):.0f} chars) in "
              f"{wall:.1f}s = {chunks / wall:.1f} passages/s (CPU time {cpu:.1f}s = {chunks / cpu:.1f}/s per core)")
        started = time.perf_counter()
        kb.embedder.encode(passages[:64])
        print(f"  of which embedding alone: {64 / (time.perf_counter() - started):.1f} passages/s")


def fill(kb: KnowledgeBase, size: int, words: list[str]) -> None:
    rng = random.Random(size)
    vectors = np.random.default_rng(size).normal(size=(size, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    metadatas = [{"doc_id": f"doc{i // 25}", "source": f"doc{i // 25}.md", "title": f"Doc {i // 25}",
                  "section": f"Section {i % 25}", "chunk": i % 25, "sha256": f"sha{i // 25}",
                  "added_at": "2026-11-23T00:00:00+00:00"} for i in range(size)]
    documents = [paragraph(rng, words) for _ in range(size)]
    kb.store.replace(Records([], None, [], []),
                     Records([f"c{i}" for i in range(size)], vectors, documents, metadatas))
    # Random token states of each passage's real token count, as ingestion would have left them
    # (computing real ones would take minutes at 10k passages).
    kb.embedder.encode(["load the tokenizer"])
    counts = [len(e.ids) for e in kb.embedder._tokenizer.encode_batch(documents)]
    states = np.random.default_rng(size + 1)
    for doc in range(0, size, 25):
        texts = [index_text(Piece(documents[i], metadatas[i]["section"])) for i in range(doc, min(doc + 25, size))]
        kb.tokens.add(f"sha{doc // 25}", texts, [states.normal(size=(counts[i], 384)).astype(np.float32)
                                                  for i in range(doc, doc + len(texts))])


def questions(count: int) -> list[str]:
    found = [q["question"] for path in (SHARED / "eval" / "kb_questions_dev.jsonl",
                                        ROOT / "tests" / "data" / "kb_questions_extra.jsonl")
             for q in load_questions(path)]
    found = found or ["How often should a mentor and mentee meet?"]
    return [found[i % len(found)] for i in range(count)]


def bench_search(size: int, count: int, words: list[str], threads: int, quantized: bool) -> None:
    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase(Settings(home=Path(home)), embedder=MiniLMEmbeddingFunction(threads, quantized))
        fill(kb, size, words)
        kb.embedder.encode(["warm up"])  # loads the model once
        started = time.perf_counter()
        kb.search("warm up")  # the first search after a write builds the keyword index
        first = time.perf_counter() - started
        walls, cpus = [], []
        for i, query in enumerate(questions(count)):
            query = f"{query} ({i})"  # all different: no query embedding comes from the cache
            wall, cpu = time.perf_counter(), time.process_time()
            kb.search(query, k=3)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
        print(f"search at {size:>6} passages: p50 {np.percentile(walls, 50):.2f} ms, "
              f"p95 {np.percentile(walls, 95):.2f} ms (CPU time p50 {np.percentile(cpus, 50):.2f}, "
              f"p95 {np.percentile(cpus, 95):.2f} ms; {count} queries)")
        print(f"  the first search after a write rebuilds the keyword index: {first:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=8, help="synthetic documents to ingest (25 sections each)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: its default)")
    parser.add_argument("--graph", choices=["int8", "float", "both"], default="int8",
                        help="int8-arithmetic graph (shipped), the package's float32 one, or both in turn")
    args = parser.parse_args()
    words = vocabulary()
    graphs = {"int8": [True], "float": [False], "both": [False, True]}[args.graph]
    for quantized in graphs:
        print(f"== {MiniLMEmbeddingFunction(quantized=quantized).model_id}; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        bench_ingest(args.docs, words, args.threads, quantized)
        for size in args.sizes:
            bench_search(size, args.queries, words, args.threads, quantized)
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")

if __name__ == "__main__":
    main()
