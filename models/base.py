"""The embedder interface every backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

QUERY_CACHE_SIZE = 512


class ModelUnavailableError(RuntimeError):
    """A model cannot be loaded from this machine (no downloads are ever attempted)."""


class Embedder(ABC):
    """Texts in, L2-normalized float32 vectors out (so inner product is cosine similarity)."""

    #: registry name of the backend, recorded in the index manifest
    backend: str = ""
    #: how the model runs ("torch", "onnx", "onnx-int8"), also recorded in the manifest
    embedding_backend: str = "torch"

    def __init__(self, model: str):
        self.model = model

    @property
    @abstractmethod
    def dimension(self) -> int: ...

    @abstractmethod
    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray: ...

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._encode(list(texts), batch_size), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def encode_query(self, text: str) -> np.ndarray:
        """A query's vector; recent queries are cached (a page runs several searches per query)."""
        cache = self.__dict__.setdefault("_query_cache", OrderedDict())
        if text in cache:
            cache.move_to_end(text)
            return cache[text]
        vector = self.encode([text])[0]
        cache[text] = vector
        if len(cache) > QUERY_CACHE_SIZE:
            cache.popitem(last=False)
        return vector

    def describe(self) -> dict:
        return {
            "embedder": self.backend,
            "model": self.model,
            "dimension": self.dimension,
            "backend": self.embedding_backend,
        }
