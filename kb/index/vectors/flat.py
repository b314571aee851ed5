"""Exact search: a flat scan of every vector (FAISS IndexFlatIP under an id map)."""

from __future__ import annotations

import numpy as np

from kb.index.vectors.base import EXACT_MAX_VECTORS
from kb.index.vectors.faiss_index import FaissIndex

KIND = "flat-ip"


class FlatIndex(FaissIndex):
    approximate = False

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int) -> FlatIndex:
        import faiss  # lazy: keeps `kb validate` and the CLI's start-up light

        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if len(ids):
            index.add_with_ids(vectors, ids)
        return cls(index, KIND)

    @classmethod
    def wrap(cls, index) -> FlatIndex:
        """A flat index as read from its file."""
        return cls(index, KIND)

    def suits(self, n: int, exact_max: int = EXACT_MAX_VECTORS) -> bool:
        return n <= exact_max
