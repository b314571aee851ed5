"""Count every candidate occurrence of a corpus of parsed documents.

Per lower-cased surface form, the statistics the scorer needs (frequency, documents,
capitalization, POS pattern, the kind of sentence it sits in) plus a few example contexts;
word counts for the whole corpus feed domain specificity. Each document is counted on its
own (`doc_counts`) and added in corpus order, so counts kept from an earlier run merge into
exactly what one pass over every document would give.

Merging appends each document's columns and sums them per surface form with numpy at
the end: integer sums are exact in any order, and `np.bincount` adds the one float
(English context, one value per occurrence) in corpus order, as a running total would.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
from spacy.tokens import Doc

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
    Tally,
    count_document,
    lemma_key,
    normalize,
)
from indexer.terms.patterns import SpanLimits

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
    """Documents' counts added in corpus order, then summed per surface form (`finish`)."""

    def __init__(self, keep: int = 3):
        self.keep = keep  # contexts kept per surface form
        self.ids: dict[str, int] = {}  # surface form -> id, in order of first occurrence
        self.lemmas: list[str] = []
        self.doc_ids: list[str] = []
        self.pair_surfaces: list[int] = []  # one pair per (document, surface form)
        self.pair_docs: list[int] = []
        self.numbers: dict[str, list[int]] = {name: [] for name in NUMBER_FIELDS}
        self.english_context: list[float] = []
        self.tallies = {"pos_patterns": Tally()}
        self.contexts: list[str] = []
        self.word_counts: Counter = Counter()
        self.n_tokens = 0

    def add(self, found: DocCounts, doc_id: str) -> None:
        ids, known = self.ids, len(self.ids)
        surface_ids = [ids.setdefault(surface, len(ids)) for surface in found.surfaces]
        new = zip(found.lemmas, surface_ids, strict=True)
        self.lemmas += [lemma for lemma, i in new if i >= known]
        first_pair, first_context = len(self.pair_surfaces), len(self.contexts)
        self.pair_surfaces += surface_ids
        self.pair_docs += [len(self.doc_ids)] * len(surface_ids)
        # A document numbers its own context sentences; the corpus keeps all in one list.
        contexts = [first_context + n for n in found.numbers["context"]]
        for name, column in (found.numbers | {"context": contexts}).items():
            self.numbers[name] += column
        self.english_context += found.english_context
        for name, tally in self.tallies.items():
            _append_tally(tally, getattr(found, name), first_pair)
        self.contexts += found.contexts
        _add_counts(self.word_counts, found.word_counts)
        self.n_tokens += found.n_tokens
        self.doc_ids.append(doc_id)

    def finish(self) -> CorpusCounts:
        n_surfaces = len(self.ids)
        pairs = Pairs(
            *(np.asarray(v, dtype=np.int64) for v in (self.pair_surfaces, self.pair_docs)),
            *(np.asarray(self.numbers[v], dtype=np.int64) for v in ("count", "context")),
            n_surfaces,
        )
        tallies = {name: _merged(tally, pairs) for name, tally in self.tallies.items()}
        return CorpusCounts(
            list(self.ids), self.lemmas, self._totals(pairs), pairs, **tallies,
            doc_ids=self.doc_ids, contexts=self.contexts, word_counts=self.word_counts,
            n_tokens=self.n_tokens, keep=self.keep,
        )  # fmt: skip

    def _totals(self, pairs: Pairs) -> dict[str, np.ndarray]:
        totals = {
            name: _sum_by(pairs.surfaces, np.asarray(column), pairs.n_surfaces).astype(np.int64)
            for name, column in self.numbers.items()
            if name != "context"
        }
        occurrences = np.repeat(pairs.surfaces, pairs.counts)  # english_context: by occurrence
        totals["english_context"] = _sum_by(
            occurrences, np.asarray(self.english_context, dtype=np.float64), pairs.n_surfaces
        )
        totals["document_frequency"] = _document_frequency(self.doc_ids, pairs)
        return totals


def _append_tally(total: Tally, part: Tally, first_pair: int) -> None:
    """Add ``part``'s rows, owned by pair ids (a surface's position in its document's)."""
    total.owners += [first_pair + owner for owner in part.owners]
    total.keys += part.keys
    total.counts += part.counts


def _merged(tally: Tally, pairs: Pairs) -> MergedTally:
    owners = pairs.surfaces[np.asarray(tally.owners, dtype=np.int64)]
    return MergedTally(owners, tally.keys, np.asarray(tally.counts, np.int64), pairs.n_surfaces)


def _sum_by(owners: np.ndarray, values: np.ndarray, n_owners: int) -> np.ndarray:
    # bincount adds in the order given, from 0.0: the same floats as a running total.
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
