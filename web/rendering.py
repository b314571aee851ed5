"""One renderer for every page: the HTML page for people, or its JSON twin.

A page route returns a `Page`: the data of its JSON twin, its template, and the template's
variables, built only when HTML is sent. `render` answers with the data as JSON for
`?format=json`, under /api/ and for clients that accept JSON but not HTML (`wants_json`),
and with the HTML page otherwise, as Datasette's views do. `page_route` registers a GET
route over a function that returns a Page; the /api routes call the same functions.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from web.deps import FormatQuery

# The OpenAPI entry of a page's JSON twin (the HTML is the route's default response).
JSON_TWIN = {200: {"content": {"application/json": {}}}}


def wants_json(request: Request) -> bool:
    """JSON for the API, /healthz, `?format=json` and clients that accept JSON but not HTML."""
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz":
        return True
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


@dataclass(frozen=True)
class Page:
    """A page in both forms: `data` is the JSON twin's body; `template` rendered with what
    `context()` returns is the HTML page (context is called only when HTML is sent)."""

    template: str
    data: Any
    context: Callable[[], dict]
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    on_html: Callable[[Response], None] | None = None  # e.g. set the form's CSRF cookie


PageFunction = Callable[..., Page | Response]


def html_response(request: Request, page: Page) -> Response:
    """The HTML page, whoever asked: for forms shown again after a refused POST."""
    response = request.app.state.templates.TemplateResponse(
        request, page.template, page.context(), status_code=page.status, headers=dict(page.headers)
    )
    if page.on_html is not None:
        page.on_html(response)
    return response


def render(request: Request, page: Page | Response) -> Response:
    """The JSON twin or the HTML page, as `wants_json` decides; a Response (a redirect)
    passes through unchanged."""
    if isinstance(page, Response):
        return page
    if wants_json(request):
        return JSONResponse(page.data, status_code=page.status, headers=dict(page.headers))
    return html_response(request, page)


def with_json_format(request: Request, url: str) -> str:
    """`url` + `?format=json` when this request asked so: a redirect keeps the JSON twin."""
    return url + ("?format=json" if request.query_params.get("format") == "json" else "")


def page_route(
    router: APIRouter, path: str, *, responses: dict | None = None, **options: Any
) -> Callable[[PageFunction], PageFunction]:
    """`@page_route(router, "/glossary", summary=...)` over a function returning a Page (or a
    Response): the GET route answering HTML or the JSON twin, documented as both. The
    function stays as it is, so /api routes can call it for the same data."""

    def register(build: PageFunction) -> PageFunction:
        router.add_api_route(
            path,
            page_endpoint(build),
            methods=["GET"],
            response_class=HTMLResponse,
            responses={**(responses or {}), **JSON_TWIN},
            **options,
        )
        return build

    return register


def page_endpoint(build: PageFunction) -> Callable[..., Response]:
    """An endpoint with `build`'s parameters, the request and `format`, that renders what
    `build` returns. FastAPI reads the parameters from `__signature__`, so it validates all
    of them, `format` included, before `build` runs, as for any endpoint."""
    own = inspect.signature(build, eval_str=True).parameters
    passes_request = "request" in own

    def endpoint(request: Request, response_format: str = "html", **arguments: Any) -> Response:
        if passes_request:
            arguments["request"] = request
        return render(request, build(**arguments))

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [param.replace(kind=keyword) for name, param in own.items() if name != "request"]
    parameters += [
        inspect.Parameter("request", keyword, annotation=Request),
        inspect.Parameter("response_format", keyword, default="html", annotation=FormatQuery),
    ]
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Response)
    endpoint.__name__ = endpoint.__qualname__ = build.__name__
    endpoint.__doc__ = build.__doc__
    return endpoint
