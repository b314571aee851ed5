"""Keyword scoring by SQLite FTS5 itself: one bm25() statement per phrase.

FTS5's bm25() costs about 3 us per passage it scores, and a phrase of a common word holds
most passages, so the postings in memory (kb.index.keywords.postings) score words; FTS5
scores the phrases of several words, which need the word positions only it keeps (`STS-36`,
glossary expansions: few, and mostly rare).
"""

from __future__ import annotations

import numpy as np

from kb.index.keywords.base import FTS_WEIGHTS, KeywordScoring

PHRASE_SQL = (
    f"SELECT rowid, -bm25(chunks_fts, {', '.join(str(w) for w in FTS_WEIGHTS)})"
    " FROM chunks_fts WHERE chunks_fts MATCH ?"
)

HOLDERS_SQL = "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rowid"


class Fts5Scoring(KeywordScoring):
    def __init__(self, store):
        self.store = store  # a kb Store: its chunks_fts table, statements side by side
        self._passages: int | None = None  # a generation never changes: counted once

    def passages(self) -> int:
        if self._passages is None:
            self._passages = self.store.chunks.count()
        return self._passages

    def scores(self, phrases: list[str]) -> np.ndarray:
        found = self._matches(phrases)
        size = max((int(ids.max()) + 1 for ids, _ in found), default=0)
        return self._added(np.zeros(size), found)

    def holders(self, phrases: list[str]) -> list[np.ndarray]:
        found = self.store.fetch_many([(HOLDERS_SQL, [phrase]) for phrase in phrases])
        return [np.array([row[0] for row in rows], dtype=np.int64) for rows in found]

    def add_scores(self, scores: np.ndarray, phrases: list[str]) -> np.ndarray:
        """``scores`` (by chunk id, as long as the chunk ids) with each phrase's added."""
        return self._added(scores, self._matches(phrases))

    def _matches(self, phrases: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(chunk ids, BM25 parts) of each phrase that some chunk holds; each statement runs
        on its own connection, side by side (Store.fetch_many)."""
        found = []
        for rows in self.store.fetch_many([(PHRASE_SQL, [phrase]) for phrase in phrases]):
            if rows:
                ids, values = np.array(rows).T
                found.append((ids.astype(np.int64), values))
        return found

    @staticmethod
    def _added(scores: np.ndarray, found: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        for ids, values in found:
            np.add.at(scores, ids, values)
        return scores
