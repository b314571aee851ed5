"""Embedder backends by name: the one place that knows which class serves which name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from models.base import AUTO_BACKEND, Embedder, ModelUnavailableError, resolve_embedding_backend

log = logging.getLogger(__name__)


def _sentence_transformers(model: str, device: str = "cpu", **options) -> Embedder:
    from models.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, device=device, **options)


def _fake(model: str, device: str = "cpu", **options) -> Embedder:
    # The fake embedder has no runtime to choose; embedding_backend and models_cache are ignored.
    from models.fake import FakeEmbedder

    return FakeEmbedder(model if model.startswith("fake") else "fake-256")


EMBEDDERS: dict[str, Callable[..., Embedder]] = {
    "sentence-transformers": _sentence_transformers,
    "fake": _fake,
}

# Backends whose models take seconds to load (imports and weights): worth loading lazily.
SLOW_TO_LOAD = {"sentence-transformers"}

_CACHE: dict[tuple, Embedder] = {}


def forget_loaded_models() -> None:
    """Drop every cached model, as a new process starts: the next use loads it again."""
    _CACHE.clear()


def create_embedder(
    backend: str,
    model: str,
    device: str = "cpu",
    cached: bool = True,
    embedding_backend: str = "torch",
    models_cache: str | Path | None = None,
    lazy: bool = False,
) -> Embedder:
    """The embedder for a backend name; loaded once per process when cached. ``lazy``: a
    model that is slow to load and not loaded yet loads when it first embeds (`LazyEmbedder`).

    embedding_backend picks how a sentence-transformers model runs: "auto" (resolved for this
    machine), "torch", "torch-bf16", "onnx" or "onnx-int8" (exported once into models_cache,
    default KB_MODELS_CACHE or ~/.cache/lessonbase/models).
    """
    if backend not in EMBEDDERS:
        raise ModelUnavailableError(
            f"unknown embedder {backend!r}; choose one of {', '.join(EMBEDDERS)}"
        )
    resolved = resolve_embedding_backend(embedding_backend, device)
    key = (backend, model, device, resolved, str(models_cache))
    if lazy and backend in SLOW_TO_LOAD and not (cached and key in _CACHE):
        from models.lazy import LazyEmbedder

        def load() -> Embedder:
            return create_embedder(backend, model, device, cached, embedding_backend, models_cache)

        return LazyEmbedder(load, backend, model, resolved)
    if not cached:
        return _build(backend, model, device, embedding_backend, resolved, models_cache)
    if key not in _CACHE:
        _CACHE[key] = _build(backend, model, device, embedding_backend, resolved, models_cache)
    return _CACHE[key]


def _build(backend, model, device, requested: str, resolved: str, models_cache) -> Embedder:
    """The embedder; "auto" falls back to torch for a model the ONNX export does not support."""
    make = EMBEDDERS[backend]
    try:
        return make(model, device=device, embedding_backend=resolved, models_cache=models_cache)
    except ModelUnavailableError as exc:
        if requested != AUTO_BACKEND or resolved.startswith("torch"):
            raise
        log.warning("%s; the auto backend uses torch instead", exc)
        return make(model, device=device, embedding_backend="torch", models_cache=models_cache)
