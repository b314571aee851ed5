"""The kickoff form and the kickoff API's request: fields, the uploaded charter, CSRF, limits.

The form is open to everyone, signed in or not, so its CSRF token is bound to a cookie set
with the form (a double-submit token, like the sign-in form's). The API refuses requests
that a browser sends from another site.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from kb.access import Viewer
from kb.kickoff import DEFAULT_K, MAX_K, KickoffPack, KickoffRequest
from kb.settings import Settings
from web.security import FORM_OVERHEAD, set_cookie
from web.upload_worker import UploadRefused, UploadWorker, read_charter

KICKOFF_COOKIE = "lessonbase_kickoff"
COOKIE_PATH = "/kickoff"
COOKIE_SECONDS = 8 * 3600
PHASES = ("initiation", "planning", "execution", "closing")
BRIEF_STATUS = {  # BriefError.kind -> HTTP status
    "empty": 422,
    "no_words": 422,
    "too_large": 413,
    "binary": 415,
    "bad_docx": 415,
    "unsupported": 415,
}


class KickoffRefused(Exception):
    """A kickoff request that cannot make a pack: its HTTP status and a message for people."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class KickoffForm:
    """What the person typed (kept to show the form again after a refusal)."""

    brief: str = ""
    department: str = ""
    phase: str = ""
    tags: str = ""  # comma-separated, as typed
    k: int = DEFAULT_K
    filename: str = ""
    pack: KickoffPack | None = None  # built from the fields, once they were accepted

    def tag_list(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.strip() for t in self.tags.split(",") if t.strip()))

    def to_request(self, text: str, viewer: Viewer) -> KickoffRequest:
        return KickoffRequest(
            text,
            self.department,
            self.phase,
            self.tag_list(),
            self.k,
            source_name=self.filename,
            viewer=viewer,
        )


def form_token(request: Request) -> str:
    return request.cookies.get(KICKOFF_COOKIE) or secrets.token_urlsafe(32)


def set_form_cookie(response: Response, request: Request, token: str) -> None:
    set_cookie(response, request, KICKOFF_COOKIE, token, max_age=COOKIE_SECONDS, path=COOKIE_PATH)


def check_token(request: Request, form: FormData) -> None:
    cookie, token = request.cookies.get(KICKOFF_COOKIE) or "", form.get("csrf_token")
    if not cookie or not isinstance(token, str) or not hmac.compare_digest(cookie, token):
        raise HTTPException(
            403, "The kickoff form has expired (CSRF check failed). Reload the page and try again."
        )


def check_same_site(request: Request) -> None:
    """The API is for scripts; a browser posting from another site is refused (CSRF)."""
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    if request.headers.get("sec-fetch-site") == "cross-site" or (origin and origin != own):
        raise HTTPException(403, "Cross-site requests to the kickoff API are refused.")


async def parse_form(request: Request, settings: Settings) -> tuple[KickoffForm, FormData]:
    """The POSTed fields (not yet checked for content; the body's size is bounded on arrival)."""
    limit = settings.max_upload_bytes + FORM_OVERHEAD
    form = await request.form(max_files=1, max_fields=50, max_part_size=limit)
    fields = KickoffForm(
        brief=_text(form, "brief"),
        department=_text(form, "department"),
        phase=_text(form, "phase"),
        tags=_text(form, "tags"),
        k=_k(_text(form, "k")),
    )
    upload = form.get("charter") or form.get("file")
    fields.filename = upload.filename if isinstance(upload, UploadFile) and upload.filename else ""
    return fields, form


async def brief_text(
    fields: KickoffForm, form: FormData, settings: Settings, worker: UploadWorker
) -> str:
    """The pasted brief and the uploaded charter's text, together; KickoffRefused if unusable."""
    if len(fields.brief.encode()) > settings.max_upload_bytes:
        limit = f"{settings.max_upload_bytes:,}"
        raise KickoffRefused(413, f"The pasted brief is larger than the {limit}-byte limit.")
    parts = [fields.brief]
    upload = form.get("charter") or form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(settings.max_upload_bytes + 1)
        parts.append(await charter_text(worker, data, upload.filename, settings.max_upload_bytes))
    return "\n\n".join(part for part in parts if part.strip())


async def charter_text(worker: UploadWorker, data: bytes, filename: str, max_bytes: int) -> str:
    """The charter read in the upload worker (kb.kickoff.read_upload); KickoffRefused if not."""
    try:
        read = await worker.run(filename, read_charter, data, filename, max_bytes)
    except UploadRefused as exc:
        raise KickoffRefused(422, exc.message) from None
    if read.refusal:
        raise KickoffRefused(BRIEF_STATUS.get(read.refusal_kind, 422), read.refusal)
    return read.text


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _k(raw: str) -> int:
    if not raw:
        return DEFAULT_K
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_K:
        raise KickoffRefused(422, f"k: the number of lessons must be 1 to {MAX_K}, got {raw!r}.")
    return int(raw)
