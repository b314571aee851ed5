"""An embedder that loads its model the first time it embeds.

Loading a sentence-transformers model means importing torch and transformers: about five
seconds, where an index run that finds nothing new to embed needs well under one. So
`kb index` names its model from the settings and loads it only when a chunk has no stored
vector; the dimension of an index built with the same model comes from its manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from models.base import Embedder, ModelUnavailableError

if TYPE_CHECKING:
    import numpy as np


class LazyEmbedder(Embedder):
    """Stands for the embedder ``load()`` returns; describes it as ``backend``, ``model`` and
    ``embedding_backend`` say until it is loaded, then as it is."""

    def __init__(
        self, load: Callable[[], Embedder], backend: str, model: str, embedding_backend: str
    ):
        super().__init__(model)
        self._load = load
        self._expected = (backend, model, embedding_backend)
        self.backend, self.embedding_backend = backend, embedding_backend
        self._loaded: Embedder | None = None
        self._dimension: int | None = None  # taken from an index built with this model
        self._threads: int | None = None

    @property
    def is_loaded(self) -> bool:
        return self._loaded is not None

    def assume_dimension(self, dimension: int) -> None:
        """Take an index's dimension for this model's without loading it (the index names
        this very model); checked when the model does load."""
        self._dimension = dimension

    def load(self) -> Embedder:
        """The embedder itself, loaded now if it was not yet."""
        if self._loaded is None:
            self._loaded = self._checked(self._load())
            self.backend, self.model = self._loaded.backend, self._loaded.model
            self.embedding_backend = self._loaded.embedding_backend
            self._loaded.use_threads(self._threads)
        return self._loaded

    def _checked(self, embedder: Embedder) -> Embedder:
        if self._dimension is None:
            return embedder
        found = (embedder.backend, embedder.model, embedder.embedding_backend)
        if found != self._expected or embedder.dimension != self._dimension:
            raise ModelUnavailableError(
                f"the model loaded as {found} with dimension {embedder.dimension}, not "
                f"{self._expected} with dimension {self._dimension} as the index was built; "
                "rebuild the index with `kb index --rebuild`"
            )
        return embedder

    @property
    def dimension(self) -> int:
        if self._loaded is None and self._dimension is not None:
            return self._dimension
        return self.load().dimension

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.load()._encode(texts, batch_size)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        import numpy as np

        if not texts:  # nothing to embed: no reason to load the model
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.load().encode(texts, batch_size)

    def start_query(self, text: str) -> Callable[[], np.ndarray]:
        return self.load().start_query(text)

    def use_threads(self, threads: int | None) -> None:
        self._threads = threads  # applied when the model loads
        if self._loaded is not None:
            self._loaded.use_threads(threads)

    def warm_up(self) -> None:
        self.load().warm_up()
