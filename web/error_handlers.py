"""Error responses: an HTML page for people, JSON for the API and `?format=json` requests."""

from __future__ import annotations

from dataclasses import replace

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from kb.glossary import (
    ConcurrentEditError,
    GlossaryError,
    ImportFailedError,
    InvalidFieldsError,
    NotFoundError,
    PermissionDeniedError,
)
from kb.problems import IndexUnavailableError
from kb.search import SearchParameterError
from web.params import from_search_error, query_name
from web.rendering import Page, render
from web.security import LoginRequiredError, login_required

INDEX_HELP = (
    "Build the index with `kb index PATH --kb DIR` (for example "
    "`kb index examples/corpus --kb kb-index`), then start the server again with the same --kb."
)
TITLES = {
    400: "Not possible",
    401: "Sign-in required",
    403: "Not allowed",
    404: "Not found",
    409: "Changed meanwhile",
    413: "Too large",
    415: "Unsupported file type",
    422: "Invalid request",
    503: "Index unavailable",
}
GLOSSARY_STATUS = {
    NotFoundError: 404,
    PermissionDeniedError: 403,
    ConcurrentEditError: 409,
    InvalidFieldsError: 422,
    ImportFailedError: 422,
}


def error_page(
    status: int,
    message: str,
    details: list[str] | None = None,
    hint: str = "",
    headers: dict[str, str] | None = None,
) -> Page:
    """One error: the error page, whose JSON twin is `{"detail": message}`."""
    context = {
        "title": TITLES.get(status, "Error"),
        "status": status,
        "message": message,
        "details": details or [],
        "hint": hint,
    }
    return Page("error.html", {"detail": message}, lambda: context, status, headers or {})


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """One error, as JSON or as the error page, depending on who asked."""
    return render(request, error_page(status, message, headers=headers))


async def http_error(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"There is no page at {request.url.path}."
    else:
        message = str(exc.detail)
    return error_response(request, exc.status_code, message, headers=exc.headers)


def describe_validation_error(error: dict) -> str:
    """`{"loc": ("query", "k"), "msg": "..."}` -> `k: ...`, naming the parameter."""
    names = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name, message = ".".join(names) or "request", str(error.get("msg", "invalid value"))
    return message if message.startswith(f"{name} ") else f"{name}: {message}"


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = _distinct(exc.errors())
    details = [describe_validation_error(error) for error in errors]
    page = error_page(422, "Some of the search parameters are not valid.", details)
    return render(request, replace(page, data={"detail": jsonable_encoder(errors)}))


def _distinct(errors) -> list[dict]:
    """Each error once: `format` is checked by every route and again by a page with a JSON
    twin, and a bad value would otherwise be listed twice."""
    seen, distinct = set(), []
    for error in errors:
        key = (tuple(error.get("loc", ())), error.get("msg"))
        if key not in seen:
            seen.add(key)
            distinct.append(error)
    return distinct


async def search_parameter_error(request: Request, exc: SearchParameterError) -> Response:
    """kb refused a search parameter: the same 422 as FastAPI's own, naming it."""
    value = request.query_params.get(query_name(exc.parameter))
    return await validation_error(request, from_search_error(exc, value))


async def index_unavailable(request: Request, exc: IndexUnavailableError) -> Response:
    message = f"The search index is missing or corrupt: {exc}"
    page = error_page(503, message, hint=INDEX_HELP)
    data = {"detail": message, "error": "index_unavailable", "help": INDEX_HELP}
    return render(request, replace(page, data=data))


async def glossary_error(request: Request, exc: GlossaryError) -> Response:
    """A refused glossary action that no page handled itself: its message and status."""
    status = next((code for kind, code in GLOSSARY_STATUS.items() if isinstance(exc, kind)), 400)
    return error_response(request, status, exc.message)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(SearchParameterError, search_parameter_error)
    app.add_exception_handler(IndexUnavailableError, index_unavailable)
    app.add_exception_handler(GlossaryError, glossary_error)
    app.add_exception_handler(LoginRequiredError, login_required)
