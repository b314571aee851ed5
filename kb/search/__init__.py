"""Hybrid search: keyword (SQLite FTS5 BM25) and semantic (FAISS) retrieval, fused."""

from kb.search.query import query_terms
from kb.search.request import (
    MODES,
    SORTS,
    FacetValue,
    Filters,
    SearchHit,
    SearchParameterError,
    SearchRequest,
    SearchResult,
)
from kb.search.searcher import SearchConfig, Searcher
from kb.search.snippets import make_snippet
from kb.text import STOPWORDS

__all__ = [
    "MODES",
    "SORTS",
    "FacetValue",
    "STOPWORDS",
    "Filters",
    "SearchConfig",
    "SearchHit",
    "SearchParameterError",
    "SearchRequest",
    "SearchResult",
    "Searcher",
    "make_snippet",
    "query_terms",
]
