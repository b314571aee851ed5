"""The vector index: chunk vectors searched by inner product, behind one interface
(`base.VectorIndex`) with a backend per kind: exact (`flat`) and inverted-file (`ivf`), both
FAISS. `factory` builds, creates and loads them; a new backend is a module and one entry in
`factory.BACKENDS`."""

from kb.index.vectors.base import EXACT_MAX_VECTORS, VectorIndex
from kb.index.vectors.factory import build_vector_index, create_vector_index, load_vector_index

__all__ = [
    "EXACT_MAX_VECTORS",
    "VectorIndex",
    "build_vector_index",
    "create_vector_index",
    "load_vector_index",
]
