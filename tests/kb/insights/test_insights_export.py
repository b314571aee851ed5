"""The insights' period as people type it, and a figure as CSV that a spreadsheet opens
safely."""

from __future__ import annotations

from datetime import date

import pytest

from kb.insights.export import PeriodError, csv_text, period_from
from kb.insights.model import Insights, KnowledgeFlow, Period, SearchGap, SharedLanguage

TODAY = date(2026, 3, 31)


def test_insights_period_defaults_to_the_year_ending_today():
    assert period_from("", "", TODAY) == Period("2025-04-01", "2026-03-31")
    assert period_from("2026-01-01", "", TODAY) == Period("2026-01-01", "2026-03-31")
    assert period_from("", "2025-12-31", TODAY) == Period("2025-01-01", "2025-12-31")


@pytest.mark.parametrize(
    ("since", "until", "parameter", "message"),
    [
        ("2026-02-30", "", "since", "expected a date YYYY-MM-DD, got '2026-02-30'"),
        ("", "yesterday", "until", "expected a date YYYY-MM-DD, got 'yesterday'"),
        ("2026-03-01", "2026-02-01", "since", "2026-03-01 is after until 2026-02-01"),
        ("2000-01-01", "", "since", "the period is over 3,660 days"),
    ],
)
def test_insights_period_refuses_bad_dates_naming_them(since, until, parameter, message):
    with pytest.raises(PeriodError) as caught:
        period_from(since, until, TODAY)
    assert caught.value.parameter == parameter
    assert message in caught.value.message


def test_insights_csv_quotes_a_query_a_spreadsheet_would_run():
    gap = SearchGap('=HYPERLINK("http://x")', "Engineering", 4, 0.0, 0, "/contribute?title=x")
    insights = Insights(
        Period("2025-01-01", "2025-12-31"),
        KnowledgeFlow([], [], {}, {}),
        [], [], {}, [], [gap], [],
        SharedLanguage(0, 0, 0.0, []),
        events=4,
    )  # fmt: skip
    lines = csv_text(insights, "search_gaps").splitlines()
    assert lines[1].startswith('"\'=HYPERLINK(""http://x"")",Engineering,4,')
    assert csv_text(insights, "flow").splitlines() == [
        "reader,author,views,related_clicks,pack_includes,total,reader_share_from_others"
    ]
