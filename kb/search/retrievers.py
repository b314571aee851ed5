"""The two retrievers. Each returns documents best first, each with its best chunk."""

from __future__ import annotations

import bisect
import heapq
import itertools
from dataclasses import dataclass

import numpy as np

from kb.index.filters import filter_sql
from kb.index.store import Store
from kb.keyword_index import FTS_WEIGHTS, KeywordIndex
from kb.search.postings import postings_matches
from kb.search.query import fts_phrases
from kb.search.request import Filters
from kb.vectors import VectorIndex

# Best passages a keyword search keeps, and passages scored at first for a query's rarest
# phrases (see keyword_matches). Against 2,000 and 10,000: half the keyword time at 100k
# chunks (p50 19.6 -> 9.5 ms) and hybrid nDCG@10 on SciFact train 0.7395 against 0.7378.
KEYWORD_CHUNK_LIMIT = 1000
KEYWORD_SCORING_BUDGET = 5_000
# A filtered semantic search first looks for its chunks among this many times as many
# nearest chunks of all (see semantic_matches).
PASSING_PROBE = 4


@dataclass(frozen=True)
class DocMatch:
    doc_rowid: int
    chunk_id: int
    score: float


def best_per_document(pairs: list[tuple[int, int, float]]) -> list[DocMatch]:
    """(doc, chunk, score) pairs sorted best first -> each document once, at its best chunk."""
    seen: dict[int, DocMatch] = {}
    for doc, chunk, score in pairs:
        if doc not in seen:
            seen[doc] = DocMatch(doc, chunk, score)
    return list(seen.values())


def keyword_matches(
    store: Store,
    query: str,
    filters: Filters,
    expansions: list[str] = (),
    postings: KeywordIndex | None = None,
) -> list[DocMatch]:
    """BM25 over chunk titles, headings and text, as FTS5 scores it; higher is better.

    `expansions` are glossary forms of the query's terms, searched as alternatives.
    With `postings` (every index written since they exist) all matching passages are
    scored in memory (kb.search.postings). Without, FTS5 scores every passage a query matches, which at a million passages takes most of a
    second for a query with common words. So the passages holding the query's rarest phrases
    are ranked first, each scored with all the phrases exactly as before, widening to
    commoner phrases until KEYWORD_CHUNK_LIMIT passages pass the filters; passages with only
    common words are left out once that many are found. Small indexes rank all at once.
    """
    phrases = fts_phrases(query, expansions)
    if not phrases:
        return []
    if postings is not None:
        rows = postings_matches(store, postings, phrases, filters, KEYWORD_CHUNK_LIMIT)
        return best_per_document(rows)
    where, params = filter_sql(filters)
    tries = list(rarest_first(phrases, store.phrase_counts(phrases), KEYWORD_SCORING_BUDGET))
    if filters.active and len(tries) > 2:  # how many pass is unknown: then straight to all
        tries = [tries[0], tries[-1]]
    for rare in tries:
        rows = _top_chunks(store, _matches(rare, phrases), where, params)
        if len(rows) >= KEYWORD_CHUNK_LIMIT or len(rare) == len(phrases):
            return best_per_document(rows)
    return []


def _matches(rare: list[str], phrases: list[str]) -> list[str]:
    """MATCH expressions for the passages holding a rare phrase, scored with every phrase.

    BM25 adds up per phrase, a phrase absent from a passage adding nothing: `(rare) AND
    (common)` gives the full score of the passages with both, `(rare) NOT (common)` that of
    the passages with rare phrases only. The two sets are disjoint, so each passage is scored
    once (scoring `rare` alone scored most passages twice: at 100k chunks "shuttle" holds
    11,425 passages and "shuttle" NOT the query's other words only 1,099).
    """
    any_rare = " OR ".join(rare)
    common = " OR ".join(phrase for phrase in phrases if phrase not in rare)
    if not common:
        return [any_rare]
    return [f"({any_rare}) AND ({common})", f"({any_rare}) NOT ({common})"]


def rarest_first(phrases: list[str], counts: dict[str, int], budget: int):
    """Growing sets of the rarest phrases: as many as `budget` passages hold (at least one,
    and enough to hold KEYWORD_CHUNK_LIMIT passages), then four times as many, and so on
    until all of them; all at once when they hold no more than twice the budget."""
    ordered = sorted(phrases, key=counts.__getitem__)
    cumulative = list(itertools.accumulate(counts[phrase] for phrase in ordered))
    enough = bisect.bisect_left(cumulative, KEYWORD_CHUNK_LIMIT) + 1
    size = len(ordered) - 1 if cumulative[-1] <= 2 * budget else 0
    while size < len(ordered):
        size = min(len(ordered), max(size + 1, enough, bisect.bisect_right(cumulative, budget)))
        yield ordered[:size]
        budget *= 4


def _top_chunks(store: Store, matches: list[str], where: str, params: list) -> list:
    """(doc, chunk, score) of the best chunks matching any of `matches` (disjoint sets, see
    _matches) and the filters. BM25 scoring is most of a keyword search's time at scale, so
    each MATCH is scored by its own statement, side by side (Store.fetch_many).
    (Splitting a MATCH further, by ranges of chunk ids, was slower: every statement pays a
    pass over each phrase's posting list for its IDF, and two cores were already busy.)"""
    queries = [(_top_chunks_sql(where), [match, *params]) for match in matches]
    # The best KEYWORD_CHUNK_LIMIT of the union are among each statement's own best that many.
    rows = itertools.chain.from_iterable(store.fetch_many(queries))
    return heapq.nlargest(KEYWORD_CHUNK_LIMIT, rows, key=lambda row: row[2])


def _top_chunks_sql(where: str) -> str:
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    scored = (
        f"SELECT rowid AS id, -bm25(chunks_fts, {weights}) AS score"
        " FROM chunks_fts WHERE chunks_fts MATCH ?"
    )
    top = f"ORDER BY s.score DESC LIMIT {KEYWORD_CHUNK_LIMIT}"
    if where == "1":  # no filter: rank first, then look up only the best chunks' documents
        scored = f"{scored} ORDER BY score DESC LIMIT {KEYWORD_CHUNK_LIMIT}"
    return (
        f"SELECT c.doc_rowid, s.id, s.score FROM ({scored}) s JOIN chunks c ON c.id = s.id"
        f" JOIN documents d ON d.rowid = c.doc_rowid WHERE {where} {top}"
    )


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
    owners = store.chunks.owners_passing([cid for cid, _ in pairs], filters)
    passing = [(owners[cid], cid, score) for cid, score in pairs if cid in owners][:fetch]
    return best_per_document(passing) if len(passing) == fetch else None


def _allowed_chunks(store: Store, filters: Filters) -> np.ndarray | None:
    if not filters.active:
        return None
    return store.chunks.ids_passing(filters)
