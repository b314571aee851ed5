"""The vector index: exact while small, IVF above the threshold, never starved by filters."""

import numpy as np
import pytest

from kb.vectors import VectorIndex


def clustered(n: int, dim: int = 32, clusters: int = 50, seed: int = 0) -> np.ndarray:
    """Unit vectors around cluster centres, shaped like real embeddings (which cluster)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    points = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dim))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def data():
    vectors = clustered(20_000)
    ids = np.arange(1000, 1000 + len(vectors), dtype=np.int64)
    return ids, vectors


def test_vectors_small_collections_are_searched_exactly(data):
    ids, vectors = data
    index = VectorIndex.build(ids[:500], vectors[:500], 32)
    assert index.kind == "flat-ip"
    best = index.search(vectors[7], 1)
    assert best[0][0] == ids[7] and best[0][1] == pytest.approx(1.0, abs=1e-5)


def test_vectors_large_collections_use_ivf_with_recall_against_exact(data, tmp_path):
    ids, vectors = data
    exact = VectorIndex.build(ids, vectors, 32)
    approx = VectorIndex.build(ids, vectors, 32, exact_max=1000)
    assert approx.kind.startswith("ivf")
    approx.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss")
    assert loaded.kind == approx.kind
    queries = clustered(200, seed=1)
    recalls = []
    for query in queries:
        truth = {i for i, _ in exact.search(query, 10)}
        recalls.append(len(truth & {i for i, _ in loaded.search(query, 10)}) / 10)
    assert np.mean(recalls) >= 0.95


def test_vectors_filtered_ivf_search_finds_every_allowed_id(data):
    ids, vectors = data
    approx = VectorIndex.build(ids, vectors, 32, exact_max=1000)
    allowed = ids[::997][:15]  # a sparse filter, scattered over many clusters
    found = approx.search(clustered(1, seed=2)[0], 15, allowed)
    assert sorted(i for i, _ in found) == sorted(allowed.tolist())
