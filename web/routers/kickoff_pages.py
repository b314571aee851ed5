"""Kickoff packs: `/kickoff` (the form; a submit previews the pack, nothing saved),
`/kickoff/save` (save on request), saved packs under `/kickoff/packs/{id}` with a printable
view, a Markdown export and deletion by their author or an editor, the list `/kickoff/packs`;
every page has a JSON twin."""

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
    Readable,
    as_read_by,
    build_pack,
    summary_as_read_by,
    to_markdown,
)
from web.deps import GlossaryDep, KBDep, SettingsDep
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
from web.rendering import Page, PageFunction, html_response, page_route, wants_json
from web.security import (
    OptionalSession,
    VerifiedForm,
    ViewerDep,
    current_session,
    current_viewer,
)
from web.usage import UsageDep

router = APIRouter(tags=["pages"])
NO_PACK = {404: {"description": "No saved pack has this id."}}
K_CHOICES = (6, 9, 12, 15, 20, 30)


def get_packs(request: Request) -> PackStore:
    """Saved packs in the app's state database, the glossary's (one store per app)."""
    state = request.app.state
    if getattr(state, "kickoff_packs", None) is None:
        state.kickoff_packs = PackStore(state.glossary.state)
    return state.kickoff_packs


PacksDep = Annotated[PackStore, Depends(get_packs)]


def find_pack(packs: PackStore, pack_id: str) -> KickoffPack:
    pack = packs.get(pack_id)
    if pack is None:
        raise HTTPException(404, f"No saved kickoff pack has the id {pack_id!r}.")
    return pack


def open_pack(packs: PackStore, pack_id: str, kb, viewer) -> KickoffPack:
    """The saved pack as `viewer` may see it now (404 if none has that id): only the lessons
    they may read in the live index, and names outside their departments replaced by roles
    when redaction is on (the pack is saved with both)."""
    return kb.redact_pack(as_read_by(find_pack(packs, pack_id), Readable(kb, viewer)), viewer)


def pack_links(pack: KickoffPack) -> dict:
    base = f"/kickoff/packs/{pack.id}"
    return {"url": base, "print": f"{base}/print", "markdown": f"{base}/export.md"}


def form_page(request: Request, kb, settings, form: KickoffForm, error="", status=200) -> Page:
    """The form (again, with the person's input and the error after a refusal); its JSON
    twin lists the choices the form offers. The HTML sets the form's CSRF cookie."""
    choices = {
        "departments": [name for name, _ in kb.departments(current_viewer(request))],
        "phases": PHASES,
        "k_choices": K_CHOICES,
        "max_bytes": settings.max_upload_bytes,
    }
    data = {**choices, "default_k": DEFAULT_K, "max_k": MAX_K, "api": "/api/kickoff"}
    token = form_token(request)
    context = {
        **choices,
        "form": form,
        "error": error,
        "accept": ",".join(ACCEPTED_SUFFIXES),
        "kickoff_token": token,
    }
    return Page(
        "kickoff.html",
        data,
        lambda: context,
        status,
        on_html=lambda response: set_form_cookie(response, request, token),
    )


@page_route(router, "/kickoff", summary="Kickoff form")
def kickoff_form(request: Request, kb: KBDep, settings: SettingsDep) -> Page:
    """Paste a project brief or upload a charter; get the prior lessons it needs."""
    return form_page(request, kb, settings, KickoffForm())


async def pack_from_form(request: Request, kb, glossary, settings) -> KickoffForm | Response:
    """The POSTed form with `pack` built from it (the brief holding the charter's text too),
    or the form page again with the reason it was refused."""
    form = KickoffForm()
    try:
        form, data = await parse_form(request, settings)
        check_token(request, data)
        form.brief = await brief_text(form, data, settings, request.app.state.upload_worker)
        form.pack = await run_in_threadpool(
            build_or_refuse, kb, glossary, form.to_request(form.brief, current_viewer(request))
        )
    except KickoffRefused as exc:
        return html_response(
            request, form_page(request, kb, settings, form, exc.message, exc.status)
        )
    return form


@router.post("/kickoff", summary="Preview a kickoff pack", response_class=HTMLResponse)
async def kickoff_submit(
    request: Request, kb: KBDep, glossary: GlossaryDep, settings: SettingsDep
) -> Response:
    """Build the pack and show it, with a button to save it; nothing is saved yet. On a bad
    brief, the form again."""
    form = await pack_from_form(request, kb, glossary, settings)
    if isinstance(form, Response):
        return form
    pack = kb.redact_pack(form.pack, current_viewer(request))  # the fields keep the brief
    data = {**pack.to_dict(), "saved": False, "save": "/kickoff/save"}
    if wants_json(request):
        return JSONResponse(data)
    context = {"pack": pack, "links": None, "form": form, "kickoff_token": form_token(request)}
    return html_response(request, Page("kickoff_pack.html", data, lambda: context))


@router.post("/kickoff/save", summary="Save a kickoff pack", response_class=HTMLResponse)
async def kickoff_save(
    request: Request,
    kb: KBDep,
    glossary: GlossaryDep,
    settings: SettingsDep,
    packs: PacksDep,
    usage: UsageDep,
) -> Response:
    """Build the previewed pack again from the same fields, save it under a stable URL (its
    author is whoever is signed in) and go there."""
    form = await pack_from_form(request, kb, glossary, settings)
    if isinstance(form, Response):
        return form
    session = current_session(request)
    form.pack.author = session.user.name if session else ""
    saved = await run_in_threadpool(packs.save, form.pack)
    usage.saved_pack(saved)
    return RedirectResponse(pack_links(saved)["url"], status_code=303)


def may_delete(pack: KickoffPack, session) -> bool:
    """Its author (signed in when saving it) and glossary editors may delete a saved pack."""
    if session is None:
        return False
    return session.user.can_edit or (bool(pack.author) and pack.author == session.user.name)


@router.post(
    "/kickoff/packs/{pack_id}/delete",
    summary="Delete a saved kickoff pack",
    response_class=HTMLResponse,
    responses={**NO_PACK, 403: {"description": "Not its author or an editor, or no CSRF token."}},
)
def delete_pack(pack_id: str, request: Request, form: VerifiedForm, packs: PacksDep) -> Response:
    """Delete the pack (a signed-in session's form, CSRF-checked) and go back to the list."""
    pack = find_pack(packs, pack_id)
    session = current_session(request)
    if not may_delete(pack, session):
        raise HTTPException(403, "Only the pack's author or a glossary editor may delete it.")
    packs.delete(pack_id)
    return RedirectResponse("/kickoff/packs?deleted=1", status_code=303)


def build_or_refuse(kb, glossary, kickoff_request) -> KickoffPack:
    """The pack, with the accepted glossary terms; KickoffRefused for a brief it cannot use."""
    try:
        return build_pack(kb, kickoff_request, glossary.terms.accepted())
    except BriefError as exc:
        raise KickoffRefused(BRIEF_STATUS.get(exc.kind, 422), exc.message) from None


@page_route(router, "/kickoff/packs", summary="Saved kickoff packs")
def saved_packs(packs: PacksDep, kb: KBDep, viewer: ViewerDep, deleted: bool = False) -> Page:
    """Every saved pack, newest first, counting the lessons the viewer may read."""
    readable, saved = Readable(kb, viewer), packs.newest()
    readable.check(lesson.id for pack in saved for lesson in pack.lessons)  # one query
    found = [summary_as_read_by(pack, readable) for pack in saved]
    data = {"packs": [{**asdict(p), "url": f"/kickoff/packs/{p.id}"} for p in found]}
    return Page("kickoff_packs.html", data, lambda: {"packs": found, "deleted": deleted})


def pack_page(template: str) -> PageFunction:
    """The page function of one view of a saved pack; both views share the JSON twin."""

    def page(
        pack_id: str, packs: PacksDep, kb: KBDep, viewer: ViewerDep, session: OptionalSession
    ) -> Page:
        pack = open_pack(packs, pack_id, kb, viewer)
        links = pack_links(pack)
        data = {**pack.to_dict(), "links": links}
        context = {"pack": pack, "links": links, "can_delete": may_delete(pack, session)}
        return Page(template, data, lambda: context)

    return page


# The two views of a saved pack: (path suffix, template, route name, summary, description).
PACK_VIEWS = (
    (
        "",
        "kickoff_pack.html",
        "saved_pack",
        "A saved kickoff pack",
        "The pack as saved: themes, lessons, checklist, glossary, jargon, open actions.",
    ),
    (
        "/print",
        "kickoff_print.html",
        "printable_pack",
        "Printable kickoff pack",
        "The pack on one clean page for printing (or saving as PDF from the browser).",
    ),
)
for suffix, template, name, summary, description in PACK_VIEWS:
    page_route(
        router,
        "/kickoff/packs/{pack_id}" + suffix,
        name=name,
        summary=summary,
        description=description,
        responses=NO_PACK,
    )(pack_page(template))


@router.get(
    "/kickoff/packs/{pack_id}/export.md",
    summary="Kickoff pack as Markdown",
    response_class=PlainTextResponse,
    responses=NO_PACK,
)
def markdown_export(
    request: Request, pack_id: str, packs: PacksDep, kb: KBDep, viewer: ViewerDep
) -> Response:
    """The pack as a Markdown file, with links back to this site (what the viewer may read)."""
    pack = open_pack(packs, pack_id, kb, viewer)
    body = to_markdown(pack, str(request.base_url))
    headers = {"Content-Disposition": f'attachment; filename="kickoff-{pack.id}.md"'}
    return Response(body, media_type="text/markdown; charset=utf-8", headers=headers)
