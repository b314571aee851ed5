"""What the web counts as use, for the insights page (kb/insights/events.py records it).

Counted: searches (their first page) on `/` and `/api/search`, documents opened on
`/documents/{id}` (and its JSON twin) and `/api/documents/{id}`, clicks on related lessons
and on the search page's other-departments box (their links carry `?from=related` and
`?from=others`: the document view that follows is recorded as that click instead), the
lessons of a saved kickoff pack, and action status changes.

Not counted: health checks, /metrics and static files (no hook there), HEAD requests (link
checkers), and requests without an API token whose User-Agent is missing or names a robot or a
scripted fetcher (BOT_AGENTS: crawlers, link previewers, uptime monitors, curl, wget,
python-requests). A request with an API token is a person's script and is always counted.
"""

from __future__ import annotations

import re
import sys
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from kb.access import Viewer
from kb.documents.schema import Document
from kb.insights.events import EventRecorder
from kb.kickoff.model import KickoffPack
from web.security import ViewerDep, bearer_token
from web.upload_worker import stopping_upload_worker

BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|scrap|archiver|facebookexternalhit|embedly|"
    r"curl|wget|python-requests|python-urllib|go-http-client|libwww|java/|okhttp|"
    r"headless|lighthouse|uptime|pingdom|monitor|probe|check|prometheus",
    re.IGNORECASE,
)
PRUNE_EVERY_SECONDS = 24 * 3600


def counted(request: Request) -> bool:
    """Whether this request is a person's use (see the module's docstring)."""
    if request.method == "HEAD":
        return False
    if bearer_token(request) is not None:
        return True
    agent = request.headers.get("user-agent", "")
    return bool(agent) and BOT_AGENTS.search(agent) is None


@dataclass(frozen=True)
class Usage:
    """The request's use, recorded through `events` (None: this request is not counted)."""

    events: EventRecorder | None
    viewer: Viewer
    via: str = ""  # ?from=: related, others or search on a document link
    query: str = ""  # ?q= on a search result's link: the search it was found by

    def searched(self, query: str, filters: dict, results: int) -> None:
        if self.events is not None:
            self.events.search(self.viewer, query, filters, results)

    def opened(self, document: Document) -> None:
        if self.events is not None:
            self.events.view(self.viewer, document.id, document.department, self.via, self.query)

    def saved_pack(self, pack: KickoffPack) -> None:
        if self.events is not None:
            for lesson in pack.lessons:
                self.events.pack_include(self.viewer, lesson.id, lesson.department, pack.id)

    def contributed(self, contribution_id: str, state: str, department: str, **more) -> None:
        """A contribution reached `state`; `more`: doc_id once published, positive (bool)."""
        if self.events is not None:
            self.events.contribution(self.viewer, contribution_id, state, department, **more)

    def changed_action(self, action_id: str, status: str, doc_id: str, department: str) -> None:
        if self.events is not None:
            self.events.action_change(self.viewer, action_id, status, doc_id, department)


def usage(request: Request, viewer: ViewerDep) -> Usage:
    events = request.app.state.events if counted(request) else None
    via = request.query_params.get("from", "")[:20]
    query = request.query_params.get("q", "") if via == "search" else ""
    return Usage(events, viewer, via, query)


UsageDep = Annotated[Usage, Depends(usage)]


class DailyPrune:
    """Summarizes and drops events past retention at server start, then once a day."""

    def __init__(self, events: EventRecorder, every_seconds: float = PRUNE_EVERY_SECONDS):
        self.events = events
        self.every_seconds = every_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="usage-prune")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while True:
            try:
                self.events.prune()
            except Exception as exc:  # a server keeps serving; the next day tries again
                print(f"usage events not pruned: {exc}", file=sys.stderr)
            if self._stop.wait(self.every_seconds):
                return


@asynccontextmanager
async def serving(app: FastAPI):
    """The app's lifespan: daily pruning of usage events while serving; at the end, the
    events queued are written and the upload worker stops."""
    pruning = DailyPrune(app.state.events)
    pruning.start()
    try:
        async with stopping_upload_worker(app):
            yield
    finally:
        pruning.stop()
        app.state.events.close()
