"""Editing one term (`/glossary/terms/{key}/edit`) and importing a file (`/glossary/import`)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kb.glossary import (
    STATUSES,
    ConcurrentEditError,
    Glossary,
    GlossaryError,
    ImportFailedError,
    InvalidFieldsError,
    Term,
    TermFields,
)
from kb.glossary.importer import FORMATS
from web.deps import GlossaryDep, SettingsDep, TemplatesDep
from web.glossary_forms import REVIEW_PATH, back_url, integer, term_fields, text, with_notice
from web.security import EditorForm, EditorSession
from web.template_filters import term_path

router = APIRouter(tags=["glossary"])
EDITORS_ONLY = {401: {"description": "Not signed in."}, 403: {"description": "Not an editor."}}


def accepted_term(glossary: Glossary, key: str) -> Term:
    term = glossary.terms.get(key)
    if term is None or term.decision != "accepted":
        raise HTTPException(404, f"{key!r} is not in the glossary.")
    return term


def render_edit(
    request: Request,
    templates,
    glossary: Glossary,
    term: Term,
    fields: TermFields,
    errors: dict | None = None,
    conflict: TermFields | None = None,
    status: int = 200,
) -> Response:
    context = {
        "term": term,
        "fields": fields,
        "errors": errors or {},
        "conflict": conflict,  # the editor's unsaved values when someone saved first
        "term_statuses": STATUSES,
        "others": [t for t in glossary.public.search() if t.key != term.key],
    }
    return templates.TemplateResponse(request, "glossary_edit.html", context, status_code=status)


@router.get(
    "/glossary/terms/{key:path}/edit",
    summary="Edit a term (editors)",
    response_class=HTMLResponse,
    responses=EDITORS_ONLY,
)
def edit_form(
    key: str,
    request: Request,
    session: EditorSession,
    glossary: GlossaryDep,
    templates: TemplatesDep,
) -> Response:
    """The term's fields in a form that remembers the version it started from."""
    term = accepted_term(glossary, key)
    in_glossary = {other.key for other in glossary.terms.accepted()}
    related = tuple(key for key in term.related if key in in_glossary)  # drop rejected/merged
    return render_edit(request, templates, glossary, term, replace(term.fields, related=related))


@router.post(
    "/glossary/terms/{key:path}/edit",
    summary="Save a term (editors)",
    response_class=HTMLResponse,
    responses=EDITORS_ONLY,
)
def edit_save(
    key: str, request: Request, editor: EditorForm, glossary: GlossaryDep, templates: TemplatesDep
) -> Response:
    """Save, unless someone saved the term since this form was loaded (then 409 and theirs)."""
    submitted = term_fields(editor.form)
    version = integer(text(editor.form, "version"), "version", -1)
    try:
        glossary.editor.edit(editor.session.user, key, submitted, version)
    except ConcurrentEditError:
        current = accepted_term(glossary, key)
        return render_edit(
            request, templates, glossary, current, current.fields, conflict=submitted, status=409
        )
    except InvalidFieldsError as exc:
        term = accepted_term(glossary, key)
        return render_edit(
            request, templates, glossary, term, submitted, errors=exc.errors, status=422
        )
    return RedirectResponse(term_path(key) + "?saved=1", status_code=303)


@router.post(
    "/glossary/unmerge",
    summary="Undo a merge (editors)",
    response_class=HTMLResponse,
    responses={**EDITORS_ONLY, 409: {"description": "Changed since the page was loaded."}},
)
def unmerge(editor: EditorForm, glossary: GlossaryDep) -> Response:
    """Give a merged term back its own row and history; its target loses what it gained."""
    key = text(editor.form, "key", 500)
    version = integer(text(editor.form, "version"), "version", -1)
    merged = glossary.terms.get(key)
    try:
        glossary.editor.unmerge(editor.session.user, key, None if version < 0 else version)
    except ConcurrentEditError as exc:
        raise HTTPException(409, f"Not undone: {exc.message}. Reload the page.") from None
    except InvalidFieldsError as exc:
        raise HTTPException(422, f"Not undone: {exc.message}.") from None
    target = merged.merged_into
    if text(editor.form, "back", 2000).startswith(REVIEW_PATH):  # from the review queue
        notice = with_notice(back_url(editor.form), notice="unmerge", term=key, into=target)
        return RedirectResponse(notice, 303)
    return RedirectResponse(f"{term_path(target)}?{urlencode({'unmerged': key})}", 303)


def render_import(
    request: Request,
    templates,
    settings,
    *,
    error: str = "",
    problems=(),
    report=None,
    status: int = 200,
) -> Response:
    context = {
        "error": error,
        "problems": list(problems),
        "report": report,
        "max_bytes": settings.max_upload_bytes,
    }
    return templates.TemplateResponse(request, "glossary_import.html", context, status_code=status)


@router.get(
    "/glossary/import",
    summary="Import form (editors)",
    response_class=HTMLResponse,
    responses=EDITORS_ONLY,
)
def import_form(
    request: Request, session: EditorSession, templates: TemplatesDep, settings: SettingsDep
) -> Response:
    """Upload a .csv or .json glossary file."""
    return render_import(request, templates, settings)


@router.post(
    "/glossary/import",
    summary="Import a file (editors)",
    response_class=HTMLResponse,
    responses=EDITORS_ONLY,
)
async def import_upload(
    request: Request,
    editor: EditorForm,
    glossary: GlossaryDep,
    templates: TemplatesDep,
    settings: SettingsDep,
) -> Response:
    """Check every row, then write all of them, or none and list the problems."""
    upload = editor.form.get("file")
    refusal = upload_refusal(upload, settings)
    data = b"" if refusal else await upload.read(settings.max_upload_bytes + 1)
    if not refusal and len(data) > settings.max_upload_bytes:
        limit = f"{settings.max_upload_bytes:,}"
        refusal = (f"{upload.filename} is larger than the {limit}-byte upload limit.", 413)
    if refusal:
        return render_import(request, templates, settings, error=refusal[0], status=refusal[1])
    try:
        user = editor.session.user
        report = await run_in_threadpool(glossary.import_file, user, data, upload.filename)
    except ImportFailedError as exc:
        message, problems = f"{upload.filename}: {exc.message}.", exc.problems
        return render_import(
            request, templates, settings, error=message, problems=problems, status=422
        )
    except GlossaryError as exc:
        return render_import(request, templates, settings, error=exc.message, status=400)
    return render_import(request, templates, settings, report=report)


def upload_refusal(upload, settings) -> tuple[str, int] | None:
    """Why an uploaded file is not even read (message, HTTP status), or None."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return "Choose a file to import.", 400
    if not upload.filename.lower().endswith(tuple(FORMATS)):
        return f"{upload.filename}: import reads .csv or .json files only.", 415
    return None
