"""`GET /metrics`: the server's figures in Prometheus text format (web/metrics.py).

Who may read them: admins, signed in or by an admin's API token (Prometheus sends one with
`authorization: credentials_file`), unless KB_METRICS_PUBLIC. The figures name no person or
document, but the routes' traffic and latencies tell an outsider what the organization
searches and when, and help time attacks; a scraper's address is not proof enough, since
behind a reverse proxy every request may come from the proxy (docs/deploy.md#metrics).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from web.security import current_session

router = APIRouter()

REFUSED = "Metrics are for admins: sign in as one, or send an admin's API token."


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """The registry as Prometheus text; 401 anonymous, 403 for anyone but an admin."""
    if not request.app.state.settings.metrics_public:
        session = current_session(request)
        if session is None:
            raise HTTPException(
                401, REFUSED, headers={"WWW-Authenticate": 'Bearer realm="metrics"'}
            )
        if not session.user.is_admin:
            raise HTTPException(403, REFUSED)
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
