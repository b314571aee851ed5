"""An editor's path in a real Chromium: sign in, accept one candidate, merge another, read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.kb.glossary.glossary_support import PASSWORD, build_index, copy_index
from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve
from tests.web.glossary_support import make_app

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    settings = build_index(tmp_path_factory.mktemp("browser-glossary"))
    app = make_app(copy_index(settings, tmp_path_factory.mktemp("browser-glossary-app")))
    with serve(app) as url:
        yield url


def candidate_card(page, display: str):
    title = page.locator("h2.candidate-title", has_text=re.compile(f"^{re.escape(display)}$"))
    return page.locator("article.candidate", has=title)


def test_browser_glossary_sign_in_accept_merge_then_read(base_url, tmp_path):
    with chromium_page() as page:
        page.goto(base_url + "/glossary/review")
        page.wait_for_url("**/login?next=*")
        page.fill("#name", "ed")
        page.fill("#password", PASSWORD)
        page.click("form.stack-form button[type=submit]")
        page.wait_for_url("**/glossary/review")
        assert "Signed in as ed" in page.locator(".account").inner_text()

        card = candidate_card(page, "shift handover")
        card.locator("summary", has_text="Accept").click()
        card.locator("textarea[name=definition]").fill("Passing open work to the next shift.")
        card.locator("select[name=status]").select_option("approved")
        card.locator("form[action='/glossary/review/accept'] button[type=submit]").click()
        page.wait_for_selector(".notice")
        assert "Accepted “shift handover”" in page.locator(".notice").inner_text()
        assert candidate_card(page, "shift handover").count() == 0  # no longer pending

        card = candidate_card(page, "handover")
        card.locator("input[name=into]").fill("shift handover")
        card.locator("form[action='/glossary/review/merge'] button[type=submit]").click()
        page.wait_for_selector(".notice")
        assert "Merged “handover” into “shift handover”" in page.locator(".notice").inner_text()
        page.screenshot(path=str(tmp_path / "review.png"), full_page=True)

        page.click("nav.subnav >> text=Terms")
        page.wait_for_url("**/glossary")
        entry = page.locator(".term-entry", has_text="shift handover")
        assert "Passing open work to the next shift." in entry.inner_text()
        assert "handover, hand-over" in entry.inner_text()
        entry.locator("a.term-label").click()
        page.wait_for_url("**/glossary/terms/shift%20handover")
        assert page.locator("h1").inner_text().startswith("shift handover")
        history = page.locator(".history-table").inner_text()
        assert "merge-in" in history and "accept" in history
        assert (
            "Weekly operations meeting on shift handovers"
            in page.locator(".term-usage").inner_text()
        )
        page.screenshot(path=str(tmp_path / "term.png"), full_page=True)

        page.goto(base_url + "/glossary/terms/handover")  # the merged candidate leads to its term
        page.wait_for_url("**/glossary/terms/shift%20handover")
