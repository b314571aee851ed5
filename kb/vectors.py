"""FAISS vector index: inner product over normalized vectors, ids equal to chunk ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np

VECTORS_NAME = "vectors.faiss"


class VectorIndex:
    def __init__(self, index, dimension: int):
        self._index = index
        self.dimension = dimension

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray, dimension: int) -> VectorIndex:
        import faiss  # lazy: keeps `kb validate` and the CLI's start-up light

        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if len(ids):
            index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64)
            )
        return cls(index, dimension)

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        import faiss

        index = faiss.read_index(str(path))
        return cls(index, index.d)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))

    def __len__(self) -> int:
        return self._index.ntotal

    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Best (chunk id, cosine) pairs; restricted to allowed_ids when given."""
        import faiss

        if len(self) == 0 or k <= 0 or (allowed_ids is not None and len(allowed_ids) == 0):
            return []
        params = None
        if allowed_ids is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed_ids.astype(np.int64)))
        k = min(k, len(self))
        scores, ids = self._index.search(
            np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params
        )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
