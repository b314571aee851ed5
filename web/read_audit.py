"""Recording reads of restricted documents (kb/audit.py) from the routes that show one in
full: the document page, its JSON twin and /api/documents/{id}."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from kb.access import Viewer, level_of
from kb.audit import ReadLog
from kb.documents.schema import Document
from web.rendering import wants_json
from web.security import ViewerDep


@dataclass(frozen=True)
class ReadRecorder:
    """Records `viewer` reading a document through `route`, if the document is restricted."""

    log: ReadLog | None  # None: not recorded (the benchmark's baseline)
    viewer: Viewer
    route: str
    default_sensitivity: str

    def shown(self, document: Document) -> None:
        if self.log is None:
            return
        if level_of(document.sensitivity, self.default_sensitivity) == "restricted":
            self.log.record(self.viewer.name, document.id, self.route)


def route_name(request: Request) -> str:
    if request.url.path.startswith("/api/"):
        return "api"
    return "json" if wants_json(request) else "page"


def read_recorder(request: Request, viewer: ViewerDep) -> ReadRecorder:
    app_state = request.app.state
    default = app_state.settings.default_sensitivity
    return ReadRecorder(app_state.read_log, viewer, route_name(request), default)


ReadRecorderDep = Annotated[ReadRecorder, Depends(read_recorder)]
