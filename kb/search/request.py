"""What a search asks for and what it returns: the boundary shared by CLI, API and pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

MODES = ("hybrid", "keyword", "semantic")
SORTS = ("relevance", "date")


class SearchParameterError(ValueError):
    """A search parameter is invalid; `parameter` names it for a 422 or a CLI message."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Filters:
    departments: tuple[str, ...] = ()
    exclude_departments: tuple[str, ...] = ()  # "best matches from the other departments"
    types: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # section keys: "search only recommendations"
    years: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""

    def __post_init__(self):
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    raise SearchParameterError(
                        name, f"expected YYYY-MM-DD, got {value!r}"
                    ) from None

    @property
    def active(self) -> bool:
        return any(getattr(self, f) for f in self.__dataclass_fields__)

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


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
