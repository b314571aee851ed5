"""FAISS vector index: inner product over normalized vectors, ids equal to chunk ids.

Exact search (a flat index) while the collection is small enough for it to be fast; above
`EXACT_MAX_VECTORS`, an inverted-file index (IVF) that searches the `nprobe` nearest of
`nlist` clusters. The kind is chosen when the index is built and recorded in the manifest.
"""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import numpy as np

# Up to here a flat scan of 384-dimensional vectors answers in a few milliseconds. It reads
# every vector for every query: at 100k (150 MB) that took 10-20 ms of a query on 2 shared
# cores, against under 1 ms for IVF with recall@10 0.996 (benchmarks/bench_vector_recall.py).
EXACT_MAX_VECTORS = 50_000
# Clusters probed per query. With nlist = 4 * sqrt(n), probing 32 keeps recall@10 against
# exact search above 0.95 on real MiniLM embeddings (benchmarks/bench_vector_recall.py).
IVF_NPROBE = 32
# A filtered IVF search probes IVF_NPROBE * this / (share of chunks allowed) clusters: about
# this many times the allowed vectors an unfiltered probe sees, never starved by a filter that
# keeps few (then every cluster is probed). Recall@10 against exact search over the allowed
# chunks: benchmarks/bench_filtered_recall.py.
FILTERED_PROBE_MARGIN = 4
TRAINING_POINTS_PER_LIST = 64


def ivf_lists(n: int) -> int:
    return max(1, int(4 * math.sqrt(n)))


class VectorIndex:
    def __init__(self, index, dimension: int, kind: str = "flat-ip"):
        self._index = index
        self.dimension = dimension
        self.kind = kind

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        vectors: np.ndarray,
        dimension: int,
        exact_max: int = EXACT_MAX_VECTORS,
    ) -> VectorIndex:
        import faiss  # lazy: keeps `kb validate` and the CLI's start-up light

        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
        ids = ids.astype(np.int64)
        if len(ids) <= exact_max:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
            if len(ids):
                index.add_with_ids(vectors, ids)
            return cls(index, dimension, "flat-ip")
        return cls._build_ivf(ids, vectors, dimension)

    @classmethod
    def _build_ivf(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int) -> VectorIndex:
        import faiss

        nlist = ivf_lists(len(ids))
        index = faiss.IndexIVFFlat(
            faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(0).choice(
            len(vectors), min(len(vectors), nlist * TRAINING_POINTS_PER_LIST), replace=False
        )
        index.train(vectors[np.sort(sample)])
        index.add_with_ids(vectors, ids)
        index.nprobe = IVF_NPROBE
        return cls(index, dimension, f"ivf{nlist}-flat-ip")

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        import faiss

        index = faiss.read_index(str(path))
        if hasattr(index, "nprobe"):
            index.nprobe = IVF_NPROBE
            return cls(index, index.d, f"ivf{index.nlist}-flat-ip")
        return cls(index, index.d, "flat-ip")

    def suits(self, n: int, exact_max: int = EXACT_MAX_VECTORS) -> bool:
        """Whether this index still fits a collection of ``n`` vectors, as updating it in
        place assumes: a flat one up to ``exact_max``; an IVF one above it, while a new
        build would choose about as many clusters (within a quarter)."""
        if n <= exact_max or not self.approximate:
            return n <= exact_max and not self.approximate
        return 0.8 <= ivf_lists(n) / self._index.nlist <= 1.25

    def update(self, removed, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Drop the vectors of the ``removed`` ids, then add ``vectors`` under ``ids`` (an id
        may be both: a chunk id reused). An IVF index keeps its clusters: the vectors of
        one re-index are too few to move them."""
        if len(removed):
            self._index.remove_ids(np.asarray(removed, dtype=np.int64))
        if len(ids):
            vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dimension)
            self._index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    def close(self) -> None:
        """Free the vectors (FAISS holds them in memory, not mapped): an empty index stays."""
        import faiss

        self._index = faiss.IndexFlatIP(self.dimension)
        self.kind = "flat-ip"

    def __len__(self) -> int:
        return self._index.ntotal

    @property
    def approximate(self) -> bool:
        """An IVF index: searches probe some lists (filtered ones more, see `search`)."""
        return self.kind.startswith("ivf")

    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best (chunk id, cosine) pairs; restricted to allowed_ids when given."""
        import faiss

        if len(self) == 0 or k <= 0 or (allowed_ids is not None and len(allowed_ids) == 0):
            return []
        k = min(k, len(self))
        if allowed_ids is None:
            return self._search(query, k, None)
        bits = _id_bitmap(allowed_ids)
        selector = faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits))  # n: bytes
        if not self.approximate:
            return self._search(query, k, faiss.SearchParameters(sel=selector))
        nlist = self._index.nlist
        nprobe = self.filtered_nprobe(len(allowed_ids))
        found = self._search(query, k, faiss.SearchParametersIVF(sel=selector, nprobe=nprobe))
        if len(found) < min(k, len(allowed_ids)) and nprobe < nlist:
            # The allowed chunks sit in clusters the probe skipped: search them all.
            found = self._search(query, k, faiss.SearchParametersIVF(sel=selector, nprobe=nlist))
        return found

    def filtered_nprobe(self, allowed: int) -> int:
        """Clusters a filtered IVF search probes when `allowed` chunks pass the filter."""
        share = max(allowed, 1) / max(len(self), 1)
        return min(self._index.nlist, math.ceil(IVF_NPROBE * FILTERED_PROBE_MARGIN / share))

    def _search(self, query: np.ndarray, k: int, params) -> list[tuple[int, float]]:
        import faiss

        with _one_thread(faiss):
            scores, ids = self._index.search(
                np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params
            )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


def _id_bitmap(ids: np.ndarray) -> np.ndarray:
    """The ids as a bitmap (bit i of byte i // 8, least significant first) for FAISS's
    IDSelectorBitmap: a few ms for hundreds of thousands of ids, where IDSelectorBatch's
    hash set took 90 ms to build and a full IVF scan through it a third longer."""
    ids = np.asarray(ids, dtype=np.int64)
    mask = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
    mask[ids] = True
    return np.packbits(mask, bitorder="little")


@contextlib.contextmanager
def _one_thread(faiss):
    """Search one query on the calling thread alone (OpenMP settings are per thread).

    A server runs requests in parallel threads; FAISS's OpenMP team for a single query only
    adds overhead there, and when the cores are busy its threads wait for each other: on 2
    shared cores a flat search of 100k vectors took 84 ms with 2 threads, 22 ms with one.
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)
