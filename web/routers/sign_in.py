"""Signing in and out: `GET/POST /login` and `POST /logout`."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kb.glossary import User
from kb.glossary.throttle import SignInRefused
from web.deps import GlossaryDep
from web.rendering import Page, html_response, render
from web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    LoginForm,
    VerifiedForm,
    login_token,
    safe_next,
    set_cookie,
)

router = APIRouter(tags=["pages"])
LOGIN_FAILED = "Sign-in failed: the user name or the password is not right."
LOGIN_COOKIE_SECONDS = 3600


def login_page(
    request: Request, next_url: str, name: str = "", error: str = "", status: int = 200
) -> Page:
    """The sign-in form (again, with the error); its JSON twin is the error alone. The HTML
    sets the cookie the form's CSRF token is checked against."""
    token = login_token(request)
    context = {"next_url": next_url, "name": name, "error": error, "login_token": token}

    def set_login_cookie(response: Response) -> None:
        set_cookie(
            response, request, LOGIN_COOKIE, token, max_age=LOGIN_COOKIE_SECONDS, path="/login"
        )

    return Page("login.html", {"detail": error}, lambda: context, status, on_html=set_login_cookie)


@router.get("/login", summary="Sign-in page", response_class=HTMLResponse)
def login(request: Request, next: str = "") -> Response:
    """The sign-in form; `next` is where to go afterwards (a path on this site)."""
    return html_response(request, login_page(request, safe_next(next)))


@router.post("/login", summary="Sign in", response_class=HTMLResponse)
def login_submit(request: Request, form: LoginForm, glossary: GlossaryDep) -> Response:
    """Check the name and password; on success set the session cookie and go to `next`."""
    name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
    next_url = safe_next(str(form.get("next") or ""))
    try:
        user = sign_in(glossary, name, password, client_address(request))
    except SignInRefused as refused:
        return render(request, refused_page(request, next_url, name, refused))
    if user is None:
        return render(request, login_page(request, next_url, name, LOGIN_FAILED, 401))
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        glossary.auth.delete_session(old)
    session = glossary.auth.create_session(user)
    response = RedirectResponse(next_url, status_code=303)
    set_cookie(response, request, SESSION_COOKIE, session.token)
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def sign_in(glossary, name: str, password: str, address: str) -> User | None:
    """The user, or None (an empty field checks nothing); SignInRefused while throttled."""
    return glossary.auth.sign_in(name, password, address) if name and password else None


def client_address(request: Request) -> str:
    """The client's address; behind a trusted proxy, uvicorn has put X-Forwarded-For here."""
    return request.client.host if request.client else "unknown"


def refused_page(request: Request, next_url: str, name: str, refused: SignInRefused) -> Page:
    """429 with Retry-After: the login page saying why and for how long, or that as JSON."""
    page = login_page(request, next_url, name, refused.message, 429)
    data = {"detail": refused.message, "reason": refused.reason, "retry_after": refused.retry_after}
    return replace(page, data=data, headers={"Retry-After": str(refused.retry_after)})


@router.post("/logout", summary="Sign out")
def logout(request: Request, form: VerifiedForm, glossary: GlossaryDep) -> Response:
    """End the session (the form carries its CSRF token) and go back to the search page."""
    glossary.auth.delete_session(request.cookies.get(SESSION_COOKIE) or "")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
