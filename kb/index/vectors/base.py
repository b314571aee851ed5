"""What every vector index backend offers: search, in-place updates, saving and closing.

Vectors are normalized, so the inner product is the cosine; ids are chunk ids. Which backend
a collection gets is the factory's choice (kb.index.vectors.factory).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path

import numpy as np

# Up to here a flat scan of 384-dimensional vectors answers in a few milliseconds. It reads
# every vector for every query: at 100k (150 MB) that took 10-20 ms of a query on 2 shared
# cores, against under 1 ms for IVF with recall@10 0.996 (benchmarks/bench_vector_recall.py).
EXACT_MAX_VECTORS = 50_000


class VectorIndex(ABC):
    #: recorded in the manifest ("flat-ip", "ivf<lists>-flat-ip")
    kind: str
    #: whether a search may miss some of the nearest vectors (then filtered searches are
    #: tried on the nearest of all first: kb.search.retrievers.semantic_matches)
    approximate: bool
    dimension: int

    @abstractmethod
    def __len__(self) -> int:
        """How many vectors the index holds."""

    @abstractmethod
    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The best ``k`` (chunk id, cosine) pairs, best first; only ``allowed_ids`` when
        given (never fewer than ``k`` of them for want of searching)."""

    @abstractmethod
    def update(self, removed: Iterable[int], ids: np.ndarray, vectors: np.ndarray) -> None:
        """Drop the vectors of the ``removed`` ids, then add ``vectors`` under ``ids`` (an id
        may be both: a chunk id reused)."""

    @abstractmethod
    def suits(self, n: int, exact_max: int = EXACT_MAX_VECTORS) -> bool:
        """Whether this index still fits a collection of ``n`` vectors, as updating it in
        place assumes: whether a new build would choose about the same index."""

    @abstractmethod
    def save(self, path: Path) -> None:
        """Write the index to ``path`` (the factory's `load_vector_index` reads it back)."""

    @abstractmethod
    def close(self) -> None:
        """Free the vectors; the index is empty afterwards."""
