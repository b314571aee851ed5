"""Run a search: retrieve, fuse, rank or sort, count facets, build explained hits."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from kb.search.facets import facet_counts
from kb.search.fusion import Fused, reciprocal_rank_fusion, score_blend, single
from kb.search.request import SearchHit, SearchRequest, SearchResult
from kb.search.retrievers import keyword_matches, semantic_matches
from kb.search.snippets import make_snippet, term_matches
from kb.search.text import query_terms, stem
from kb.store import Store
from kb.vectors import VectorIndex
from models import Embedder


@dataclass(frozen=True)
class SearchConfig:
    fusion: str = "rrf"  # "rrf" or "blend"
    semantic_weight: float = 0.5  # blend only
    min_similarity: float = 0.2  # a chunk closer than this in meaning counts as a match
    semantic_pool: int = 200  # documents the semantic retriever considers per query


class Searcher:
    def __init__(
        self, store: Store, vectors: VectorIndex, embedder: Embedder, config: SearchConfig | None = None
    ):
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.config = config or SearchConfig()

    def search(self, request: SearchRequest) -> list[SearchHit]:
        return self.run(request).hits

    def run(self, request: SearchRequest) -> SearchResult:
        query = self.embedder.encode_query(request.q) if request.mode != "keyword" else None
        matched = self._match(request, query)
        ranked = self._order(matched, request.sort)[: request.k]
        hits = self._hits(ranked, request, query)
        facets = {}
        if request.with_facets:
            facets = facet_counts(self.store, [m.doc_rowid for m in matched], request.filters)
        return SearchResult(hits, len(matched), request.mode, facets)

    def _match(self, request: SearchRequest, query: np.ndarray | None) -> list[Fused]:
        """Documents matching the query and filters, best first."""
        keyword = []
        if request.mode != "semantic":
            keyword = keyword_matches(self.store, request.q, request.filters)
        semantic = []
        if query is not None:
            want = max(self.config.semantic_pool, request.k)
            semantic = semantic_matches(self.store, self.vectors, query, request.filters, want)
            close = [m for m in semantic if m.score >= self.config.min_similarity]
            # Without any close match, the nearest documents are still the best answer there is.
            semantic = close if close or keyword else semantic[: request.k]
        if request.mode == "keyword":
            return single(keyword, "keyword")
        if request.mode == "semantic":
            return single(semantic, "semantic")
        if self.config.fusion == "blend":
            return score_blend(keyword, semantic, self.config.semantic_weight)
        return reciprocal_rank_fusion(keyword, semantic)

    def _order(self, matched: list[Fused], sort: str) -> list[Fused]:
        if sort != "date":
            return matched
        dates = self.store.document_dates([m.doc_rowid for m in matched])
        return sorted(matched, key=lambda m: dates[m.doc_rowid], reverse=True)

    def _hits(self, ranked: list[Fused], request: SearchRequest, query) -> list[SearchHit]:
        docs = self.store.document_rows([m.doc_rowid for m in ranked])
        chunks = self.store.chunks_by_id([m.best_chunk for m in ranked])
        terms = query_terms(request.q)
        query = query if request.with_snippets else None
        return [
            self._hit(m, docs[m.doc_rowid], chunks[m.best_chunk], terms, query, request.with_snippets)
            for m in ranked
        ]

    def _hit(self, match: Fused, doc, chunk, terms: list[str], query, snippets: bool) -> SearchHit:
        snippet, reason = "", ""
        if snippets:
            snippet, reason = make_snippet(chunk["text"], terms, query, self.embedder)
        found = term_matches(f"{doc['title']} {chunk['text']}", {stem(t) for t in terms})
        return SearchHit(
            id=doc["id"],
            title=doc["title"],
            type=doc["type"],
            department=doc["department"],
            date=doc["date"],
            score=round(float(match.score), 4),
            section=chunk["section_heading"],
            section_key=chunk["section_key"],
            snippet=snippet,
            project=doc["project"] or "",
            tags=json.loads(doc["tags"] or "[]"),
            chunk_id=chunk["id"],
            matched_by=match.matched_by,
            snippet_reason=reason,
            terms=[t for t in terms if stem(t) in found],
        )
