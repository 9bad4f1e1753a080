"""Retrieval quality of the guideline knowledge base: hit@3 on the mentoring corpus.

For each question, a hit is a passage among the top 3 that contains one of its
`answer_contains` phrases (whitespace collapsed, typographic apostrophes made plain,
case ignored). Prints hit@3 for embeddings only, keywords only and the hybrid search,
on the shared dev set and on our own extra questions.

    .venv/bin/python bench/kb_quality.py [--corpus DIR] [--show-misses]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.kb import KnowledgeBase  # noqa: E402
from assistant.kb.embeddings import MiniLMEmbeddingFunction  # noqa: E402
from assistant.kb.evaluation import answered, load_questions  # noqa: E402
from assistant.kb.late import LATE_WEIGHT  # noqa: E402
from assistant.kb.retrieval import DENSE_WEIGHT  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {"dev": SHARED / "eval" / "kb_questions_dev.jsonl",
        "extra": ROOT / "tests" / "data" / "kb_questions_extra.jsonl",
        # Written blind to the system (never tuned on): the closest thing to the held-out set.
        "blind": ROOT / "tests" / "data" / "kb_questions_blind.jsonl",
        # A second blind set, in the dev set's style, measured once before any change it might prompt.
        "blind2": ROOT / "tests" / "data" / "kb_questions_blind2.jsonl",
        # A third, written blind (fifth session) and measured once, after token matching was chosen.
        "blind3": ROOT / "tests" / "data" / "kb_questions_blind3.jsonl"}
# (dense weight, token-matching weight); "shipped" is what search() does.
MODES = {"dense only": (1.0, 0.0), "keywords only": (0.0, 0.0), "dense + keywords": (DENSE_WEIGHT, 0.0),
         "tokens only": (DENSE_WEIGHT, 1.0), "shipped": (DENSE_WEIGHT, LATE_WEIGHT)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=SHARED / "corpus" / "mentoring-articles")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--graph", choices=["int8", "float"], default="int8",
                        help="the int8-arithmetic MiniLM graph (shipped) or the package's float32 one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        embedder = MiniLMEmbeddingFunction(quantized=args.graph == "int8")
        kb = KnowledgeBase(Settings(home=Path(home), knowledge_dir=Path(home) / "none"), embedder=embedder)
        started = time.perf_counter()
        results = kb.add_paths([args.corpus])
        chunks = sum(r.chunks for r in results)
        print(f"corpus: {len(results)} documents, {chunks} passages "
              f"({time.perf_counter() - started:.1f}s to ingest)")
        print(f"{'mode':<17}" + "".join(f"{name:>18}" for name in SETS))
        missed = []
        for mode, (weight, late) in MODES.items():
            cells = []
            for name, path in SETS.items():
                questions = load_questions(path)
                misses = [q for q in questions
                          if not answered(q, [c.text for c in kb.ranked(q["question"], 3, weight, late)])]
                hits = len(questions) - len(misses)
                cells.append(f"{hits}/{len(questions)} = {hits / len(questions):.0%}")
                if mode == "shipped":
                    missed += [f"  {name} {q['id']}: {q['question']}" for q in misses]
            print(f"{mode:<17}" + "".join(f"{cell:>18}" for cell in cells))
        if args.show_misses and missed:
            print("shipped misses:", *missed, sep="\n")


if __name__ == "__main__":
    main()
