"""Each document's terms as a TF-IDF vector, for finding related lessons by their words.

Two lessons that share distinctive words are related more often than their passages'
embeddings say: on lessons whose authors linked them, a TF-IDF cosine over whole documents
finds the partner in its top 10 for 0.88 of the pairs, chunk-to-chunk embeddings for 0.69
(benchmarks/bench_related_pairs.py). The vectors are written at index time from the keyword
postings (the same FTS5 terms, already counted per chunk, title words weighted as there):

    weight(term, doc) = (1 + ln f) * (ln((n + 1) / (df + 1)) + 1), L2-normalized per document

for f the term's weighted count in the document, n documents of which df hold the term.
They are stored inverted (every term's documents and weights) for scoring every document
against one, and forward (each document's heaviest QUERY_TERMS terms) for the query: a
lesson's cosine to all others is then the sum over its heaviest terms of their postings,
one gather each, never an N x N matrix. Pruning the query to 100 terms changes recall@10 on
the development pairs by under 0.02; pruning the postings themselves lost 0.1 and is not done.

Stored as a directory in the generation, read with memory maps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from kb.index.keywords import Postings
    from kb.index.store import Store

DOCUMENT_TERMS_NAME = "document_terms"  # the directory in a generation
FORMAT_VERSION = 1
QUERY_TERMS = 100  # a document's heaviest terms, those it is compared by
_ARRAYS = ("term_offsets", "documents", "weights", "doc_offsets", "doc_terms", "doc_weights")


@dataclass
class DocumentTerms:
    term_offsets: np.ndarray  # int64, term id -> start of its postings; one more at the end
    documents: np.ndarray  # int32, postings: document rowids by term
    weights: np.ndarray  # float32, each posting's normalized TF-IDF weight
    doc_offsets: np.ndarray  # int64, document rowid -> start of its query terms
    doc_terms: np.ndarray  # int32, each document's heaviest terms, heaviest first
    doc_weights: np.ndarray  # float32, their weights

    @property
    def size(self) -> int:
        """One more than the largest document rowid."""
        return len(self.doc_offsets) - 1

    @classmethod
    def build(cls, postings: Postings, owners: np.ndarray) -> DocumentTerms:
        """From the keyword postings (with their counts) and each chunk id's document rowid
        (``owners``, -1 for no chunk)."""
        size = int(owners.max()) + 1 if len(owners) else 0
        term_of = np.repeat(np.arange(len(postings.offsets) - 1), np.diff(postings.offsets))
        keys, counts = _summed_by_key(term_of * max(size, 1) + owners[postings.chunk_ids],
                                      np.asarray(postings.freq, dtype=np.float64))  # fmt: skip
        terms, docs = keys // max(size, 1), keys % max(size, 1)
        df = np.bincount(terms, minlength=len(postings.offsets) - 1)
        n = len(np.unique(docs))
        weights = (1 + np.log(np.maximum(counts, 1))) * (np.log((n + 1) / (df[terms] + 1)) + 1)
        weights /= np.sqrt(np.bincount(docs, weights=weights * weights, minlength=size))[docs]
        term_offsets = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        return cls(
            term_offsets, docs.astype(np.int32), weights.astype(np.float32),
            *_heaviest_per_document(terms, docs, weights, size),
        )  # fmt: skip

    def save(self, directory: Path) -> None:
        directory.mkdir()
        for name in _ARRAYS:
            np.save(directory / f"{name}.npy", getattr(self, name))
        (directory / "meta.json").write_text(json.dumps({"format": FORMAT_VERSION}))

    @classmethod
    def load(cls, directory: Path) -> DocumentTerms | None:
        """The saved vectors, or None if absent or of another format."""
        try:
            meta = json.loads((directory / "meta.json").read_text())
        except FileNotFoundError:
            return None
        if meta.get("format") != FORMAT_VERSION:
            return None
        return cls(*(np.load(directory / f"{name}.npy", mmap_mode="r") for name in _ARRAYS))

    def similarities(self, rowid: int) -> np.ndarray:
        """Cosine of every document (by rowid) to this one over its heaviest terms; 0 for
        itself and for a rowid without terms."""
        scores = np.zeros(self.size)
        if not 0 <= rowid < self.size:
            return scores
        start, end = self.doc_offsets[rowid], self.doc_offsets[rowid + 1]
        ids, parts = [], []
        for term, weight in zip(
            self.doc_terms[start:end], self.doc_weights[start:end], strict=True
        ):
            first, last = self.term_offsets[term], self.term_offsets[term + 1]
            ids.append(self.documents[first:last])
            parts.append(self.weights[first:last] * weight)
        if ids:
            scores = np.bincount(np.concatenate(ids), np.concatenate(parts), minlength=self.size)
        scores[rowid] = 0.0
        return scores

    def close(self) -> None:
        """Let go of the memory-mapped arrays (numpy unmaps a file when nothing refers to it)."""
        for name in _ARRAYS:
            setattr(self, name, np.zeros(1 if name.endswith("offsets") else 0))


def _summed_by_key(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys ascending, sum of the values of each). Postings come by term, then
    chunk id, and chunks mostly by document: the keys are then sorted already, and summing
    runs builds the vectors of 6M postings (100k chunks) in 1.6 s where sorting took 4.8."""
    if len(keys) > 1 and not bool(np.all(keys[1:] >= keys[:-1])):
        order = np.argsort(keys, kind="stable")
        keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else keys
    return keys[starts], np.add.reduceat(values, starts) if len(keys) else values


def _heaviest_per_document(terms, docs, weights, size: int) -> tuple:
    """(doc offsets, terms, weights): each document's QUERY_TERMS heaviest terms, and any
    as heavy as the last of them (so that the choice never depends on term ids), by rowid."""
    lightness = ((1.0 - weights) * ((1 << 21) - 1)).astype(np.int64)  # weight in 21 bits
    # One sort of doc * 2^21 + lightness: half the time of np.lexsort on (weight, doc).
    order = np.argsort(docs * (1 << 21) + lightness)
    docs, lightness = docs[order], lightness[order]
    first = np.searchsorted(docs, docs)
    last_kept = np.minimum(first + QUERY_TERMS, np.searchsorted(docs, docs, side="right")) - 1
    keep = lightness <= lightness[last_kept]
    per_doc = np.bincount(docs[keep], minlength=size)
    offsets = np.concatenate([[0], np.cumsum(per_doc)]).astype(np.int64)
    kept = order[keep]
    return offsets, terms[kept].astype(np.int32), weights[kept].astype(np.float32)


def build_document_terms(store: Store, postings: Postings) -> DocumentTerms:
    """The document vectors of every document in ``store``, from its keyword postings."""
    return DocumentTerms.build(postings, store.chunks.all_owners())
