"""Kickoff packs: `/kickoff` (the form), saved packs under `/kickoff/packs/{id}` with a
printable view and a Markdown export, the list `/kickoff/packs`; every page has a JSON twin."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.concurrency import run_in_threadpool

from kb.kickoff import (
    ACCEPTED_SUFFIXES,
    DEFAULT_K,
    MAX_K,
    BriefError,
    KickoffPack,
    PackStore,
    build_pack,
    to_markdown,
)
from web.deps import FormatQuery, GlossaryDep, KBDep, SettingsDep, TemplatesDep
from web.kickoff_forms import (
    BRIEF_STATUS,
    PHASES,
    KickoffForm,
    KickoffRefused,
    brief_text,
    check_token,
    form_token,
    parse_form,
    set_form_cookie,
)

router = APIRouter(tags=["pages"])
NO_PACK = {404: {"description": "No saved pack has this id."}}
JSON_TWIN = {200: {"content": {"application/json": {}}}}
K_CHOICES = (6, 9, 12, 15, 20, 30)


def get_packs(request: Request) -> PackStore:
    """Saved packs in KB_DIR/kickoff.sqlite (one store per app)."""
    state = request.app.state
    if getattr(state, "kickoff_packs", None) is None:
        state.kickoff_packs = PackStore(state.settings.kb_dir)
    return state.kickoff_packs


PacksDep = Annotated[PackStore, Depends(get_packs)]


def find_pack(packs: PackStore, pack_id: str) -> KickoffPack:
    pack = packs.get(pack_id)
    if pack is None:
        raise HTTPException(404, f"No saved kickoff pack has the id {pack_id!r}.")
    return pack


def pack_links(pack: KickoffPack) -> dict:
    base = f"/kickoff/packs/{pack.id}"
    return {"url": base, "print": f"{base}/print", "markdown": f"{base}/export.md"}


def form_context(kb, settings, form: KickoffForm, error: str = "") -> dict:
    return {
        "form": form,
        "error": error,
        "departments": [name for name, _ in kb.departments()],
        "phases": PHASES,
        "k_choices": K_CHOICES,
        "accept": ",".join(ACCEPTED_SUFFIXES),
        "max_bytes": settings.max_upload_bytes,
    }


def render_form(request, templates, kb, settings, form, error="", status=200) -> Response:
    """The form (again, with the person's input and the error after a refusal)."""
    token = form_token(request)
    context = {**form_context(kb, settings, form, error), "kickoff_token": token}
    response = templates.TemplateResponse(request, "kickoff.html", context, status_code=status)
    set_form_cookie(response, request, token)
    return response


@router.get("/kickoff", summary="Kickoff form", response_class=HTMLResponse, responses=JSON_TWIN)
def kickoff_form(
    request: Request,
    kb: KBDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    response_format: FormatQuery = "html",
) -> Response:
    """Paste a project brief or upload a charter; get the prior lessons it needs."""
    if response_format == "json":
        context = form_context(kb, settings, KickoffForm())
        data = {k: context[k] for k in ("departments", "phases", "k_choices", "max_bytes")}
        return JSONResponse({**data, "default_k": DEFAULT_K, "max_k": MAX_K, "api": "/api/kickoff"})
    return render_form(request, templates, kb, settings, KickoffForm())


@router.post("/kickoff", summary="Make a kickoff pack", response_class=HTMLResponse)
async def kickoff_submit(
    request: Request,
    kb: KBDep,
    glossary: GlossaryDep,
    settings: SettingsDep,
    templates: TemplatesDep,
    packs: PacksDep,
) -> Response:
    """Build the pack, save it and go to its stable URL; on a bad brief, the form again."""
    form = KickoffForm()
    try:
        form, data = await parse_form(request, settings)
        check_token(request, data)
        text = await brief_text(form, data, settings, request.app.state.upload_worker)
        pack = await run_in_threadpool(_build, kb, glossary, form.to_request(text))
    except KickoffRefused as exc:
        return render_form(request, templates, kb, settings, form, exc.message, exc.status)
    saved = await run_in_threadpool(packs.save, pack)
    return RedirectResponse(pack_links(saved)["url"], status_code=303)


def _build(kb, glossary, kickoff_request) -> KickoffPack:
    try:
        return build_pack(kb, kickoff_request, glossary.terms.accepted())
    except BriefError as exc:
        raise KickoffRefused(BRIEF_STATUS.get(exc.kind, 422), exc.message) from None


@router.get(
    "/kickoff/packs",
    summary="Saved kickoff packs",
    response_class=HTMLResponse,
    responses=JSON_TWIN,
)
def saved_packs(
    request: Request,
    packs: PacksDep,
    templates: TemplatesDep,
    response_format: FormatQuery = "html",
) -> Response:
    """Every saved pack, newest first."""
    found = packs.list()
    if response_format == "json":
        return JSONResponse(
            {"packs": [{**asdict(p), "url": f"/kickoff/packs/{p.id}"} for p in found]}
        )
    return templates.TemplateResponse(request, "kickoff_packs.html", {"packs": found})


def render_pack(request: Request, pack, templates, response_format: str, template: str) -> Response:
    """A saved pack as HTML in `template`, or its JSON twin (the same data)."""
    links = pack_links(pack)
    if response_format == "json":
        return JSONResponse({**pack.to_dict(), "links": links})
    return templates.TemplateResponse(request, template, {"pack": pack, "links": links})


@router.get(
    "/kickoff/packs/{pack_id}",
    summary="A saved kickoff pack",
    response_class=HTMLResponse,
    responses={**NO_PACK, **JSON_TWIN},
)
def saved_pack(
    request: Request,
    pack_id: str,
    packs: PacksDep,
    templates: TemplatesDep,
    response_format: FormatQuery = "html",
) -> Response:
    """The pack as saved: themes, lessons, checklist, glossary, jargon, open actions."""
    return render_pack(
        request, find_pack(packs, pack_id), templates, response_format, "kickoff_pack.html"
    )


@router.get(
    "/kickoff/packs/{pack_id}/print",
    summary="Printable kickoff pack",
    response_class=HTMLResponse,
    responses={**NO_PACK, **JSON_TWIN},
)
def printable_pack(
    request: Request,
    pack_id: str,
    packs: PacksDep,
    templates: TemplatesDep,
    response_format: FormatQuery = "html",
) -> Response:
    """The pack on one clean page for printing (or saving as PDF from the browser)."""
    return render_pack(
        request, find_pack(packs, pack_id), templates, response_format, "kickoff_print.html"
    )


@router.get(
    "/kickoff/packs/{pack_id}/export.md",
    summary="Kickoff pack as Markdown",
    response_class=PlainTextResponse,
    responses=NO_PACK,
)
def markdown_export(request: Request, pack_id: str, packs: PacksDep) -> Response:
    """The pack as a Markdown file, with links back to this site."""
    pack = find_pack(packs, pack_id)
    body = to_markdown(pack, str(request.base_url))
    headers = {"Content-Disposition": f'attachment; filename="kickoff-{pack.id}.md"'}
    return Response(body, media_type="text/markdown; charset=utf-8", headers=headers)
