"""The words of many phrases as one padded matrix of word numbers.

Phrases have one to a dozen words; a (phrase x word position) matrix turns per-word
statistics of every phrase (`feature_columns`) and the search for phrases inside longer
ones (`cvalue`) into a few whole-array steps instead of a Python loop per phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from indexer.terms.exact import builtin_sum


@dataclass(frozen=True)
class WordMatrix:
    """Word numbers by phrase (row) and position; ``present`` marks real words."""

    vocabulary: list[str]  # word number -> word
    ids: np.ndarray  # 0 where no word is present
    present: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, phrases: list[str], split: Callable[[str], list[str]] = str.split) -> WordMatrix:
        rows = [split(phrase) for phrase in phrases]
        words = [word for row in rows for word in row]
        vocabulary = list(dict.fromkeys(words))  # in order of first occurrence
        numbers = {word: number for number, word in enumerate(vocabulary)}
        lengths = np.asarray([len(row) for row in rows], dtype=np.int64)
        present = np.arange(lengths.max(initial=1)) < lengths[:, None]
        ids = np.zeros(present.shape, dtype=np.int64)
        ids[present] = list(map(numbers.__getitem__, words))
        return cls(vocabulary, ids, present, lengths)

    def values(self, by_word: list[float]) -> np.ndarray:
        """A value per word of the vocabulary, placed at each of its positions (0 elsewhere)."""
        table = np.asarray(by_word, dtype=np.float64)
        return np.where(self.present, table[self.ids] if len(table) else 0.0, 0.0)

    def min(self, values: np.ndarray) -> np.ndarray:
        return np.where(self.present, values, np.inf).min(axis=1, initial=np.inf)

    def max(self, values: np.ndarray) -> np.ndarray:
        return np.where(self.present, values, -np.inf).max(axis=1, initial=-np.inf)

    def last(self, values: np.ndarray) -> np.ndarray:
        return values[np.arange(len(values)), self.lengths - 1]

    def mean(self, values: np.ndarray) -> np.ndarray:
        """As ``sum(words) / len(words)``, added in the builtin's order."""
        return builtin_sum(values, self.present) / self.lengths
