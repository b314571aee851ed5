"""/insights in a real Chromium: the charts are drawn and sized, their tables are there, the
page passes axe-core on a laptop and a phone, and a phone never scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.kb.glossary.glossary_support import PASSWORD
from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve
from tests.web.conftest import CORPUS, build_index
from tests.web.glossary_support import make_app
from tests.web.insights_sample import sample_insights
from tests.web.test_browser_accessibility import blocking_violations

pytestmark = BROWSER_MARKS
CHARTS = ("flow", "share", "transfer", "follow_through", "lifecycle", "contributions")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    app = make_app(build_index(tmp_path_factory.mktemp("insights-browser"), CORPUS, max_k=20))
    app.state.insights_provider = lambda request, viewer, period: sample_insights(period=period)
    with serve(app) as url:
        yield url


@pytest.fixture(scope="module")
def axe():
    return pytest.importorskip("axe_playwright_python.sync_playwright").Axe()


def open_insights(page, base_url: str) -> None:
    page.goto(base_url + "/login?next=/insights")
    page.fill("#name", "rita")
    page.fill("#password", PASSWORD)
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url("**/insights")


def test_browser_insights_charts_are_drawn_beside_their_tables(base_url):
    with chromium_page(width=1366) as page:
        open_insights(page, base_url)
        for name in CHARTS:
            chart = page.locator(f'svg[aria-labelledby="{name}-title {name}-desc"]')
            box = chart.bounding_box()
            assert box["width"] > 500 and box["height"] > 150, name
        assert page.locator("table.insights-table").count() >= 7
        flow_chart = page.locator('svg[aria-labelledby="flow-title flow-desc"]').bounding_box()
        flow_table = page.locator("table.flow-table").bounding_box()
        assert flow_table["x"] > flow_chart["x"] + flow_chart["width"] - 1  # beside, not below


def test_browser_insights_has_no_serious_accessibility_violation(base_url, axe):
    for width in (1366, 390):
        with chromium_page(width=width) as page:
            open_insights(page, base_url)
            assert blocking_violations(axe, page) == "", width


def test_browser_insights_phone_does_not_scroll_sideways(base_url):
    with chromium_page(width=390) as page:
        open_insights(page, base_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        chart = page.locator('svg[aria-labelledby="flow-title flow-desc"]').bounding_box()
        assert chart["width"] >= 500  # legible labels: the chart's region scrolls instead
