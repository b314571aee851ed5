"""Count every candidate occurrence of a corpus of parsed documents.

Per lower-cased surface form, the statistics the scorer needs (frequency, documents,
capitalization, POS pattern, the kind of sentence it sits in) plus a few example contexts;
word counts for the whole corpus feed domain specificity. Each document is counted on its
own (`doc_counts`) and added in corpus order, so counts kept from an earlier run merge into
exactly what one pass over every document would give.

Merging appends each document's columns and sums them per surface form with numpy at
the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from indexer.terms.corpus_counts import (
    CorpusCounts,
    MergedTally,
    Pairs,
    SurfaceStats,
    distinct,
)
from indexer.terms.doc_counts import (
    NUMBER_FIELDS,
    DocCounts,
    count_document,
    lemma_key,
    normalize,
)
from indexer.terms.patterns import SpanLimits

if TYPE_CHECKING:  # spaCy is imported by the pipeline that makes the Docs
    from spacy.tokens import Doc

__all__ = [
    "CorpusCounter",
    "CorpusCounts",
    "SurfaceStats",
    "count_corpus",
    "lemma_key",  # re-exported: callers found it here before per-document counting moved
    "merge_counts",
    "normalize",
]


class CorpusCounter:
    """Documents' counts added in corpus order, then summed per surface form (`finish`).

    The documents' columns are joined with numpy when counting finishes, and surface forms
    are numbered by first occurrence over the joined list (`dict.fromkeys`), so a corpus of
    counts kept from earlier runs merges in a few whole-list steps.
    """

    def __init__(self, keep: int = 3):
        self.keep = keep  # contexts kept per surface form
        self.doc_ids: list[str] = []
        self._found: list[DocCounts] = []

    def add(self, found: DocCounts, doc_id: str) -> None:
        self._found.append(found)
        self.doc_ids.append(doc_id)

    def finish(self) -> CorpusCounts:
        found = self._found
        surfaces = list(chain.from_iterable(f.surfaces for f in found))
        names = list(dict.fromkeys(surfaces))  # first seen first
        ids = dict(zip(names, range(len(names)), strict=True))
        surface_ids = np.fromiter(map(ids.__getitem__, surfaces), np.int64, len(surfaces))
        first = np.unique(surface_ids, return_index=True)[1]  # by id: first occurrence
        all_lemmas = list(chain.from_iterable(f.lemmas for f in found))
        sizes = np.asarray([len(f.surfaces) for f in found], dtype=np.int64)
        numbers = {name: _joined([f.numbers[name] for f in found]) for name in NUMBER_FIELDS}
        # A document numbers its own context sentences; the corpus keeps all in one list.
        context_starts = _starts([len(f.contexts) for f in found])
        numbers["context"] = numbers["context"] + np.repeat(context_starts, sizes)
        pairs = Pairs(
            surface_ids, np.repeat(np.arange(len(found), dtype=np.int64), sizes),
            numbers["count"], numbers["context"], len(names),
        )  # fmt: skip
        english = _joined([f.english_context for f in found], np.float64)
        return CorpusCounts(
            names, [all_lemmas[i] for i in first.tolist()], _totals(numbers, english, self.doc_ids, pairs),
            pairs, pos_patterns=_merged_tally(found, sizes, pairs), doc_ids=self.doc_ids,
            contexts=list(chain.from_iterable(f.contexts for f in found)),
            word_counts=_word_counts(found), n_tokens=sum(f.n_tokens for f in found),
            keep=self.keep,
        )  # fmt: skip


def _joined(columns: list, dtype=np.int64) -> np.ndarray:
    """Columns (lists or arrays) end to end, as one array."""
    arrays = [np.asarray(column, dtype=dtype) for column in columns]
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)


def _starts(lengths: list[int]) -> np.ndarray:
    """Where each of consecutive runs of these lengths starts."""
    return np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)[:-1]]).astype(np.int64)


def _totals(numbers: dict, english: np.ndarray, doc_ids: list[str], pairs: Pairs) -> dict:
    totals = {
        name: _sum_by(pairs.surfaces, column, pairs.n_surfaces).astype(np.int64)
        for name, column in numbers.items()
        if name != "context"
    }
    totals["english_context"] = _sum_by(pairs.surfaces, english, pairs.n_surfaces)
    totals["document_frequency"] = _document_frequency(doc_ids, pairs)
    return totals


def _merged_tally(found: list[DocCounts], sizes: np.ndarray, pairs: Pairs) -> MergedTally:
    """The documents' POS tallies, owned by their surface forms' corpus ids."""
    tallies = [f.pos_patterns for f in found]
    rows = [len(t.owners) for t in tallies]
    owners = _joined([t.owners for t in tallies]) + np.repeat(_starts(sizes.tolist()), rows)
    keys = list(chain.from_iterable(t.keys for t in tallies))
    counts = _joined([t.counts for t in tallies])
    return MergedTally(pairs.surfaces[owners], keys, counts, pairs.n_surfaces)


def _word_counts(found: list[DocCounts]) -> Counter:
    total: Counter = Counter()
    for f in found:
        _add_counts(total, f.word_counts)
    return total


def _sum_by(owners: np.ndarray, values: np.ndarray, n_owners: int) -> np.ndarray:
    return np.bincount(owners, weights=values, minlength=n_owners)


def _document_frequency(doc_ids: list[str], pairs: Pairs) -> np.ndarray:
    """Distinct document ids per surface form (two documents may share an id)."""
    id_numbers: dict[str, int] = {}
    numbers = np.asarray([id_numbers.setdefault(d, len(id_numbers)) for d in doc_ids], np.int64)
    found_in = distinct(pairs.surfaces * max(len(id_numbers), 1) + numbers[pairs.docs])
    surfaces = found_in // max(len(id_numbers), 1)
    return np.bincount(surfaces, minlength=pairs.n_surfaces).astype(np.int64)


def _add_counts(total: Counter, part: dict[str, int]) -> None:
    # A plain loop: Counter.update checks its argument's type on every call, twice as slow.
    for key, n in part.items():
        total[key] += n


def merge_counts(doc_ids: Iterable[str], doc_counts: Iterable[DocCounts], keep: int = 3):
    """Documents' counts (`count_document`), one per document id, merged in order."""
    counter = CorpusCounter(keep)
    for doc_id, found in zip(doc_ids, doc_counts, strict=True):
        counter.add(found, doc_id)
    return counter.finish()


def count_corpus(
    docs: Iterable[tuple[str, Doc]], limits: SpanLimits = SpanLimits(), keep: int = 3
) -> CorpusCounts:
    """Count candidates over ``(doc_id, Doc)`` pairs; ``keep`` contexts per surface form."""
    counter = CorpusCounter(keep)
    for doc_id, doc in docs:
        counter.add(count_document(doc, limits), doc_id)
    return counter.finish()
