"""Who gets JSON: the rule every page, error and sign-in answer follows."""

from __future__ import annotations

from fastapi import Request


def wants_json(request: Request) -> bool:
    """JSON for the API, /healthz, `?format=json` and clients that accept JSON but not HTML."""
    path = request.url.path
    if path.startswith("/api/") or path == "/healthz":
        return True
    if request.query_params.get("format") == "json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept
