"""What `/metrics` reports (web/routers/metrics.py serves it): requests by route template,
their latencies, and the index's figures, in one prometheus-client registry per app.

Requests are labelled by the route's template (`/documents/{doc_id:path}`), never the raw
path, so the number of series stays bounded by the routes the app has; a path no route
matches counts as `unmatched`. The index figures are read when Prometheus scrapes, from the
live generation.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kb.knowledge_base import KnowledgeBase

UNMATCHED = "unmatched"
# Pages take 30-50 ms on the shared 2 cores, searches by meaning up to seconds under load.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class IndexCollector:
    """The live generation's number, documents and chunks; the model's load time."""

    def __init__(self, kb: KnowledgeBase, model_load_seconds: float):
        self.kb = kb
        self.model_load_seconds = model_load_seconds

    def collect(self):
        manifest = self.kb.manifest
        figures = (
            ("index_generation", "Number of the index generation being served.", manifest.generation),
            ("documents", "Documents in the index served.", manifest.counts.get("documents", 0)),
            ("chunks", "Chunks (passages) in the index served.", manifest.counts.get("chunks", 0)),
            ("model_load_seconds", "Seconds the server took at start to open the index and "
             "load and warm up the embedding model.", self.model_load_seconds),
        )  # fmt: skip
        for name, documentation, value in figures:
            yield GaugeMetricFamily(f"lessonbase_{name}", documentation, value=value)


class ServerMetrics:
    """One app's registry: request counts and latencies, and the index collector."""

    def __init__(self, kb: KnowledgeBase, model_load_seconds: float):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "lessonbase_http_requests", "HTTP requests answered, by route template and status.",
            ("method", "route", "status"), registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "lessonbase_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template.",
            ("method", "route"), buckets=LATENCY_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.registry.register(IndexCollector(kb, model_load_seconds))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)


def route_template(scope: Scope) -> str:
    """The template of the route that answered (set on the scope by the router)."""
    route = scope.get("route")
    return getattr(route, "path", None) or UNMATCHED


class RequestMetrics:
    """A pure ASGI middleware timing each request until its last byte is sent."""

    def __init__(self, app: ASGIApp, metrics: ServerMetrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers if the app raises before responding

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe(scope["method"], route_template(scope), status, elapsed)
