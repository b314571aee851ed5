"""Keyword postings in memory: FTS5's BM25 scores, computed with numpy.

FTS5's bm25() costs about 3 us per passage it scores, and a query with common words matches
most passages: at 100k chunks that was two thirds of a search's time. This index holds, for
every term, the chunks that contain it and each one's BM25 term-frequency part, computed at
index time from per-column counts (kb.text.fts) with FTS5's formula, column weights and
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb.text import FtsTokenizer

if TYPE_CHECKING:
    from kb.index.store import Store

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
    # Kept for updating, not for searching: each posting's weighted count, each chunk's tokens.
    freq: np.ndarray | None = field(default=None, repr=False)
    tokens: np.ndarray | None = field(default=None, repr=False)

    @classmethod
    def build(cls, chunks: Iterable[tuple[int, bytes]], terms: dict[str, int]) -> KeywordIndex:
        """From (chunk id, packed terms) of every chunk, in chunk id order."""
        postings = _Postings.of(chunks)
        size = max(postings.chunks) + 1 if postings.chunks else 0
        tokens = np.bincount(postings.chunk_ids, weights=postings.tokens, minlength=size)
        order = np.argsort(postings.terms, kind="stable")  # stable: chunk order kept
        return cls._assembled(
            terms, postings.terms[order], postings.chunk_ids[order], postings.freq[order],
            tokens, len(postings.chunks),
        )  # fmt: skip

    @classmethod
    def _assembled(cls, terms, term_of, chunk_ids, freq, tokens, passages) -> KeywordIndex:
        """From postings ordered by term, then chunk id; ``tokens`` by chunk id."""
        avgdl = tokens.sum() / passages if passages else 1.0
        norm = K1 * (1 - B + B * tokens[chunk_ids] / (avgdl or 1.0))
        tf = (freq * (K1 + 1) / (freq + norm)).astype(np.float32)
        per_term = np.bincount(term_of, minlength=max(terms.values(), default=-1) + 1)
        offsets = np.concatenate([[0], np.cumsum(per_term)]).astype(np.int64)
        index = cls(terms, offsets, chunk_ids.astype(np.int32), tf, passages, len(tokens))
        index.freq, index.tokens = freq.astype(np.float32), tokens
        return index

    def updated(
        self,
        removed: Iterable[int],
        chunks: Iterable[tuple[int, bytes]],
        terms: dict[str, int],
        passages: int,
        size: int,
    ) -> KeywordIndex:
        """This index with the postings of the ``removed`` chunk ids dropped and those of
        ``chunks`` ((chunk id, packed terms), in chunk id order) added, every BM25 part
        recomputed for the new average length: what `build` makes of the whole corpus,
        ``passages`` chunks with ids below ``size``. Needs the postings' counts and the
        chunks' lengths (`load_for_update`)."""
        new = _Postings.of(chunks)
        span = max(self.size, size)  # chunk ids below both the old and the new size
        gone = np.zeros(span + 1, dtype=bool)
        gone[np.asarray(list(removed), dtype=np.int64)] = True
        old_terms = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
        keep = ~gone[self.chunk_ids]
        tokens = np.zeros(span)
        tokens[: len(self.tokens)] = np.where(gone[: len(self.tokens)], 0.0, self.tokens)
        tokens += np.bincount(new.chunk_ids, weights=new.tokens, minlength=span)
        old_keys = old_terms[keep] * span + self.chunk_ids[keep]
        new_keys = new.terms * span + new.chunk_ids
        order = np.argsort(new_keys)
        at = np.searchsorted(old_keys, new_keys[order])
        keys = np.insert(old_keys, at, new_keys[order])
        freq = np.insert(self.freq[keep].astype(np.float64), at, new.freq[order])
        return self._assembled(terms, keys // span, keys % span, freq, tokens[:size], passages)

    def save(self, directory: Path) -> None:
        directory.mkdir()
        np.save(directory / "offsets.npy", self.offsets)
        np.save(directory / "chunk_ids.npy", self.chunk_ids)
        np.save(directory / "tf.npy", self.tf)
        np.save(directory / "freq.npy", self.freq)  # for the next run's `updated`
        np.save(directory / "tokens.npy", self.tokens)
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

    @classmethod
    def load_for_update(cls, directory: Path) -> KeywordIndex | None:
        """The saved index with what `updated` needs, or None if it was saved without it."""
        index = cls.load(directory)
        if index is None or not (directory / "freq.npy").exists():
            return None
        index.chunk_ids, index.tf = np.asarray(index.chunk_ids), np.asarray(index.tf)
        index.freq, index.tokens = (np.load(directory / f"{n}.npy") for n in ("freq", "tokens"))
        return index

    def close(self) -> None:
        """Let go of the memory-mapped postings: numpy unmaps a file (and closes its
        descriptor) once no array refers to it, so every reference is dropped here. The
        index is empty afterwards."""
        self.terms = {}
        self.offsets = np.zeros(1, dtype=np.int64)
        self.chunk_ids, self.tf = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        self.freq = self.tokens = None
        self.passages = self.size = 0

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
    pending = store.chunk_terms.pending()
    tokenizer = FtsTokenizer()
    term_ids = store.chunk_terms.term_ids()  # ids are 0, 1, 2, ... in order of first use
    done = 0
    while rows := pending.fetchmany(batch_size):
        known = len(term_ids)
        found = tokenizer.instances(rows)
        terms = (term_ids.setdefault(term, len(term_ids)) for term, _ in found)
        term_array = np.fromiter(terms, dtype=np.int64, count=len(found))
        codes = np.fromiter((code for _, code in found), dtype=np.int64, count=len(found))
        store.chunk_terms.add_terms(dict(itertools.islice(term_ids.items(), known, None)))
        store.chunk_terms.put(pack_chunk_terms([row[0] for row in rows], term_array, codes))
        done += len(rows)
    return done


def build_keyword_index(store: Store, previous: Path | None = None) -> KeywordIndex:
    """Postings of every chunk in `store`, after storing the terms of the new ones: from
    ``previous`` (the live generation's postings directory) and the store's changes when it
    has what updating needs, else from every chunk's terms."""
    store_chunk_terms(store)
    old = KeywordIndex.load_for_update(previous) if previous is not None else None
    if old is None:
        return KeywordIndex.build(store.chunk_terms.all(), store.chunk_terms.term_ids())
    added = store.chunk_terms.of(store.changes.added_chunks)
    passages, size = store.chunk_terms.extent()
    # A reused chunk id is among the removed ones too: its old postings go first.
    return old.updated(
        store.changes.removed_chunks, added, store.chunk_terms.term_ids(), passages, size
    )


@dataclass
class _Postings:
    """Postings of (chunk id, packed terms) records, in the records' order."""

    chunks: list[int]
    terms: np.ndarray  # term id of each posting
    chunk_ids: np.ndarray
    freq: np.ndarray  # weighted count (FTS_WEIGHTS) of each posting
    tokens: np.ndarray  # its counts in all columns: a chunk's length is their sum

    @classmethod
    def of(cls, chunks: Iterable[tuple[int, bytes]]) -> _Postings:
        ids, blobs = [], []
        for chunk_id, blob in chunks:
            ids.append(chunk_id)
            blobs.append(blob)
        records = np.frombuffer(b"".join(blobs), dtype=TERM_RECORD)
        lengths = np.fromiter((len(b) // TERM_RECORD.itemsize for b in blobs), np.int64, len(ids))
        owner = np.repeat(np.asarray(ids, dtype=np.int64), lengths)
        counts = records["counts"].astype(np.float64)
        terms = records["term"].astype(np.int64)
        return cls(ids, terms, owner, counts @ np.asarray(FTS_WEIGHTS), counts.sum(axis=1))
