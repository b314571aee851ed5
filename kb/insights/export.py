"""The insights' period from what a person typed, and each figure as CSV rows: shared by
`kb insights` and the /insights page, so both accept the same dates and export alike."""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from datetime import date, timedelta

from kb.insights.model import (
    ContributionHealth,
    FollowThrough,
    Insights,
    Period,
    RecurringLesson,
    SearchGap,
    TransferTime,
)
from kb.problems import InputError
from kb.text.spreadsheet import text_cell

DEFAULT_DAYS = 365  # a year, ending today
MAX_DAYS = 3_660  # ten years: the bound on one computation's period


class PeriodError(InputError):
    """A period that cannot be used; `parameter` names the input at fault."""


def period_from(since: str, until: str, today: date) -> Period:
    """The period from `since` to `until` (YYYY-MM-DD, both inclusive); `until` defaults to
    today and `since` to a year before it."""
    last = _day("until", until) or today
    first = _day("since", since) or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise PeriodError("since", f"{first} is after until {last}: the period is empty")
    if (last - first).days >= MAX_DAYS:
        raise PeriodError("since", f"the period is over {MAX_DAYS:,} days; choose a shorter one")
    return Period(first.isoformat(), last.isoformat())


def _day(parameter: str, value: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise PeriodError(parameter, f"expected a date YYYY-MM-DD, got {text[:40]!r}")


FLOW_HEADER = [
    "reader", "author", "views", "related_clicks", "pack_includes", "total",
    "reader_share_from_others",
]  # fmt: skip


def _flow(insights: Insights) -> list[list]:
    shares = insights.flow.share_from_others
    return [
        [c.reader, c.author, c.views, c.related_clicks, c.pack_includes, c.total,
         shares.get(c.reader, 0.0)]
        for c in insights.flow.cells
    ]  # fmt: skip


def _records(items: list) -> list[list]:
    return [[getattr(item, f) for f in _names(type(item))] for item in items]


def _names(kind) -> list[str]:
    return [f.name for f in fields(kind)]


FIGURES = {
    "flow": (FLOW_HEADER, _flow),
    "transfer": (_names(TransferTime), lambda i: _records(i.transfer)),
    "follow_through": (_names(FollowThrough), lambda i: _records(i.follow_through)),
    "lifecycle": (["state", "documents"], lambda i: [list(kv) for kv in i.lifecycle.items()]),
    "recurring": (_names(RecurringLesson), lambda i: _records(i.recurring)),
    "search_gaps": (_names(SearchGap), lambda i: _records(i.search_gaps)),
    "contributions": (_names(ContributionHealth), lambda i: _records(i.contributions)),
    "language": (
        ["term", "departments"],
        lambda i: [[c["term"], c["departments"]] for c in i.language.contested],
    ),
}


def figure_rows(insights: Insights, figure: str) -> tuple[list[str], list[list]]:
    """(header, rows) of one figure; PeriodError naming the figures for an unknown one."""
    if figure not in FIGURES:
        raise PeriodError("figure", f"unknown {figure!r}; choose one of {', '.join(FIGURES)}")
    header, rows = FIGURES[figure]
    return header, rows(insights)


def csv_text(insights: Insights, figure: str) -> str:
    """One figure as CSV with a header row; lists joined with "; ", and a text cell that a
    spreadsheet would run as a formula starts with an apostrophe."""
    header, rows = figure_rows(insights, figure)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[text_cell(value) for value in row] for row in rows])
    return out.getvalue()
