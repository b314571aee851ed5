"""The usage-event side of the insights figures: GROUP BY queries over the state database's
usage_events (and usage_summaries, the monthly counts of events past retention), so a year
of 1,000,000 events comes back as a few thousand grouped rows.

What the figures read from an event (the recorder, kb/insights/events.py, writes them):
- view, related_click, other_departments_click, pack_include: `department` (the reader's),
  `doc_id`, `doc_department`; a view opened from a search's results carries that `query`.
- search: `department`, `query`, `results`.
- contribution: `department` (the contributor's) and `detail` JSON with `state`
  ("published" counts as a contribution), `positive` (true for a "what went well" lesson)
  and `review_hours` (submission to decision, on the published or returned event).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, literal_column, select

from kb.insights.model import Period
from kb.state.tables import usage_events, usage_summaries, user_departments

FLOW_KINDS = ("view", "related_click", "other_departments_click", "pack_include")
PUBLISHED = "published"
MAX_CONTRIBUTION_EVENTS = 200_000  # contribution events read per computation (bound)


@dataclass(frozen=True)
class FlowCount:
    month: str  # YYYY-MM
    kind: str
    reader: str
    author: str
    events: int


@dataclass(frozen=True)
class QueryCount:
    department: str
    query: str  # lower-cased and trimmed
    results: int
    searches: int


@dataclass(frozen=True)
class ContributionEvent:
    department: str
    month: str
    positive: bool | None
    review_hours: float | None


def quarter(month: str) -> str:
    """'2026-04' -> '2026-Q2'."""
    return f"{month[:4]}-Q{(int(month[5:7]) + 2) // 3}"


def bounds(period: Period) -> tuple[str, str]:
    """The period's first and last timestamps (events are stamped to the second)."""
    return f"{period.since}T00:00:00Z", f"{period.until}T23:59:59Z"


def _in_period(period: Period):
    first, last = bounds(period)
    return and_(usage_events.c.at >= first, usage_events.c.at <= last)


def _months(period: Period):
    return and_(
        usage_summaries.c.month >= period.since[:7], usage_summaries.c.month <= period.until[:7]
    )


def count_events(conn: Connection, period: Period) -> int:
    """Events of the period, recorded or summarized."""
    recorded = conn.execute(select(func.count()).where(_in_period(period))).scalar() or 0
    summed = select(func.coalesce(func.sum(usage_summaries.c.events), 0)).where(_months(period))
    return int(recorded) + int(conn.execute(summed).scalar() or 0)


def flow_counts(conn: Connection, period: Period) -> Iterator[FlowCount]:
    """Reading and applying by (month, kind, reader's department, author's department), of
    signed-in readers' use of documents with a department."""
    e = usage_events.c
    month = func.substr(e.at, literal_column("1"), literal_column("7")).label("month")
    recorded = (
        select(month, e.kind, e.department, e.doc_department, func.count())
        .where(_in_period(period), e.kind.in_(FLOW_KINDS), e.department != "")
        .where(e.doc_department.is_not(None), e.doc_department != "")
        .group_by(month, e.kind, e.department, e.doc_department)
    )
    s = usage_summaries.c
    summed = select(s.month, s.kind, s.department, s.doc_department, s.events).where(
        _months(period), s.kind.in_(FLOW_KINDS), s.department != "", s.doc_department != ""
    )
    for query in (recorded, summed):
        for row in conn.execute(query):
            yield FlowCount(row[0], row[1], row[2], row[3], int(row[4]))


def first_uses(conn: Connection, period: Period) -> dict[str, str]:
    """{doc_id: when another department than its own first opened or used it} in the period."""
    e = usage_events.c
    query = (
        select(e.doc_id, func.min(e.at))
        .where(_in_period(period), e.kind.in_(FLOW_KINDS), e.doc_id.is_not(None))
        .where(e.department != "", e.department != func.coalesce(e.doc_department, ""))
        .group_by(e.doc_id)
    )
    return {row[0]: row[1] for row in conn.execute(query)}


def query_counts(conn: Connection, period: Period) -> list[QueryCount]:
    """Searches by (department, query, number of results)."""
    e = usage_events.c
    asked = func.lower(func.trim(e.query)).label("asked")
    found = func.coalesce(e.results, literal_column("0")).label("found")
    query = (
        select(e.department, asked, found, func.count())
        .where(_in_period(period), e.kind == "search", e.query.is_not(None))
        .group_by(e.department, asked, found)
    )
    return [QueryCount(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(query)]


def result_clicks(conn: Connection, period: Period) -> dict[tuple[str, str], int]:
    """{(department, query): documents opened from that query's results}."""
    e = usage_events.c
    asked = func.lower(func.trim(e.query)).label("asked")
    query = (
        select(e.department, asked, func.count())
        .where(_in_period(period), e.kind == "view", e.query.is_not(None))
        .group_by(e.department, asked)
    )
    return {(r[0], r[1]): int(r[2]) for r in conn.execute(query)}


def contribution_events(conn: Connection, period: Period) -> list[ContributionEvent]:
    """The period's published contributions (a detail that is not a JSON object is skipped:
    the figures never fail on one bad row)."""
    e = usage_events.c
    query = (
        select(e.department, func.substr(e.at, 1, 7), e.detail)
        .where(_in_period(period), e.kind == "contribution")
        .limit(MAX_CONTRIBUTION_EVENTS)
    )
    found = []
    for department, month, detail in conn.execute(query):
        data = _json_object(detail)
        if data.get("state") == PUBLISHED:
            positive = data.get("positive")
            hours = data.get("review_hours")
            found.append(
                ContributionEvent(
                    department,
                    month,
                    positive if isinstance(positive, bool) else None,
                    float(hours) if isinstance(hours, (int, float)) else None,
                )
            )
    return found


def _json_object(text: str) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def accounts_by_department(conn: Connection) -> dict[str, int]:
    """{department: accounts in it}."""
    d = user_departments.c
    query = select(d.department, func.count()).group_by(d.department)
    return {row[0]: int(row[1]) for row in conn.execute(query)}
