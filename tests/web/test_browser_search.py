"""A person's path through the site, in a real Chromium: search, read the results, open one."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(web_app) -> Iterator[str]:
    """The fixture app served by uvicorn on a free loopback port, in a background thread."""
    port = free_port()
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


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
