"""Choosing, creating and loading a vector index backend."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kb.index.vectors.base import EXACT_MAX_VECTORS, VectorIndex
from kb.index.vectors.flat import FlatIndex
from kb.index.vectors.ivf import IvfIndex

BACKENDS: dict[str, type[FlatIndex | IvfIndex]] = {"flat": FlatIndex, "ivf": IvfIndex}


def vector_index_backend(n: int, exact_max: int = EXACT_MAX_VECTORS) -> str:
    """Exact search while the collection is small enough for it to be fast, IVF above."""
    return "flat" if n <= exact_max else "ivf"


def create_vector_index(
    backend: str, ids: np.ndarray, vectors: np.ndarray, dimension: int
) -> VectorIndex:
    """An index of ``backend`` (a key of BACKENDS) holding ``vectors`` under ``ids``."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown vector index backend {backend!r}; known: {sorted(BACKENDS)}")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dimension)
    return BACKENDS[backend].build(np.asarray(ids, dtype=np.int64), vectors, dimension)


def build_vector_index(
    ids: np.ndarray, vectors: np.ndarray, dimension: int, exact_max: int = EXACT_MAX_VECTORS
) -> VectorIndex:
    """An index of the backend that suits this many vectors (`vector_index_backend`)."""
    return create_vector_index(vector_index_backend(len(ids), exact_max), ids, vectors, dimension)


def load_vector_index(path: Path) -> VectorIndex:
    """The index saved at ``path``, in the backend that wrote it."""
    import faiss  # lazy: keeps `kb validate` and the CLI's start-up light

    index = faiss.read_index(str(path))
    backend = "ivf" if isinstance(index, faiss.IndexIVF) else "flat"
    return BACKENDS[backend].wrap(index)
