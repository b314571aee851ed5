"""Contributions in the browser: "Write a lesson" (/contribute, a form built from the document
schema that works without JavaScript, with a preview and the lessons learned before),
"My contributions" (/contributions), the reviewers' queue (/contributions/review), one
contribution's page, and the CSRF-checked forms that submit, publish or return it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from kb.access import LEVELS
from kb.contributions import Contribution, ContributionError, NoSuchContribution
from kb.contributions.document import check_record, form_sections
from kb.documents.schema import DOC_TYPES, SECTION_SPECS
from kb.documents.templates import PROMPTS
from kb.glossary.model import User
from kb.problems import IndexUnavailableError
from web.rendering import Page, page_route, render
from web.routers.contribution_support import (
    DeskDep,
    check_type,
    page_user,
    read_upload,
    record_from_form,
    refusal,
    similar_lessons,
    suggestions,
)
from web.security import VerifiedForm, current_viewer

router = APIRouter(tags=["pages"])
PageUser = Annotated[User, Depends(page_user)]
ACTIONS = ("preview", "save", "submit")


@page_route(router, "/contribute", summary="Write a lesson")
def contribute_page(
    request: Request,
    desk: DeskDep,
    user: PageUser,
    doc_type: Annotated[str, Query(alias="type", max_length=40)] = "lesson",
    contribution_id: Annotated[str, Query(alias="id", max_length=40)] = "",
    title: Annotated[str, Query(max_length=300)] = "",
) -> Page:
    """An empty form of a type (its title pre-filled with `title`: the insights' search
    gaps link here with the query nobody found a lesson for), or the author's contribution
    to edit (`id`)."""
    _require_writer(desk, user)
    record, item = {"date": dt.date.today().isoformat(), "title": title.strip()}, None
    if contribution_id:
        item = _get(desk, user, contribution_id)
        record, doc_type = item.document, item.doc_type
    return _form_page(request, user, check_type(doc_type), record, item, [], None)


@router.post("/contribute", summary="Preview, save or submit a contribution (form)")
def contribute_post(request: Request, form: VerifiedForm, desk: DeskDep) -> Response:
    user = page_user(request)
    _require_writer(desk, user)
    doc_type = check_type(str(form.get("type", "")))
    action = str(form.get("action", "preview"))
    record = record_from_form(form, doc_type)
    item = _get(desk, user, str(form["id"])) if form.get("id") else None
    try:
        if action not in ACTIONS:
            raise ContributionError("action", f"must be one of {', '.join(ACTIONS)}")
        if action == "preview":
            checked = check_record(record, item.id if item else "preview", desk.config.limits)
            return render(
                request, _form_page(request, user, doc_type, record, item, [], checked.document)
            )
        saved = desk.update(user, item.id, record) if item else desk.create(user, record)
        if action == "submit":
            desk.submit(user, saved.id)
    except ContributionError as exc:
        errors = [{"field": exc.field, "message": exc.message}]
        page = _form_page(request, user, doc_type, record, item, errors, None, status=422)
        return render(request, page)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    return RedirectResponse(f"/contributions/{saved.id}", status_code=303)


@router.post("/contribute/upload", summary="Pre-fill the form from a DOCX (form)")
async def contribute_upload(request: Request, form: VerifiedForm, desk: DeskDep) -> Response:
    """The fields and sections a DOCX holds, read in the upload worker, in the form to
    complete; nothing is saved until the author saves."""
    user = page_user(request)
    _require_writer(desk, user)
    record, errors = await read_upload(request, form)
    doc_type = record.get("type") or check_type(str(form.get("type", "lesson")))
    record.setdefault("date", dt.date.today().isoformat())
    page = await run_in_threadpool(
        _form_page, request, user, doc_type, record, None, errors, None, 422 if errors else 200
    )
    return render(request, page)


@page_route(router, "/contributions", summary="My contributions")
def my_contributions(desk: DeskDep, user: PageUser) -> Page:
    """Your contributions with their state and every change, newest first."""
    items = desk.mine(user)
    data = {"contributions": [item.to_dict() for item in items]}
    return Page("contribute_mine.html", data, lambda: {"items": items})


@page_route(router, "/contributions/review", summary="Contributions waiting for review")
def review_queue(desk: DeskDep, user: PageUser) -> Page:
    """Submitted contributions you may publish or return, oldest first."""
    items = desk.queue(user)
    data = {"contributions": [item.to_dict() for item in items]}
    return Page("contribute_review.html", data, lambda: {"items": items})


@page_route(router, "/contributions/{contribution_id}", summary="One contribution")
def contribution_page(
    request: Request, contribution_id: str, desk: DeskDep, user: PageUser
) -> Page:
    item = _get(desk, user, contribution_id)
    checked = check_record(item.document, item.id, desk.config.limits)
    context = {
        "item": item,
        "preview": checked.document,
        "may_review": item.status == "submitted" and desk.rules.may_review(user, item),
        "is_author": item.author == user.name,
    }
    return Page("contribute_item.html", item.to_dict(), lambda: context)


@router.post("/contributions/{contribution_id}/{step}", summary="Submit, publish or return (form)")
def contribution_step(
    request: Request, contribution_id: str, step: str, form: VerifiedForm, desk: DeskDep
) -> Response:
    user = page_user(request)
    comment = str(form.get("comment", ""))
    steps = {
        "submit": lambda: desk.submit(user, contribution_id),
        "publish": lambda: desk.publish(user, contribution_id, comment),
        "return": lambda: desk.send_back(user, contribution_id, comment),
    }
    if step not in steps:
        raise HTTPException(404, f"no step {step[:20]!r}: submit, publish or return")
    try:
        steps[step]()
    except (PermissionError, LookupError, ValueError, IndexUnavailableError) as exc:
        raise refusal(exc) from None
    back = "/contributions/review" if step != "submit" else f"/contributions/{contribution_id}"
    return RedirectResponse(back, status_code=303)


def _require_writer(desk, user: User) -> None:
    if not desk.rules.may_write(user):
        raise HTTPException(
            403, f"Only contributors and editors write lessons; {user.name} is a {user.role}."
        )


def _get(desk, user: User, contribution_id: str) -> Contribution:
    try:
        return desk.get(user, contribution_id)
    except NoSuchContribution as exc:
        raise HTTPException(404, str(exc)) from None


def _form_page(request, user, doc_type, record, item, errors, preview, status=200) -> Page:
    viewer = current_viewer(request)
    similar = similar_lessons(request, record, viewer, exclude=item.id if item else "")
    context = {
        "doc_type": doc_type,
        "doc_types": DOC_TYPES,
        "spec": DOC_TYPES[doc_type],
        "sections": [SECTION_SPECS[key] for key in form_sections(doc_type)],
        "prompts": PROMPTS,
        "levels": LEVELS,
        "record": record,
        "item": item,
        "errors": errors,
        "error_fields": {error["field"] for error in errors},
        "preview": preview,
        "similar": similar,
        "linked": set(record.get("related", [])),
        "suggested": suggestions(request, viewer),
        "departments": user.departments,
    }
    data = {"record": record, "errors": errors, "similar": [h.to_dict() for h in similar]}
    return Page("contribute.html", data, lambda: context, status=status)
