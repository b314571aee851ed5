"""What a search asks for and what it returns: the boundary shared by CLI, API and pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kb.index.filters import Filters, SearchParameterError  # part of a request, re-exported

MODES = ("hybrid", "keyword", "semantic")
SORTS = ("relevance", "date")


@dataclass(frozen=True)
class SearchRequest:
    q: str
    k: int = 10
    mode: str = "hybrid"
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    with_facets: bool = False
    with_snippets: bool = True  # evaluations rank thousands of hits and need no snippets
    # For hits found only by meaning, the passage's sentence closest to the query (a model
    # call per search, most of a small search's time) instead of the passage's opening.
    closest_sentences: bool = False

    def __post_init__(self):
        if not self.q or not self.q.strip():
            raise SearchParameterError("q", "the query is empty; say what to look for")
        if self.k < 1:
            raise SearchParameterError("k", f"must be at least 1, got {self.k}")
        if self.mode not in MODES:
            raise SearchParameterError(
                "mode", f"must be one of {', '.join(MODES)}, got {self.mode!r}"
            )
        if self.sort not in SORTS:
            raise SearchParameterError(
                "sort", f"must be one of {', '.join(SORTS)}, got {self.sort!r}"
            )


@dataclass
class SearchHit:
    id: str
    title: str
    type: str
    department: str
    date: str
    score: float
    section: str
    section_key: str
    snippet: str
    project: str = ""
    tags: list[str] = field(default_factory=list)
    chunk_id: int = 0
    matched_by: list[str] = field(default_factory=list)  # "keyword", "meaning"
    snippet_reason: str = ""  # "terms" (query words appear) or "meaning" (closest sentence)
    terms: list[str] = field(default_factory=list)  # query terms found in the document

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int  # documents that match the query and the filters
    mode: str
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    nearest_only: bool = False  # nothing matched closely; hits are merely the nearest documents

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "mode": self.mode,
            "nearest_only": self.nearest_only,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {name: [asdict(v) for v in values] for name, values in self.facets.items()},
        }
