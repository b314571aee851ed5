"""Facets on the search page and its JSON twin: counts, links that toggle one filter, chips."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from web.facet_links import active_filters, clear_filters_url, toggle_url

ITEMS = [("q", "vendor"), ("department", "Finance"), ("k", "5")]


def twin(client, url: str) -> dict:
    """The JSON twin of a page URL such as a facet link."""
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}format=json").json()


def search_json(client, **params) -> dict:
    return client.get("/", params={**params, "format": "json"}).json()


def test_facets_toggle_url_adds_a_value():
    url = toggle_url(ITEMS, "department", "HR")
    assert parse_qsl(urlsplit(url).query) == [*ITEMS, ("department", "HR")]


def test_facets_toggle_url_removes_a_selected_value_and_keeps_the_rest():
    url = toggle_url(ITEMS, "department", "Finance")
    assert parse_qsl(urlsplit(url).query) == [("q", "vendor"), ("k", "5")]


def test_facets_toggle_url_drops_format_and_empty_values():
    items = [("q", "x y"), ("format", "json"), ("project", ""), ("tag", "a&b")]
    url = toggle_url(items, "year", "2024")
    assert url == "/?q=x+y&tag=a%26b&year=2024"
    assert toggle_url([("year", "2024")], "year", "2024") == "/"


def test_facets_active_filters_link_removes_only_that_filter():
    chips = active_filters([*ITEMS, ("type", "lesson"), ("section", "recommendation")])
    assert [chip.label for chip in chips] == [
        "Department: Finance",
        "Type: Lesson",
        "Only in: Recommendation",
    ]
    assert chips[1].remove_href == "/?q=vendor&department=Finance&k=5&section=recommendation"
    assert clear_filters_url([*ITEMS, ("mode", "keyword")]) == "/?q=vendor&k=5&mode=keyword"


def test_facets_counts_equal_the_hits_when_k_covers_every_match(rich_client):
    data = search_json(rich_client, q="vendor", k=50)
    assert 0 < data["total"] == len(data["hits"])
    for facet, key in (("department", "department"), ("type", "type")):
        counts = {value["value"]: value["count"] for value in data["facets"][facet]}
        assert counts == Counter(hit[key] for hit in data["hits"]), facet
    years = {value["value"]: value["count"] for value in data["facets"]["year"]}
    assert years == Counter(hit["date"][:4] for hit in data["hits"])
    for value in data["facets"]["tags"]:
        assert value["count"] == sum(value["value"] in hit["tags"] for hit in data["hits"])


def test_facets_page_shows_the_same_counts_as_the_json_twin(rich_client):
    html = rich_client.get("/", params={"q": "vendor", "k": 50}).text
    shown = re.findall(
        r'data-facet="department" data-value="([^"]+)"[^>]*>\s*'
        r'<span class="facet-label">[^<]*</span>\s*<span class="facet-count">(\d+)</span>',
        html,
    )
    data = search_json(rich_client, q="vendor", k=50)
    assert [(v, int(c)) for v, c in shown] == [
        (value["value"], value["count"]) for value in data["facets"]["department"]
    ]
    assert f"{data['total']} documents match" in html


def test_facets_department_link_yields_only_that_department_and_its_count(rich_client):
    data = search_json(rich_client, q="vendor", k=50)
    for value in data["facets"]["department"]:
        assert not value["selected"]
        narrowed = twin(rich_client, value["href"])
        assert {hit["department"] for hit in narrowed["hits"]} == {value["value"]}
        assert narrowed["total"] == len(narrowed["hits"]) == value["count"]
        assert narrowed["departments"] == [value["value"]]


def test_facets_selected_value_link_removes_the_filter(rich_client):
    data = search_json(rich_client, q="vendor", k=50, department="Finance")
    [finance] = [v for v in data["facets"]["department"] if v["value"] == "Finance"]
    assert finance["selected"]
    assert "department" not in dict(parse_qsl(urlsplit(finance["href"]).query))
    widened = twin(rich_client, finance["href"])
    assert len({hit["department"] for hit in widened["hits"]}) > 1


def test_facets_tag_and_year_links_add_their_filters(rich_client):
    data = search_json(rich_client, q="vendor", k=50)
    [tag] = [v for v in data["facets"]["tags"] if v["value"] == "vendor delays"]
    tagged = twin(rich_client, tag["href"])
    assert tagged["filters"]["tags"] == ["vendor delays"]
    assert all("vendor delays" in hit["tags"] for hit in tagged["hits"])
    assert len(tagged["hits"]) == tag["count"]
    year = data["facets"]["year"][0]
    dated = twin(rich_client, year["href"])
    assert {hit["date"][:4] for hit in dated["hits"]} == {year["value"]}


def test_facets_selected_value_is_marked_with_a_remove_sign(rich_client):
    html = rich_client.get("/", params={"q": "vendor", "department": "Finance"}).text
    selected = re.search(r'<a class="facet-value selected" href="([^"]+)"', html)
    assert selected and "department=" not in selected.group(1)
    assert '<span class="facet-remove" aria-label="remove">×</span>' in html
    assert 'class="chip" href="/?q=vendor" title="Remove this filter">Department: Finance' in html


def test_facets_values_without_a_form_control_survive_resubmitting_the_form(rich_client):
    params = [("q", "vendor"), ("tag", "vendor delays"), ("tag", "procurement"), ("year", "2023")]
    html = rich_client.get("/", params=params).text
    assert '<input type="text" id="tag" name="tag" value="vendor delays">' in html
    assert '<input type="hidden" name="tag" value="procurement">' in html
    assert '<input type="hidden" name="year" value="2023">' in html
