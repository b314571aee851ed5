"""Write a lesson in a real Chromium: a section and an action, a similar lesson offered and
linked, submitted; a second user publishes it; it is then found by search, its file
validates, and its action is on /actions and closes from the web."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.validate import validate_paths
from tests.kb.glossary.glossary_support import PASSWORD
from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve
from tests.web.contribution_support import contribution_app

pytestmark = BROWSER_MARKS
ACTION = "Add a cold soak to the seal test"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[str, object]]:
    folder = tmp_path_factory.mktemp("browser-contributions")
    app = contribution_app(folder, f"sqlite:///{folder}/state.sqlite")
    with serve(app) as url:
        yield url, app
    app.state.glossary.state.dispose()


def sign_in(page, base_url: str, name: str, path: str) -> None:
    page.context.clear_cookies()
    page.goto(base_url + path)
    page.wait_for_url("**/login?next=*")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("form.stack-form button[type=submit]")
    page.wait_for_url(f"**{path}*")


def test_browser_contributions_write_review_publish_find_and_follow_up(served, tmp_path):
    base_url, app = served
    with chromium_page() as page:
        sign_in(page, base_url, "cora", "/contribute")
        page.fill("#f-title", "Seals shrink in cold storage")
        page.fill("#f-date", "2026-11-30")
        page.check("input[name=sensitivity][value=public]")
        page.fill("#f-section-what_happened", "The valve seals cracked in the cold like gaskets.")
        page.fill("#f-section-actions", f"- [ ] {ACTION} (owner: Cora, due: 2027-01-15)")
        page.click("button[value=preview]")
        offered = page.locator(".similar-lessons li", has_text="Valve gaskets cracked in the cold")
        assert "2019-02-01" in offered.inner_text()  # with its date
        offered.locator("input[name=related]").check()
        page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
        page.click("button[value=submit]")
        page.wait_for_url("**/contributions/c*")
        assert "submitted" in page.locator("main").inner_text()

        sign_in(page, base_url, "carl", "/contributions/review")
        page.click(".contributions a", timeout=5_000)
        page.click("form[action$='/publish'] button[type=submit]")
        page.wait_for_url("**/contributions/review")

        page.goto(base_url + "/?q=seals+shrink+cold+storage")
        page.click("text=Seals shrink in cold storage")
        page.wait_for_url("**/documents/c*")
        doc_url = page.url
        page.goto(base_url + "/actions?department=Engineering")
        assert ACTION in page.locator("main").inner_text()

        page.goto(doc_url)
        form = page.locator("form.action-form").first
        form.locator("select[name=status]").select_option("done")
        form.locator("button[type=submit]").click()
        page.goto(base_url + "/actions?department=Engineering&status=done")
        assert ACTION in page.locator("main").inner_text()

    published = list(Path(app.state.settings.kb_dir, "contributions").rglob("*.md"))
    assert len(published) == 1 and validate_paths(published).ok
