"""What every keyword scoring backend offers: BM25 of every chunk for a query's phrases,
exactly as SQLite FTS5's bm25() computes it over the chunks' title, heading and text."""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

# BM25 column weights for (title, heading, text): a title word says more about a document
# than the same word in passing. Chosen on SciFact train (see docs/search.md).
FTS_WEIGHTS = (2.0, 0.5, 1.0)
K1, B = 1.2, 0.75  # FTS5's bm25() constants


class KeywordScoring(ABC):
    @abstractmethod
    def scores(self, phrases: list[str]) -> np.ndarray:
        """BM25 by chunk id (0 where none of the phrases is) of FTS5 phrases (`"word"`,
        `"two words"`): what FTS5 gives a query of the phrases joined by OR, where each
        phrase a chunk holds adds its part (a phrase given twice counts twice)."""

    @abstractmethod
    def holders(self, phrases: list[str]) -> list[np.ndarray]:
        """For each phrase, the ids of the chunks holding it, ascending: which of a query's
        words a passage has (its coverage), and how many passages have each (its rarity)."""

    @abstractmethod
    def passages(self) -> int:
        """How many passages the index holds: a word's rarity is out of these (chunk ids
        leave gaps after an incremental run, so the highest id is not the count)."""

    def close(self) -> None:  # noqa: B027 (a backend without files has nothing to close)
        """Let go of the files the scoring reads; it scores nothing afterwards."""
