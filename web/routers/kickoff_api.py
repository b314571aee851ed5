"""`POST /api/kickoff`: a kickoff pack as JSON, from a JSON body or a multipart upload."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from kb.access import Viewer
from kb.kickoff import DEFAULT_K, MAX_K, KickoffRequest
from web.deps import GlossaryDep, KBDep, SettingsDep
from web.kickoff_forms import KickoffRefused, brief_text, check_same_site, parse_form
from web.routers.kickoff_pages import PacksDep, build_or_refuse, pack_links
from web.security import current_session, current_viewer
from web.usage import UsageDep

router = APIRouter(tags=["api"])


class KickoffBody(BaseModel):
    """What to make a pack for (JSON). A multipart request sends the same fields as form
    fields, `tags` comma-separated, and the charter as the file field `charter`."""

    brief: str = Field(description="The project brief (Markdown or plain text).")
    department: str = Field("", description="The project's own department.")
    phase: str = Field("", description="The project's phase, e.g. initiation.")
    tags: list[str] = Field(default_factory=list, description="Tags for the project.")
    k: int = Field(DEFAULT_K, ge=1, le=MAX_K, description="How many prior lessons.")
    save: bool = Field(False, description="Save the pack under a stable URL.")

    def to_request(self, viewer: Viewer) -> KickoffRequest:
        return KickoffRequest(
            self.brief, self.department, self.phase, tuple(self.tags), self.k, viewer=viewer
        )


MULTIPART_SCHEMA = {
    "type": "object",
    "properties": {
        "brief": {"type": "string"},
        "charter": {"type": "string", "format": "binary"},
        "department": {"type": "string"},
        "phase": {"type": "string"},
        "tags": {"type": "string", "description": "Comma-separated."},
        "k": {"type": "integer"},
        "save": {"type": "boolean"},
    },
}
REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": KickoffBody.model_json_schema()},
            "multipart/form-data": {"schema": MULTIPART_SCHEMA},
        },
    }
}
REFUSALS = {
    403: {"description": "A browser request from another site."},
    413: {"description": "The brief or the charter is larger than the upload limit."},
    415: {
        "description": "The body is neither application/json nor multipart/form-data, or the "
        "charter is not Markdown, text or DOCX, or is binary."
    },
    422: {"description": "The brief is empty, has no words to search with, or a field is invalid."},
}


@router.post(
    "/api/kickoff",
    summary="Make a kickoff pack",
    openapi_extra=REQUEST_BODY,
    responses=REFUSALS,
)
async def api_kickoff(
    request: Request,
    kb: KBDep,
    glossary: GlossaryDep,
    settings: SettingsDep,
    packs: PacksDep,
    usage: UsageDep,
) -> Response:
    """The pack as JSON; with `save`, also stored under `/kickoff/packs/{id}` (201)."""
    check_same_site(request)
    try:
        body = await _body(request, settings)
        pack = await run_in_threadpool(
            build_or_refuse, kb, glossary, body.to_request(current_viewer(request))
        )
    except KickoffRefused as exc:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)
    viewer = current_viewer(request)
    if not body.save:
        return JSONResponse(kb.redact_pack(pack, viewer).to_dict())
    session = current_session(request)
    pack.author = session.user.name if session else ""
    saved = await run_in_threadpool(packs.save, pack)  # with names: shown to each as they may
    usage.saved_pack(saved)
    shown = kb.redact_pack(saved, viewer)
    return JSONResponse({**shown.to_dict(), "links": pack_links(saved)}, status_code=201)


BODY_TYPES = ("application/json", "multipart/form-data")


async def _body(request: Request, settings) -> KickoffBody:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        return await _multipart(request, settings)
    if content_type != "application/json":
        wanted = " or ".join(BODY_TYPES)
        got = f", not {content_type}" if content_type else " (it had no Content-Type)"
        raise HTTPException(415, f"Send the request as {wanted}{got}.")
    try:
        body = KickoffBody.model_validate_json(await request.body())
    except ValidationError as exc:
        raise HTTPException(422, _describe(exc)) from None
    if len(body.brief.encode()) > settings.max_upload_bytes:
        limit = f"{settings.max_upload_bytes:,}"
        raise KickoffRefused(413, f"The brief is larger than the {limit}-byte upload limit.")
    return body


async def _multipart(request: Request, settings) -> KickoffBody:
    fields, form = await parse_form(request, settings)
    text = await brief_text(fields, form, settings, request.app.state.upload_worker)
    save = form.get("save")
    wanted = isinstance(save, str) and save.strip().lower() in ("1", "true", "yes", "on")
    return KickoffBody(
        brief=text,
        department=fields.department,
        phase=fields.phase,
        tags=list(fields.tag_list()),
        k=fields.k,
        save=wanted,
    )


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "body"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(problems)
