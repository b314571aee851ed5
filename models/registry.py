"""Embedder backends by name: the one place that knows which class serves which name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from models.base import Embedder, ModelUnavailableError, resolve_embedding_backend


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

_CACHE: dict[tuple, Embedder] = {}


def create_embedder(
    backend: str,
    model: str,
    device: str = "cpu",
    cached: bool = True,
    embedding_backend: str = "torch",
    models_cache: str | Path | None = None,
) -> Embedder:
    """The embedder for a backend name; loaded once per process when cached.

    embedding_backend picks how a sentence-transformers model runs: "auto" (resolved for this
    machine), "torch", "torch-bf16", "onnx" or "onnx-int8" (exported once into models_cache,
    default KB_MODELS_CACHE or ~/.cache/lessonbase/models).
    """
    if backend not in EMBEDDERS:
        raise ModelUnavailableError(
            f"unknown embedder {backend!r}; choose one of {', '.join(EMBEDDERS)}"
        )
    embedding_backend = resolve_embedding_backend(embedding_backend, device)
    options = {"embedding_backend": embedding_backend, "models_cache": models_cache}
    if not cached:
        return EMBEDDERS[backend](model, device=device, **options)
    key = (backend, model, device, embedding_backend, str(models_cache))
    if key not in _CACHE:
        _CACHE[key] = EMBEDDERS[backend](model, device=device, **options)
    return _CACHE[key]
