"""/insights (issue #24): who may open it, the period asked for, the charts and their tables,
the JSON twin and the CSV exports; built over a hand-made set of figures (insights_sample)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import CORPUS, SCRIPT_TAG, build_index
from tests.web.glossary_support import login, make_app
from tests.web.insights_sample import sample_insights
from web.insights_views import CSV_FIGURES, contribute_url

SVG = "{http://www.w3.org/2000/svg}"


class RecordingProvider:
    """Figures for whoever asks (the sample, its departments renamed if given), recording
    who asked for which period."""

    def __init__(self, departments: list[str] | None = None):
        self.departments = departments
        self.calls = []

    def __call__(self, request, viewer, period):
        self.calls.append((viewer, period))
        return sample_insights(self.departments, period)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(build_index(tmp_path_factory.mktemp("insights"), CORPUS, max_k=20))
    app.state.insights_provider = RecordingProvider()
    yield app
    app.state.glossary.state.dispose()


@pytest.fixture(scope="module")
def rita(app) -> TestClient:
    client = TestClient(app)
    assert login(client, "rita").status_code == 303
    return client


@pytest.fixture
def provider(app) -> Iterator[RecordingProvider]:
    app.state.insights_provider = RecordingProvider()
    yield app.state.insights_provider


def test_web_insights_anonymous_visitor_is_asked_to_sign_in(app):
    client = TestClient(app)
    page = client.get("/insights", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Finsights"
    assert client.get("/insights", params={"format": "json"}).status_code == 401
    assert client.get("/insights/flow.csv", follow_redirects=False).status_code == 303
    assert 'href="/insights"' not in client.get("/formats").text


def test_web_insights_page_draws_every_chart_with_a_text_alternative(rita, provider):
    html = rita.get("/insights").text
    assert html.count('<svg xmlns:xlink="http://www.w3.org/1999/xlink"') == 6
    for name in ("flow", "share", "transfer", "follow_through", "lifecycle", "contributions"):
        assert f'aria-labelledby="{name}-title {name}-desc"' in html
        assert f'<desc id="{name}-desc">' in html
    assert '<a href="/insights" aria-current="page">Insights</a>' in html
    viewer, _ = provider.calls[-1]
    assert (viewer.signed_in, viewer.name) == (True, "rita")


def test_web_insights_flow_table_holds_the_matrix_numbers(rita, provider):
    html = rita.get("/insights").text
    table = html[html.index('class="insights-table flow-table"') :]
    table = table[: table.index("</table>")]
    operations = table[table.index('<th scope="row">Operations</th>') :].split("</tr>")[0]
    # Operations read Engineering 14+5+2, Operations 25+4+3, People 3; 24 of 56 from others
    assert [cell.split(">")[-1] for cell in operations.split("</td>")[:-1]] == [
        "21", "0", "32", "3", "0", "43%",
    ]  # fmt: skip


def test_web_insights_json_twin_is_the_figures_of_the_period(rita, provider):
    period = {"since": "2026-01-01", "until": "2026-06-30"}
    data = rita.get("/insights", params={**period, "format": "json"}).json()
    _, asked = provider.calls[-1]
    assert (asked.since, asked.until) == ("2026-01-01", "2026-06-30")
    assert data == sample_insights(period=asked).to_dict()


def test_web_insights_default_period_is_the_last_365_days(app, rita, provider):
    rita.get("/insights", params={"format": "json"})
    today = app.state.glossary.clock().date()
    _, asked = provider.calls[-1]
    assert asked.until == today.isoformat()
    assert asked.since == (today - dt.timedelta(days=364)).isoformat()


@pytest.mark.parametrize(
    "params, name",
    [
        ({"since": "2026-13-01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"since": "2026-1-1"}, "since"),
        ({"since": "2026-06-01", "until": "2026-05-01"}, "since"),
        ({"since": "1990-01-01", "until": "2026-01-01"}, "since"),
        ({"until": "2026-01-01" * 3}, "until"),
    ],
)
def test_web_insights_bad_period_is_refused_naming_the_parameter(rita, provider, params, name):
    response = rita.get("/insights", params={**params, "format": "json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", name]
    assert provider.calls == []


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.text)))


def test_web_insights_every_figure_exports_as_csv(rita, provider):
    insights = sample_insights()
    expected_rows = {
        "flow": len(insights.flow.cells),
        "share": sum(map(len, insights.flow.share_by_quarter.values())),
        "transfer": len(insights.transfer),
        "follow_through": len(insights.follow_through),
        "lifecycle": len(insights.lifecycle),
        "recurring": len(insights.recurring),
        "search_gaps": len(insights.search_gaps),
        "contributions": len(insights.contributions),
        "language": len(insights.language.contested),
    }
    assert set(expected_rows) == set(CSV_FIGURES)
    for figure, rows in expected_rows.items():
        response = rita.get(f"/insights/{figure}.csv", params={"until": "2026-12-05"})
        assert response.status_code == 200 and response.headers["content-type"].startswith(
            "text/csv"
        )
        assert (
            f"insights-{figure}-2025-12-06-2026-12-05.csv"
            in response.headers["content-disposition"]
        )
        assert len(read_csv(response)) == rows + 1, figure


def test_web_insights_flow_csv_has_each_cell_and_its_total(rita, provider):
    table = read_csv(rita.get("/insights/flow.csv"))
    assert table[0] == ["reader", "author", "views", "related_clicks", "pack_includes", "total"]
    assert ["Operations", "Engineering", "14", "5", "2", "21"] in table


def test_web_insights_csv_never_hands_a_spreadsheet_a_formula(rita, provider):
    table = read_csv(rita.get("/insights/search_gaps.csv"))
    queries = [row[0] for row in table[1:]]
    assert "'=cmd|' /C calc'!A0" in queries
    assert not any(cell.startswith(("=", "+", "@")) for row in table for cell in row)


def test_web_insights_unknown_figure_or_chart_is_not_found(rita, provider):
    assert rita.get("/insights/salaries.csv").status_code == 404
    assert rita.get("/insights/charts/salaries.svg").status_code == 404
    assert provider.calls == []


def test_web_insights_chart_svg_carries_title_and_description(rita, provider):
    response = rita.get("/insights/charts/flow.svg")
    assert response.headers["content-type"] == "image/svg+xml"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    root = ET.fromstring(response.content)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Knowledge flow between departments"
    total = sum(cell.total for cell in sample_insights().flow.cells)
    assert f"{total} uses" in root.find(f"{SVG}desc").text


def test_web_insights_escapes_department_names_in_tables_and_charts(app, rita):
    hostile = ["Engineering", SCRIPT_TAG, "Operations", "People", "Safety & Quality"]
    app.state.insights_provider = RecordingProvider(hostile)
    html = rita.get("/insights").text
    assert SCRIPT_TAG not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") > 10  # tables and SVG text
    svg = rita.get("/insights/charts/contributions.svg").content
    assert SCRIPT_TAG.encode() not in svg
    ET.fromstring(svg)  # still well-formed XML


def test_web_insights_search_gaps_link_to_writing_that_lesson(rita, provider):
    html = rita.get("/insights").text
    assert 'href="/contribute?title=supplier+insolvency">Write a lesson' in html
    assert contribute_url("remote onboarding", "https://evil.example/x") == (
        "/contribute?title=remote%20onboarding"
    )


def test_web_insights_recurring_lessons_link_to_their_documents(rita, provider):
    html = rita.get("/insights").text
    assert '<a href="/documents/eng-2014">Vendor lead times are estimates</a>' in html


def test_web_insights_default_provider_computes_the_figures(app, rita):
    """Without a provider given, the page computes the figures (kb/insights/figures.py)."""
    app.state.insights_provider = None
    period = {"since": "2025-01-01", "until": "2025-12-31"}
    response = rita.get("/insights", params={"format": "json", **period})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["period"] == period
    assert {"flow", "transfer", "follow_through", "search_gaps", "language"} <= set(body)
