"""Keyword scoring from postings in memory: FTS5's BM25 scores, computed with numpy.

FTS5's bm25() costs about 3 us per passage it scores, and a query with common words matches
most passages: at 100k chunks that was two thirds of a search's time. The postings hold, for
every term, the chunks that contain it and each one's BM25 term-frequency part, computed at
index time from per-column counts (kb.index.keywords.chunk_terms) with FTS5's formula,
column weights and constants. A query then costs one gather and one sum over its terms'
postings.

    score(chunk) = sum over phrases of idf(phrase) * f * (K1 + 1) / (f + K1 * (1 - B + B * D / avgdl))

where f is the phrase's weighted count in the chunk (FTS_WEIGHTS per column), D the chunk's
tokens in all columns, avgdl their mean, and idf = log((N - n + 0.5) / (n + 0.5)), at least
1e-6, for N chunks of which n hold the phrase: exactly what sqlite's fts5_aux.c computes.

Stored as a directory in the index generation (read with memory maps: a server touches only
the postings of the terms it is asked for).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb.index.keywords.base import FTS_WEIGHTS, K1, B, KeywordScoring
from kb.index.keywords.chunk_terms import ChunkPostings, store_chunk_terms
from kb.index.keywords.fts5 import Fts5Scoring
from kb.problems import IndexUnavailableError
from kb.text import word_term

if TYPE_CHECKING:
    from kb.index.store import Store

KEYWORDS_NAME = "keywords"  # the postings' directory in a generation
FORMAT_VERSION = 1


def bm25_idf(passages: int, holding: int) -> float:
    idf = math.log((passages - holding + 0.5) / (holding + 0.5))
    return idf if idf > 0 else 1e-6


@dataclass
class Postings:
    """Every term's postings: the chunks holding it and each one's BM25 term-frequency part."""

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
    def build(cls, chunks: Iterable[tuple[int, bytes]], terms: dict[str, int]) -> Postings:
        """From (chunk id, packed terms) of every chunk, in chunk id order."""
        postings = ChunkPostings.of(chunks)
        size = max(postings.chunks) + 1 if postings.chunks else 0
        tokens = np.bincount(postings.chunk_ids, weights=postings.tokens, minlength=size)
        order = np.argsort(postings.terms, kind="stable")  # stable: chunk order kept
        return cls._assembled(
            terms, postings.terms[order], postings.chunk_ids[order], postings.freq[order],
            tokens, len(postings.chunks),
        )  # fmt: skip

    @classmethod
    def _assembled(cls, terms, term_of, chunk_ids, freq, tokens, passages) -> Postings:
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
    ) -> Postings:
        """This index with the postings of the ``removed`` chunk ids dropped and those of
        ``chunks`` ((chunk id, packed terms), in chunk id order) added, every BM25 part
        recomputed for the new average length: what `build` makes of the whole corpus,
        ``passages`` chunks with ids below ``size``. Needs the postings' counts and the
        chunks' lengths (`load_for_update`)."""
        new = ChunkPostings.of(chunks)
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
    def load(cls, directory: Path) -> Postings | None:
        """The saved postings, or None if absent or saved in another format or with other
        weights."""
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
    def load_for_update(cls, directory: Path) -> Postings | None:
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

    def holders(self, term: str | None) -> np.ndarray:
        """The chunks holding a term, ascending (a view of the postings: nothing copied)."""
        term_id = self.terms.get(term) if term else None
        if term_id is None:
            return np.zeros(0, dtype=np.int32)
        return self.chunk_ids[self.offsets[term_id] : self.offsets[term_id + 1]]


class PostingsScoring(KeywordScoring):
    """One-word phrases from the postings; a phrase of several words needs word positions,
    which the postings leave out: FTS5 scores it alone (its BM25 part is the same as within
    the whole query's), and such phrases are few and mostly rare."""

    def __init__(self, postings: Postings, phrases: Fts5Scoring):
        self.postings = postings
        self.phrases = phrases

    @classmethod
    def open(cls, generation: Path, store: Store) -> PostingsScoring:
        postings = Postings.load(generation / KEYWORDS_NAME)
        if postings is None:
            raise IndexUnavailableError(
                f"{generation}: the keyword postings are missing or of another version; "
                "rebuild them with `kb index --rebuild`"
            )
        return cls(postings, Fts5Scoring(store))

    def scores(self, phrases: list[str]) -> np.ndarray:
        words = [phrase.strip('"') for phrase in phrases]
        scores = self.postings.scores([word_term(w) for w in words if " " not in w])
        several = [phrase for phrase, w in zip(phrases, words, strict=True) if " " in w]
        return self.phrases.add_scores(scores, several)

    def holders(self, phrases: list[str]) -> list[np.ndarray]:
        words = [phrase.strip('"') for phrase in phrases]
        several = iter(
            self.phrases.holders([p for p, w in zip(phrases, words, strict=True) if " " in w])
        )
        return [next(several) if " " in w else self.postings.holders(word_term(w)) for w in words]

    def passages(self) -> int:
        return self.postings.passages

    def close(self) -> None:
        self.postings.close()


def build_postings(store: Store, previous: Path | None = None) -> Postings:
    """Postings of every chunk in `store`, after storing the terms of the new ones: from
    ``previous`` (the live generation's postings directory) and the store's changes when it
    has what updating needs, else from every chunk's terms."""
    store_chunk_terms(store)
    old = Postings.load_for_update(previous) if previous is not None else None
    if old is None:
        return Postings.build(store.chunk_terms.all(), store.chunk_terms.term_ids())
    added = store.chunk_terms.of(store.changes.added_chunks)
    passages, size = store.chunk_terms.extent()
    # A reused chunk id is among the removed ones too: its old postings go first.
    return old.updated(
        store.changes.removed_chunks, added, store.chunk_terms.term_ids(), passages, size
    )
