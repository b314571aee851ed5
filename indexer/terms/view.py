"""The counted corpus grouped by lemma: what the features and the candidates read.

Surface forms that share a lemma form ("wind turbines", "Wind turbine") are one group;
groups get their frequency, their C-value and their words once, as arrays, and every
feature (`feature_columns`) and candidate (`candidates`) is read from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from indexer.terms.corpus_counts import CorpusCounts, RowsByOwner
from indexer.terms.cvalue import NestingTable, c_values
from indexer.terms.word_matrix import WordMatrix


@dataclass
class CorpusView:
    """Lemma groups and C-values computed once for a whole corpus, as arrays.

    ``lemmas`` are the lemma groups in order of first occurrence; ``lemma_ids`` gives each
    surface id (`CorpusCounts.names`) its group's position there, and ``group_counts``,
    ``lemma_words`` and ``nesting`` are in that order too. ``head_counts`` and
    ``modifier_counts`` say, per word of ``lemma_words.vocabulary``, how many multi-word
    lemmas end or start with it: productive heads mark domain concepts.
    """

    counts: CorpusCounts
    lemmas: list[str]
    lemma_ids: np.ndarray
    group_counts: np.ndarray
    lemma_words: WordMatrix
    nesting: NestingTable
    acronyms: dict[str, str]
    expansions: set[str]
    # Lower-cased acronyms and expansions -> how they are most often written ("MER").
    written: dict[str, str]
    head_counts: np.ndarray
    modifier_counts: np.ndarray

    @cached_property
    def _members(self) -> RowsByOwner:
        return RowsByOwner(self.lemma_ids, len(self.lemmas))

    def surface_ids(self, group: int) -> list[int]:
        """The surface ids of the lemma group at ``group`` in ``lemmas``, first seen first."""
        return self._members.rows(group)

    @cached_property
    def first_acronyms(self) -> dict[str, tuple[int, str]]:
        """Expansion -> the first acronym (by position in ``acronyms``) it expands."""
        first: dict[str, tuple[int, str]] = {}
        for position, (acronym, expansion) in enumerate(self.acronyms.items()):
            first.setdefault(expansion, (position, acronym))
        return first


def corpus_view(
    counts: CorpusCounts, acronyms: dict[str, str], written: dict[str, str] | None = None
) -> CorpusView:
    numbers: dict[str, int] = {}
    lemma_ids = np.asarray(
        [numbers.setdefault(lemma, len(numbers)) for lemma in counts.lemmas], dtype=np.int64
    )
    lemmas = list(numbers)
    frequency = np.bincount(lemma_ids, counts.totals["count"], len(lemmas)).astype(np.int64)
    words = WordMatrix.of(lemmas)
    nesting = c_values(lemmas, frequency, words)
    multi_word = words.lengths > 1
    heads = _bincount(words.last(words.flat_ids)[multi_word], words)
    modifiers = _bincount(words.first(words.flat_ids)[multi_word], words)
    return CorpusView(
        counts, lemmas, lemma_ids, frequency, words, nesting, acronyms,
        set(acronyms.values()), written or {}, heads, modifiers,
    )  # fmt: skip


def _bincount(word_ids: np.ndarray, words: WordMatrix) -> np.ndarray:
    return np.bincount(word_ids, minlength=len(words.vocabulary)).astype(np.int64)
