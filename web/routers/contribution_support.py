"""What the contribution pages and API share: the desk, who is signed in, the form read into
a document record, and the lessons already learned that resemble what is being written."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData, UploadFile

from kb.access import Viewer
from kb.contributions import (
    ContributionDesk,
    ContributionError,
    DeskSettings,
    NoSuchContribution,
)
from kb.contributions.document import form_sections
from kb.contributions.docx_prefill import prefill_from_docx
from kb.documents.schema import DOC_TYPES
from kb.glossary.model import User
from kb.problems import IndexUnavailableError
from kb.search.request import SearchRequest
from web.params import invalid_parameter
from web.security import LoginRequiredError, current_session, here
from web.upload_worker import UploadRefused

SIMILAR_K = 5
SUGGESTION_POOL = 100  # the newest documents whose projects and tags are offered
MAX_QUERY_WORDS = 60  # what a search is asked: the title and the opening of the text
LIST_SPLIT = ","


def get_desk(request: Request) -> ContributionDesk:
    """One per app, on the glossary's state database; publishing through the publisher
    `create_app` was given (the composition root's incremental indexing)."""
    state = request.app.state
    if getattr(state, "contribution_desk", None) is None:
        publisher = getattr(state, "publisher", None)
        config = DeskSettings.from_settings(state.settings)
        state.contribution_desk = ContributionDesk(
            config, state.glossary.state, publisher, state.glossary.clock,
            on_change=lambda user, item: record_contribution(state.events, user, item),
        )  # fmt: skip
    return state.contribution_desk


def record_contribution(events, user: User, item) -> None:
    """A usage event for the insights' contribution health: the lesson's department, its
    document id once published, whether it tells what went well."""
    viewer = Viewer(True, user.name, user.departments, admin=user.is_admin)
    doc_id = item.id if item.status == "published" else ""
    events.contribution(viewer, item.id, item.status, item.department, doc_id, item.positive)


DeskDep = Annotated[ContributionDesk, Depends(get_desk)]


def signed_in_user(request: Request) -> User:
    """The API's user (token or session); 401 for anyone anonymous."""
    session = current_session(request)
    if session is None:
        raise HTTPException(401, "Sign in (or send an API token) to write or review lessons.")
    return session.user


def page_user(request: Request) -> User:
    """The pages' user: anonymous visitors are sent to sign in first."""
    session = current_session(request)
    if session is None:
        raise LoginRequiredError(here(request), "Sign in to write or review lessons.")
    return session.user


def refusal(exc: Exception) -> Exception:
    """kb's refusals as HTTP errors: 404 unseen, 403 not allowed, 422 naming the field."""
    if isinstance(exc, NoSuchContribution):
        return HTTPException(404, str(exc))
    if isinstance(exc, PermissionError):
        return HTTPException(403, str(exc))
    if isinstance(exc, ContributionError):
        return invalid_parameter(exc.field, exc.message, None)
    if isinstance(exc, IndexUnavailableError):  # the file is written: the next run indexes it
        return HTTPException(503, f"Published, but not searchable yet: {exc}")
    return exc


def check_type(doc_type: str) -> str:
    if doc_type not in DOC_TYPES:
        raise invalid_parameter("type", f"must be one of {', '.join(DOC_TYPES)}", doc_type[:40])
    return doc_type


def record_from_form(form: FormData, doc_type: str) -> dict:
    """The form's fields as the record the API takes (blank ones left out)."""
    text = lambda name: str(form.get(name, "") or "").strip()  # noqa: E731
    people = DOC_TYPES[doc_type].people_field
    record = {name: text(name) for name in ("title", "department", "date", "project")}
    record.update(type=doc_type, sensitivity=text("sensitivity"), tags=_split(text("tags")))
    record[people] = _split(text(people))
    record["sections"] = {key: text(f"section_{key}") for key in form_sections(doc_type)}
    record["related"] = [str(v) for v in form.getlist("related")]
    return {k: v for k, v in record.items() if v not in ("", [], None)} | {
        "sections": {k: v for k, v in record["sections"].items() if v}
    }


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SPLIT) if part.strip()]


def similar_lessons(request: Request, record: dict, viewer: Viewer, exclude: str = "") -> list:
    """The closest documents `viewer` may read to what is written so far, with their dates."""
    words = " ".join([record.get("title", ""), *record.get("sections", {}).values()]).split()
    if not words:
        return []
    kb = request.app.state.kb
    query = " ".join(words[:MAX_QUERY_WORDS])
    hits = kb.search(SearchRequest(query, k=SIMILAR_K + 1, viewer=viewer, with_snippets=True))
    return [hit for hit in hits if hit.id != exclude][:SIMILAR_K]


def suggestions(request: Request, viewer: Viewer) -> dict[str, list[str]]:
    """Tags (the facet's most used) and projects of the newest documents `viewer` reads."""
    kb = request.app.state.kb
    request_all = SearchRequest(
        "", k=SUGGESTION_POOL, list_all=True, with_facets=True, with_snippets=False, viewer=viewer
    )
    result = kb.run_search(request_all)
    tags = [value.value for value in result.facets.get("tags", [])]
    tags += [tag for hit in result.hits for tag in hit.tags]
    projects = Counter(hit.project for hit in result.hits if hit.project)
    return {"tags": list(dict.fromkeys(tags)), "projects": [p for p, _ in projects.most_common()]}


async def read_upload(request: Request, form: FormData) -> tuple[dict, list[dict]]:
    """The form's record from the uploaded DOCX, or no record and the error naming `docx`."""
    settings = request.app.state.settings
    upload = form.get("docx")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return {}, [{"field": "docx", "message": "choose a DOCX file to upload"}]
    name = upload.filename[:200]
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        message = f"{name} is larger than {settings.max_upload_bytes:,} bytes (KB_MAX_UPLOAD_BYTES)"
        return {}, [{"field": "docx", "message": message}]
    limits = DeskSettings.from_settings(settings).limits
    try:
        found = await request.app.state.upload_worker.run(name, prefill_from_docx, data, limits)
    except UploadRefused as exc:
        return {}, [{"field": "docx", "message": exc.message}]
    if found.refusal:
        return {}, [{"field": "docx", "message": f"{name}: {found.refusal}"}]
    return found.record, []
