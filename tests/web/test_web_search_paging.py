"""Search pages, honest counts, browsing without a query and the form's edge cases (issue 20)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kb.knowledge_base import KnowledgeBase
from tests.conftest import markdown_doc
from tests.web.conftest import build_index
from web.app import create_app

DEPARTMENTS = ("Propulsion", "Ground Ops", "Avionics")


def lesson(i: int) -> str:
    """Lessons on leaks in ground tests, each with a different amount of the query's words."""
    dept = DEPARTMENTS[i % 3]
    text = f"During the ground test {i} a hydrazine leak was found at valve {i}."
    if i % 4 == 3:
        text = f"Hydrazine purity was profiled for batch {i}."  # one query word only
    sections = {"What happened": text, "Recommendation": f"Check the seals before test {i}."}
    return markdown_doc(
        f"Test campaign {i}", department=dept, date=f"2023-{1 + i % 12:02d}-{1 + i:02d}",
        sections=sections,
    )  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    corpus = {f"lessons/l{i}.md": lesson(i) for i in range(24)}
    settings = build_index(tmp_path_factory.mktemp("paging"), corpus, max_k=50)
    return TestClient(create_app(settings, KnowledgeBase(settings)))


def twin(client: TestClient, **params) -> dict:
    response = client.get("/", params={**params, "format": "json"})
    assert response.status_code == 200, response.text
    return response.json()


def test_search_pages_are_disjoint_and_in_rank_order(client):
    everything = twin(client, q="hydrazine leak ground test", k=50)
    pages = [twin(client, q="hydrazine leak ground test", k=5, page=n) for n in (1, 2, 3, 4)]
    assert [p["page"] for p in pages] == [1, 2, 3, 4]
    assert {p["total"] for p in pages} == {everything["total"]} and everything["total"] == 18
    assert {p["pages"] for p in pages} == {4}
    ids = [hit["id"] for p in pages for hit in p["hits"]]
    assert ids == [hit["id"] for hit in everything["hits"]]
    assert len(set(ids)) == len(ids) == 18


def test_search_api_pages_with_headers_and_links(client):
    response = client.get("/api/search", params={"q": "hydrazine leak ground test", "k": 5})
    assert response.headers["X-Total-Count"] == "18" and response.headers["X-Pages"] == "4"
    assert 'page=2>; rel="next"' in response.headers["Link"]
    second = client.get(
        "/api/search", params={"q": "hydrazine leak ground test", "k": 5, "page": 2}
    )
    assert not {h["id"] for h in second.json()} & {h["id"] for h in response.json()}


@pytest.mark.parametrize("page", ["0", "-1", "1001", "two"])
def test_search_api_refuses_bad_pages_naming_page(client, page):
    response = client.get("/api/search", params={"q": "leak", "page": page})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_search_page_links_to_other_pages(client):
    html = client.get("/", params={"q": "hydrazine leak ground test", "k": 5, "page": 2}).text
    nav = html[html.index('class="pager"') :]
    assert 'rel="prev"' in nav and 'rel="next"' in nav
    assert '<span aria-current="page">2</span>' in nav
    assert "page=4" in nav and "Showing 6–10 of 18" in html


def test_search_does_not_count_documents_with_one_query_word(client):
    found = twin(client, q="hydrazine leak ground test", k=50)
    ids = {hit["id"] for hit in found["hits"]}
    assert all(int(i.rsplit("-l", 1)[1]) % 4 != 3 for i in ids)  # the purity profiles left out
    assert "distinctive words" in found["match_rule"]


def test_search_nonsense_query_counts_no_match_and_says_so(client):
    found = twin(client, q="zxqvwk florbnak")
    assert found["total"] == 0 and found["nearest_only"]
    html = client.get("/", params={"q": "zxqvwk florbnak"}).text
    assert "Nothing matches “zxqvwk florbnak”" in html
    assert "documents match" not in html
    if found["hits"]:
        assert "Nearest documents" in html and "none of them is a match" in html


def test_search_long_query_is_shortened_in_the_heading_not_the_box(client):
    query = " ".join(["hydrazine leak"] * 140)[:2000]
    html = client.get("/", params={"q": query}).text
    heading = re.search(r'<h1 id="results-heading"[^>]*>(.*?)</h1>', html, re.S).group(1)
    assert len(heading.strip()) < 200 and "…" in heading
    assert f'value="{query}"' in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert len(title) < 200


def test_search_date_range_from_after_to_is_refused_naming_both(client):
    params = {"q": "leak", "date_from": "2024-05-01", "date_to": "2023-01-01"}
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["query", "date_from"] and "date_to" in detail["msg"]
    page = client.get("/", params=params)
    assert page.status_code == 422 and "the range is empty" in page.text


def test_search_browses_by_filter_without_query_newest_first(client):
    found = twin(client, department="Avionics", k=50)
    assert found["browsing"] and found["total"] == 8
    dates = [hit["date"] for hit in found["hits"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 8
    assert {hit["department"] for hit in found["hits"]} == {"Avionics"}
    departments = {f["value"]: f["count"] for f in found["facets"]["department"]}
    assert departments == {"Propulsion": 8, "Ground Ops": 8, "Avionics": 8}
    html = client.get("/", params={"department": "Avionics"}).text
    assert "8 documents pass these filters" in html and html.count('class="hit-title"') == 5
    api = client.get("/api/search", params={"department": "Avionics", "k": 3})
    assert [h["id"] for h in api.json()] == [h["id"] for h in found["hits"][:3]]
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_search_form_lists_the_sections_the_index_has_with_counts(client):
    html = client.get("/", params={"q": "leak"}).text
    select = html[
        html.index('<select id="section"') : html.index(
            "</select>", html.index('<select id="section"')
        )
    ]
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', select)
    assert options == [
        ("recommendation", "Recommendation (24)"),
        ("what_happened", "What happened (24)"),
    ]


def test_search_form_department_counts_are_the_facet_counts(client):
    params = {"q": "hydrazine leak ground test", "date_from": "2023-06-01"}
    found = twin(client, **params, k=50)
    facet = {f["value"]: f["count"] for f in found["facets"]["department"]}
    assert sum(facet.values()) == found["total"] < 18
    html = client.get("/", params=params).text
    form = dict(
        re.findall(r'value="([^"]+)"[^>]*>\s*\1 <span class="check-count">\((\d+)\)</span>', html)
    )
    assert {name: int(n) for name, n in form.items()} == facet
