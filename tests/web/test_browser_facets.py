"""In a real Chromium: search, narrow by a department facet, open a hit, follow a related lesson."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def rich_url(rich_app) -> Iterator[str]:
    with serve(rich_app) as url:
        yield url


@pytest.fixture(scope="module")
def page(rich_url):
    with chromium_page(width=1280) as page:
        yield page


@pytest.mark.browser
@pytest.mark.slow
def test_browser_facet_then_related_lesson(page, rich_url, tmp_path):
    page.goto(rich_url + "/")
    page.fill("input[name=q]", "vendor")
    page.click("button[type=submit]")
    page.wait_for_selector(".facets")
    facet = page.locator('.facet-value[data-facet="department"][data-value="Finance"]')
    shown = int(facet.locator(".facet-count").inner_text())
    facet.click()
    page.wait_for_url("**department=Finance**")
    assert page.locator(".hit .badge-dept").all_inner_texts() == ["Finance"] * shown
    assert page.locator(".facet-value.selected .facet-label").all_inner_texts() == ["Finance"]
    assert page.locator(".other-departments").count() == 0
    page.screenshot(path=str(tmp_path / "facet.png"), full_page=True)

    page.locator(".hit-title a").first.click()
    page.wait_for_url("**/documents/finance-**")
    page.wait_for_selector(".related-card")
    departments = page.locator(".related-card .badge-dept").all_inner_texts()
    assert departments and "Finance" not in departments
    related = page.locator(".related-title a").first
    title, href = related.inner_text(), related.get_attribute("href")
    related.click()
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").inner_text() == title
    assert page.title() == f"{title} · Lessonbase"


@pytest.mark.browser
@pytest.mark.slow
def test_browser_facets_stack_below_results_on_narrow_screens(page, rich_url):
    page.set_viewport_size({"width": 390, "height": 900})
    try:
        page.goto(rich_url + "/?q=vendor")
        facets = page.locator(".facets").bounding_box()
        results = page.locator(".results").bounding_box()
        assert results["y"] + results["height"] <= facets["y"]  # issue #20: results first
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})
