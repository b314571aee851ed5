"""Request bodies bounded while they arrive, for every route, before routing and sign-in.

A declared Content-Length over the limit is answered 413 at once, the body unread (the server
discards it). A chunked body, or one longer than declared, is counted as the app reads it: the
read that passes the limit raises a 413 instead of returning, so no more than the limit is
ever buffered in memory or spooled to the temporary directory. Routes that take a file may
carry `max_upload_bytes` plus the other fields of the form; every other route
`max_request_bytes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.settings import Settings
from web.error_handlers import http_error
from web.security import FORM_OVERHEAD

UPLOAD_PATHS = frozenset(
    {"/kickoff", "/api/kickoff", "/glossary/import", "/contribute/upload"}
)  # take a file


class BodyTooLargeError(HTTPException):
    """A request body past its route's limit; the message names the limit."""

    def __init__(self, message: str):
        super().__init__(413, message)


@dataclass(frozen=True)
class BodyLimit:
    """The most a route's body may hold, and the refusal that names it."""

    max_bytes: int
    message: str

    @classmethod
    def for_path(cls, path: str, settings: Settings) -> BodyLimit:
        if path.rstrip("/") in UPLOAD_PATHS:
            upload = settings.max_upload_bytes
            message = f"The request is larger than the {upload:,}-byte upload limit."
            return cls(upload + FORM_OVERHEAD, message)
        limit = settings.max_request_bytes
        message = f"The request is larger than the {limit:,}-byte limit for requests without a file upload."
        return cls(limit, message)


class BodyLimitMiddleware:
    """Pure ASGI, so it sees each chunk of the body as the server delivers it."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"].removeprefix(scope.get("root_path", ""))  # as the routes see it
        limit = BodyLimit.for_path(path, self.settings)
        declared = declared_length(scope)
        if declared is not None and declared > limit.max_bytes:
            response = await http_error(Request(scope), BodyTooLargeError(limit.message))
            await response(scope, receive, send)
            return
        await self.app(scope, counting_receive(receive, limit), send)


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def counting_receive(receive: Receive, limit: BodyLimit) -> Receive:
    """`receive`, raising BodyTooLargeError instead of returning the chunk past the limit."""
    received = 0

    async def bounded() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit.max_bytes:
                raise BodyTooLargeError(limit.message)
        return message

    return bounded


def install_body_limit(app: FastAPI, settings: Settings) -> None:
    """Add the middleware; added last, it runs first (outside every other middleware)."""
    app.add_middleware(BodyLimitMiddleware, settings=settings)
