"""Each chunk's terms, as FTS5 tokenizes them, stored per chunk for the postings.

An index run tokenizes only its new chunks (kb.text.fts.FtsTokenizer) and stores, per chunk,
packed records of (term id, counts in title, heading and text); the postings are built or
updated from these (kb.index.keywords.postings).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kb.index.keywords.base import FTS_WEIGHTS
from kb.text import FtsTokenizer

if TYPE_CHECKING:
    from kb.index.store import Store

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


@dataclass
class ChunkPostings:
    """Postings of (chunk id, packed terms) records, in the records' (chunk) order."""

    chunks: list[int]
    terms: np.ndarray  # term id of each posting
    chunk_ids: np.ndarray
    freq: np.ndarray  # weighted count (FTS_WEIGHTS) of each posting
    tokens: np.ndarray  # its counts in all columns: a chunk's length is their sum

    @classmethod
    def of(cls, chunks: Iterable[tuple[int, bytes]]) -> ChunkPostings:
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
