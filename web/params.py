"""Query parameters shared by the pages and the API, and the 422s that name a bad one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from kb.documents.lifecycle import STATUSES
from kb.documents.schema import SECTION_SPECS
from kb.search import MODES, SearchParameterError
from kb.search.request import MAX_PAGE, SORTS
from kb.settings import Settings
from web.deps import DocTypeName

ModeName = Literal[MODES]  # type: ignore[valid-type]
SortName = Literal[SORTS]  # type: ignore[valid-type]

# The repeatable filters: kb's Filters field -> the query parameter that names it in URLs.
FILTER_FIELDS = {
    "departments": "department",
    "types": "type",
    "projects": "project",
    "tags": "tag",
    "statuses": "status",
    "sections": "section",
    "years": "year",
}
# kb names some parameters after its Filters fields; the web names them as they appear in URLs.
KB_TO_QUERY_NAMES = {**FILTER_FIELDS, "exclude_departments": "department"}

MAX_QUERY_CHARS = 4000  # a page of text: longer is refused before any work (422 naming q)
QueryText = Annotated[
    str,
    Query(
        max_length=MAX_QUERY_CHARS,
        description="What to look for, in your own words. Empty with a filter: the documents "
        "that pass the filters, newest first.",
    ),
]
PageNumber = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_PAGE,
        description="Which page of `k` results, from 1: pages are disjoint and in rank order.",
    ),
]
ResultCount = Annotated[
    int | None,
    Query(description="How many documents to return; defaults to the `search_k` setting."),
]
ModeParam = Annotated[
    ModeName | None,
    Query(
        description="hybrid (words and meaning), keyword (words only) or semantic (meaning only);"
        " defaults to the `search_mode` setting."
    ),
]
ClosestSentences = Annotated[
    bool,
    Query(
        description="For hits found only by meaning, the snippet is the passage's sentence "
        "closest to the query (one more model call) instead of the passage's opening."
    ),
]
SortParam = Annotated[SortName, Query(description="relevance, or date (newest first).")]
DepartmentFilter = Annotated[
    list[str], Query(alias="department", description="Only these departments; repeat for several.")
]
TypeFilter = Annotated[
    list[DocTypeName],
    Query(alias="type", description="Only these document types; repeat for several."),
]
ProjectFilter = Annotated[
    list[str], Query(alias="project", description="Only these projects; repeat for several.")
]
TagFilter = Annotated[
    list[str], Query(alias="tag", description="Only documents with one of these tags.")
]
StatusFilter = Annotated[
    list[str],
    Query(
        alias="status",
        description="Only these lifecycle statuses: " + ", ".join(STATUSES) + ".",
    ),
]
IncludeArchived = Annotated[
    bool,
    Query(description="Also archived documents, which are hidden unless asked for."),
]
SectionFilter = Annotated[
    list[str],
    Query(
        alias="section",
        description="Search only these sections, by key: " + ", ".join(SECTION_SPECS) + ".",
    ),
]
YearFilter = Annotated[
    list[str], Query(alias="year", description="Only documents dated in these years (YYYY).")
]
DateFrom = Annotated[str, Query(description="Only documents dated on or after YYYY-MM-DD.")]
DateTo = Annotated[str, Query(description="Only documents dated on or before YYYY-MM-DD.")]


def invalid_parameter(name: str, message: str, value: object) -> RequestValidationError:
    """A 422 in FastAPI's own shape, naming the query parameter at fault."""
    error = {"type": "value_error", "loc": ("query", name), "msg": message, "input": value}
    return RequestValidationError([error])


def query_name(kb_parameter: str) -> str:
    """The URL's name for a parameter kb names after a Filters field (`statuses` -> `status`)."""
    return KB_TO_QUERY_NAMES.get(kb_parameter, kb_parameter)


def from_search_error(exc: SearchParameterError, value: object = None) -> RequestValidationError:
    """kb's SearchParameterError as the same 422, under the parameter's name in the URL."""
    name = query_name(exc.parameter)
    return invalid_parameter(name, exc.message, value)


def resolve_k(k: int | None, default: int, settings: Settings, cap: bool) -> int:
    """The number of results to ask for; too large is capped on pages and refused by the API."""
    if k is None:
        return min(default, settings.max_k)
    if k < 1:
        raise invalid_parameter("k", "k must be at least 1", k)
    if k > settings.max_k:
        if cap:
            return settings.max_k
        raise invalid_parameter("k", f"k must be at most {settings.max_k}", k)
    return k
