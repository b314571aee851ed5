"""Pairs of documents that may teach the same lesson, scored once at index time.

Two documents teach the same thing when their lessons use the same distinctive words: the
cosine of TF-IDF vectors of their lesson sections only (lesson, recommendation, lessons; the
whole text of a document that has none). On 194 labelled NASA pairs
(benchmarks/eval_recurrence.py) this separates same-lesson pairs from merely related ones
far better than whole documents do, by words or by meaning: lessons of one event share
their account of it, and reports of one series share their vocabulary, while teaching
different things (area under the ROC curve 0.92, against 0.75 for whole-document words,
0.80 for whole-document and 0.78 for lesson-section embeddings; averaging lesson-section
embeddings in lowered it to 0.87).

    weight(word, doc) = (1 + ln f) * (ln((n + 1) / (df + 1)) + 1), L2-normalized per document

A pair is kept when it scores FLOOR or more and is among the PARTNERS closest of one of its
documents; the product of the sparse vectors is taken BLOCK documents at a time, so memory
stays bounded by the pairs kept. Stored as one .npz file in
the generation (indexer/ writes it, kb/ reads it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kb.text.statistics import content_words

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from kb.index.store import Store

LESSON_PAIRS_NAME = "lesson_pairs.npz"  # the file in a generation
FORMAT_VERSION = 1
LESSON_SECTIONS = ("lesson", "recommendation", "lessons")
FLOOR = 0.1  # under every threshold worth trying (the chosen one is kb.related.recurrence's)
# Each document keeps its closest partners only: 51,680 synthetic lessons (NASA's, copied
# with 90% of words changed) kept 28.8M pairs at FLOOR, 20 each keeps under a million.
PARTNERS = 20
BLOCK = 512  # documents whose similarities to all others are computed at once


@dataclass
class LessonPairs:
    first: np.ndarray  # int64 document rowids, the lower of each pair
    second: np.ndarray  # int64 document rowids, the higher
    score: np.ndarray  # float32 cosine of their lesson words

    def above(self, threshold: float) -> LessonPairs:
        keep = self.score >= threshold
        return LessonPairs(self.first[keep], self.second[keep], self.score[keep])

    def save(self, path: Path) -> None:
        with path.open("wb") as out:
            np.savez(out, first=self.first, second=self.second, score=self.score,
                     format=np.array([FORMAT_VERSION]))  # fmt: skip

    @classmethod
    def load(cls, path: Path) -> LessonPairs | None:
        """The saved pairs, or None if absent or of another format (an older generation)."""
        try:
            with np.load(path) as data:
                if int(data["format"][0]) != FORMAT_VERSION:
                    return None
                return cls(data["first"], data["second"], data["score"])
        except FileNotFoundError:
            return None


@dataclass
class LessonWords:
    """Each document's lesson-section TF-IDF vector: one row per document rowid."""

    rowids: np.ndarray  # int64, ascending
    matrix: csr_matrix  # rows L2-normalized

    @classmethod
    def of(cls, store: Store) -> LessonWords:
        from scipy.sparse import csr_matrix

        texts = lesson_texts(store)
        rowids = np.array(sorted(texts), dtype=np.int64)
        vocabulary: dict[str, int] = {}
        rows, columns, counts = [], [], []
        for row, rowid in enumerate(rowids.tolist()):
            for word, count in Counter(content_words(texts[rowid])).items():
                rows.append(row)
                columns.append(vocabulary.setdefault(word, len(vocabulary)))
                counts.append(count)
        shape = (len(rowids), len(vocabulary))
        matrix = csr_matrix((np.array(counts, np.float64), (rows, columns)), shape=shape)
        return cls(rowids, _tf_idf(matrix))

    def similarity(self, first: int, second: int) -> float:
        """Cosine of two documents' lesson words (0 for a rowid without them)."""
        position = np.searchsorted(self.rowids, [first, second])
        if any(p >= len(self.rowids) for p in position) or any(
            self.rowids[p] != r for p, r in zip(position, (first, second), strict=True)
        ):
            return 0.0
        return float(self.matrix[position[0]].multiply(self.matrix[position[1]]).sum())

    def pairs(self, floor: float = FLOOR) -> LessonPairs:
        """Every pair of documents whose cosine is ``floor`` or more and that is among the
        PARTNERS closest of one of them."""
        found = []
        for start in range(0, len(self.rowids), BLOCK):
            block = (self.matrix[start : start + BLOCK] @ self.matrix.T).tocoo()
            i, j, score = block.row + start, block.col, block.data
            keep = (i != j) & (score >= floor)
            i, j, score = _closest_per_row(i[keep], j[keep], score[keep], PARTNERS)
            found.append((np.minimum(i, j), np.maximum(i, j), score))
        first, second, score = (np.concatenate(c) for c in zip(*found, strict=True)) if found else (
            np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))  # fmt: skip
        _, unique = np.unique(first * len(self.rowids) + second, return_index=True)
        first, second, score = first[unique], second[unique], score[unique]  # ascending pairs
        return LessonPairs(self.rowids[first], self.rowids[second], score.astype(np.float32))


def _closest_per_row(i: np.ndarray, j: np.ndarray, score: np.ndarray, limit: int):
    """The entries among the ``limit`` highest scores of their row ``i``."""
    order = np.lexsort((-score, i))
    i, j, score = i[order], j[order], score[order]
    rank = np.arange(len(i)) - np.searchsorted(i, i, side="left")
    keep = rank < limit
    return i[keep], j[keep], score[keep]


def build_lesson_pairs(store: Store) -> LessonPairs:
    return LessonWords.of(store).pairs()


def _tf_idf(counts: csr_matrix) -> csr_matrix:
    """Sublinear term frequency times smoothed IDF, each row L2-normalized."""
    from scipy.sparse import diags

    matrix = counts.copy()
    matrix.data = 1 + np.log(matrix.data)
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    n = matrix.shape[0]
    matrix = matrix @ diags(np.log((n + 1) / (df + 1)) + 1)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return diags(1 / np.where(norms > 0, norms, 1.0)) @ matrix


def lesson_texts(store: Store) -> dict[int, str]:
    """{document rowid: the text of its lesson sections, or all its text without them}."""
    lessons: dict[int, list[str]] = {}
    everything: dict[int, list[str]] = {}
    rows = store.db.conn.execute("SELECT doc_rowid, key, text FROM sections ORDER BY position")
    for rowid, key, text in rows:
        everything.setdefault(rowid, []).append(text)
        if key in LESSON_SECTIONS:
            lessons.setdefault(rowid, []).append(text)
    return {r: "\n\n".join(lessons.get(r) or texts) for r, texts in everything.items()}
