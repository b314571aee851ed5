"""The counted corpus as columns: one entry per surface form, per (document, surface) pair.

Ranking reads whole columns with numpy (`feature_columns`); only the few candidates that
are shown need a surface form's details, so `CorpusCounts.surfaces` builds a `SurfaceStats`
only when one is looked up. Built by `collect.CorpusCounter`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from indexer.terms.models import Context


@dataclass
class SurfaceStats:
    """Everything counted about one lower-cased surface form."""

    surface: str
    lemma: str
    n_words: int
    count: int = 0
    doc_counts: Counter = field(default_factory=Counter)
    pos_patterns: Counter = field(default_factory=Counter)
    capitalized: int = 0
    all_caps: int = 0
    extends_left: int = 0
    extends_right: int = 0
    in_heading: int = 0
    english_context: float = 0.0
    contexts: list[Context] = field(default_factory=list)


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values; a sort, where `np.unique` alone hashes, ten times slower."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


class RowsByOwner:
    """The rows of each owner (a surface id), in their original (corpus) order.

    Plain lists: a lookup returns one or two rows, where numpy's per-call cost dominates.
    """

    def __init__(self, owners: np.ndarray, n_owners: int):
        order = np.argsort(owners, kind="stable")
        self._starts = np.searchsorted(owners[order], np.arange(n_owners + 1)).tolist()
        self._order = order.tolist()

    def rows(self, owner: int) -> list[int]:
        return self._order[self._starts[owner] : self._starts[owner + 1]]


@dataclass
class MergedTally:
    """`doc_counts.Tally` rows of a whole corpus: surface ``owners[i]`` had ``keys[i]``."""

    owners: np.ndarray
    keys: list[str]
    counts: np.ndarray
    n_owners: int

    @cached_property
    def by_owner(self) -> RowsByOwner:
        return RowsByOwner(self.owners, self.n_owners)

    @cached_property
    def count_list(self) -> list[int]:
        return self.counts.tolist()

    def counter(self, owner: int) -> Counter:
        """One surface's keys and counts, in first-seen order (as `Counter.most_common`
        breaks ties)."""
        counter: Counter = Counter()
        for row in self.by_owner.rows(owner):
            counter[self.keys[row]] += self.count_list[row]
        return counter


@dataclass
class Pairs:
    """One row per (document, surface form) in corpus order: where and how often it occurs."""

    surfaces: np.ndarray
    docs: np.ndarray  # index into `CorpusCounts.doc_ids`
    counts: np.ndarray
    contexts: np.ndarray  # index into `CorpusCounts.contexts`
    n_surfaces: int

    @cached_property
    def by_surface(self) -> RowsByOwner:
        return RowsByOwner(self.surfaces, self.n_surfaces)

    @cached_property
    def row_lists(self) -> tuple[list[int], list[int], list[int]]:
        """``docs``, ``counts`` and ``contexts`` as lists, for looking up a few rows."""
        return self.docs.tolist(), self.counts.tolist(), self.contexts.tolist()


@dataclass
class CorpusCounts:
    """The counted corpus: candidate surfaces, all word counts and its size.

    ``totals`` maps each `doc_counts.NUMBER_FIELDS` name but ``context``, plus
    ``english_context`` and ``document_frequency``, to one value per surface id.
    """

    names: list[str]  # surface forms by id, first seen first
    lemmas: list[str]  # by surface id: the lemma form of its first occurrence
    totals: dict[str, np.ndarray]
    pairs: Pairs
    pos_patterns: MergedTally
    doc_ids: list[str]
    contexts: list[str]
    word_counts: Counter
    n_tokens: int
    keep: int  # contexts kept per surface form

    @property
    def n_documents(self) -> int:
        return len(self.doc_ids)

    @cached_property
    def ids(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.names)}

    @cached_property
    def surfaces(self) -> SurfaceTable:
        return SurfaceTable(self)


class SurfaceTable(Mapping[str, SurfaceStats]):
    """Surface form -> its `SurfaceStats`, each built when it is looked up."""

    def __init__(self, counts: CorpusCounts):
        self._counts = counts

    def __getitem__(self, surface: str) -> SurfaceStats:
        return surface_stats(self._counts, self._counts.ids[surface])

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts.names)

    def __len__(self) -> int:
        return len(self._counts.names)


def surface_stats(counts: CorpusCounts, i: int) -> SurfaceStats:
    surface = counts.names[i]
    totals = {name: values[i].item() for name, values in counts.totals.items()}
    del totals["document_frequency"]
    stats = SurfaceStats(surface, counts.lemmas[i], len(surface.split()), **totals)
    stats.pos_patterns = counts.pos_patterns.counter(i)
    stats.doc_counts, stats.contexts = occurrences(counts, i)
    return stats


def occurrences(counts: CorpusCounts, i: int) -> tuple[Counter, list[Context]]:
    """Surface id ``i``'s occurrences per document id, and its first contexts."""
    doc_counts, contexts = Counter(), []
    docs, numbers, sentences = counts.pairs.row_lists
    for row in counts.pairs.by_surface.rows(i):
        doc_id = counts.doc_ids[docs[row]]
        doc_counts[doc_id] += numbers[row]
        # Prefer contexts from different documents: they show more of a term's usage.
        latest = contexts[-1].doc_id if contexts else None
        if len(contexts) < counts.keep and latest != doc_id:
            contexts.append(Context(doc_id, counts.contexts[sentences[row]]))
    return doc_counts, contexts
