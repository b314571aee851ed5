"""The words of many phrases as one padded matrix of word numbers.

Phrases have one to a dozen words; a (phrase x word position) matrix turns per-word
statistics of every phrase (`feature_columns`) and the search for phrases inside longer
ones (`cvalue`) into a few whole-array steps instead of a Python loop per phrase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from indexer.terms.exact import builtin_sum


@dataclass(frozen=True)
class WordMatrix:
    """Word numbers by phrase (row) and position; ``present`` marks real words.

    Per-word values (`values`) are kept row after row in one flat array, each row's words in
    order, rather than in the padded matrix: one phrase of 25 words would otherwise make
    every row 25 wide. Every phrase has at least one word.
    """

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

    @cached_property
    def flat_ids(self) -> np.ndarray:
        """The word numbers of every row, row after row."""
        return self.ids[self.present]

    @cached_property
    def starts(self) -> np.ndarray:
        """Where each row begins in `flat_ids` (and in `values`)."""
        return np.cumsum(self.lengths) - self.lengths

    def values(self, by_word: list[float]) -> np.ndarray:
        """A value per word of the vocabulary, at each of its places in `flat_ids`."""
        return np.asarray(by_word, dtype=np.float64)[self.flat_ids]

    def min(self, values: np.ndarray) -> np.ndarray:
        return np.minimum.reduceat(values, self.starts) if len(values) else values

    def max(self, values: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(values, self.starts) if len(values) else values

    def first(self, values: np.ndarray) -> np.ndarray:
        return values[self.starts]

    def last(self, values: np.ndarray) -> np.ndarray:
        return values[self.starts + self.lengths - 1]

    def mean(self, values: np.ndarray) -> np.ndarray:
        """As ``sum(words) / len(words)``, added in the builtin's order."""
        return builtin_sum(values, self.starts, self.lengths) / self.lengths
