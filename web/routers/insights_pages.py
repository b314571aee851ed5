"""`/insights` (issue #24): is the organization learning across departments? One page of
figures for leaders, with its `?format=json` twin, each figure as CSV
(`/insights/{figure}.csv`) and each chart as SVG (`/insights/charts/{name}.svg`).

Any signed-in person may open it and sees the figures of what they may read (the
computation filters by the viewer); an anonymous visitor is asked to sign in. Where the
figures come from: `app.state.insights_provider` if set, else kb/insights/figures.py.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from kb.access import Viewer
from kb.insights.model import Insights, Period
from web.insights_plots import CHART_NAMES
from web.insights_views import (
    CSV_FIGURES,
    ChartCache,
    contribute_url,
    figure_csv,
    insights_for,
    insights_period,
)
from web.rendering import Page, page_route
from web.security import LoginRequiredError, current_session, current_viewer, here

router = APIRouter()

SIGN_IN_FOR_INSIGHTS = "Sign in to see the insights: they are for the organization's members."
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"  # a chart runs nothing
SinceQuery = Annotated[
    str, Query(max_length=10, description="First day, YYYY-MM-DD; default 364 days before `until`.")
]
UntilQuery = Annotated[
    str, Query(max_length=10, description="Last day, YYYY-MM-DD; default today.")
]


def member_viewer(request: Request) -> Viewer:
    """The signed-in reader; anonymous visitors go to /login first (401 for JSON)."""
    if current_session(request) is None:
        raise LoginRequiredError(here(request), SIGN_IN_FOR_INSIGHTS)
    return current_viewer(request)


def asked_period(request: Request, since: SinceQuery = "", until: UntilQuery = "") -> Period:
    today = request.app.state.glossary.clock().date()
    return insights_period(since.strip(), until.strip(), today)


MemberDep = Annotated[Viewer, Depends(member_viewer)]
PeriodDep = Annotated[Period, Depends(asked_period)]


def chart_cache(request: Request) -> ChartCache:
    state = request.app.state
    if getattr(state, "insights_charts", None) is None:
        state.insights_charts = ChartCache()
    return state.insights_charts


def period_query(period: Period) -> str:
    return urlencode({"since": period.since, "until": period.until})


def page_context(request: Request, insights: Insights) -> dict:
    query = period_query(insights.period)
    return {
        "insights": insights,
        "charts": chart_cache(request).get(insights),
        "query": query,
        "csv": {name: f"/insights/{name}.csv?{query}" for name in CSV_FIGURES},
        "flow_table": flow_table(insights),
        "gaps": [
            (gap, contribute_url(gap.query, gap.contribute_url)) for gap in insights.search_gaps
        ],
        "quarters": sorted(insights.flow.share_by_quarter),
        "contribution_table": contribution_table(insights),
    }


def contribution_table(insights: Insights) -> dict:
    """Contributions by department (rows) and quarter (columns), as the chart stacks them,
    with each department's share of "what went well" lessons over the whole period."""
    rows = insights.contributions
    quarters = sorted({r.quarter for r in rows})
    counts = {(r.department, r.quarter): r.contributions for r in rows}
    table = []
    for department in dict.fromkeys(r.department for r in rows):
        mine = [r for r in rows if r.department == department and r.positive_share is not None]
        total = sum(r.contributions for r in mine)
        positive = sum(r.positive_share * r.contributions for r in mine) / total if total else None
        table.append((department, [counts.get((department, q), 0) for q in quarters], positive))
    return {"quarters": quarters, "rows": table}


def flow_table(insights: Insights) -> dict:
    """Every department's row of the flow matrix (the chart shows the busiest only)."""
    flow = insights.flow
    departments = list(dict.fromkeys([*flow.departments, *(c.reader for c in flow.cells)]))
    departments = list(dict.fromkeys([*departments, *(c.author for c in flow.cells)]))
    uses = {(c.reader, c.author): c.total for c in flow.cells}
    rows = [(reader, [uses.get((reader, a), 0) for a in departments]) for reader in departments]
    return {"departments": departments, "rows": rows}


@page_route(router, "/insights", tags=["pages"], summary="Insights: learning across departments")
def insights_page(request: Request, viewer: MemberDep, period: PeriodDep) -> Page:
    """Knowledge flow between departments, speed of transfer, follow-through, recurrence,
    search gaps, contribution health and shared language, over `since`..`until` (default the
    last 365 days), from what you may read. Signed-in users only."""
    insights = insights_for(request, viewer, period)
    return Page("insights.html", insights.to_dict(), lambda: page_context(request, insights))


@router.get("/insights/{figure}.csv", tags=["pages"], summary="One insights figure as CSV")
def insights_csv(request: Request, figure: str, viewer: MemberDep, period: PeriodDep) -> Response:
    """`figure`: flow, share, transfer, follow_through, lifecycle, recurring, search_gaps,
    contributions or language; one row per record, lists joined by "; "."""
    if figure not in CSV_FIGURES:
        raise HTTPException(404, f"No figure {figure[:40]!r}; one of: {', '.join(CSV_FIGURES)}.")
    text = figure_csv(insights_for(request, viewer, period), figure)
    name = f"insights-{figure}-{period.since}-{period.until}.csv"
    disposition = f'attachment; filename="{name}"'
    return Response(
        text, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition}
    )


@router.get("/insights/charts/{name}.svg", tags=["pages"], summary="One insights chart as SVG")
def insights_chart(request: Request, name: str, viewer: MemberDep, period: PeriodDep) -> Response:
    """The chart as on the page, with its text alternative in <title> and <desc>."""
    if name not in CHART_NAMES:
        raise HTTPException(404, f"No chart {name[:40]!r}; one of: {', '.join(CHART_NAMES)}.")
    charts = chart_cache(request).get(insights_for(request, viewer, period))
    headers = {"Content-Security-Policy": SVG_POLICY}
    return Response(charts[name].svg, media_type="image/svg+xml", headers=headers)
