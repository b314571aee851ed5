"""Editors' review queue (`/glossary/review`), its actions, and the contested-terms hint."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kb.glossary import (
    STATUSES,
    ConcurrentEditError,
    Glossary,
    GlossaryError,
    InvalidFieldsError,
    NotFoundError,
    QueuePage,
)
from kb.glossary.contested import MIN_DOCUMENTS
from kb.glossary.model import QueueItem, TermFields
from kb.glossary.service import proposed_target, suggested_fields
from kb.index.candidates import Access
from web.deps import GlossaryDep
from web.glossary_access import GlossaryAccessDep
from web.glossary_forms import (
    PER_PAGE_CHOICES,
    back_params,
    back_url,
    bulk_versions,
    integer,
    notice_text,
    queue_filters,
    queue_query,
    term_fields,
    text,
    with_notice,
)
from web.rendering import Page, html_response, page_route
from web.security import EditorForm, EditorRequest, EditorSession, here

router = APIRouter(tags=["glossary"])
PageNumber = Annotated[int, Query(ge=1, le=100_000, description="1-based page.")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Entries per page.")]
EDITORS_ONLY = {401: {"description": "Not signed in."}, 403: {"description": "Not an editor."}}
STATUS_LABELS = {
    "pending": "Pending",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "deferred": "Deferred",
    "merged": "Merged",
    "all": "All",
}


def prefill(item: QueueItem) -> TermFields:
    """What the accept form shows: the decided term's fields, else the miner's suggestion."""
    return item.term.fields if item.term else suggested_fields(item.candidate)


def queue_page(
    glossary: Glossary,
    params: Mapping,
    current: str,
    access: Access | None,
    refusal: tuple[str, int] = ("", 200),
) -> Page:
    """The queue filtered by `params`, as `access` lets the editor see it; `current` is its
    URL, where actions come back to; `refusal` the (error, status) of a refused action."""
    error, status = refusal
    page: QueuePage = glossary.review_queue(queue_filters(params), access)

    def context() -> dict:
        targets = glossary.public.search()
        return {
            "page": page,
            "prefill": {item.candidate.term: prefill(item) for item in page.items},
            "proposed": {
                i.candidate.term: proposed_target(i.candidate, targets) for i in page.items
            },
            "targets": targets,
            "status_labels": STATUS_LABELS,
            "term_statuses": STATUSES,
            "per_page_choices": PER_PAGE_CHOICES,
            "queue_query": lambda **changes: queue_query(page.filters, **changes),
            "back": current,
            "notice": notice_text(params),
            "error": error,
        }

    return Page("glossary_review.html", page.to_dict(), context, status)


@page_route(router, "/glossary/review", summary="Review queue (editors)", responses=EDITORS_ONLY)
def review(
    request: Request, session: EditorSession, glossary: GlossaryDep, access: GlossaryAccessDep
) -> Page:
    """Candidates of the live index, best first, with filters and the editors' actions;
    only candidates, contexts and documents from documents the editor may read."""
    return queue_page(glossary, request.query_params, here(request), access)


@router.get("/api/glossary/review", summary="Review queue (editors)", responses=EDITORS_ONLY)
def api_review(
    request: Request, session: EditorSession, glossary: GlossaryDep, access: GlossaryAccessDep
) -> dict:
    """The queue as JSON; filters: department, status, cutoff=1, q, page, per_page."""
    return review(request, session, glossary, access).data


def act(
    request: Request,
    glossary: Glossary,
    editor: EditorRequest,
    access: Access | None,
    action: Callable[[], dict],
) -> Response:
    """Run an action; back to the queue with a notice, or the queue with the refusal."""
    back = back_url(editor.form)
    try:
        notice = action()
    except ConcurrentEditError as exc:
        message = f"Not saved: {exc.message}. The queue below shows the current state."
        refusal = (message, 409)
    except InvalidFieldsError as exc:
        refusal = (f"Not saved: {exc.message}.", 422)
    except GlossaryError as exc:
        refusal = (f"Not saved: {exc.message}.", 400)
    else:
        return RedirectResponse(with_notice(back, **notice), status_code=303)
    page = queue_page(glossary, back_params(back), back, access, refusal)
    return html_response(request, page)


def _key_version(editor: EditorRequest) -> tuple[str, int]:
    key = text(editor.form, "key", 500)
    if not key:
        raise HTTPException(400, "key: which candidate? The form sent none.")
    return key, integer(text(editor.form, "version"), "version")


@router.post(
    "/glossary/review/{action}",
    summary="Decide on a candidate (editors)",
    response_class=HTMLResponse,
    responses=EDITORS_ONLY,
)
def review_action(
    action: str,
    request: Request,
    editor: EditorForm,
    glossary: GlossaryDep,
    access: GlossaryAccessDep,
) -> Response:
    """accept, reject, defer or merge one candidate; bulk accepts or rejects the ticked ones."""
    user, form = editor.session.user, editor.form
    if action == "bulk":
        return act(request, glossary, editor, access, lambda: bulk(glossary, user, form, access))
    if action not in ("accept", "reject", "defer", "merge"):
        raise HTTPException(404, f"No review action {action!r}.")
    key, version = _key_version(editor)

    def run() -> dict:
        require_visible(glossary, access, [key])
        if action == "accept":
            glossary.editor.accept(user, key, version, term_fields(form))
        elif action == "reject":
            glossary.editor.reject(user, key, text(form, "reason"), version)
        elif action == "defer":
            glossary.editor.defer(user, key, version, text(form, "reason"))
        else:
            into = text(form, "into", 500)
            glossary.editor.merge(user, key, into, version)
            return {"notice": action, "term": key, "into": into}
        return {"notice": action, "term": key}

    return act(request, glossary, editor, access, run)


def require_visible(glossary: Glossary, access: Access | None, keys: list[str]) -> None:
    """An editor decides only on what they may see: a candidate mined from documents they
    may not read, and not decided on yet, is refused exactly as a missing one."""
    if access is None:
        return
    shown, decided = glossary.candidates.get_many(keys, access), glossary.terms.get_many(keys)
    hidden = [key for key in keys if key not in shown and key not in decided]
    if hidden:
        raise NotFoundError(f"no candidate or term with key {hidden[0]!r}")


def bulk(glossary: Glossary, user, form, access: Access | None) -> dict:
    versions = bulk_versions(form)
    if not versions:
        raise InvalidFieldsError({"selection": "tick at least one candidate"})
    require_visible(glossary, access, list(versions))
    if text(form, "bulk_action") == "reject":
        result = glossary.editor.bulk_reject(user, versions, text(form, "reason"))
        name = "bulk-reject"
    else:
        result = glossary.editor.bulk_accept(user, versions)
        name = "bulk-accept"
    return {"notice": name, "n": len(result.done), "skipped": len(result.skipped)}


@page_route(
    router, "/glossary/contested", summary="Contested terms (editors)", responses=EDITORS_ONLY
)
def contested(
    session: EditorSession,
    glossary: GlossaryDep,
    access: GlossaryAccessDep,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> Page:
    """Candidates that departments seem to use in different senses, most contested first
    (how differently, weighted by use), one page at a time; judged on the documents the
    editor may read."""
    found = glossary.contested_page(page, per_page, access)
    context = {"found": found, "min_documents": MIN_DOCUMENTS}
    return Page("glossary_contested.html", found.to_dict(), lambda: context)


@router.get("/api/glossary/contested", summary="Contested terms (editors)", responses=EDITORS_ONLY)
def api_contested(
    session: EditorSession,
    glossary: GlossaryDep,
    access: GlossaryAccessDep,
    page: PageNumber = 1,
    per_page: PerPage = 20,
) -> dict:
    """One page: `items`, with `total`, `page`, `pages` and `per_page`."""
    return contested(session, glossary, access, page, per_page).data
