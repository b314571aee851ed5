"""The application factory: `create_app(settings)` is what `kb serve` and the tests run."""

from __future__ import annotations

import time
from pathlib import Path

from argon2 import PasswordHasher
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from kb.audit import ReadLog
from kb.contributions import Publisher
from kb.glossary import Glossary
from kb.glossary.clock import Clock, utc_now
from kb.glossary.throttle import SignInLimits
from kb.insights.events import EventRecorder
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from kb.state import StateDB
from web.body_limit import install_body_limit
from web.deps import check_format
from web.error_handlers import install_error_handlers
from web.metrics import RequestMetrics, ServerMetrics
from web.pinning import PinGeneration
from web.routers import (
    action_pages,
    admin_reads,
    admin_users,
    contribution_api,
    contribution_pages,
    document_pages,
    feeds,
    glossary_edit,
    glossary_pages,
    glossary_review,
    insights_pages,
    kickoff_api,
    kickoff_pages,
    metrics,
    pages,
    recurring_pages,
    search_pages,
    sign_in,
)
from web.security import api_token_user, reader_required
from web.templating import build_templates
from web.trusted_identity import IdentityHeaders, TrustedIdentityMiddleware
from web.upload_worker import UploadWorker
from web.usage import serving

STATIC_DIR = Path(__file__).resolve().parent / "static"
SWAGGER_UI_URL = "/swagger-ui"

DESCRIPTION = """
Search the lessons, retrospectives and meeting notes that every department has written.

The HTML pages have JSON twins (`?format=json`); the endpoints under `/api` return JSON only.
"""

OPENAPI_TAGS = [
    {"name": "api", "description": "JSON endpoints for scripts and other tools."},
    {"name": "pages", "description": "Server-rendered HTML pages (add `?format=json` for data)."},
    {"name": "glossary", "description": "The glossary: public pages and the editors' workflow."},
]


def create_app(
    settings: Settings,
    kb: KnowledgeBase | None = None,
    editorial: Glossary | None = None,
    publisher: Publisher | None = None,
) -> FastAPI:
    """Build the web app over `kb`, or over the index in `settings.kb_dir`, with the
    `editorial` state (users, terms) given or that of build_glossary. `publisher` indexes
    published contributions (the web layer cannot import the indexer: kb serve passes it);
    without one, publishing answers 503.

    Raises kb.problems.IndexUnavailableError if no usable index is there.
    """
    knowledge_base = kb if kb is not None else KnowledgeBase(settings)
    started = time.perf_counter()
    knowledge_base.prepare_for_serving()  # opens the index, loads and warms up the model
    model_load_seconds = time.perf_counter() - started
    # fastapi-offline serves Swagger UI 5 (which reads the OpenAPI 3.1 FastAPI writes) from
    # files in the package, as these machines reach no CDN; /docs is our page (_add_api_docs).
    app = FastAPIOffline(
        title="Lessonbase",
        summary="Learn from every department's lessons, retrospectives and meeting notes.",
        description=DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
        docs_url=None,
        redoc_url=None,
        static_url=SWAGGER_UI_URL,
        lifespan=serving,
        dependencies=[Depends(check_format), Depends(api_token_user), Depends(reader_required)],
    )
    app.state.settings = settings
    app.state.kb = knowledge_base
    app.state.glossary = (
        editorial if editorial is not None else build_glossary(settings, knowledge_base)
    )
    knowledge_base.use_glossary(app.state.glossary.expansions)
    app.state.read_log = ReadLog(app.state.glossary.state)
    app.state.events = EventRecorder.from_settings(
        settings, app.state.glossary.state, app.state.glossary.clock
    )
    app.state.publisher = publisher
    app.state.templates = build_templates()
    app.state.upload_worker = UploadWorker(settings.upload_parse_seconds)  # starts on first use
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    routers = (
        action_pages,
        search_pages,
        document_pages,
        pages,
        sign_in,
        glossary_edit,
        glossary_review,
        glossary_pages,
        kickoff_pages,
        kickoff_api,
        feeds,
        admin_users,
        admin_reads,
        recurring_pages,
        insights_pages,
        metrics,
        contribution_api,
        contribution_pages,
    )
    for module in routers:  # glossary_edit first: /terms/{key}/edit before /terms/{key}
        app.include_router(module.router)
    install_error_handlers(app)
    app.add_middleware(PinGeneration, kb=knowledge_base)
    app.state.metrics = ServerMetrics(knowledge_base, model_load_seconds)
    app.add_middleware(RequestMetrics, metrics=app.state.metrics)
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    # after (so outside) ProxyHeadersMiddleware: judges the proxy's own address
    app.add_middleware(TrustedIdentityMiddleware, headers=IdentityHeaders.from_settings(settings))
    install_body_limit(app, settings)  # keep last: the outermost middleware
    _add_api_docs(app)
    return app


def build_glossary(
    settings: Settings,
    kb: KnowledgeBase,
    hasher: PasswordHasher | None = None,
    clock: Clock = utc_now,
) -> Glossary:
    """Editorial state (terms, history, accounts) in the state database
    (settings.database_url) over the candidates of kb's live generation.

    Raises kb.state.StaleSchemaError unless that database is at the newest schema; an empty
    embedded SQLite database is created, an empty server database is left to `kb db upgrade`
    (run once, not raced by several servers starting together).
    """
    limits = SignInLimits(
        settings.login_max_failures, settings.login_lock_minutes, settings.login_concurrency
    )
    state = StateDB.from_settings(settings)
    state.require_current(create_empty=state.is_sqlite)
    return Glossary(
        settings.kb_dir,
        lambda: kb.store,
        session_hours=settings.session_hours,
        hasher=hasher,
        clock=clock,
        sign_in_limits=limits,
        state=state,
    )


def _add_api_docs(app: FastAPI) -> None:
    """/docs: Swagger UI in a page of ours rather than FastAPI's, for a `lang`, a main landmark,
    readable colours (static/api-docs.css) and no script inline (static/api-docs.js)."""

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        context = {"openapi_url": app.openapi_url, "swagger_ui": SWAGGER_UI_URL}
        return app.state.templates.TemplateResponse(request, "api_docs.html", context)
