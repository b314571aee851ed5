"""Search gaps and contribution health, from the grouped usage rows of kb/insights/usage.py.

A search gap: a query asked at least MIN_GAP_SEARCHES times in the period by one department,
whose searches found at most FEW_RESULTS documents (median), and from whose results almost
nobody opened anything (clicks at most NO_CLICK_SHARE of the searches): what people look for
that nobody has written down. Queries are personal detail: a department with fewer than
MIN_GROUP accounts (and anonymous visitors, who have none) shows only how many it has.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from statistics import median
from urllib.parse import quote

from sqlalchemy import Connection

from kb.insights.model import MIN_GROUP, ContributionHealth, Period, SearchGap
from kb.insights.usage import ContributionEvent, quarter, search_counts

SUBMITTED, PUBLISHED = "submitted", "published"
DECIDED = (PUBLISHED, "returned")  # the states that end a review (kb/contributions)
MIN_GAP_SEARCHES = 3
FEW_RESULTS = 2
NO_CLICK_SHARE = 0.1
MAX_GAPS = 50  # the most asked; the rest are in the CSV of no one


def gap_candidates(conn: Connection, period: Period) -> list[SearchGap]:
    """The queries asked often enough that found few enough documents, most asked first;
    whether anything was opened from their results is counted with the other uses."""
    found = []
    for row in search_counts(conn, period, FEW_RESULTS):
        if not row.query or row.searches < MIN_GAP_SEARCHES:
            continue
        counts = list(enumerate(row.finding))
        above = row.searches - sum(row.finding)
        if above:
            counts.append((row.fewest_above, above))
        middle = weighted_median(counts)
        if middle <= FEW_RESULTS:
            url = "/contribute?title=" + quote(row.query, safe="")
            found.append(SearchGap(row.query, row.department, row.searches, middle, 0, url))
    found.sort(key=lambda g: (-g.searches, g.department, g.query))
    return found


def search_gaps(
    candidates: list[SearchGap], clicks: dict[tuple[str, str], int], accounts: dict[str, int]
) -> tuple[list[SearchGap], dict[str, int]]:
    """(the gaps of departments of MIN_GROUP accounts or more; {department: gaps not
    listed because it is smaller}): the candidates from whose results almost nothing was
    opened."""
    gaps, withheld = [], defaultdict(int)
    for gap in candidates:
        gap.clicked = clicks.get((gap.department, gap.query), 0)
        if gap.clicked > NO_CLICK_SHARE * gap.searches:
            continue
        if accounts.get(gap.department, 0) < MIN_GROUP:
            withheld[gap.department] += 1
        else:
            gaps.append(gap)
    return gaps[:MAX_GAPS], dict(sorted(withheld.items()))


def weighted_median(counts: list[tuple[int, int]]) -> float:
    """The median of values each repeated its count times, without expanding them; when the
    lower middle is at most FEW_RESULTS, the values above the fewest one above it never
    matter, which is why the searches' counts stop there."""
    total = sum(n for _, n in counts)
    ordered = sorted((value, n) for value, n in counts if n)

    def at(position: int) -> int:  # the value at a 0-based position in the expanded list
        for value, n in ordered:
            if position < n:
                return value
            position -= n
        return ordered[-1][0]

    return (at((total - 1) // 2) + at(total // 2)) / 2


def contribution_health(events: list[ContributionEvent]) -> list[ContributionHealth]:
    """Published contributions per lesson department and quarter, the share of them that
    are positive lessons (of those saying), and the median time from submission to a
    decision (published or returned) taken in that quarter."""
    groups: dict[tuple[str, str], list] = defaultdict(lambda: [[], [], []])  # found, said, h
    submitted: dict[str, str] = {}
    for event in events:
        if event.state == SUBMITTED:
            submitted[event.contribution] = event.at
            continue
        if event.state not in DECIDED:
            continue
        found, said, hours = groups[event.department, quarter(event.at[:7])]
        spent = event.review_hours
        if spent is None and event.contribution in submitted:
            spent = _hours(submitted.pop(event.contribution), event.at)
        if spent is not None:
            hours.append(spent)
        if event.state == PUBLISHED:
            found.append(event)
            if event.positive is not None:
                said.append(event.positive)
    return [
        ContributionHealth(
            department,
            in_quarter,
            len(found),
            round(sum(said) / len(said), 4) if said else None,
            median(hours) if hours else None,
        )
        for (department, in_quarter), (found, said, hours) in sorted(groups.items())
    ]


def _hours(start: str, end: str) -> float:
    spent = datetime.fromisoformat(end[:19]) - datetime.fromisoformat(start[:19])
    return round(max(0.0, spent.total_seconds() / 3600), 2)
