"""Approximate search: an inverted-file index (FAISS IndexIVFFlat) that searches the
`nprobe` nearest of `nlist` clusters, and more of them for a filtered search."""

from __future__ import annotations

import math

import numpy as np

from kb.index.vectors.base import EXACT_MAX_VECTORS
from kb.index.vectors.faiss_index import FaissIndex

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


class IvfIndex(FaissIndex):
    approximate = True

    def __init__(self, index):
        index.nprobe = IVF_NPROBE
        super().__init__(index, f"ivf{index.nlist}-flat-ip")
        self.nlist = index.nlist

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int) -> IvfIndex:
        import faiss  # lazy: keeps `kb validate` and the CLI's start-up light

        nlist = ivf_lists(len(ids))
        index = faiss.IndexIVFFlat(
            faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(0).choice(
            len(vectors), min(len(vectors), nlist * TRAINING_POINTS_PER_LIST), replace=False
        )
        index.train(vectors[np.sort(sample)])
        index.add_with_ids(vectors, ids)
        return cls(index)

    @classmethod
    def wrap(cls, index) -> IvfIndex:
        """An IVF index as read from its file."""
        return cls(index)

    def suits(self, n: int, exact_max: int = EXACT_MAX_VECTORS) -> bool:
        """Above ``exact_max``, while a new build would choose about as many clusters (within
        a quarter): the vectors of one re-index are too few to move the clusters."""
        return n > exact_max and 0.8 <= ivf_lists(n) / self.nlist <= 1.25

    def _search_allowed(self, query: np.ndarray, k: int, selector, allowed: int):
        """Probes clusters in proportion to how few ids are allowed; all of them when the
        probe finds fewer than ``k``."""
        import faiss

        nprobe = self.filtered_nprobe(allowed)
        found = self._search(query, k, faiss.SearchParametersIVF(sel=selector, nprobe=nprobe))
        if len(found) < min(k, allowed) and nprobe < self.nlist:
            # The allowed chunks sit in clusters the probe skipped: search them all.
            params = faiss.SearchParametersIVF(sel=selector, nprobe=self.nlist)
            found = self._search(query, k, params)
        return found

    def filtered_nprobe(self, allowed: int) -> int:
        """Clusters a filtered search probes when `allowed` chunks pass the filter."""
        share = max(allowed, 1) / max(len(self), 1)
        return min(self.nlist, math.ceil(IVF_NPROBE * FILTERED_PROBE_MARGIN / share))
