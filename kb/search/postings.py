"""Keyword retrieval from the postings in memory (kb.keyword_index): every passage a query
matches is scored, as FTS5 would score it, in a few milliseconds even at a million chunks."""

from __future__ import annotations

import numpy as np

from kb.index.store import Store
from kb.keyword_index import FTS_WEIGHTS, KeywordIndex
from kb.search.request import Filters
from kb.text import word_term

# A filtered search checks this many times `limit` of the best passages against the filters
# in SQL; when too few of them pass, it lists the passing chunks instead (one query, slower
# at scale, but independent of how rare the passing ones are).
FILTER_PROBE = 4


def postings_matches(
    store: Store, postings: KeywordIndex, phrases: list[str], filters: Filters, limit: int
) -> list[tuple[int, int, float]]:
    """(document rowid, chunk id, BM25 score) of the best `limit` passages that pass the
    filters, best first."""
    scores = phrase_scores(store, postings, phrases)
    candidates = np.flatnonzero(scores)
    if not filters.active:
        best = _best(candidates, scores, limit).tolist()
        owners = store.chunks.owners(best)
    else:
        best, owners = _best_passing(store, candidates, scores, filters, limit)
    return [(owners[c], c, float(scores[c])) for c in best if c in owners]


def phrase_scores(store: Store, postings: KeywordIndex, phrases: list[str]) -> np.ndarray:
    """BM25 of every chunk (by id; 0 where none of the phrases is) for FTS5 phrases.

    One-word phrases are scored from the postings. A phrase of several words needs word
    positions, which the postings leave out: FTS5 scores it alone (its BM25 part is the
    same as within the whole query's), and such phrases are few and mostly rare.
    """
    words = [phrase.strip('"') for phrase in phrases]
    scores = postings.scores([word_term(w) for w in words if " " not in w])
    several = [phrase for phrase, w in zip(phrases, words, strict=True) if " " in w]
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    sql = f"SELECT rowid, -bm25(chunks_fts, {weights}) FROM chunks_fts WHERE chunks_fts MATCH ?"
    for rows in store.fetch_many([(sql, [phrase]) for phrase in several]):
        if rows:
            ids, values = np.array(rows).T
            np.add.at(scores, ids.astype(np.int64), values)
    return scores


def _best(candidates: np.ndarray, scores: np.ndarray, limit: int) -> np.ndarray:
    """The `limit` best of `candidates`, best first (partitioned, then only they sorted)."""
    if len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit - 1)[:limit]]
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _best_passing(
    store: Store, candidates: np.ndarray, scores: np.ndarray, filters: Filters, limit: int
) -> tuple[list[int], dict[int, int]]:
    """The best `limit` candidates that pass the filters, and their documents."""
    probe = _best(candidates, scores, FILTER_PROBE * limit)
    owners = store.chunks.owners_passing(probe.tolist(), filters)
    if len(owners) < limit and len(candidates) > len(probe):
        passing = candidates[np.isin(candidates, store.chunks.ids_passing(filters))]
        probe = _best(passing, scores, limit)
        owners = store.chunks.owners(probe.tolist())
    return [c for c in probe.tolist() if c in owners][:limit], owners
