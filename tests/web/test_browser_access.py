"""The access matrix in a real Chromium: an anonymous visitor and a Finance reader who signs
in through the form see, on the search page and on document pages, exactly the markers of
the documents they may read (tests/access_corpus.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.access_corpus import PASSWORD, PEOPLE, QUERY, Person, markers, readable, unreadable
from tests.web.access_matrix_support import MAX_K, access_app, access_settings
from tests.web.browser_support import BROWSER_MARKS, chromium_page, serve

pytestmark = BROWSER_MARKS
PERSON = {person.key: person for person in PEOPLE}
# The search form's section choices count every document (an xfail of the web matrix):
# the browser checks what the results and facets show.
WITHOUT_SECTION_CHOICES = "document.querySelector('select#section')?.remove()"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    app = access_app(access_settings(tmp_path_factory.mktemp("browser-access")))
    with serve(app) as url:
        yield url
    app.state.glossary.state.dispose()


def shown(page) -> set[str]:
    page.evaluate(WITHOUT_SECTION_CHOICES)
    return markers(page.content())


def sign_in(page, base_url: str, person: Person) -> None:
    page.goto(base_url + "/login")
    page.fill("input[name=name]", person.name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_selector(f"text=Signed in as {person.name}")


@pytest.mark.parametrize("key", ["anonymous", "finance"])
def test_browser_access_search_and_document_pages_show_only_readable(base_url, key, tmp_path):
    person = PERSON[key]
    mine = {doc.marker for doc in readable(person)}
    with chromium_page() as page:
        if person.signed_in:
            sign_in(page, base_url, person)
        page.goto(base_url + "/")
        page.fill("input[name=q]", QUERY)
        page.press("input[name=q]", "Enter")  # the header's sign-out is a submit button too
        page.wait_for_selector(".hit")
        page.goto(page.url + f"&k={MAX_K}")
        titles = page.locator(".hit-title a").all_inner_texts()
        assert sorted(title.rsplit(" ", 1)[-1] for title in titles) == sorted(mine)
        assert shown(page) == mine
        page.screenshot(path=str(tmp_path / f"search-{key}.png"), full_page=True)

        page.locator(".hit-title a").last.click()
        page.wait_for_selector("h1")
        own = page.locator("h1").inner_text().rsplit(" ", 1)[-1]
        on_page = shown(page)
        assert own in on_page and on_page <= mine

        refused = unreadable(person)[0]
        response = page.goto(base_url + f"/documents/{refused.id}")
        assert response.status == 404
        assert shown(page) == {refused.marker}  # the id it asked for, in "no document with id"
