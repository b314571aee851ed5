"""The two retrievers. Each returns documents best first, each with its best chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kb.index.filters import Filters
from kb.index.keywords import KeywordScoring
from kb.index.store import Store
from kb.index.vectors import VectorIndex
from kb.search.coverage import QueryWords
from kb.search.passing import passing_chunks
from kb.search.query import fts_phrases

# Best passages a keyword search keeps, each document then at its best one: against 2,000
# (measured when FTS5 scored them), hybrid nDCG@10 on SciFact train 0.7395 against 0.7378.
KEYWORD_CHUNK_LIMIT = 1000
# A filtered keyword search checks this many times `limit` of the best passages against the
# filters in SQL; when too few of them pass, it lists the passing chunks instead (one query,
# slower at scale, but independent of how rare the passing ones are).
FILTER_PROBE = 4
# A filtered semantic search first looks for its chunks among this many times as many
# nearest chunks of all (see semantic_matches).
PASSING_PROBE = 4
# Passages, best by BM25 first, whose coverage of the query's words is weighed before the
# best KEYWORD_CHUNK_LIMIT are kept; and how strongly coverage weighs (BM25 times
# coverage ** COVERAGE_POWER). Chosen on SciFact train, see docs/search.md.
COVERAGE_POOL = 4 * KEYWORD_CHUNK_LIMIT
COVERAGE_POWER = 1.0


@dataclass(frozen=True)
class DocMatch:
    doc_rowid: int
    chunk_id: int
    score: float
    coverage: float = 0.0  # keyword matches: share of the query's word weight the document has


def best_per_document(pairs: list[tuple]) -> list[DocMatch]:
    """(doc, chunk, score[, coverage]) sorted best first -> each document once, at its best
    chunk."""
    seen: dict[int, DocMatch] = {}
    for doc, *match in pairs:
        if doc not in seen:
            seen[doc] = DocMatch(doc, *match)
    return list(seen.values())


def keyword_matches(
    store: Store,
    scoring: KeywordScoring,
    query: str,
    filters: Filters,
    expansions: list[str] = (),
    alternatives: dict[str, list[str]] | None = None,
    coverage_power: float = COVERAGE_POWER,
) -> list[DocMatch]:
    """BM25 over chunk titles, headings and text, as FTS5 scores it; higher is better.

    `expansions` are glossary forms of the query's terms, searched as alternatives. Every
    passage the query matches is scored (`scoring`: postings in memory take a few ms even at
    a million passages); of the best COVERAGE_POOL that pass the filters, those holding more
    of the query's words rank higher (coverage, kb.search.coverage; `alternatives` are the
    glossary forms standing for a query term) and the best KEYWORD_CHUNK_LIMIT are kept.
    `coverage_power` 0 ranks by BM25 alone, exactly as FTS5 does.
    """
    phrases = fts_phrases(query, expansions)
    if not phrases:
        return []
    scores = scoring.scores(phrases)
    candidates = np.flatnonzero(scores)
    if not filters.active:
        best = _best(candidates, scores, COVERAGE_POOL)
        owners = store.chunks.owners(best.tolist())
    else:
        best, owners = _best_passing(store, candidates, scores, filters, COVERAGE_POOL)
        best = np.asarray(best, dtype=np.int64)
    words = QueryWords.of(scoring, query, scoring.passages(), alternatives)
    held_words = words.held(best)
    weighed = scores[best] * words.coverage(held_words) ** coverage_power
    documents = np.fromiter((owners.get(c, -1) for c in best.tolist()), np.int64, len(best))
    held = words.document_coverage(held_words, documents)  # what a document has: counting
    order = np.argsort(-weighed, kind="stable")[:KEYWORD_CHUNK_LIMIT]
    ranked = [(int(best[i]), float(weighed[i]), float(held[i])) for i in order]
    return best_per_document([(owners[c], c, s, cov) for c, s, cov in ranked if c in owners])


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
    owners = _owners_passing(store, probe.tolist(), filters)
    if len(owners) < limit and len(candidates) > len(probe):
        passing = _kept(store, candidates, filters)
        probe = _best(passing, scores, limit)
        owners = store.chunks.owners(probe.tolist())
    return [c for c in probe.tolist() if c in owners][:limit], owners


def semantic_matches(
    store: Store, vectors: VectorIndex, query: np.ndarray, filters: Filters, want_docs: int
) -> list[DocMatch]:
    """Nearest chunks by cosine; asks FAISS for more until `want_docs` documents are found.

    A filtered search lists the allowed chunk ids and, on an IVF index, probes clusters in
    proportion (`VectorIndex.search`). Listing most of a million chunks still costs tens of
    ms, so there the nearest chunks of all are tried first."""
    fetch = min(len(vectors), max(100, want_docs * 4))
    if filters.active and vectors.approximate:
        docs = _nearest_passing(store, vectors, query, filters, fetch)
        if docs is not None and len(docs) >= want_docs:
            return docs
    allowed = _allowed_chunks(store, filters)
    available = len(vectors) if allowed is None else len(allowed)
    fetch = min(available, fetch)
    while True:
        pairs = vectors.search(query, fetch, allowed)
        owners = store.chunks.owners([cid for cid, _ in pairs])
        docs = best_per_document([(owners[cid], cid, score) for cid, score in pairs])
        if len(docs) >= want_docs or fetch >= available:
            return docs
        fetch = min(available, fetch * 4)


def _nearest_passing(
    store: Store, vectors: VectorIndex, query: np.ndarray, filters: Filters, fetch: int
) -> list[DocMatch] | None:
    """Documents of the `fetch` nearest chunks that pass the filters, found among the
    PASSING_PROBE * fetch nearest chunks of all; None when fewer pass."""
    pairs = vectors.search(query, PASSING_PROBE * fetch)
    owners = _owners_passing(store, [cid for cid, _ in pairs], filters)
    passing = [(owners[cid], cid, score) for cid, score in pairs if cid in owners][:fetch]
    return best_per_document(passing) if len(passing) == fetch else None


def _allowed_chunks(store: Store, filters: Filters) -> np.ndarray | None:
    if not filters.active:
        return None
    kept = passing_chunks(store)
    return store.chunks.ids_passing(filters) if kept is None else kept.ids(filters)


def _owners_passing(store: Store, chunk_ids: list[int], filters: Filters) -> dict[int, int]:
    """{chunk id: document rowid} of those of `chunk_ids` that pass: from the masks a
    server keeps per filters (kb.search.passing), else by SQL."""
    kept = passing_chunks(store)
    if kept is None:
        return store.chunks.owners_passing(chunk_ids, filters)
    return kept.owners(chunk_ids, filters)


def _kept(store: Store, candidates: np.ndarray, filters: Filters) -> np.ndarray:
    """Those of `candidates` that pass, in their order."""
    kept = passing_chunks(store)
    if kept is None:
        return candidates[np.isin(candidates, store.chunks.ids_passing(filters))]
    return kept.kept(candidates, filters)
