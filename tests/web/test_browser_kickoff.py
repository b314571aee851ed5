"""A project lead's path in a real Chromium: paste a brief, preview the pack, save it,
download it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.kb.kickoff.kickoff_support import BRIEF, KESTREL, build_example_index
from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve
from web.app import create_app

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    settings = build_example_index(tmp_path_factory.mktemp("kickoff-browser"))
    with serve(create_app(settings)) as url:
        yield url


def test_browser_kickoff_paste_brief_open_pack_download_markdown(base_url, tmp_path):
    with chromium_page() as page:
        page.goto(base_url + "/")
        page.click("nav.site-nav >> text=Kickoff")
        page.wait_for_url("**/kickoff")
        page.fill("textarea[name=brief]", BRIEF)
        page.select_option("select[name=department]", "Finance")
        page.fill("input[name=tags]", "procurement")
        page.click("button[type=submit]")
        page.wait_for_selector(".pack-lesson")
        assert page.url.endswith("/kickoff")  # a preview: nothing saved yet
        assert page.locator("text=Download Markdown").count() == 0
        page.click("text=Save this pack")
        page.wait_for_url("**/kickoff/packs/project-meridian-*")
        page.wait_for_selector(".pack-lesson")
        assert page.locator("h1").inner_text() == (
            "Project Meridian: a new ERP for finance and procurement"
        )
        assert page.locator(".theme").count() >= 2
        assert page.locator(".pack-lesson .badge-other").count() >= 4
        assert page.locator(".checklist li").count() >= 3
        page.screenshot(path=str(tmp_path / "pack.png"), full_page=True)

        with page.expect_download() as info:
            page.click("text=Download Markdown")
        download = info.value
        assert download.suggested_filename.startswith("kickoff-project-meridian-")
        markdown = tmp_path / "pack.md"
        download.save_as(markdown)
        text = markdown.read_text(encoding="utf-8")
        assert text.startswith("# Kickoff pack: Project Meridian")
        assert f"{base_url}/documents/{KESTREL}" in text

        pack_url = page.url
        page.click("text=Printable view")
        page.wait_for_url("**/print")
        assert not page.locator(".site-header").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".print-hint").is_visible()
        page.goto(pack_url)
        page.click(f'a[href="/documents/{KESTREL}"] >> nth=0')
        page.wait_for_url(f"**/documents/{KESTREL}")


def test_browser_kickoff_empty_brief_shows_the_message(base_url):
    with chromium_page(width=390, height=844) as page:
        page.goto(base_url + "/kickoff")
        page.click("button[type=submit]")
        page.wait_for_selector(".form-error")
        assert "The brief is empty" in page.locator(".form-error").inner_text()
        assert page.url.endswith("/kickoff")
