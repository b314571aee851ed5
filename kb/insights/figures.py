"""compute_insights: every figure of the insights page for one viewer and period.

The usage figures (flow, transfer, search gaps, contributions) come from grouped SQL over the
state database's events (kb/insights/usage.py); follow-through, lifecycle, recurrence and
shared language from the action book, the index and the glossary (kb/insights/holdings.py).
Access: documents are counted or named only when the viewer may read them, and the queries
of a department with fewer than MIN_GROUP accounts are never listed, only counted.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from statistics import median

from kb.access import Viewer
from kb.actions import ActionBook
from kb.index.filters import Filters
from kb.insights import activity, holdings, usage
from kb.insights.model import MIN_GROUP, FlowCell, Insights, KnowledgeFlow, Period, TransferTime
from kb.knowledge_base import KnowledgeBase
from kb.state import StateDB


def compute_insights(
    kb: KnowledgeBase, state: StateDB, action_book: ActionBook, viewer: Viewer, period: Period
) -> Insights:
    """The insights of `period` as `viewer` may see them, timed."""
    started = time.perf_counter()
    with kb.pinned(), state.current_engine().connect() as conn:
        accounts = usage.accounts_by_department(conn)
        # the most asked only: their clicks are counted by query, in one bounded IN (...)
        candidates = activity.gap_candidates(conn, period)[: usage.MAX_LISTED]
        published = kb.store.documents.dated(_dated_in(kb, viewer, period))
        uses = usage.scan_uses(
            conn,
            period,
            [doc_id for doc_id, _, _ in published],
            sorted({gap.query for gap in candidates}),
        )
        gaps, withheld = activity.search_gaps(candidates, uses.clicks, accounts)
        insights = Insights(
            period=period,
            flow=knowledge_flow(uses.flow),
            transfer=transfer_times(published, uses.first_use),
            follow_through=holdings.follow_through(action_book, viewer, period),
            lifecycle=holdings.lifecycle(kb, viewer),
            recurring=holdings.recurring(kb, viewer),
            search_gaps=gaps,
            contributions=activity.contribution_health(usage.contribution_events(conn, period)),
            language=holdings.shared_language(kb, state, viewer),
            events=usage.count_events(conn, period),
            small_departments=sorted(d for d, n in accounts.items() if n < MIN_GROUP),
            gaps_withheld=withheld,
        )
    insights.seconds = round(time.perf_counter() - started, 4)
    return insights


def knowledge_flow(counts) -> KnowledgeFlow:
    """The department-by-department map, with each reader's share of use that is of other
    departments' lessons, over the period and by quarter."""
    cells, quarterly = _tally(counts)
    flow_cells = [
        FlowCell(reader, author, **fields) for (reader, author), fields in sorted(cells.items())
    ]
    overall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for by_reader in quarterly.values():
        for reader, (others, total) in by_reader.items():
            overall[reader][0] += others
            overall[reader][1] += total
    return KnowledgeFlow(
        departments=sorted({d for pair in cells for d in pair}),
        cells=flow_cells,
        share_from_others={r: _share(*t) for r, t in sorted(overall.items())},
        share_by_quarter={
            q: {r: _share(*t) for r, t in sorted(by_reader.items())}
            for q, by_reader in sorted(quarterly.items())
        },
    )


def _tally(counts) -> tuple[dict, dict]:
    """({(reader, author): {figure: events}}, {quarter: {reader: [of others', all]}})."""
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    quarterly: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for count in counts:
        field = "views" if count.kind == "view" else "pack_includes"
        if count.kind in ("related_click", "other_departments_click"):
            field = "related_clicks"
        cells[count.reader, count.author][field] += count.events
        tally = quarterly[usage.quarter(count.month)][count.reader]
        tally[0] += count.events if count.author != count.reader else 0
        tally[1] += count.events
    return cells, quarterly


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _dated_in(kb: KnowledgeBase, viewer: Viewer, period: Period) -> Filters:
    return Filters(
        date_from=period.since,
        date_to=period.until,
        viewer=viewer,
        default_sensitivity=kb.settings.default_sensitivity,
    )


def transfer_times(
    published: list[tuple[str, str, str]], first_used: dict[str, str]
) -> list[TransferTime]:
    """For the documents dated in the period (those the viewer may read), by publishing
    department: how many, how many another department used, and the days until it first
    did."""
    reached: dict[str, list[float]] = defaultdict(list)
    lessons: dict[str, int] = defaultdict(int)
    for doc_id, department, dated in published:
        lessons[department] += 1
        if doc_id in first_used:
            days = date.fromisoformat(first_used[doc_id][:10]) - date.fromisoformat(dated)
            reached[department].append(float(max(0, days.days)))
    return [
        TransferTime(
            department,
            lessons[department],
            len(reached[department]),
            median(reached[department]) if reached[department] else None,
            sorted(reached[department]),
        )
        for department in sorted(lessons)
    ]
