"""The search page's layout without a browser: results first, an h1 over them, the skip link
to them, filters folded once there are results, several departments without a modifier key."""

from __future__ import annotations

import re


def test_search_layout_results_have_h1_and_the_skip_link(rich_client):
    html = rich_client.get("/", params={"q": "vendor"}).text
    assert re.search(r'<h1 id="results-heading" class="results-heading">[^<]*“vendor”', html)
    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#results">Skip to results</a>' in html
    assert '<section class="results" id="results"' in html


def test_search_layout_results_come_before_facets_and_filters_fold(rich_client):
    html = rich_client.get("/", params={"q": "vendor", "department": "Finance"}).text
    assert html.index('class="hits"') < html.index('class="facets"')
    assert '<details class="search-options">' in html  # folded: no `open`
    assert "(1 active)" in html
    start = rich_client.get("/").text
    assert '<details class="search-options" open>' in start
    assert '<a class="skip-link" href="#main">' in start


def test_search_layout_departments_are_checkboxes_sent_as_repeated_parameters(rich_client):
    html = rich_client.get("/").text
    boxes = re.findall(r'<input type="checkbox" name="department" value="([^"]+)"', html)
    assert set(boxes) == set(rich_client.get("/api/info").json()["departments"])
    assert "<select" not in html.split('name="type"')[0].split('id="q"')[1]
    assert "Ctrl" not in html and "⌘" not in html
    params = [("q", "vendor"), ("department", "Finance"), ("department", "HR"), ("format", "json")]
    data = rich_client.get("/", params=params).json()
    assert {hit["department"] for hit in data["hits"]} == {"Finance", "HR"}


def test_search_layout_start_page_links_each_department_to_its_list(rich_client):
    html = rich_client.get("/").text
    assert (
        '<a class="department-name" href="/?department=Customer+Support">Customer Support</a>'
        in html
    )
