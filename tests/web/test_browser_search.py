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
    page.wait_for_url("**/documents/engineering-vendor-lead-times")
    assert page.locator("h1").inner_text() == title
    assert page.locator(".document-section h2").first.inner_text() == "Context"
    assert page.title() == f"{title} · Lessonbase"
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)


def test_browser_department_filter_narrows_results(page, base_url):
    page.goto(base_url + "/")
    page.fill("input[name=q]", "vendor")
    page.select_option("select[name=department]", ["Finance"])
    page.click("button[type=submit]")
    page.wait_for_selector(".hit")
    departments = page.locator(".hit .badge-dept").all_inner_texts()
    assert departments == ["Finance"]


def test_browser_script_in_document_is_not_executed(page, base_url):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(base_url + "/documents/finance-quarter-close-retro")
    assert "<script>alert(1)</script>" in page.locator(".document").inner_text()
    assert dialogs == []
