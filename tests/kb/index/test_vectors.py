"""The vector index: exact while small, IVF above the threshold, never starved by filters."""

import numpy as np
import pytest

from kb.index.vectors import build_vector_index, create_vector_index, load_vector_index


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
    index = build_vector_index(ids[:500], vectors[:500], 32)
    assert index.kind == "flat-ip"
    best = index.search(vectors[7], 1)
    assert best[0][0] == ids[7] and best[0][1] == pytest.approx(1.0, abs=1e-5)


def test_vectors_large_collections_use_ivf_with_recall_against_exact(data, tmp_path):
    ids, vectors = data
    exact = build_vector_index(ids, vectors, 32)
    approx = build_vector_index(ids, vectors, 32, exact_max=1000)
    assert approx.kind.startswith("ivf")
    approx.save(tmp_path / "v.faiss")
    loaded = load_vector_index(tmp_path / "v.faiss")
    assert loaded.kind == approx.kind
    queries = clustered(200, seed=1)
    recalls = []
    for query in queries:
        truth = {i for i, _ in exact.search(query, 10)}
        recalls.append(len(truth & {i for i, _ in loaded.search(query, 10)}) / 10)
    assert np.mean(recalls) >= 0.95


def test_vectors_filtered_ivf_search_finds_every_allowed_id(data):
    ids, vectors = data
    approx = build_vector_index(ids, vectors, 32, exact_max=1000)
    allowed = ids[::997][:15]  # a sparse filter, scattered over many clusters
    found = approx.search(clustered(1, seed=2)[0], 15, allowed)
    assert sorted(i for i, _ in found) == sorted(allowed.tolist())


@pytest.mark.parametrize("share", [0.5, 0.25])
def test_vectors_filtered_ivf_search_matches_exact_over_the_allowed_ids(data, share):
    ids, vectors = data
    approx = build_vector_index(ids, vectors, 32, exact_max=1000)
    exact = build_vector_index(ids, vectors, 32)
    allowed = ids[np.random.default_rng(3).random(len(ids)) < share]
    assert approx.filtered_nprobe(len(allowed)) < approx.nlist  # a probe, not a scan
    recalls = []
    for query in clustered(50, seed=4):
        truth = {i for i, _ in exact.search(query, 10, allowed)}
        recalls.append(len(truth & {i for i, _ in approx.search(query, 10, allowed)}) / 10)
    assert np.mean(recalls) >= 0.95


def test_vectors_filtered_ivf_search_keeps_recall_when_the_filter_follows_topics():
    """Departments that follow topics, and the "other departments" filter: every department
    but those of the query's 10 nearest, so the allowed chunks lie away from the query."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(50, 32))
    topic = rng.integers(0, 50, 20_000)
    points = centres[topic] + 0.35 * rng.normal(size=(len(topic), 32))
    vectors = (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)
    ids, department = np.arange(len(vectors), dtype=np.int64), topic % 10
    approx = build_vector_index(ids, vectors, 32, exact_max=1000)
    exact = build_vector_index(ids, vectors, 32)
    recalls = []
    for query in clustered(40, seed=5):
        shown = department[[i for i, _ in exact.search(query, 10)]]
        allowed = ids[~np.isin(department, shown)]
        truth = {i for i, _ in exact.search(query, 10, allowed)}
        recalls.append(len(truth & {i for i, _ in approx.search(query, 10, allowed)}) / 10)
    assert np.mean(recalls) >= 0.95


def test_vectors_filtered_ivf_search_searches_every_cluster_when_the_probe_finds_too_few(data):
    ids, vectors = data
    approx = build_vector_index(ids, vectors, 32, exact_max=1000)
    query = vectors[0]
    far = ids[np.argsort(vectors @ query)[:6000]]  # the chunks least like the query
    assert approx.filtered_nprobe(len(far)) < approx.nlist
    found = approx.search(query, len(far), far)  # all of them: only a full search has them
    assert sorted(i for i, _ in found) == sorted(far.tolist())


@pytest.mark.parametrize("exact_max", [50_000, 1000])  # flat, then IVF
def test_vectors_update_in_place_answers_as_a_new_build(data, exact_max):
    ids, vectors = data
    index = build_vector_index(ids[:10_000], vectors[:10_000], 32, exact_max=exact_max)
    removed = ids[:300]  # and 100 of them reused with new vectors, as SQLite may reuse ids
    added_ids = np.concatenate([ids[200:300], ids[10_000:10_500]])
    added = np.concatenate([vectors[15_000:15_100], vectors[10_000:10_500]])
    index.update(removed, added_ids, added)
    kept = np.concatenate([ids[300:10_500], ids[200:300]])
    fresh_vectors = np.concatenate([vectors[300:10_500], vectors[15_000:15_100]])
    fresh = build_vector_index(kept, fresh_vectors, 32, exact_max=exact_max)
    assert len(index) == len(fresh) == 10_300
    for query in clustered(50, seed=2):
        found, expected = index.search(query, 10), fresh.search(query, 10)
        if exact_max > len(ids):  # exact search: the very same answers
            assert [i for i, _ in found] == [i for i, _ in expected]
    assert index.search(vectors[15_050], 1)[0][0] == ids[250]  # a reused id: its new vector
    assert ids[0] not in {i for i, _ in index.search(vectors[0], 10)}  # a removed one: gone


def test_vectors_index_suits_sizes_near_the_one_it_was_built_for(data):
    ids, vectors = data
    flat = build_vector_index(ids[:500], vectors[:500], 32, exact_max=1000)
    assert flat.suits(900, exact_max=1000) and not flat.suits(1001, exact_max=1000)
    ivf = build_vector_index(ids, vectors, 32, exact_max=1000)  # clusters for 20,000
    assert ivf.suits(20_500, exact_max=1000) and ivf.suits(15_000, exact_max=1000)
    assert not ivf.suits(40_000, exact_max=1000) and not ivf.suits(900, exact_max=1000)


def test_vectors_each_backend_is_created_by_name_and_loads_as_saved(data, tmp_path):
    ids, vectors = data
    for backend, approximate in (("flat", False), ("ivf", True)):
        index = create_vector_index(backend, ids[:2000], vectors[:2000], 32)
        assert index.approximate == approximate and len(index) == 2000
        index.save(tmp_path / f"{backend}.faiss")
        loaded = load_vector_index(tmp_path / f"{backend}.faiss")
        assert (loaded.kind, loaded.approximate, len(loaded)) == (index.kind, approximate, 2000)
        assert loaded.search(vectors[5], 3) == index.search(vectors[5], 3)
        loaded.close()
        assert len(loaded) == 0 and loaded.search(vectors[5], 3) == []
    with pytest.raises(ValueError, match="unknown vector index backend 'hnsw'"):
        create_vector_index("hnsw", ids, vectors, 32)
