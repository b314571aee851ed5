"""What a search asks for and what it returns: the boundary shared by CLI, API and pages."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kb.access import Viewer
from kb.index.filters import Filters, SearchParameterError  # part of a request, re-exported

MODES = ("hybrid", "keyword", "semantic")
SORTS = ("relevance", "date")
MAX_PAGE = 1000  # pages past this are refused: paging is for reading, not for dumping


@dataclass(frozen=True)
class SearchRequest:
    q: str
    k: int = 10
    mode: str = "hybrid"
    # Archived lessons are hidden unless the caller's filters say otherwise.
    filters: Filters = field(default_factory=lambda: Filters(hide_archived=True))
    sort: str = "relevance"
    with_facets: bool = False
    with_snippets: bool = True  # evaluations rank thousands of hits and need no snippets
    # For hits found only by meaning, the passage's sentence closest to the query (a model
    # call per search, most of a small search's time) instead of the passage's opening.
    closest_sentences: bool = False
    page: int = 1  # 1-based: documents (page - 1) * k + 1 to page * k
    # Hits are only the documents that count as matches (or, when none does, the nearest,
    # flagged): what a person reads. Off, they are the ranking's top k whatever their evidence,
    # as evaluations and kickoff packs rank candidates.
    matches_only: bool = False
    # Who reads: documents they may not read are filtered out inside retrieval, so hits,
    # totals and facet counts never show them. The CLI and evaluations read everything.
    viewer: Viewer = field(default_factory=Viewer.system)
    # No query and no filter: list every readable document, newest first (the feeds).
    list_all: bool = False

    def __post_init__(self):
        if not self.browsing and not self.q.strip():
            raise SearchParameterError(
                "q", "the query is empty; say what to look for, or choose a filter to list"
            )
        if self.k < 1:
            raise SearchParameterError("k", f"must be at least 1, got {self.k}")
        if not 1 <= self.page <= MAX_PAGE:
            raise SearchParameterError("page", f"must be from 1 to {MAX_PAGE}, got {self.page}")
        if self.mode not in MODES:
            raise SearchParameterError(
                "mode", f"must be one of {', '.join(MODES)}, got {self.mode!r}"
            )
        if self.sort not in SORTS:
            raise SearchParameterError(
                "sort", f"must be one of {', '.join(SORTS)}, got {self.sort!r}"
            )

    @property
    def browsing(self) -> bool:
        """No query but a filter (or `list_all`): list the documents that pass, newest first."""
        return not (self.q or "").strip() and (self.filters.chosen or self.list_all)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.k


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


@dataclass(frozen=True)
class MatchRule:
    """What counts as a match, so a count can say what it counted."""

    words: float  # share of the query's distinctive words (weighted by rarity) a document has
    meaning: float  # cosine similarity at or above which a passage is close in meaning

    def describe(self, mode: str) -> str:
        share = "all" if self.words >= 1 else f"at least {round(100 * self.words)}%"
        words = (
            f"{share} of the query's distinctive words (rarer weigh more; two of several at least)"
        )
        meaning = f"a passage close in meaning (similarity at least {self.meaning:.2f})"
        if mode == "keyword":
            return words
        return meaning if mode == "semantic" else f"{words}, or {meaning}"


@dataclass
class SearchResult:
    hits: list[SearchHit]
    total: int  # documents that match the query and the filters (see `rule`)
    mode: str
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # No document matched (total 0): the hits are merely the nearest documents. Without
    # matches_only: nothing was even near (no query word, no passage at min_similarity).
    nearest_only: bool = False
    page: int = 1
    k: int = 10
    rule: str = ""  # what counted as a match, in words ("" when browsing: every listed one)
    browsing: bool = False  # no query: the documents passing the filters, newest first

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.k))

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "page": self.page,
            "pages": self.pages,
            "k": self.k,
            "mode": self.mode,
            "match_rule": self.rule,
            "browsing": self.browsing,
            "nearest_only": self.nearest_only,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {name: [asdict(v) for v in values] for name, values in self.facets.items()},
        }
