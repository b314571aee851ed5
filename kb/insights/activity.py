"""Search gaps and contribution health, from the grouped usage rows of kb/insights/usage.py.

A search gap: a query asked at least MIN_GAP_SEARCHES times in the period by one department,
whose searches found at most FEW_RESULTS documents (median), and from whose results almost
nobody opened anything (clicks at most NO_CLICK_SHARE of the searches): what people look for
that nobody has written down. Queries are personal detail: a department with fewer than
MIN_GROUP accounts (and anonymous visitors, who have none) shows only how many it has.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from urllib.parse import quote

from sqlalchemy import Connection

from kb.insights.model import MIN_GROUP, ContributionHealth, Period, SearchGap
from kb.insights.usage import ContributionEvent, quarter, query_counts, result_clicks

MIN_GAP_SEARCHES = 3
FEW_RESULTS = 2
NO_CLICK_SHARE = 0.1
MAX_GAPS = 50  # the most asked; the rest are in the CSV of no one


def search_gaps(
    conn: Connection, period: Period, accounts: dict[str, int]
) -> tuple[list[SearchGap], dict[str, int]]:
    """(the gaps of departments of MIN_GROUP accounts or more, most searched first;
    {department: gaps not listed because it is smaller})."""
    results: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for row in query_counts(conn, period):
        if row.query:
            results[row.department, row.query].append((row.results, row.searches))
    clicks = result_clicks(conn, period)
    gaps, withheld = [], defaultdict(int)
    for (department, query), counts in results.items():
        gap = _gap(department, query, counts, clicks.get((department, query), 0))
        if gap is None:
            continue
        if accounts.get(department, 0) < MIN_GROUP:
            withheld[department] += 1
        else:
            gaps.append(gap)
    gaps.sort(key=lambda g: (-g.searches, g.department, g.query))
    return gaps[:MAX_GAPS], dict(sorted(withheld.items()))


def _gap(department: str, query: str, counts: list[tuple[int, int]], clicked: int):
    searches = sum(n for _, n in counts)
    middle = _weighted_median(counts)
    if searches < MIN_GAP_SEARCHES or middle > FEW_RESULTS or clicked > NO_CLICK_SHARE * searches:
        return None
    url = "/contribute?title=" + quote(query, safe="")
    return SearchGap(query, department, searches, middle, clicked, url)


def _weighted_median(counts: list[tuple[int, int]]) -> float:
    """The median of values each repeated its count times, without expanding them."""
    total = sum(n for _, n in counts)
    ordered = sorted(counts)

    def at(position: int) -> int:  # the value at a 0-based position in the expanded list
        for value, n in ordered:
            if position < n:
                return value
            position -= n
        return ordered[-1][0]

    return (at((total - 1) // 2) + at(total // 2)) / 2


def contribution_health(events: list[ContributionEvent]) -> list[ContributionHealth]:
    """Published contributions per department and quarter, the share of them that are
    positive lessons (of those saying), and the median review time."""
    groups: dict[tuple[str, str], list[ContributionEvent]] = defaultdict(list)
    for event in events:
        groups[event.department, quarter(event.month)].append(event)
    health = []
    for (department, in_quarter), found in sorted(groups.items()):
        said = [e.positive for e in found if e.positive is not None]
        hours = [e.review_hours for e in found if e.review_hours is not None]
        health.append(
            ContributionHealth(
                department,
                in_quarter,
                len(found),
                round(sum(said) / len(said), 4) if said else None,
                median(hours) if hours else None,
            )
        )
    return health
