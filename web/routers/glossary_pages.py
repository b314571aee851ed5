"""The public glossary: `/glossary` (search and list), `/glossary/terms/{key}` (one term),
their JSON twins and `/api/glossary/...`, and the exports `/glossary/export.{csv,json,ttl}`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from kb.glossary import EXPORT_FORMATS, Glossary, NotFoundError, QueueFilters, TermPage
from kb.index.candidates import Access
from web.deps import GlossaryDep
from web.glossary_access import GlossaryAccessDep
from web.rendering import Page, page_route, with_json_format
from web.security import OptionalSession
from web.template_filters import term_path

router = APIRouter(tags=["glossary"])
SearchQuery = Annotated[
    str,
    Query(description="Words in a term's label, synonyms, acronym or definition.", max_length=200),
]
NOT_IN_GLOSSARY = {404: {"description": "No glossary term has this key."}}
SUFFIX_FORMATS = {suffix: fmt for fmt, (_, suffix) in EXPORT_FORMATS.items()}


def find_term(glossary: Glossary, key: str, access: Access | None) -> TermPage:
    try:
        return glossary.public.term_page(key, access)
    except NotFoundError:
        raise HTTPException(404, f"{key!r} is not in the glossary.") from None


@page_route(router, "/glossary", summary="Glossary")
def glossary_page(
    glossary: GlossaryDep, session: OptionalSession, access: GlossaryAccessDep, q: SearchQuery = ""
) -> Page:
    """The glossary's terms (accepted by editors), alphabetically or matching `q`."""
    terms = glossary.public.search(q)

    def context() -> dict:
        pending = None
        if session and session.user.can_edit:
            pending = glossary.review_queue(QueueFilters(per_page=1), access).total
        return {"terms": terms, "q": q, "pending": pending}

    data = {"query": q, "total": len(terms), "terms": [t.to_dict() for t in terms]}
    return Page("glossary.html", data, context)


@router.get("/api/glossary/terms", summary="Search the glossary")
def api_terms(glossary: GlossaryDep, q: SearchQuery = "") -> list[dict]:
    """Accepted terms (all, or those matching `q`), with every field."""
    return [term.to_dict() for term in glossary.public.search(q)]


@router.get("/api/glossary/expansions", summary="Query expansions")
def api_expansions(glossary: GlossaryDep) -> dict[str, list[str]]:
    """Each lower-cased form of an approved term -> its other forms (e.g. rca -> root cause analysis)."""
    return glossary.expansions()


@router.get("/glossary/export.{suffix}", summary="Export the glossary")
def export(suffix: str, glossary: GlossaryDep) -> Response:
    """The accepted terms as CSV (`.csv`), JSON (`.json`) or SKOS in Turtle (`.ttl`)."""
    fmt = SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        raise HTTPException(404, f"No export as .{suffix}; choose .csv, .json or .ttl.")
    media_type = EXPORT_FORMATS[fmt][0]
    headers = {"Content-Disposition": f'attachment; filename="glossary.{suffix}"'}
    return Response(
        glossary.export(fmt).encode("utf-8"),
        media_type=f"{media_type}; charset=utf-8",
        headers=headers,
    )


@page_route(
    router, "/glossary/terms/{key:path}", summary="Glossary term page", responses=NOT_IN_GLOSSARY
)
def term_page(
    request: Request,
    key: str,
    glossary: GlossaryDep,
    session: OptionalSession,
    access: GlossaryAccessDep,
) -> Page | Response:
    """A term: definition, synonyms, acronym, related terms, where it is used, its history."""
    canonical = glossary.public.resolve(key)
    if canonical is not None and canonical != key:  # merged into another term
        target = with_json_format(request, term_path(canonical))
        return RedirectResponse(target, status_code=303)
    page = find_term(glossary, key, access)

    def context() -> dict:
        can_edit = bool(session and session.user.can_edit)
        merged = glossary.terms.get_many(page.merged) if can_edit else {}
        versions = {k: term.version for k, term in merged.items()}
        return {"page": page, "can_edit": can_edit, "merged_versions": versions}

    return Page("glossary_term.html", page.to_dict(), context)


@router.get(
    "/api/glossary/terms/{key:path}", summary="Get a glossary term", responses=NOT_IN_GLOSSARY
)
def api_term(key: str, glossary: GlossaryDep, access: GlossaryAccessDep) -> dict:
    """Every field of one term, its history, and the documents and departments using it
    (those the caller may read)."""
    return find_term(glossary, glossary.public.resolve(key) or key, access).to_dict()
