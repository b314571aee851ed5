"""A person's path through the site, in a real Chromium: search, read the results, open one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def base_url(web_app) -> Iterator[str]:
    with serve(web_app) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url):
    with chromium_page() as page:
        yield page


def test_browser_search_then_open_first_result(page, base_url, tmp_path):
    page.goto(base_url + "/")
    page.fill("input[name=q]", "vendor lead times")
    page.click("button[type=submit]")
    page.wait_for_selector(".hit")
    assert "q=vendor+lead+times" in page.url
    first = page.locator(".hit-title a").first
    title = first.inner_text()
    assert title == "Vendor lead times doubled during the data centre migration"
    assert page.locator(".hit .badge-dept").first.inner_text() == "Engineering"
    assert page.locator(".hit mark").count() > 0
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    first.click()
    page.wait_for_url("**/documents/engineering-vendor-lead-times?from=search*")
    assert page.locator("h1").inner_text() == title
    assert page.locator(".document-section h2").first.inner_text() == "Context"
    assert page.title() == f"{title} · Lessonbase"
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)


def test_browser_department_checkboxes_narrow_results(page, base_url):
    page.goto(base_url + "/")
    page.fill("input[name=q]", "vendor")
    page.check("input[name=department][value=Finance]")
    page.click("button[type=submit]")
    page.wait_for_selector(".hit")
    assert page.locator(".hit .badge-dept").all_inner_texts() == ["Finance"]
    options = page.locator("details.search-options")
    assert options.get_attribute("open") is None  # folded over the results
    page.click("details.search-options > summary")
    page.check("input[name=department][value=Engineering]")  # a second one: no modifier key
    page.click("button[type=submit]")
    page.wait_for_url("**department=Engineering**")
    departments = page.locator(".hit .badge-dept").all_inner_texts()
    assert sorted(departments) == ["Engineering", "Finance"]


def test_browser_phone_shows_results_first_and_skip_link_reaches_them(page, base_url, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        page.goto(base_url + "/?q=vendor")
        first_hit = page.locator(".hit-title a").first
        assert first_hit.bounding_box()["y"] < 500  # on the first screen, above the facets
        assert page.locator(".facets").bounding_box()["y"] > first_hit.bounding_box()["y"]
        assert page.locator("details.search-options").get_attribute("open") is None
        assert "“vendor”" in page.locator("h1").inner_text()
        page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to results"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert first_hit.evaluate("link => document.activeElement === link")
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})


def test_browser_script_in_document_is_not_executed(page, base_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "/documents/finance-quarter-close-retro")
    assert "<script>alert(1)</script>" in page.locator(".document").inner_text()
    assert dialogs == []
