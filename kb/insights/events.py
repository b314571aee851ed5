"""Recording use for the insights page (issue #24): who searched, read, clicked, applied and
contributed what, as usage events in the state database (kb/state/tables.py usage_events).

Respecting people: an event names the actor's department (their first one; "" when anonymous),
never the person, unless an admin turns on `usage_record_names`. Events are queued and written
in batches behind the request (kb/state/write_behind.py), so recording costs a page
microseconds. Events older than `usage_retention_days` are summarized and dropped
(kb/insights/retention.py). The web decides what is counted (web/usage.py: no bots, no
health checks); this module records what it is given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from kb.access import Viewer
from kb.glossary.clock import Clock, timestamp, utc_now
from kb.insights.model import EVENT_KINDS
from kb.insights.retention import PruneResult, prune_events
from kb.settings import Settings
from kb.state import StateDB
from kb.state.write_behind import WriteBehind

MAX_QUERY_CHARS = 500  # a longer query is kept cut: enough to see what was looked for
MAX_ID_CHARS = 1000
MAX_DETAIL_CHARS = 2000
EMPTY_COLUMNS = {"doc_id": None, "doc_department": None, "query": None, "results": None}
CLICK_KINDS = {"related": "related_click", "others": "other_departments_click"}


@dataclass(frozen=True)
class Actor:
    """Who did it, as recorded: a department, and a name only when names are recorded."""

    department: str
    user_name: str | None = None


class EventRecorder:
    """Queues usage events and writes them in batches; one per server (app.state.events)."""

    def __init__(
        self,
        state: StateDB,
        record_names: bool = False,
        retention_days: int = 400,
        clock: Clock = utc_now,
        flush_seconds: float = 1.0,
    ):
        if retention_days < 1:
            raise ValueError(f"usage_retention_days: at least 1 day, got {retention_days}")
        self.state = state
        self.record_names = record_names
        self.retention_days = retention_days
        self.clock = clock
        self._rows = WriteBehind(state, "usage_events", "usage events", flush_seconds)

    @classmethod
    def from_settings(cls, settings: Settings, state: StateDB, clock: Clock = utc_now):
        return cls(state, settings.usage_record_names, settings.usage_retention_days, clock)

    def actor(self, viewer: Viewer) -> Actor:
        department = viewer.departments[0] if viewer.signed_in and viewer.departments else ""
        named = self.record_names and viewer.signed_in and viewer.name
        return Actor(department, viewer.name if named else None)

    def search(self, viewer: Viewer, query: str, filters: Mapping, results: int) -> None:
        """A search asked (its first page): what, with which filters, how many matched."""
        self._record("search", viewer, query=query[:MAX_QUERY_CHARS], results=results,
                     detail=filters)  # fmt: skip

    def view(
        self, viewer: Viewer, doc_id: str, doc_department: str, via: str = "", query: str = ""
    ) -> None:
        """A document opened; `via` "related" or "others" makes it a click on the related
        lessons or on the search page's other-departments box; `query`: the search whose
        result it was (what tells a search gap from a search that found something)."""
        kind = CLICK_KINDS.get(via, "view")
        self._record(kind, viewer, doc_id=doc_id, doc_department=doc_department,
                     query=query[:MAX_QUERY_CHARS] or None)  # fmt: skip

    def pack_include(
        self, viewer: Viewer, doc_id: str, doc_department: str, pack_id: str = ""
    ) -> None:
        """A lesson in a kickoff pack that was saved (one event per lesson)."""
        self._record("pack_include", viewer, doc_id=doc_id, doc_department=doc_department,
                     detail={"pack": pack_id})  # fmt: skip

    def contribution(
        self,
        viewer: Viewer,
        contribution_id: str,
        state: str,
        doc_department: str,
        doc_id: str = "",
        positive: bool | None = None,
    ) -> None:
        """A contribution reached `state` (submitted, approved, published, ...): call it on
        each change, with the lesson's department and, once it has one, its document id."""
        detail = {"contribution": contribution_id, "state": state}
        if positive is not None:
            detail["positive"] = positive
        self._record("contribution", viewer, doc_id=doc_id or None,
                     doc_department=doc_department, detail=detail)  # fmt: skip

    def action_change(
        self, viewer: Viewer, action_id: str, status: str, doc_id: str, doc_department: str
    ) -> None:
        """An action item's status changed (open, in progress, done, dropped)."""
        self._record("action_change", viewer, doc_id=doc_id, doc_department=doc_department,
                     detail={"action": action_id, "status": status})  # fmt: skip

    def flush(self) -> None:
        """Write the queued events now (the server does within `flush_seconds`)."""
        self._rows.flush()

    def close(self) -> None:
        self._rows.close()

    def prune(self, now=None) -> PruneResult:
        """Summarize the events older than the retention period into monthly counts and drop
        them, in one transaction (the queue is written first)."""
        self.flush()
        return prune_events(self.state, self.retention_days, now or self.clock())

    def _record(self, kind: str, viewer: Viewer, detail: Mapping | None = None, **columns):
        assert kind in EVENT_KINDS, kind
        actor = self.actor(viewer)
        row = {**EMPTY_COLUMNS, **columns}  # every row has every column: one batched INSERT
        if row["doc_id"]:
            row["doc_id"] = row["doc_id"][:MAX_ID_CHARS]
        at = timestamp(self.clock())
        detail = _detail_json(detail)
        self._rows.add(dict(row, at=at, kind=kind, department=actor.department,
                            user_name=actor.user_name, detail=detail))  # fmt: skip


def _detail_json(detail: Mapping | None) -> str:
    if not detail:
        return ""
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= MAX_DETAIL_CHARS else json.dumps({"truncated": True})
