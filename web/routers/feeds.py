"""Atom feeds: any search with its filters (`/feeds/search.atom`) and each department's new
lessons (`/feeds/departments/{department}.atom`), newest first.

A feed shows what its reader may read: anonymous visitors get public lessons; a feed reader
that cannot sign in passes an API token as `?token=` or `Authorization: Bearer` (see
web/security.py). The token never appears in the feed's own links."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from kb.documents.schema import DOC_TYPES
from kb.knowledge_base import KnowledgeBase
from kb.search import SearchHit, SearchRequest
from web.atom import ATOM_TYPE, FeedInfo, atom_feed, department_feed_path, search_feed_path
from web.deps import KBDep, SettingsDep
from web.params import invalid_parameter
from web.search_form import ApiForm, SearchForm
from web.security import ViewerDep

router = APIRouter(tags=["feeds"])

FEED_ENTRIES = 50  # newest first; a feed reader keeps what it has seen
MAX_DEPARTMENT_CHARS = 200


def newest_hits(kb: KnowledgeBase, form: SearchForm, viewer, k: int) -> list[SearchHit]:
    """The matches of `form` newest first; none when nothing matches (a feed does not offer
    the nearest documents as a search page does)."""
    request = SearchRequest(
        form.q, k, mode=form.mode or "hybrid", filters=form.filters(), sort="date",
        matches_only=True, viewer=viewer, list_all=True,
    )  # fmt: skip
    result = kb.run_search(request)
    return [] if result.nearest_only else result.hits


def feed_title(form: SearchForm) -> str:
    parts = [f"“{form.q.strip()}”"] if form.has_query else []
    parts += [", ".join(form.departments)] if form.departments else []
    return "Lessonbase: " + (" in ".join(parts) if parts else "new lessons")


def atom_response(kb: KnowledgeBase, info: FeedInfo, hits: list[SearchHit]) -> Response:
    labels = {name: spec.label for name, spec in DOC_TYPES.items()}
    return Response(atom_feed(info, hits, labels), media_type=ATOM_TYPE)


@router.get("/feeds/search.atom", summary="Atom feed of a search")
def search_feed(
    request: Request, kb: KBDep, settings: SettingsDep, form: ApiForm, viewer: ViewerDep
) -> Response:
    """The newest documents matching `q` and the filters (the search page's parameters), or
    the newest documents of all when none is given."""
    path = search_feed_path(request.query_params.multi_items())
    site = str(request.base_url).rstrip("/")
    query = path.partition("?")[2]
    info = FeedInfo(
        feed_title(form), site + path, f"{site}/" + (f"?{query}" if query else ""), site
    )
    hits = newest_hits(kb, form, viewer, min(form.k or FEED_ENTRIES, settings.max_k))
    return atom_response(kb, info, hits)


@router.get("/feeds/departments/{department}.atom", summary="Atom feed of a department")
def department_feed(department: str, request: Request, kb: KBDep, viewer: ViewerDep) -> Response:
    """The department's newest documents that the reader may read."""
    if not department.strip() or len(department) > MAX_DEPARTMENT_CHARS:
        raise invalid_parameter(
            "department", f"1 to {MAX_DEPARTMENT_CHARS} characters", department[:80]
        )
    form = SearchForm(departments=(department,))
    site = str(request.base_url).rstrip("/")
    info = FeedInfo(
        f"Lessonbase: new lessons from {department}",
        site + department_feed_path(department),
        f"{site}/?{urlencode({'department': department})}",
        site,
    )
    return atom_response(kb, info, newest_hits(kb, form, viewer, FEED_ENTRIES))
