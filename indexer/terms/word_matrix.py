"""The words of many phrases as word numbers, for whole-array steps over all of them.

Phrases have one to a couple of dozen words. Word numbers row after row turn per-word
statistics of every phrase (`feature_columns`) into a few whole-array steps instead of a
Python loop per phrase, and a padded (phrase x word position) matrix does the same for the
search for phrases inside longer ones (`cvalue`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from itertools import chain

import numpy as np


@dataclass(frozen=True)
class WordMatrix:
    """The word numbers of many phrases, row after row in one flat array.

    Per-word values (`values`) are kept the same way rather than in a padded matrix: one
    phrase of 25 words would make every row 25 wide. The padded matrix (`ids`, `present`),
    which the search for phrases inside longer ones walks, is built when it is asked for.
    Every phrase has at least one word.
    """

    vocabulary: list[str]  # word number -> word
    flat_ids: np.ndarray  # the word numbers of every row, row after row
    lengths: np.ndarray

    @classmethod
    def of(cls, phrases: list[str], split: Callable[[str], list[str]] = str.split) -> WordMatrix:
        rows = list(map(split, phrases))
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        words = list(chain.from_iterable(rows))
        vocabulary = list(dict.fromkeys(words))  # in order of first occurrence
        numbers = {word: number for number, word in enumerate(vocabulary)}
        flat_ids = np.fromiter(map(numbers.__getitem__, words), dtype=np.int64, count=len(words))
        return cls(vocabulary, flat_ids, lengths)

    @cached_property
    def present(self) -> np.ndarray:
        """(row, position) -> whether the row has a word there."""
        return np.arange(self.lengths.max(initial=1)) < self.lengths[:, None]

    @cached_property
    def ids(self) -> np.ndarray:
        """Word numbers by row and position, 0 where the row has no word."""
        ids = np.zeros(self.present.shape, dtype=np.int64)
        ids[self.present] = self.flat_ids
        return ids

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
        return np.add.reduceat(values, self.starts) / self.lengths if len(values) else values
