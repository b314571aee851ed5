"""One text through a sentence-transformers model with its transformer traced by TorchScript.

A search embeds one short query, and for that sentence-transformers' `encode` spends more
time in Python than in arithmetic: per layer and per operation, eager PyTorch dispatches
from Python (about 4.8 ms for MiniLM in bfloat16 on one core), and `encode` adds its own
bookkeeping (about 1.2 ms). A frozen TorchScript trace of the transformer runs the same
operations in 3.3 ms. The tokenizer, pooling and normalization stay the model's own modules,
so the vector is the one `encode` gives; `QueryTracer` checks that on texts of several
lengths before it is used, and falls back to `encode` when it cannot be traced or differs.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np

from models.transformers_logging import quiet_transformers

log = logging.getLogger(__name__)

# Texts of different lengths: a trace that baked in one length would fail the check.
CHECK_TEXTS = (
    "pump",
    "Why did the valve leak during the pressure test?",
    "Lessons from the launch delay: the ground support equipment was not certified in time, "
    "so the review board asked for a second inspection of every fitting and regulator.",
)


class QueryTracer:
    """`embed(text)` for a loaded SentenceTransformer, or None when tracing is not possible."""

    def __init__(self, model):
        self._model = model
        self._traced = None
        self._failed = False

    def embed(self, text: str) -> np.ndarray | None:
        """The normalized vector `encode([text], normalize_embeddings=True)` would give, as a
        (1, dimension) array; None when the traced path is unavailable."""
        if self._failed:
            return None
        if self._traced is None and not self._trace():
            return None
        return self._run(text)

    def _trace(self) -> bool:
        try:
            self._traced = _traced_transformer(self._model)
            same = all(np.array_equal(self._run(t), self._encode(t)) for t in CHECK_TEXTS)
        except Exception as exc:  # any tracing problem: the eager path still works
            log.info("query tracing unavailable (%s); queries use encode()", exc)
            same = False
        if not same:
            self._traced, self._failed = None, True
        return same

    def _run(self, text: str) -> np.ndarray:
        import torch

        features = _preprocess(self._model, text)
        inputs = [features[name] for name in _INPUT_NAMES if name in features]
        with torch.inference_mode():
            output = self._traced(*inputs)
            features["token_embeddings"] = output["last_hidden_state"]
            for module in list(self._model)[1:]:  # pooling, normalization: the model's own
                features = module(features)
            vector = torch.nn.functional.normalize(features["sentence_embedding"], p=2, dim=1)
        return vector.float().numpy()

    def _encode(self, text: str) -> np.ndarray:
        return self._model.encode(
            [text], normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )


_INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


def _preprocess(model, text: str) -> dict:
    # `tokenize` was renamed `preprocess` in sentence-transformers 6; 5.x has only the former.
    preprocess = getattr(model, "preprocess", None) or model.tokenize
    return preprocess([text])


def _traced_transformer(model):
    import torch

    transformer = model[0].auto_model.eval()
    features = _preprocess(model, CHECK_TEXTS[1])
    example = tuple(features[name] for name in _INPUT_NAMES if name in features)
    with (
        torch.inference_mode(False),
        torch.no_grad(),
        warnings.catch_warnings(),
        quiet_transformers(),
    ):
        # The tracer warns about shape-dependent branches; the check in `_trace` decides.
        warnings.simplefilter("ignore")
        traced = torch.jit.trace(transformer, example, strict=False)
        return torch.jit.freeze(traced.eval())
