"""/docs in a real Chromium: Swagger UI reads the app's OpenAPI 3.1 and lists every operation,
with every file it loads coming from this server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def base_url(web_app) -> Iterator[str]:
    with serve(web_app) as url:
        yield url


def test_browser_docs_render_every_operation_offline(base_url, web_client):
    spec = web_client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    operations = sum(len(methods) for methods in spec["paths"].values())
    with chromium_page(width=1280) as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(base_url + "/docs")
        search = page.locator('.opblock-summary-path[data-path="/api/search"]')
        search.wait_for()
        assert page.locator(".opblock").count() == operations
        assert "Unable to render" not in page.locator("body").inner_text()
        search.click()
        page.locator(".opblock-get.is-open .parameters").wait_for()
        assert "closest_sentences" in page.locator(".opblock-get.is-open").inner_text()
    assert requested and all(url.startswith(base_url) for url in requested), requested
