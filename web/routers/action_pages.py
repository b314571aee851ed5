"""Actions followed through: `/actions` (open and overdue by department, owner and age, with
"my actions"), its JSON twin and `GET /api/actions`; status changes from the document page's
forms or `POST /api/actions/{action_id}`; new actions added to a document on the web.

Who may change what: kb/actions/book.py (`may_follow_up`, `may_add`). Everyone sees only the
actions of documents they may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from kb.actions import STATUSES, ActionBook, ActionError
from kb.actions.model import MAX_NOTE_CHARS
from web.action_views import ActionQuery, action_query, actions_overview
from web.deps import ActionsDep
from web.params import invalid_parameter
from web.rendering import Page, page_route
from web.security import (
    OptionalSession,
    VerifiedForm,
    ViewerDep,
    current_session,
    current_viewer,
    safe_next,
)
from web.usage import Usage, UsageDep

router = APIRouter()


QueryDep = Annotated[ActionQuery, Depends(action_query)]


@page_route(router, "/actions", tags=["pages"], summary="Open and overdue actions")
def actions_page(
    book: ActionsDep, viewer: ViewerDep, session: OptionalSession, query: QueryDep
) -> Page:
    """Action items of the documents you may read: open ones by default, oldest overdue
    first, with counts by department; `mine=true` lists those you own."""
    user = session.user if session else None
    overview = actions_overview(book, viewer, user, query)
    csrf = session.csrf_token if session else ""
    return Page("actions.html", overview, lambda: {**overview, "query": query, "csrf_token": csrf})


@router.get("/api/actions", tags=["api"], summary="List action items")
def api_actions(
    response: Response,
    book: ActionsDep,
    viewer: ViewerDep,
    session: OptionalSession,
    query: QueryDep,
) -> list[dict]:
    """One page of action items, as on /actions; the count is in `X-Total-Count`."""
    overview = actions_overview(book, viewer, session.user if session else None, query)
    response.headers["X-Total-Count"] = str(overview["total"])
    return overview["items"]


class StatusChange(BaseModel):
    status: str = Field(description=f"One of {', '.join(STATUSES)}.", max_length=20)
    note: str = Field("", description="Why, or what was done.", max_length=MAX_NOTE_CHARS)


@router.post("/api/actions/{action_id}", tags=["api"], summary="Change an action's status")
def api_change_action(
    action_id: str, change: StatusChange, request: Request, book: ActionsDep, usage: UsageDep
) -> dict:
    """Record a new status with a note (API token or session). 401 anonymous, 403 not
    allowed, 404 no such action that you may read, 422 a bad status."""
    session = current_session(request)
    if session is None:
        raise HTTPException(401, "Sign in (or send an API token) to change an action.")
    item = change_status(book, session.user, action_id, change.status, change.note, usage)
    return book.kb.redact_actions([item.to_dict(book.today())], current_viewer(request))[0]


@router.post("/actions/{action_id}/status", summary="Change an action's status (form)")
def form_change_action(
    action_id: str, form: VerifiedForm, request: Request, book: ActionsDep, usage: UsageDep
) -> Response:
    """The document page's form (CSRF-checked); back to where it was sent from."""
    session = current_session(request)
    status, note = str(form.get("status", "")), str(form.get("note", ""))
    change_status(book, session.user, action_id, status, note, usage)
    back = safe_next(str(form.get("next", "")), default="/actions")
    return RedirectResponse(back, status_code=303)


@router.post("/actions/new", summary="Add an action to a document (form)")
def form_add_action(form: VerifiedForm, request: Request, book: ActionsDep) -> Response:
    session = current_session(request)
    fields = {name: str(form.get(name, "")) for name in ("doc_id", "text", "owner", "due")}
    try:
        book.add(session.user, **fields)
    except ActionError as exc:
        raise invalid_parameter(exc.field, exc.message, fields.get(exc.field, "")[:80]) from None
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    back = safe_next(str(form.get("next", "")), default="/actions")
    return RedirectResponse(back, status_code=303)


def change_status(book: ActionBook, user, action_id: str, status: str, note: str, usage: Usage):
    try:
        item = book.change(user, action_id, status, note)
    except ActionError as exc:
        if exc.field == "action_id":
            raise HTTPException(404, exc.message) from None
        raise invalid_parameter(
            exc.field, exc.message, status if exc.field == "status" else ""
        ) from None
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    usage.changed_action(item.id, item.status, item.doc_id, item.department)
    return item
