"""Token-level matching ("late interaction") over MiniLM's token states. Pure.

A passage's score is the mean, over the query's tokens, of each token's best cosine with any
token of the passage (ColBERT's MaxSim). MiniLM computes these contextual token states anyway
before pooling them into one vector; matching them one by one catches a question whose words
the passage paraphrases in a different place than the pooled vector weighs (bench/README_kb.md
has the measurements). States are kept as int8 with one scale per token: 384 bytes a token.
"""
from __future__ import annotations

import functools
from typing import Callable, NamedTuple

import numpy as np

# The share of the final score that token matching has; the rest is the dense + keyword hybrid.
LATE_WEIGHT = 0.6


class Packed(NamedTuple):
    """One text's token states: int8 rows and the scale that turns each row back to a unit vector."""

    values: np.ndarray  # (tokens, dim) int8
    scales: np.ndarray  # (tokens,) float32


def pack(states: np.ndarray) -> Packed:
    """Unit-normalise each token's state and quantize it to int8 (cosines change by < 0.01)."""
    states = unit_rows(states)
    scales = np.maximum(np.abs(states).max(axis=1), 1e-12) / 127.0
    values = np.round(states / scales[:, None]).astype(np.int8)
    return Packed(values, scales.astype(np.float32))


def unit_rows(states: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1, as float32 (embeddings' vectors, a query's token states:
    those are computed per search and stay float32, never packed)."""
    states = np.asarray(states, dtype=np.float32)
    return states / np.maximum(np.linalg.norm(states, axis=1, keepdims=True), 1e-12)


def maxsim(query: np.ndarray, passages: list[Packed]) -> np.ndarray:
    """For each passage, the mean over query tokens of the best cosine with a passage token.

    All passages go through one product; `np.maximum.reduceat` then takes each passage's
    columns' maximum.
    """
    if not passages:
        return np.zeros(0, dtype=np.float32)
    values = np.concatenate([p.values for p in passages])
    scales = np.concatenate([p.scales for p in passages])
    starts = np.cumsum([0] + [len(p.values) for p in passages[:-1]])
    cosines = _product()(query, values) * scales[None, :]
    best = np.maximum.reduceat(cosines, starts, axis=1)  # (query tokens, passages)
    return best.mean(axis=0).astype(np.float32)


@functools.cache
def _product() -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """query (m, d) float32 times int8 rows (n, d) transposed, by a one-node onnxruntime graph
    on one thread. numpy's `@` took 3-20 ms here: BLAS's threads fought onnxruntime's, still
    spinning after the query's embedding; einsum took 1.9 ms, this 0.4 ms (10 passages)."""
    try:
        import onnxruntime as ort
        from onnx import TensorProto, helper

        graph = helper.make_graph(
            [helper.make_node("Cast", ["V"], ["Vf"], to=TensorProto.FLOAT),
             helper.make_node("Gemm", ["Q", "Vf"], ["C"], transB=1)], "maxsim",
            [helper.make_tensor_value_info("Q", TensorProto.FLOAT, ["m", "d"]),
             helper.make_tensor_value_info("V", TensorProto.INT8, ["n", "d"])],
            [helper.make_tensor_value_info("C", TensorProto.FLOAT, ["m", "n"])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
        return lambda query, values: session.run(None, {"Q": np.ascontiguousarray(query, dtype=np.float32),
                                                        "V": values})[0]
    except Exception:  # onnx or onnxruntime missing (OpenAI embeddings only): the same sum, slower
        return lambda query, values: np.einsum("qd,td->qt", query, values.astype(np.float32), optimize=False)
