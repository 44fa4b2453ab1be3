"""The bundled MiniLM embedder in float32 and in bfloat16 autocast (the real model, no fake)."""

from __future__ import annotations

import math

import pytest

from shared import embeddings
from shared.embeddings import MiniLMEmbedder, cpu_has_bf16, make_embedder
from shared.settings import Settings

TEXTS = [
    "Mitochondria produce ATP by oxidative phosphorylation across the inner membrane.",
    "The Krebs cycle oxidises acetyl-CoA to carbon dioxide in the mitochondrial matrix.",
    "Gradient descent updates the weights against the gradient of the loss function.",
    "A binary search tree keeps smaller keys in the left subtree and larger keys in the right.",
    "Photosynthesis fixes carbon dioxide into sugars in the chloroplast stroma.",
    "Ohm's law: the current through a conductor is proportional to the voltage across it.",
] * 3
QUERIES = {
    "how do cells make ATP": 0,
    "what does backpropagation with a learning rate do to weights": 2,
    "where are keys stored in a BST": 3,
    "relation between current and voltage": 5,
}


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / math.sqrt(
        sum(x * x for x in a) * sum(y * y for y in b)
    )


@pytest.fixture(scope="module")
def fp32() -> MiniLMEmbedder:
    return MiniLMEmbedder(precision="fp32")


@pytest.fixture(scope="module")
def bf16() -> MiniLMEmbedder:
    return MiniLMEmbedder(precision="bf16")


def test_bf16_vectors_match_fp32(fp32: MiniLMEmbedder, bf16: MiniLMEmbedder) -> None:
    a, b = fp32.embed(TEXTS), bf16.embed(TEXTS)
    assert len(a) == len(b) == len(TEXTS)
    for x, y in zip(a, b, strict=True):
        assert len(x) == len(y) == 384
        assert abs(math.sqrt(sum(v * v for v in y)) - 1.0) < 1e-3  # still unit length
        assert cosine(x, y) > 0.999
    # bf16 really ran: the vectors are not bit-identical to the float32 ones
    assert any(x != y for x, y in zip(a, b, strict=True))


def test_bf16_ranks_like_fp32(fp32: MiniLMEmbedder, bf16: MiniLMEmbedder) -> None:
    docs = TEXTS[:6]
    for embedder in (fp32, bf16):
        doc_vectors = embedder.embed(docs)
        for query, wanted in QUERIES.items():
            q = embedder.embed([query])[0]
            scores = [cosine(q, d) for d in doc_vectors]
            assert scores.index(max(scores)) == wanted, (embedder.precision, query)


def test_auto_precision_follows_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embeddings, "cpu_has_bf16", lambda: False)
    assert MiniLMEmbedder(precision="auto").precision == "fp32"
    monkeypatch.setattr(embeddings, "cpu_has_bf16", lambda: True)
    assert MiniLMEmbedder(precision="auto").precision == "bf16"
    assert MiniLMEmbedder(precision="fp32").precision == "fp32"


def test_settings_choose_the_precision() -> None:
    embedder = make_embedder(Settings(embedding_provider="minilm", embedding_precision="fp32"))
    assert isinstance(embedder, MiniLMEmbedder) and embedder.precision == "fp32"
    auto = make_embedder(Settings(embedding_provider="minilm", embedding_precision="auto"))
    assert isinstance(auto, MiniLMEmbedder)
    assert auto.precision == ("bf16" if cpu_has_bf16() else "fp32")
    with pytest.raises(ValueError):
        Settings(embedding_precision="int4")  # type: ignore[arg-type]
