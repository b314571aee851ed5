"""The search page (`GET /`, with a `?format=json` twin) and the search API (`GET /api/search`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kb.access import Viewer
from kb.documents.lifecycle import STATUS_LABELS
from kb.documents.schema import DOC_TYPES, SECTION_SPECS
from kb.knowledge_base import KnowledgeBase
from kb.search import MODES, SearchHit, SearchResult
from kb.settings import Settings
from web.atom import search_feed_path
from web.deps import KBDep, SettingsDep
from web.params import invalid_parameter
from web.rendering import Page, page_route
from web.search_form import ApiForm, PageForm, SearchForm
from web.search_page import SearchPage, build_search_page
from web.search_pager import page_url
from web.security import ViewerDep
from web.usage import Usage, UsageDep

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


def department_options(
    kb: KnowledgeBase, page: SearchPage, viewer: Viewer
) -> list[tuple[str, int]]:
    """Every department with the count its facet shows for this search (one source: the
    form and the facets never disagree); the index's own counts when nothing is searched."""
    counts = dict(kb.departments(viewer))
    if page.result is not None:
        found = {v.value: v.count for v in page.result.facets.get("department", [])}
        counts = {name: found.get(name, 0) for name in counts}
    return list(counts.items())


def section_options(
    kb: KnowledgeBase, form: SearchForm, viewer: Viewer
) -> list[tuple[str, str, int]]:
    """(key, heading, documents) of the sections this index has, most first; a chosen one it
    lacks still shows (with 0) so it can be seen and cleared."""
    counts = dict(kb.sections(viewer))
    counts.update({key: 0 for key in form.sections if key not in counts})
    return [(key, _section_heading(key), n) for key, n in counts.items()]


def _section_heading(key: str) -> str:
    spec = SECTION_SPECS.get(key)
    return spec.heading if spec else key


def form_options(
    kb: KnowledgeBase, form: SearchForm, settings: Settings, page: SearchPage, viewer: Viewer
) -> dict:
    """The choices the form offers: departments and sections with counts, types, modes, sizes."""
    return {
        "department_options": department_options(kb, page, viewer),
        "type_options": [(name, spec.label) for name, spec in DOC_TYPES.items()],
        "status_options": list(STATUS_LABELS.items()),
        "section_options": section_options(kb, form, viewer),
        "mode_options": [(mode, *MODE_LABELS.get(mode, (mode, ""))) for mode in MODES],
        "sort_options": list(SORT_LABELS.items()),
        "page_sizes": page_sizes(form, settings),
    }


@page_route(router, "/", tags=["pages"], summary="Search page")
def search_page(
    request: Request,
    kb: KBDep,
    settings: SettingsDep,
    form: PageForm,
    viewer: ViewerDep,
    usage: UsageDep,
) -> Page:
    """The search box, filters and facets; with `q`, the best-matching documents."""
    page = build_search_page(kb, form, request.query_params.multi_items(), viewer)
    if page.result is not None:
        record_search(usage, form, page.result)

    def context() -> dict:
        return {
            "page": page,
            "form": form,
            **form_options(kb, form, settings, page, viewer),
            "stats": None if page.result else kb.stats(viewer),
            "feed_href": search_feed_path(request.query_params.multi_items()),
        }

    return Page("search.html", page.to_dict(), context)


@router.get("/api/search", tags=["api"], summary="Search documents", response_model=list[SearchHit])
def api_search(
    kb: KBDep,
    form: ApiForm,
    request: Request,
    response: Response,
    viewer: ViewerDep,
    usage: UsageDep,
) -> list[dict]:
    """One page of hits, best first: the same list as `kb search --json`. Only documents that
    match (see `X-Match-Rule`); when none does, the nearest ones, with `X-Nearest-Only: true`.
    An empty `q` with a filter lists the documents passing it, newest first. `X-Total-Count`,
    `X-Page`, `X-Pages` and a `Link` header (rel next/prev) describe the pages. Hits found only
    by meaning show their nearest passage's opening unless `closest_sentences` is set."""
    if not form.has_query and not form.browsing:
        raise invalid_parameter("q", "q is empty; say what to look for, or give a filter", form.q)
    result = kb.run_search(form.to_request(viewer))
    record_search(usage, form, result)
    response.headers.update(paging_headers(result, request))
    return [hit.to_dict() for hit in result.hits]


def record_search(usage: Usage, form: SearchForm, result: SearchResult) -> None:
    """A search is recorded once, on its first page; its results are the documents that
    match (0 when only the nearest ones were shown: what the search gaps figure needs)."""
    if form.page == 1:
        matched = 0 if result.nearest_only else result.total
        usage.searched(form.q, form.filters().to_dict(), matched)


def paging_headers(result: SearchResult, request: Request) -> dict[str, str]:
    headers = {
        "X-Total-Count": str(result.total),
        "X-Page": str(result.page),
        "X-Pages": str(result.pages),
        "X-Nearest-Only": "true" if result.nearest_only else "false",
        "X-Match-Rule": result.rule,
    }
    items = request.query_params.multi_items()
    links = [(n, rel) for n, rel in ((result.page - 1, "prev"), (result.page + 1, "next"))]
    links = [(n, rel) for n, rel in links if 1 <= n <= result.pages]
    if links:
        urls = [(page_url(items, n, "/api/search"), rel) for n, rel in links]
        headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in urls)
    return headers
