"""Contributions through the API (a token or a session): write a draft as JSON, submit it,
publish or return it, list them. Who may do what: kb/contributions/model.py ReviewRules."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, Field

from kb.contributions import STATES, Contribution
from kb.contributions.model import MAX_COMMENT_CHARS
from kb.glossary.model import User
from kb.problems import IndexUnavailableError
from web.params import invalid_parameter
from web.routers.contribution_support import DeskDep, refusal, signed_in_user

router = APIRouter(prefix="/api/contributions", tags=["api"])
UserDep = Annotated[User, Depends(signed_in_user)]
DOCUMENT_EXAMPLE = {
    "title": "Gaskets crack below -20 C",
    "type": "lesson",
    "department": "Engineering",
    "date": "2026-11-30",
    "sensitivity": "internal",
    "tags": ["gaskets"],
    "sections": {"what_happened": "The gaskets cracked.", "lesson": "Test in the cold."},
    "related": [],
}


class Review(BaseModel):
    comment: str = Field("", description="Why (required to return).", max_length=MAX_COMMENT_CHARS)


def _answer(item: Contribution) -> dict:
    return item.to_dict()


def _run(action, *args) -> dict:
    try:
        return _answer(action(*args))
    except (PermissionError, LookupError, ValueError, IndexUnavailableError) as exc:
        raise refusal(exc) from None


@router.post("", status_code=201, summary="Write a draft")
def create(
    desk: DeskDep,
    user: UserDep,
    document: Annotated[Any, Body(examples=[DOCUMENT_EXAMPLE])],
) -> dict:
    """The document as JSON (fields and `sections`); 201 with its `id` and `status: draft`.
    401 anonymous, 403 a reader, 422 naming the field at fault."""
    return _run(desk.create, user, document)


@router.put("/{contribution_id}", summary="Change a draft")
def change(
    contribution_id: str,
    desk: DeskDep,
    user: UserDep,
    document: Annotated[Any, Body(examples=[DOCUMENT_EXAMPLE])],
) -> dict:
    """The author's new text; a published contribution's becomes the draft of its next version."""
    return _run(desk.update, user, contribution_id, document)


@router.post("/{contribution_id}/submit", summary="Submit a draft for review")
def submit(contribution_id: str, desk: DeskDep, user: UserDep) -> dict:
    return _run(desk.submit, user, contribution_id)


@router.post("/{contribution_id}/publish", summary="Publish a submitted contribution")
def publish(
    contribution_id: str, desk: DeskDep, user: UserDep, review: Review | None = None
) -> dict:
    """Writes its Markdown file and indexes it at once. 403 unless an editor or a contributor
    of its department (not its author unless KB_CONTRIBUTORS_PUBLISH_OWN)."""
    return _run(desk.publish, user, contribution_id, review.comment if review else "")


@router.post("/{contribution_id}/return", summary="Return a contribution to its author")
def send_back(contribution_id: str, review: Review, desk: DeskDep, user: UserDep) -> dict:
    return _run(desk.send_back, user, contribution_id, review.comment)


@router.get("", summary="List contributions")
def listing(
    desk: DeskDep,
    user: UserDep,
    status: Annotated[str, Query(description=f"One of {', '.join(STATES)}.")] = "",
) -> list[dict]:
    """Your own, and those you may review or have seen published, newest change first."""
    if status and status not in STATES:
        raise invalid_parameter("status", f"must be one of {', '.join(STATES)}", status[:40])
    return [_answer(item) for item in desk.visible(user, (status,) if status else ())]


@router.get("/{contribution_id}", summary="One contribution with its history")
def one(contribution_id: str, desk: DeskDep, user: UserDep) -> dict:
    return _run(desk.get, user, contribution_id)


@router.get("/{contribution_id}/versions", summary="Every version published")
def versions(contribution_id: str, desk: DeskDep, user: UserDep) -> list[dict]:
    """Each published version's number, time, publisher and document, oldest first."""
    try:
        return desk.versions(user, contribution_id)
    except LookupError as exc:
        raise refusal(exc) from None
