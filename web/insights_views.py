"""What the /insights page needs around the figures: the period asked for, where the figures
come from (an injectable provider), the charts drawn once per set of figures, and each
figure as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from urllib.parse import quote

from fastapi import HTTPException, Request

from kb.access import Viewer
from kb.insights.export import PeriodError, period_from
from kb.insights.model import Insights, Period
from kb.text.spreadsheet import text_cell
from web.deps import get_action_book
from web.params import invalid_parameter
from web.security import safe_next

CSV_FIGURES = (
    "flow",
    "share",
    "transfer",
    "follow_through",
    "lifecycle",
    "recurring",
    "search_gaps",
    "contributions",
    "language",
)
CHART_CACHE_SIZE = 16  # drawing the six charts takes about 0.5 s; the same figures reuse them

# (request, viewer, period) -> Insights; app.state.insights_provider overrides the default.
InsightsProvider = Callable[[Request, Viewer, Period], Insights]


def insights_period(since: str, until: str, today: dt.date) -> Period:
    """From `since` to `until` inclusive (kb.insights.export's rules, as `kb insights`);
    a 422 naming the parameter when they make no period."""
    try:
        return period_from(since, until, today)
    except PeriodError as exc:
        value = since if exc.parameter == "since" else until
        raise invalid_parameter(exc.parameter, exc.message, value) from None


def computed_insights(request: Request, viewer: Viewer, period: Period) -> Insights:
    """kb/insights/figures.py's figures over this app's index, state database and actions;
    503 while that computation is not part of this installation."""
    try:
        from kb.insights.figures import compute_insights
    except ModuleNotFoundError as exc:
        if exc.name != "kb.insights.figures":
            raise
        raise HTTPException(503, "Insights are not available in this installation.") from None
    state = request.app.state
    return compute_insights(
        state.kb, state.glossary.state, get_action_book(request), viewer, period
    )


def insights_for(request: Request, viewer: Viewer, period: Period) -> Insights:
    provider: InsightsProvider = getattr(request.app.state, "insights_provider", None)
    return (provider or computed_insights)(request, viewer, period)


class ChartCache:
    """The charts of the last few sets of figures, by their content: a reload, the page's
    JSON twin or a chart's own URL draws nothing again."""

    def __init__(self, size: int = CHART_CACHE_SIZE):
        self.size = size
        self.charts: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, insights: Insights) -> dict:
        from web.insights_plots import insights_charts  # matplotlib only when a chart is drawn

        data = {**insights.to_dict(), "seconds": 0}
        key = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
        with self.lock:
            if key in self.charts:
                self.charts.move_to_end(key)
                return self.charts[key]
        charts = insights_charts(insights)
        with self.lock:
            self.charts[key] = charts
            while len(self.charts) > self.size:
                self.charts.popitem(last=False)
        return charts


def contribute_url(query: str, given: str = "") -> str:
    """ "Write a lesson" pre-filled with the query: the figure's link if it is on this site."""
    return safe_next(given, default="/contribute?title=" + quote(query, safe=""))


def records(items: list) -> tuple[list[str], list[list]]:
    if not items:
        return [], []
    names = [f.name for f in fields(items[0])] if is_dataclass(items[0]) else list(items[0])
    get = (lambda item, n: getattr(item, n)) if is_dataclass(items[0]) else dict.get
    return names, [[get(item, name) for name in names] for item in items]


def figure_table(insights: Insights, figure: str) -> tuple[list[str], list[list]]:
    """A figure's header and rows, as its CSV export has them."""
    if figure == "flow":
        names, rows = records(insights.flow.cells)
        cells = insights.flow.cells
        return names + ["total"], [
            row + [cell.total] for row, cell in zip(rows, cells, strict=True)
        ]
    if figure == "share":
        by_quarter = insights.flow.share_by_quarter
        rows = [[q, d, share] for q in sorted(by_quarter) for d, share in by_quarter[q].items()]
        return ["quarter", "department", "share_from_others"], rows
    if figure == "lifecycle":
        return ["state", "lessons"], [[state, n] for state, n in insights.lifecycle.items()]
    if figure == "language":
        language = insights.language
        summary = [language.frequent_terms, language.approved, language.coverage]
        terms = [[t.get("term"), t.get("departments")] for t in language.contested] or [["", ""]]
        header = ["frequent_terms", "approved", "coverage", "contested_term", "departments"]
        return header, [summary + term for term in terms]
    return records(getattr(insights, figure))


def figure_csv(insights: Insights, figure: str) -> str:
    header, rows = figure_table(insights, figure)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([text_cell(value) for value in row] for row in rows)
    return out.getvalue()
