"""Embedder backends by name: the one place that knows which class serves which name."""

from __future__ import annotations

from collections.abc import Callable

from models.base import Embedder, ModelUnavailableError


def _sentence_transformers(model: str, device: str = "cpu") -> Embedder:
    from models.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, device=device)


def _fake(model: str, device: str = "cpu") -> Embedder:
    from models.fake import FakeEmbedder

    return FakeEmbedder(model if model.startswith("fake") else "fake-256")


EMBEDDERS: dict[str, Callable[..., Embedder]] = {
    "sentence-transformers": _sentence_transformers,
    "fake": _fake,
}

_CACHE: dict[tuple[str, str, str], Embedder] = {}


def create_embedder(backend: str, model: str, device: str = "cpu", cached: bool = True) -> Embedder:
    """The embedder for a backend name; loaded once per process when cached."""
    if backend not in EMBEDDERS:
        raise ModelUnavailableError(
            f"unknown embedder {backend!r}; choose one of {', '.join(EMBEDDERS)}"
        )
    key = (backend, model, device)
    if not cached:
        return EMBEDDERS[backend](model, device=device)
    if key not in _CACHE:
        _CACHE[key] = EMBEDDERS[backend](model, device=device)
    return _CACHE[key]
