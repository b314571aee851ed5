"""A query embedded through the traced transformer gets the vector `encode` gives."""

from __future__ import annotations

import numpy as np
import pytest

from models.traced_query import QueryTracer


class UntraceableModel:
    """Looks like a SentenceTransformer until the tracer reaches for its transformer."""

    def __getitem__(self, index):
        raise RuntimeError("no modules here")

    def preprocess(self, texts):
        return {}


def test_traced_query_falls_back_when_the_model_cannot_be_traced():
    tracer = QueryTracer(UntraceableModel())
    assert tracer.embed("valve leak") is None
    assert tracer.embed("valve leak") is None  # gave up once, does not retry every query


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["torch", "torch-bf16"])
def test_traced_query_equals_the_models_own_encode(backend):
    from models.sentence_transformer import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder("all-MiniLM-L6-v2", embedding_backend=backend)
    queries = ["rca", "Why did the pressure regulator fail on the pad?", "vendor " * 400]
    for query in queries:
        traced = embedder._query_tracer.embed(query)
        assert traced is not None
        eager = embedder._model.encode([query], normalize_embeddings=True, convert_to_numpy=True)
        assert np.array_equal(traced, eager)
        # A batch may run on more threads, which adds up sums in another order, and is padded
        # to a multiple of 16 tokens, which in bfloat16 rounds a little differently.
        batch, single = embedder.encode([query]), embedder.encode_query(query)
        assert float(batch.ravel() @ single.ravel()) >= 0.9999
