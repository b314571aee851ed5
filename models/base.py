"""The embedder interface every backend implements."""

from __future__ import annotations

import platform
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np  # imported where used: `kb index` on an unchanged corpus needs none


QUERY_CACHE_SIZE = 512

#: How a sentence-transformers model runs; the index manifest records the one it was built with.
#: torch-bf16 is torch with bfloat16 weights and activations (fast on CPUs with AMX or
#: AVX512-BF16); the ONNX ones run on ONNX Runtime from a local export.
EMBEDDING_BACKENDS = ("torch", "torch-bf16", "onnx", "onnx-int8")
#: The default: the fastest backend measured to keep retrieval quality on this hardware.
AUTO_BACKEND = "auto"
_BF16_FLAGS = ("amx_bf16", "avx512_bf16")
_X86_64 = ("x86_64", "amd64")


def cpu_has_native_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """True when the CPU computes bfloat16 natively (AMX or AVX512-BF16); else emulated, slow."""
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return False
    flags = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return any(flag in flags.split() for flag in _BF16_FLAGS)


def resolve_embedding_backend(name: str, device: str = "cpu") -> str:
    """'auto' becomes a concrete backend, the fastest measured within 0.005 nDCG@10 of torch
    (benchmarks/bench_backends.py): torch-bf16 where the CPU has native bfloat16 (~3x torch's
    throughput), else int8 ONNX on x86-64 (~1.7x on an AVX2-only CPU, where bfloat16 is
    emulated and slower than torch), and plain torch on other CPUs and on GPUs. Other names
    pass through."""
    if name != AUTO_BACKEND:
        return name
    if device != "cpu":
        return "torch"
    if cpu_has_native_bf16():
        return "torch-bf16"
    return "onnx-int8" if platform.machine().lower() in _X86_64 else "torch"


class ModelUnavailableError(RuntimeError):
    """A model cannot be loaded from this machine (no downloads are ever attempted)."""


class Embedder(ABC):
    """Texts in, L2-normalized float32 vectors out (so inner product is cosine similarity)."""

    #: registry name of the backend, recorded in the index manifest
    backend: str = ""
    #: how the model runs (one of EMBEDDING_BACKENDS), also recorded in the manifest
    embedding_backend: str = "torch"

    def __init__(self, model: str):
        self.model = model

    @property
    @abstractmethod
    def dimension(self) -> int: ...

    @abstractmethod
    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray: ...

    def _start_encode(self, texts: list[str], batch_size: int) -> Callable[[], np.ndarray]:
        """Start encoding; the callable returned waits for the raw vectors. Backends with a
        thread of their own override this so the caller can work meanwhile."""
        vectors = self._encode(texts, batch_size)
        return lambda: vectors

    def _start_query(self, text: str) -> Callable[[], np.ndarray]:
        """`_start_encode` for one query; backends with a path of their own for queries
        override it."""
        return self._start_encode([text], 1)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _normalized(self._encode(list(texts), batch_size))

    def encode_query(self, text: str) -> np.ndarray:
        """A query's vector; recent queries are cached (a page runs several searches per query)."""
        return self.start_query(text)()

    def start_query(self, text: str) -> Callable[[], np.ndarray]:
        """encode_query, started now: a search runs its keyword retrieval on the request's
        thread while the model embeds the query on its own; the callable waits for it."""
        cache = self.__dict__.setdefault("_query_cache", OrderedDict())
        if text in cache:
            cache.move_to_end(text)
            vector = cache[text]
            return lambda: vector
        pending = self._start_query(text)
        done: list[np.ndarray] = []  # a search asks for the vector more than once

        def result() -> np.ndarray:
            if not done:
                done.append(_normalized(pending())[0])
                cache[text] = done[0]
                while len(cache) > QUERY_CACHE_SIZE:
                    cache.popitem(last=False)
            return done[0]

        return result

    def forget_queries(self) -> None:
        """Empty the query cache (benchmarks time each run's own embeddings)."""
        self.__dict__.pop("_query_cache", None)

    def use_threads(self, threads: int | None) -> None:
        """Cores one batch of texts may use (None: the backend's default); a backend may run
        single queries on one core whatever this says. The index run gives the model one core
        while spaCy mines glossary terms on the other; a server gives each call one core (see
        KnowledgeBase.prepare_for_serving)."""
        return None  # backends without a thread setting of their own ignore it

    def warm_up(self) -> None:
        """Start, without waiting, whatever the first query would otherwise pay for (a
        server calls it once per model, so its first search is as fast as the next)."""
        return None

    def describe(self) -> dict:
        return {
            "embedder": self.backend,
            "model": self.model,
            "dimension": self.dimension,
            "backend": self.embedding_backend,
        }


def _normalized(vectors) -> np.ndarray:
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
