"""Run a search: retrieve, fuse, rank or sort, count facets, build explained hits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from kb.index.keywords import KeywordScoring
from kb.index.store import Store
from kb.index.vectors import VectorIndex
from kb.search.browse import browse, document_hit
from kb.search.facets import facet_counts, without_facet_filters
from kb.search.fusion import Fused, reciprocal_rank_fusion, score_blend, single
from kb.search.query import glossary_expansions, query_terms, term_alternatives
from kb.search.request import MatchRule, SearchHit, SearchRequest, SearchResult
from kb.search.retrievers import keyword_matches, semantic_matches
from kb.search.snippets import closest_sentences, snippet_at, term_snippet
from kb.text import matched_terms
from models import Embedder


@dataclass(frozen=True)
class SearchConfig:
    fusion: str = "blend"  # "blend" or "rrf"; chosen on SciFact train, see docs/search.md
    semantic_weight: float = 0.5  # blend only
    min_similarity: float = 0.3  # a chunk closer than this in meaning is ranked
    semantic_pool: int = 200  # documents the semantic retriever considers per query
    # A document matches by words when it has this share of the query's word weight
    # (kb.search.coverage): "most of the distinctive words", never "any one word".
    match_coverage: float = 0.5
    # ... or by meaning when a passage is this close. MiniLM scores paraphrases of a topic
    # 0.45 to 0.65 and nonsense ("zxqvwk florbnak") up to 0.31 on the NASA lessons: the
    # ranking floor (min_similarity) lets weak neighbours help the ranking, never the count.
    match_similarity: float = 0.4
    default_sensitivity: str = "internal"  # the level of documents that declare none

    def rule(self) -> MatchRule:
        return MatchRule(words=self.match_coverage, meaning=self.match_similarity)


@dataclass
class _Expanded:
    """Glossary forms of the query's terms: all of them, and which query term each stands for."""

    forms: list[str]
    alternatives: dict[str, list[str]]


class Searcher:
    def __init__(
        self,
        store: Store,
        vectors: VectorIndex,
        keywords: KeywordScoring,
        embedder: Embedder,
        config: SearchConfig | None = None,
        expansions: Callable[[], dict[str, list[str]]] = dict,
    ):
        self.store = store
        self.vectors = vectors
        self.keywords = keywords
        self.embedder = embedder
        self.config = config or SearchConfig()
        # Approved glossary synonyms and acronyms, read per search so editors' changes apply at once.
        self.expansions = expansions

    def search(self, request: SearchRequest) -> list[SearchHit]:
        return self.run(request).hits

    def run(self, request: SearchRequest, query_vector: np.ndarray | None = None) -> SearchResult:
        """`query_vector` lets batch callers (evaluations) embed all their queries at once."""
        request = self.with_access(request)
        if request.browsing:
            return browse(self.store, request)
        vector = self._start_query(request, query_vector)
        # Glossary forms of the query's terms: read once, used to match and to explain hits.
        known = self.expansions()
        expanded = _Expanded(
            glossary_expansions(request.q, known), term_alternatives(request.q, known)
        )
        ranked, matches = self._match(request, vector, expanded)
        nearest_only = not matches if request.matches_only else not self._near(ranked)
        listed = matches if request.matches_only and matches else ranked
        shown = self._order(listed, request.sort)[request.offset : request.offset + request.k]
        if nearest_only and request.matches_only and request.page > 1:
            shown = []  # the nearest documents are one page, not a ranking to read on
        hits = self._hits(shown, request, vector(), expanded.forms)
        facets = {}
        if request.with_facets:
            facets = self._facets(request, vector, matches, expanded)
        return SearchResult(
            hits, len(matches), request.mode, facets, nearest_only, request.page, request.k,
            self.config.rule().describe(request.mode),
        )  # fmt: skip

    def with_access(self, request: SearchRequest) -> SearchRequest:
        """The request with its viewer's access rule among its filters, which every
        retriever, count and listing applies before ranking (as the hiding of archived
        documents, when the index holds any)."""
        filters = replace(
            request.filters,
            viewer=request.viewer,
            default_sensitivity=self.config.default_sensitivity,
        )
        return replace(request, filters=self.store.documents.hiding_archived(filters))

    def _start_query(
        self, request: SearchRequest, query_vector: np.ndarray | None
    ) -> Callable[[], np.ndarray | None]:
        """The query's vector, for the caller to wait for once it needs it: the model embeds
        the query on its own thread while keyword retrieval runs on this one."""
        if request.mode == "keyword" or query_vector is not None:
            return lambda: query_vector
        return self.embedder.start_query(request.q)

    def _facets(self, request: SearchRequest, vector, matched: list[Fused], expanded) -> dict:
        base = without_facet_filters(request.filters)
        if base != request.filters:  # a facet filter is on: count over what it would leave out
            _, matched = self._match(replace(request, filters=base), vector, expanded)
        return facet_counts(self.store, [m.doc_rowid for m in matched], request.filters)

    def _match(
        self, request: SearchRequest, vector: Callable[[], np.ndarray | None], expanded: _Expanded
    ) -> tuple[list[Fused], list[Fused]]:
        """The ranking of the query's candidates under the filters, best first; and those of
        them that match (MatchRule), in the same order.

        When nothing is close in meaning, the nearest documents are ranked anyway, so a page
        can say "nothing matches; the nearest are…".
        """
        ranked = self._rank(request, vector, expanded)
        rule = self.config.rule()

        def matches(entry: Fused) -> bool:
            by_words = entry.keyword is not None and entry.keyword.coverage >= rule.words - 1e-9
            close = entry.semantic is not None and entry.semantic.score >= rule.meaning
            return by_words or close

        return ranked, [entry for entry in ranked if matches(entry)]

    def _near(self, ranked: list[Fused]) -> bool:
        """Whether any candidate holds a query word or is at the ranking floor in meaning."""
        floor = self.config.min_similarity
        return any(e.keyword or (e.semantic and e.semantic.score >= floor) for e in ranked)

    def _rank(
        self, request: SearchRequest, vector: Callable[[], np.ndarray | None], expanded: _Expanded
    ) -> list[Fused]:
        keyword = []
        if request.mode != "semantic":
            keyword = keyword_matches(
                self.store,
                self.keywords,
                request.q,
                request.filters,
                expanded.forms,
                expanded.alternatives,
            )
        semantic = []
        query = vector()  # after the keyword retrieval: embedded meanwhile
        if query is not None:
            want = max(self.config.semantic_pool, request.offset + request.k)
            semantic = semantic_matches(self.store, self.vectors, query, request.filters, want)
            close = [m for m in semantic if m.score >= self.config.min_similarity]
            semantic = semantic[: request.k] if not close and not keyword else close
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
        dates = self.store.documents.dates([m.doc_rowid for m in matched])
        return sorted(matched, key=lambda m: dates[m.doc_rowid], reverse=True)

    def _hits(
        self, ranked: list[Fused], request: SearchRequest, query, expanded: list[str]
    ) -> list[SearchHit]:
        docs = self.store.documents.rows([m.doc_rowid for m in ranked])
        keyword_chunks = [m.keyword.chunk_id for m in ranked if m.keyword]
        chunks = self.store.chunks.by_id([m.best_chunk for m in ranked] + keyword_chunks)
        terms = query_terms(request.q) + expanded
        hits = [self._hit(m, docs[m.doc_rowid], chunks[m.best_chunk], terms) for m in ranked]
        if request.with_snippets:
            self._add_snippets(hits, ranked, chunks, terms, query, request.closest_sentences)
        return hits

    def _add_snippets(
        self, hits: list[SearchHit], ranked: list[Fused], chunks, terms, query, closest: bool
    ):
        """The sentences with the query's words, from the best passage or else the passage the
        words matched in. Hits found purely by meaning get their nearest passage's opening, or
        with `closest` its sentence closest to `query`: one batched model call."""
        by_meaning = []
        for i, (hit, match) in enumerate(zip(hits, ranked, strict=True)):
            passages = [chunks[match.best_chunk]]
            if match.keyword and match.keyword.chunk_id != match.best_chunk:
                passages.append(chunks[match.keyword.chunk_id])
            if not self._term_snippet(hit, passages, terms):
                by_meaning.append(i)
        texts = [chunks[ranked[i].best_chunk]["text"] for i in by_meaning]
        sentences = [0] * len(texts)
        if closest and query is not None:
            sentences = closest_sentences(texts, query, self.embedder)
        for i, text, sentence in zip(by_meaning, texts, sentences, strict=True):
            hits[i].snippet = snippet_at(text, sentence)
            if query is not None:
                hits[i].snippet_reason = "meaning"

    @staticmethod
    def _term_snippet(hit: SearchHit, passages, terms: list[str]) -> bool:
        for chunk in passages:
            found = term_snippet(chunk["text"], terms)
            if found is not None:
                hit.snippet, hit.snippet_reason = found, "terms"
                hit.section, hit.section_key = chunk["section_heading"], chunk["section_key"]
                hit.chunk_id = chunk["id"]
                return True
        return False

    @staticmethod
    def _hit(match: Fused, doc, chunk, terms: list[str]) -> SearchHit:
        found = matched_terms(f"{doc['title']} {chunk['text']}", terms)
        held = [t for t in terms if t in found]
        return document_hit(doc, chunk, match.score, match.matched_by, held)
