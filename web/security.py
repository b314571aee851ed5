"""Who is asking: the session cookie, editor-only pages, and CSRF checks on every POST.

Every visitor reads what the documents' sensitivity levels allow them (`current_viewer`,
kb.access). On /api and /feeds routes, `Authorization: Bearer <token>` (an API token, `kb token
create`) stands for a session of the token's user; else the session cookie; else a user
named by a trusted authenticating proxy (web/trusted_identity.py). An anonymous visitor who
opens an editor page is sent to /login; a reader gets 403. Every POST must carry the CSRF token of its
session (the login form uses a token bound to a short-lived cookie instead), or it gets 403.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from kb.access import Viewer
from kb.glossary import Glossary, Session, User
from web.rendering import wants_json
from web.trusted_identity import SCOPE_KEY, ProxyIdentity

SESSION_COOKIE = "lessonbase_session"
LOGIN_COOKIE = "lessonbase_login"
FORM_OVERHEAD = 64 * 1024  # multipart headers and the other fields of an upload form
MAX_TOKEN_CHARS = 200  # ours are 46; longer ones are refused unhashed
TOKEN_PATHS = ("/api/", "/feeds/", "/metrics")  # where an API token stands for its user
_UNSET = object()


SIGN_IN_TO_EDIT = "Sign in as a glossary editor."
SIGN_IN_TO_READ = (
    "Sign in to read: this Lessonbase shows nothing to anonymous visitors "
    "(KB_ANONYMOUS_ACCESS=false). On /api, send an API token: Authorization: Bearer <token>."
)
# Open without signing in even when anonymous visitors read nothing: signing in, the health
# check, and the files the sign-in page needs.
OPEN_PATHS = ("/login", "/logout", "/healthz", "/metrics")  # /metrics: its own rule
OPEN_PREFIXES = ("/static/",)


class LoginRequiredError(Exception):
    """An anonymous visitor asked for a page they must sign in for."""

    def __init__(self, next_url: str, detail: str = SIGN_IN_TO_EDIT):
        self.next_url = next_url
        self.detail = detail


@dataclass(frozen=True)
class EditorRequest:
    session: Session
    form: FormData


def current_session(request: Request) -> Session | None:
    """The signed-in session of this request (looked up once per request), or None: from an
    API token on /api routes that carry one, else from the session cookie."""
    cached = getattr(request.state, "glossary_session", _UNSET)
    if cached is _UNSET:
        glossary: Glossary = request.app.state.glossary
        token = bearer_token(request)
        identity = request.scope.get(SCOPE_KEY)
        if token is not None:
            cached = _token_session(glossary, token)
        else:  # no cookie, no lookup: anonymous pages never load the accounts code
            cookie = request.cookies.get(SESSION_COOKIE)
            cached = glossary.auth.get_session(cookie) if cookie else None
        if cached is None and identity is not None:  # a password sign-in goes first: it
            cached = _proxy_session(glossary, identity)  # has the CSRF token forms need
        request.state.glossary_session = cached
    return cached


def current_viewer(request: Request) -> Viewer:
    """Who reads, for the access rule: anonymous, or the signed-in account with its
    departments (an admin reads everything). With KB_ANONYMOUS_ACCESS=false an anonymous
    visitor reads nothing: LoginRequiredError (a redirect to /login, or 401 on /api)."""
    session = current_session(request)
    if session is None:
        if not request.app.state.settings.anonymous_access:
            raise LoginRequiredError(here(request), SIGN_IN_TO_READ)
        return Viewer.anonymous()
    user = session.user
    return Viewer(True, user.name, user.departments, admin=user.is_admin)


ViewerDep = Annotated[Viewer, Depends(current_viewer)]


def bearer_token(request: Request) -> str | None:
    """The token of `Authorization: Bearer <token>` on an /api or /feeds route, or of
    `?token=` on a feed (feed readers can rarely send headers); None elsewhere."""
    path = request.url.path
    if not path.startswith(TOKEN_PATHS):
        return None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return token.strip()
    if path.startswith("/feeds/"):
        return request.query_params.get("token") or None
    return None


def _token_session(glossary: Glossary, token: str) -> Session:
    user = glossary.tokens.user_for(token) if len(token) <= MAX_TOKEN_CHARS else None
    if user is None:
        raise HTTPException(
            401,
            "This API token is not valid: unknown, revoked or expired.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    return Session(user, expires_at="", csrf_token="")  # no CSRF token: no forms by token


def _proxy_session(glossary: Glossary, identity: ProxyIdentity) -> Session | None:
    """A reader with the proxy's departments, or the account of that name with its role.
    Departments come from the proxy when it sends them, else from the account. No CSRF
    token: forms that change things still need a password sign-in."""
    account, disabled = glossary.auth.active_user(identity.name)
    if disabled:
        return None  # disabled in Lessonbase: the proxy's sign-in does not bring it back
    if account is None:
        user = User(identity.name, "reader", departments=identity.departments or ())
    elif identity.departments is not None:
        user = replace(account, departments=identity.departments)
    else:
        user = account
    return Session(user, expires_at="", csrf_token="")


def api_token_user(request: Request) -> None:
    """On every route (an app-wide dependency): a request to /api with an API token acts as
    its user, and one with a bad token is refused, even where no route asks who it is."""
    if bearer_token(request) is not None:
        current_session(request)


def reader_required(request: Request) -> None:
    """On every route (an app-wide dependency): with KB_ANONYMOUS_ACCESS=false, an anonymous
    visitor is stopped by current_viewer before any route runs, whether or not the route asks
    who reads (glossary pages, future pages); the sign-in page and OPEN_PATHS stay open."""
    if request.app.state.settings.anonymous_access:
        return
    path = request.url.path
    if path not in OPEN_PATHS and not path.startswith(OPEN_PREFIXES):
        current_viewer(request)


def here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(url: str | None, default: str = "/glossary") -> str:
    """Only paths on this site: '/x' yes; '//evil', 'https://evil', '/\\evil' no."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return default
    return url


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(next_url, safe="")


def editor_session(request: Request) -> Session:
    """For editor pages (GET): anonymous -> sign in first; readers -> 403."""
    session = current_session(request)
    if session is None:
        raise LoginRequiredError(here(request))
    if not session.user.can_edit:
        raise HTTPException(
            403,
            f"Only glossary editors may open this page; {session.user.name} is a {session.user.role}.",
        )
    return session


async def verified_form(request: Request) -> FormData:
    """The POSTed form, if its csrf_token is this session's; 403 otherwise."""
    form = await request.form(max_files=1, max_fields=2000)
    session = current_session(request)
    token = form.get("csrf_token")
    if not request.app.state.glossary.auth.check_csrf(
        session, token if isinstance(token, str) else None
    ):
        raise HTTPException(
            403,
            "This form has expired or did not come from this site (CSRF check failed). Reload the page and try again.",
        )
    return form


async def editor_form(request: Request) -> EditorRequest:
    """A CSRF-checked form from a signed-in editor; 403 for anyone else."""
    form = await verified_form(request)
    session = current_session(request)
    if not session.user.can_edit:
        raise HTTPException(
            403,
            f"Only glossary editors may change the glossary; {session.user.name} is a {session.user.role}.",
        )
    return EditorRequest(session, form)


async def login_form(request: Request) -> FormData:
    """The login form, if its token matches the login cookie set with the form."""
    form = await request.form(max_files=0, max_fields=20)
    cookie, token = request.cookies.get(LOGIN_COOKIE) or "", form.get("csrf_token")
    if (
        not cookie
        or not isinstance(token, str)
        or not hmac.compare_digest(cookie.encode(), token.encode())
    ):
        raise HTTPException(
            403, "The sign-in form has expired (CSRF check failed). Reload the page and try again."
        )
    return form


def login_token(request: Request) -> str:
    return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)


def set_cookie(response: Response, request: Request, name: str, value: str, **extra) -> None:
    """HttpOnly, SameSite=lax, and Secure if configured or if the request came over HTTPS
    (directly, or through a trusted proxy's X-Forwarded-Proto: see create_app)."""
    secure = request.app.state.settings.secure_cookies or request.url.scheme == "https"
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, **extra)


async def login_required(request: Request, exc: LoginRequiredError) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=401)
    return RedirectResponse(login_url(exc.next_url), status_code=303)


OptionalSession = Annotated[Session | None, Depends(current_session)]
EditorSession = Annotated[Session, Depends(editor_session)]
EditorForm = Annotated[EditorRequest, Depends(editor_form)]
VerifiedForm = Annotated[FormData, Depends(verified_form)]
LoginForm = Annotated[FormData, Depends(login_form)]
