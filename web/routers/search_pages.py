"""The search page (`GET /`, with a `?format=json` twin) and the search API (`GET /api/search`)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kb.documents.schema import DOC_TYPES, SECTION_SPECS
from kb.knowledge_base import KnowledgeBase
from kb.search import MODES, SearchHit
from kb.settings import Settings
from web.deps import KBDep, SettingsDep
from web.params import invalid_parameter
from web.rendering import Page, page_route
from web.search_form import ApiForm, PageForm, SearchForm
from web.search_page import build_search_page

router = APIRouter()

PAGE_SIZES = (5, 10, 20, 50)
MODE_LABELS = {
    "hybrid": ("Words and meaning", "the best of both"),
    "keyword": ("Exact words", "documents that use your words"),
    "semantic": ("Meaning", "documents that say the same in other words"),
}
SORT_LABELS = {"relevance": "Best match first", "date": "Newest first"}


def page_sizes(form: SearchForm, settings: Settings) -> list[int]:
    sizes = {*PAGE_SIZES, settings.search_k, form.k, settings.max_k}
    return sorted(size for size in sizes if 1 <= size <= settings.max_k)


def form_options(kb: KnowledgeBase, form: SearchForm, settings: Settings) -> dict:
    """The choices the form offers: departments with counts, types, sections, modes, sizes."""
    return {
        "department_options": kb.departments(),
        "type_options": [(name, spec.label) for name, spec in DOC_TYPES.items()],
        "section_options": [(key, spec.heading) for key, spec in SECTION_SPECS.items()],
        "mode_options": [(mode, *MODE_LABELS.get(mode, (mode, ""))) for mode in MODES],
        "sort_options": list(SORT_LABELS.items()),
        "page_sizes": page_sizes(form, settings),
    }


@page_route(router, "/", tags=["pages"], summary="Search page")
def search_page(request: Request, kb: KBDep, settings: SettingsDep, form: PageForm) -> Page:
    """The search box, filters and facets; with `q`, the best-matching documents."""
    page = build_search_page(kb, form, request.query_params.multi_items())

    def context() -> dict:
        return {
            "page": page,
            "form": form,
            **form_options(kb, form, settings),
            "stats": None if form.has_query else kb.stats(),
        }

    return Page("search.html", page.to_dict(), context)


@router.get("/api/search", tags=["api"], summary="Search documents", response_model=list[SearchHit])
def api_search(kb: KBDep, form: ApiForm) -> list[dict]:
    """One hit per document, best first: the same list as `kb search --json`. Hits found only
    by meaning show their nearest passage's opening unless `closest_sentences` is set."""
    if not form.has_query:
        raise invalid_parameter("q", "q is empty; say what to look for", form.q)
    return [hit.to_dict() for hit in kb.run_search(form.to_request()).hits]
