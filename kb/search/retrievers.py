"""The two retrievers. Each returns documents best first, each with its best chunk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kb.search.filters import filter_sql
from kb.search.request import Filters
from kb.search.text import fts_query
from kb.store import Store
from kb.vectors import VectorIndex

# BM25 column weights for (title, heading, text): a title word says more about a document
# than the same word in passing. Chosen on SciFact train (see docs/search.md).
FTS_WEIGHTS = (2.0, 0.5, 1.0)
KEYWORD_CHUNK_LIMIT = 2000


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
    store: Store, query: str, filters: Filters, expansions: list[str] = ()
) -> list[DocMatch]:
    """BM25 over chunk titles, headings and text (FTS5); higher score is better.

    `expansions` are glossary forms of the query's terms, searched as alternatives.
    """
    match = fts_query(query, expansions)
    if not match:
        return []
    where, params = filter_sql(filters)
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    rows = store.conn.execute(
        f"SELECT c.doc_rowid, f.rowid, -bm25(chunks_fts, {weights}) AS score"
        " FROM chunks_fts f JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.rowid = c.doc_rowid"
        f" WHERE chunks_fts MATCH ? AND {where} ORDER BY score DESC LIMIT {KEYWORD_CHUNK_LIMIT}",
        [match, *params],
    ).fetchall()
    return best_per_document([(r[0], r[1], r[2]) for r in rows])


def semantic_matches(
    store: Store, vectors: VectorIndex, query: np.ndarray, filters: Filters, want_docs: int
) -> list[DocMatch]:
    """Nearest chunks by cosine; asks FAISS for more until `want_docs` documents are found."""
    allowed = _allowed_chunks(store, filters)
    available = len(vectors) if allowed is None else len(allowed)
    fetch = min(available, max(100, want_docs * 4))
    while True:
        pairs = vectors.search(query, fetch, allowed)
        owners = store.chunk_owners([cid for cid, _ in pairs])
        docs = best_per_document([(owners[cid], cid, score) for cid, score in pairs])
        if len(docs) >= want_docs or fetch >= available:
            return docs
        fetch = min(available, fetch * 4)


def _allowed_chunks(store: Store, filters: Filters) -> np.ndarray | None:
    if not filters.active:
        return None
    where, params = filter_sql(filters)
    return store.chunk_ids_where(where, params)
