"""A fast, deterministic embedder for tests: hashed word and word-pair features.

Texts that share words get similar vectors, so search behaves sensibly in unit tests
without loading a neural model.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from models.base import Embedder

# Its own word pattern, not kb.text's: `models` imports nothing of ours (the layer rule), and
# these words need only be deterministic. On lower-cased ASCII they are FTS5's tokens.
_WORD = re.compile(r"[a-z0-9]+")


class FakeEmbedder(Embedder):
    backend = "fake"

    def __init__(self, model: str = "fake-256", dim: int = 256):
        super().__init__(model)
        self._dim = dim

    @property
    def dimension(self) -> int:
        return self._dim

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.lower())
            for feature in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self._dim
                out[row, bucket] += 1.0 if digest[4] & 1 else -1.0
        return out
