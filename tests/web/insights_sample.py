"""A hand-made `Insights` (kb/insights/model.py) over five departments, for the /insights page
tests: the page is built against the figures' shapes, whatever computes them."""

from __future__ import annotations

from kb.insights.model import (
    ContributionHealth,
    FlowCell,
    FollowThrough,
    Insights,
    KnowledgeFlow,
    Period,
    RecurringLesson,
    SearchGap,
    SharedLanguage,
    TransferTime,
)

DEPARTMENTS = ["Engineering", "Finance", "Operations", "People", "Safety & Quality"]
PERIOD = Period("2025-12-06", "2026-12-05")
# reader -> author -> (views, related clicks, pack inclusions); absent: no use
FLOW = {
    "Engineering": {"Engineering": (40, 6, 2), "Operations": (12, 3, 1), "Finance": (2, 0, 0)},
    "Finance": {"Finance": (18, 2, 0), "Engineering": (9, 1, 1)},
    "Operations": {"Operations": (25, 4, 3), "Engineering": (14, 5, 2), "People": (3, 0, 0)},
    "People": {"People": (7, 0, 0), "Safety & Quality": (4, 1, 0)},
    "Safety & Quality": {"Safety & Quality": (11, 1, 1), "Operations": (8, 2, 0)},
}
QUARTERS = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def flow(departments: list[str]) -> KnowledgeFlow:
    rename = dict(zip(DEPARTMENTS, departments, strict=True))
    cells = [
        FlowCell(rename[reader], rename[author], *uses)
        for reader, row in FLOW.items()
        for author, uses in row.items()
    ]
    share = {}
    for reader in departments:
        own = [c.total for c in cells if c.reader == reader]
        others = [c.total for c in cells if c.reader == reader and c.author != reader]
        share[reader] = round(sum(others) / sum(own), 3)
    by_quarter = {
        quarter: {d: round(min(1.0, share[d] * (0.7 + 0.1 * q)), 3) for d in departments}
        for q, quarter in enumerate(QUARTERS)
    }
    return KnowledgeFlow(departments, cells, share, by_quarter)


def sample_insights(departments: list[str] | None = None, period: Period = PERIOD) -> Insights:
    """Five departments' year; `departments` renames them (same order), e.g. to test escaping."""
    names = departments or DEPARTMENTS
    eng, fin, ops, ppl, saq = names
    return Insights(
        period=period,
        flow=flow(names),
        transfer=[
            TransferTime(eng, 12, 9, 6.0, [1, 2, 3, 5, 6, 8, 13, 21, 40]),
            TransferTime(fin, 4, 2, 17.5, [10, 25]),
            TransferTime(ops, 9, 6, 4.5, [1, 1, 3, 6, 9, 30]),
            TransferTime(ppl, 3, 0, None, []),
            TransferTime(saq, 5, 3, 12.0, [4, 12, 60]),
        ],
        follow_through=[
            FollowThrough(eng, 6, 3, 2, 21, 1, 34.0, 45),
            FollowThrough(fin, 2, 1, 3, 8, 0, 51.5, 120),
            FollowThrough(ops, 9, 4, 5, 30, 4, 22.0, 88),
            FollowThrough(ppl, 1, 0, 0, 3, 0, 15.0, 0),
            FollowThrough(saq, 3, 2, 1, 12, 2, 40.0, 12),
        ],
        lifecycle={"current": 41, "superseded": 6, "withdrawn": 2, "archived": 9},
        recurring=[
            RecurringLesson(
                "Vendor lead times are estimates",
                "eng-2014",
                4,
                [eng, ops, fin],
                "2014-03-01",
                "2026-05-10",
            ),  # fmt: skip
            RecurringLesson(
                "Handover notes get skipped at night",
                "ops-2021",
                2,
                [ops, saq],
                "2021-09-10",
                "2026-02-02",
            ),  # fmt: skip
        ],
        search_gaps=[
            SearchGap(
                "supplier insolvency", fin, 14, 0.0, 0, "/contribute?title=supplier+insolvency"
            ),
            SearchGap("=cmd|' /C calc'!A0", ops, 6, 1.0, 0, "/contribute?title=%3Dcmd"),
            SearchGap("remote onboarding", ppl, 9, 2.0, 1, "/contribute?title=remote+onboarding"),
        ],
        contributions=[
            ContributionHealth(dept, quarter, count, positive, hours)
            for dept, base in zip(names, (5, 2, 4, 1, 3), strict=True)
            for quarter, count, positive, hours in [
                (QUARTERS[q], base + q, round(0.2 + 0.1 * q, 2), 20.0 + 4 * q) for q in range(4)
            ]
        ],
        language=SharedLanguage(
            frequent_terms=40,
            approved=26,
            coverage=0.65,
            contested=[{"term": "change freeze", "departments": [eng, ops]}],
        ),
        events=12_345,
        seconds=0.21,
    )
