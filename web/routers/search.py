"""The search page (`GET /`, with a `?format=json` twin) and the search API (`GET /api/search`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kb.knowledge_base import KnowledgeBase
from kb.schema import DOC_TYPES
from kb.search import SearchHit, SearchRequest
from kb.settings import Settings
from web.deps import DocTypeName, FormatQuery, KBDep, SettingsDep, TemplatesDep

router = APIRouter()

QueryText = Annotated[str, Query(description="What to look for, in your own words.")]
DepartmentFilter = Annotated[
    list[str],
    Query(alias="department", description="Only these departments; repeat for several."),
]
TypeFilter = Annotated[
    list[DocTypeName],
    Query(alias="type", description="Only these document types; repeat for several."),
]
ResultCount = Annotated[
    int | None,
    Query(description="How many documents to return; defaults to the `search_k` setting."),
]
PAGE_SIZES = (5, 10, 20, 50)


@dataclass(frozen=True)
class SearchForm:
    """What the person asked for, cleaned: the same for the page, its JSON twin and the API."""

    q: str
    departments: tuple[str, ...]
    types: tuple[str, ...]
    k: int

    @property
    def has_query(self) -> bool:
        return bool(self.q.strip())

    def to_request(self) -> SearchRequest:
        return SearchRequest(self.q, self.k, self.departments, self.types)


def invalid_parameter(name: str, message: str, value: object) -> RequestValidationError:
    """A 422 in FastAPI's own shape, naming the query parameter at fault."""
    error = {"type": "value_error", "loc": ("query", name), "msg": message, "input": value}
    return RequestValidationError([error])


def resolve_k(k: int | None, settings: Settings, cap: bool) -> int:
    """The number of hits to ask for; too large is capped on pages and refused by the API."""
    if k is None:
        return min(settings.search_k, settings.max_k)
    if k < 1:
        raise invalid_parameter("k", "k must be at least 1", k)
    if k > settings.max_k:
        if cap:
            return settings.max_k
        raise invalid_parameter("k", f"k must be at most {settings.max_k}", k)
    return k


def build_form(
    q: str, departments: list[str], types: list[str], k: int | None, settings: Settings, cap: bool
) -> SearchForm:
    chosen = tuple(dict.fromkeys(d.strip() for d in departments if d.strip()))
    return SearchForm(q, chosen, tuple(dict.fromkeys(types)), resolve_k(k, settings, cap))


def run_search(kb: KnowledgeBase, form: SearchForm) -> list[SearchHit]:
    return kb.search(form.to_request()) if form.has_query else []


def page_sizes(form: SearchForm, settings: Settings) -> list[int]:
    sizes = {*PAGE_SIZES, settings.search_k, form.k, settings.max_k}
    return sorted(size for size in sizes if 1 <= size <= settings.max_k)


def page_data(form: SearchForm, hits: list[SearchHit]) -> dict:
    """The search page's data: what `?format=json` returns and the template shows."""
    return {
        "query": form.q,
        "k": form.k,
        "departments": list(form.departments),
        "types": list(form.types),
        "hits": [hit.to_dict() for hit in hits],
    }


@router.get(
    "/",
    tags=["pages"],
    summary="Search page",
    response_class=HTMLResponse,
    responses={200: {"content": {"application/json": {}}}},
)
def search_page(
    request: Request,
    kb: KBDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    q: QueryText = "",
    departments: DepartmentFilter = [],  # noqa: B006 - FastAPI copies defaults per request
    types: TypeFilter = [],  # noqa: B006
    k: ResultCount = None,
    response_format: FormatQuery = "html",
) -> Response:
    """The search box and filters; with `q`, the best-matching documents."""
    form = build_form(q, departments, types, k, settings, cap=True)
    hits = run_search(kb, form)
    if response_format == "json":
        return JSONResponse(page_data(form, hits))
    context = {
        "form": form,
        "hits": hits,
        "department_options": kb.departments(),
        "type_options": [(name, spec.label) for name, spec in DOC_TYPES.items()],
        "page_sizes": page_sizes(form, settings),
        "stats": None if form.has_query else kb.stats(),
    }
    return templates.TemplateResponse(request, "search.html", context)


@router.get("/api/search", tags=["api"], summary="Search documents", response_model=list[SearchHit])
def api_search(
    kb: KBDep,
    settings: SettingsDep,
    q: QueryText,
    departments: DepartmentFilter = [],  # noqa: B006
    types: TypeFilter = [],  # noqa: B006
    k: ResultCount = None,
) -> list[dict]:
    """One hit per document, best first: the same list as `kb search --json`."""
    if not q.strip():
        raise invalid_parameter("q", "q is empty; say what to look for", q)
    form = build_form(q, departments, types, k, settings, cap=False)
    return [hit.to_dict() for hit in run_search(kb, form)]
