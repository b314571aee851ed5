"""axe-core in a real Chromium on every page: no serious or critical accessibility violation,
for a reader, for an editor, and on a phone-sized screen."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest

from tests.kb.glossary.glossary_support import PASSWORD
from tests.kb.kickoff.kickoff_support import BRIEF, FREEZE, KESTREL, build_example_index
from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve
from web.app import create_app

pytestmark = BROWSER_MARKS
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

BLOCKING = {"serious", "critical"}
READER_PAGES = [
    "/",
    "/?q=vendor+delays",
    "/?q=vendor&department=Finance&type=lesson",
    "/?q=zxqvwk+florbnak",
    "/?department=Operations",
    f"/documents/{KESTREL}",
    f"/documents/{KESTREL}?same_department=1",
    f"/documents/{FREEZE}",  # an approved glossary term marked in its text
    "/formats",
    "/kickoff",
    "/kickoff/packs",
    "/glossary",
    "/glossary?q=cab",
    "/glossary/terms/" + quote("change freeze"),
    "/login",
    "/documents/no-such-document",
    "/?k=many",
]
EDITOR_PAGES = [
    "/glossary/review",
    "/glossary/contested",
    "/glossary/import",
    "/glossary/terms/" + quote("change freeze") + "/edit",
    "/glossary/terms/" + quote("change freeze"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    settings = build_example_index(tmp_path_factory.mktemp("axe"))
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def axe():
    return axe_api.Axe()


def blocking_violations(axe, page) -> str:
    """axe-core's serious and critical violations on the page, as a readable report."""
    violations = axe.run(page).response["violations"]
    found = [v for v in violations if v["impact"] in BLOCKING]
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in found
    )


def pages_with_violations(axe, page, base_url: str, paths: list[str]) -> dict[str, str]:
    """Each path that has serious or critical violations, with axe-core's report on it."""
    report = {}
    for path in paths:
        page.goto(base_url + path)
        report[path] = blocking_violations(axe, page)
    return {path: found for path, found in report.items() if found}


@pytest.mark.parametrize("width", [1280, 390])
def test_browser_accessibility_reader_pages(base_url, axe, width):
    with chromium_page(width=width) as page:
        assert pages_with_violations(axe, page, base_url, READER_PAGES) == {}


def test_browser_accessibility_editor_pages(base_url, axe):
    with chromium_page(width=1280) as page:
        page.goto(base_url + "/login")
        page.fill("#name", "ed")
        page.fill("#password", PASSWORD)
        page.click("form.stack-form button[type=submit]")
        page.wait_for_url("**/glossary")
        assert pages_with_violations(axe, page, base_url, EDITOR_PAGES) == {}


def test_browser_accessibility_kickoff_pack_and_saved_packs(base_url, axe):
    with chromium_page(width=1280) as page:
        page.goto(base_url + "/kickoff")
        page.fill("textarea[name=brief]", BRIEF)
        page.click("form.kickoff-form button[type=submit]")
        page.wait_for_selector(".pack-lesson")
        assert blocking_violations(axe, page) == ""  # the preview
        page.click("form.pack-save button[type=submit]")
        page.wait_for_selector(".pack-lesson")
        assert blocking_violations(axe, page) == ""  # the saved pack
        assert pages_with_violations(axe, page, base_url, ["/kickoff/packs"]) == {}
        page.locator(".packs-table a").first.click()
        page.wait_for_selector(".pack-lesson")
        printable = urlsplit(page.url).path + "/print"
        assert pages_with_violations(axe, page, base_url, [printable]) == {}


def test_browser_accessibility_api_docs_and_trying_a_search(base_url, axe):
    report = {}
    with chromium_page(width=1280) as page:
        page.goto(base_url + "/docs")
        search = page.locator('.opblock-summary-path[data-path="/api/search"]')
        search.wait_for()
        report["loaded"] = blocking_violations(axe, page)
        search.click()
        page.click(".try-out__btn")
        page.fill('tr[data-param-name="q"] input', "vendor delays")
        page.click(".execute")
        page.wait_for_selector(".live-responses-table")
        report["tried"] = blocking_violations(axe, page)
    assert {state: found for state, found in report.items() if found} == {}
