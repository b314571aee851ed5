"""What the FAISS backends share: ids, updates, the file, filtered search by id bitmap, and
searching one query on one thread."""

from __future__ import annotations

import contextlib
from pathlib import Path

import numpy as np

from kb.index.vectors.base import VectorIndex


class FaissIndex(VectorIndex):
    """A FAISS index with ids (chunk ids); subclasses say how a filtered search probes."""

    def __init__(self, index, kind: str):
        self._index = index
        self.dimension = index.d
        self.kind = kind

    def __len__(self) -> int:
        return self._index.ntotal

    def search(
        self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        import faiss  # lazy: keeps `kb validate` and the CLI's start-up light

        if len(self) == 0 or k <= 0 or (allowed_ids is not None and len(allowed_ids) == 0):
            return []
        k = min(k, len(self))
        if allowed_ids is None:
            return self._search(query, k, None)
        bits = _id_bitmap(allowed_ids)
        selector = faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(bits))  # n: bytes
        return self._search_allowed(query, k, selector, len(allowed_ids))

    def _search_allowed(self, query: np.ndarray, k: int, selector, allowed: int):
        """The best ``k`` of the ``allowed`` ids that ``selector`` (a FAISS IDSelector) passes."""
        import faiss

        return self._search(query, k, faiss.SearchParameters(sel=selector))

    def update(self, removed, ids: np.ndarray, vectors: np.ndarray) -> None:
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
