"""Keyword postings in memory: FTS5's BM25 scores, computed with numpy.

FTS5's bm25() costs about 3 us per passage it scores, and a query with common words matches
most passages: at 100k chunks that was two thirds of a search's time. This index holds, for
every term, the chunks that contain it and each one's BM25 term-frequency part, computed at
index time from per-column counts (kb.fts_terms) with FTS5's formula, column weights and
constants. A query then costs one gather and one sum over its terms' postings.

    score(chunk) = sum over phrases of idf(phrase) * f * (K1 + 1) / (f + K1 * (1 - B + B * D / avgdl))

where f is the phrase's weighted count in the chunk (FTS_WEIGHTS per column), D the chunk's
tokens in all columns, avgdl their mean, and idf = log((N - n + 0.5) / (n + 0.5)), at least
1e-6, for N chunks of which n hold the phrase: exactly what sqlite's fts5_aux.c computes.

Stored as a directory in the index generation (read with memory maps: a server touches only
the postings of the terms it is asked for).
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb.fts_terms import FtsTokenizer

if TYPE_CHECKING:
    from kb.store import Store

KEYWORDS_NAME = "keywords"
FORMAT_VERSION = 1
# BM25 column weights for (title, heading, text): a title word says more about a document
# than the same word in passing. Chosen on SciFact train (see docs/search.md).
FTS_WEIGHTS = (2.0, 0.5, 1.0)
K1, B = 1.2, 0.75  # FTS5's bm25() constants
# One chunk's terms, as stored per chunk (Store.chunk_terms): term id, counts per column.
TERM_RECORD = np.dtype([("term", "<u4"), ("counts", "<u2", (3,))])


def pack_chunk_terms(
    chunk_ids: list[int], terms: np.ndarray, codes: np.ndarray
) -> list[tuple[int, bytes]]:
    """(chunk id, packed term records) of each chunk, from token instances: term ids and
    chunk id * 3 + column (FtsTokenizer.instances). A chunk without tokens gets no records."""
    width = int(terms.max()) + 1 if len(terms) else 1
    pairs, inverse = np.unique((codes // 3) * width + terms, return_inverse=True)
    counts = np.zeros((len(pairs), 3), dtype=np.int64)
    np.add.at(counts, (inverse, codes % 3), 1)
    records = np.empty(len(pairs), dtype=TERM_RECORD)
    records["term"] = pairs % width
    records["counts"] = np.minimum(counts, 65535)
    owners = pairs // width  # ascending: np.unique sorts
    starts = np.searchsorted(owners, chunk_ids, side="left")
    ends = np.searchsorted(owners, chunk_ids, side="right")
    return [(c, records[s:e].tobytes()) for c, s, e in zip(chunk_ids, starts, ends, strict=True)]


def bm25_idf(passages: int, holding: int) -> float:
    idf = math.log((passages - holding + 0.5) / (holding + 0.5))
    return idf if idf > 0 else 1e-6


@dataclass
class KeywordIndex:
    terms: dict[str, int]  # term -> term id
    offsets: np.ndarray  # int64, term id -> start of its postings; one more at the end
    chunk_ids: np.ndarray  # int32, postings: chunk ids by term, ascending within a term
    tf: np.ndarray  # float32, the BM25 term-frequency part of each posting
    passages: int  # N: chunks in the index
    size: int  # one more than the largest chunk id

    @classmethod
    def build(cls, chunks: Iterable[tuple[int, bytes]], terms: dict[str, int]) -> KeywordIndex:
        """From (chunk id, packed terms) of every chunk, in chunk id order."""
        ids, blobs = [], []
        for chunk_id, blob in chunks:
            ids.append(chunk_id)
            blobs.append(blob)
        records = np.frombuffer(b"".join(blobs), dtype=TERM_RECORD)
        lengths = np.fromiter((len(b) // TERM_RECORD.itemsize for b in blobs), np.int64, len(ids))
        owner = np.repeat(np.asarray(ids, dtype=np.int32), lengths)
        counts = records["counts"].astype(np.float64)
        size = max(ids) + 1 if ids else 0
        tokens = np.bincount(owner, weights=counts.sum(axis=1), minlength=size)
        avgdl = tokens.sum() / len(ids) if ids else 1.0
        freq = counts @ np.asarray(FTS_WEIGHTS)
        norm = K1 * (1 - B + B * tokens[owner] / (avgdl or 1.0))
        tf = (freq * (K1 + 1) / (freq + norm)).astype(np.float32)
        order = np.argsort(records["term"], kind="stable")  # stable: chunk order kept
        per_term = np.bincount(records["term"], minlength=max(terms.values(), default=-1) + 1)
        offsets = np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64)
        return cls(terms, offsets, owner[order], tf[order], len(ids), size)

    def save(self, directory: Path) -> None:
        directory.mkdir()
        np.save(directory / "offsets.npy", self.offsets)
        np.save(directory / "chunk_ids.npy", self.chunk_ids)
        np.save(directory / "tf.npy", self.tf)
        meta = {
            "format": FORMAT_VERSION,
            "passages": self.passages,
            "size": self.size,
            "weights": FTS_WEIGHTS,
            "k1": K1,
            "b": B,
            "terms": sorted(self.terms, key=self.terms.__getitem__),
        }
        (directory / "meta.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        """The saved index, or None if absent or built with other weights (then the
        caller scores with FTS5)."""
        try:
            meta = json.loads((directory / "meta.json").read_text())
        except FileNotFoundError:
            return None
        if meta["format"] != FORMAT_VERSION or tuple(meta["weights"]) != FTS_WEIGHTS:
            return None
        return cls(
            terms={term: i for i, term in enumerate(meta["terms"])},
            offsets=np.load(directory / "offsets.npy"),
            chunk_ids=np.load(directory / "chunk_ids.npy", mmap_mode="r"),
            tf=np.load(directory / "tf.npy", mmap_mode="r"),
            passages=meta["passages"],
            size=meta["size"],
        )

    def holding(self, term: str) -> int:
        term_id = self.terms.get(term)
        return 0 if term_id is None else int(self.offsets[term_id + 1] - self.offsets[term_id])

    def scores(self, terms: list[str | None]) -> np.ndarray:
        """BM25 by chunk id (0: no term), each term scored as a phrase of the query; a term
        given twice counts twice, as FTS5 counts a phrase given twice."""
        ids, parts = [], []
        for term in terms:
            term_id = self.terms.get(term) if term else None
            if term_id is None:
                continue
            start, end = self.offsets[term_id], self.offsets[term_id + 1]
            ids.append(self.chunk_ids[start:end])
            parts.append(self.tf[start:end] * bm25_idf(self.passages, int(end - start)))
        if not ids:
            return np.zeros(self.size)
        return np.bincount(np.concatenate(ids), np.concatenate(parts), minlength=self.size)


def store_chunk_terms(store: Store, batch_size: int = 2000) -> int:
    """Store the terms of every chunk that has none stored yet; returns how many chunks.

    Run once per index run: only new chunks are tokenized (deleted ones take theirs along).
    """
    pending = store.chunks_without_terms()
    tokenizer = FtsTokenizer()
    term_ids = store.keyword_term_ids()  # ids are 0, 1, 2, ... in order of first use
    done = 0
    while rows := pending.fetchmany(batch_size):
        known = len(term_ids)
        found = tokenizer.instances(rows)
        terms = (term_ids.setdefault(term, len(term_ids)) for term, _ in found)
        term_array = np.fromiter(terms, dtype=np.int64, count=len(found))
        codes = np.fromiter((code for _, code in found), dtype=np.int64, count=len(found))
        store.add_keyword_terms(dict(itertools.islice(term_ids.items(), known, None)))
        store.put_chunk_terms(pack_chunk_terms([row[0] for row in rows], term_array, codes))
        done += len(rows)
    return done


def build_keyword_index(store: Store) -> KeywordIndex:
    """Postings of every chunk in `store`, after storing the terms of the new ones."""
    store_chunk_terms(store)
    return KeywordIndex.build(store.chunk_terms(), store.keyword_term_ids())
