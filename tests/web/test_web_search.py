"""The search page, its JSON twin and /api/search."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from kb.knowledge_base import KnowledgeBase
from kb.search import SearchRequest
from tests.conftest import markdown_doc
from tests.web.conftest import build_index
from web.app import create_app


def hit_ids(html: str) -> list[str]:
    return re.findall(r'class="hit-title"><a href="/documents/([^"#?]+)', html)


def test_search_page_without_query_shows_intro_and_stats(web_client):
    response = web_client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<input type="search" id="q" name="q" value=""' in html
    assert "In the index" in html
    assert "3 documents" in html
    for department in ("Engineering", "Finance", "Operations"):
        assert department in html
    assert 'class="hits"' not in html


def test_search_page_renders_hits_with_title_department_section_and_snippet(web_client):
    html = web_client.get("/", params={"q": "vendor lead times"}).text
    assert "Vendor lead times doubled during the data centre migration" in html
    # The title links to the document, saying which search it was found by (usage events).
    link = 'href="/documents/engineering-vendor-lead-times?from=search&amp;q=vendor%20lead%20times"'
    assert link in html
    assert '<a class="badge badge-dept" href="/?department=Engineering">Engineering</a>' in html
    assert '<a class="badge badge-type badge-lesson" href="/?type=lesson">Lesson</a>' in html
    assert "2023-06-14" in html
    assert "Matched in:" in html
    assert "<mark>lead</mark>" in html.lower()  # the one match: "vendor" alone is not
    assert '<li><a href="/?tag=procurement">procurement</a></li>' in html


def department_boxes(html: str) -> dict[str, bool]:
    """The department checkboxes of the search form: value -> ticked."""
    found = re.findall(
        r'<input type="checkbox" name="department" value="([^"]*)"( checked)?>', html
    )
    return {value: bool(checked) for value, checked in found}


def test_search_page_offers_departments_as_checkboxes_with_counts(web_client):
    html = web_client.get("/").text
    assert department_boxes(html) == {"Engineering": False, "Finance": False, "Operations": False}
    assert 'value="Finance">\n        Finance <span class="check-count">(1)</span>' in html
    assert "Ctrl" not in html and "⌘" not in html


def test_search_page_filters_by_department(web_client):
    html = web_client.get("/", params={"q": "vendor", "department": "Finance"}).text
    assert hit_ids(html) == ["finance-quarter-close-retro"]
    assert department_boxes(html)["Finance"] is True


def test_search_page_accepts_several_departments(web_client):
    params = [("q", "vendor"), ("department", "Finance"), ("department", "Engineering")]
    ids = set(hit_ids(web_client.get("/", params=params).text))
    assert ids == {"finance-quarter-close-retro", "engineering-vendor-lead-times"}


def test_search_page_filters_by_type(web_client):
    html = web_client.get("/", params={"q": "shift handover", "type": "meeting-notes"}).text
    assert hit_ids(html) == ["operations-shift-handover-weekly"]


def test_search_page_json_twin_equals_page_data(web_client, web_kb):
    params = {"q": "vendor", "k": 2}
    data = web_client.get("/", params={**params, "format": "json"}).json()
    html = web_client.get("/", params=params).text
    expected = [hit.to_dict() for hit in web_kb.search(SearchRequest("vendor", 2))]
    assert data["query"] == "vendor"
    assert data["hits"] == expected
    assert [hit["id"] for hit in data["hits"]] == hit_ids(html)


def test_search_page_caps_k_at_max_k(web_client, web_settings):
    data = web_client.get("/", params={"q": "vendor", "k": 1000, "format": "json"}).json()
    assert data["k"] == web_settings.max_k


def test_search_page_rejects_k_below_one_with_a_page(web_client):
    response = web_client.get("/", params={"q": "vendor", "k": 0})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "k must be at least 1" in response.text


def test_search_api_returns_same_ids_in_same_order_as_knowledge_base(web_client, web_kb):
    response = web_client.get("/api/search", params={"q": "vendor delays close", "k": 3})
    assert response.status_code == 200
    expected = web_kb.search(SearchRequest("vendor delays close", 3, matches_only=True))
    assert [hit["id"] for hit in response.json()] == [hit.id for hit in expected]
    assert response.json() == [hit.to_dict() for hit in expected]


def test_search_api_defaults_k_to_settings(web_client, web_settings):
    hits = web_client.get("/api/search", params={"q": "the"}).json()
    assert 0 < len(hits) <= web_settings.search_k


def test_search_api_filters_by_department_and_type(web_client):
    params = [("q", "vendor"), ("department", "Engineering"), ("type", "lesson")]
    hits = web_client.get("/api/search", params=params).json()
    assert [hit["id"] for hit in hits] == ["engineering-vendor-lead-times"]


def test_search_api_rejects_empty_q_naming_q(web_client):
    for params in ({"q": ""}, {"q": "   "}, {}):
        response = web_client.get("/api/search", params=params)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "q"]


def test_search_api_rejects_bad_k_naming_k(web_client, web_settings):
    for k in (0, -3, web_settings.max_k + 1, "many"):
        response = web_client.get("/api/search", params={"q": "vendor", "k": k})
        assert response.status_code == 422, k
        error = response.json()["detail"][0]
        assert error["loc"] == ["query", "k"]
        assert "k" in error["msg"] or error["type"] == "int_parsing"


def test_search_api_rejects_unknown_type(web_client):
    response = web_client.get("/api/search", params={"q": "vendor", "type": "memo"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["query", "type"]


def test_search_page_highlights_every_form_the_query_matched(tmp_path):
    lesson = "The board reviewed two mishaps in one week. Each mishap began with a skipped check."
    corpus = {"safety/board.md": markdown_doc("Board findings", sections={"Lesson": lesson})}
    settings = build_index(tmp_path, corpus, max_k=20)
    client = TestClient(create_app(settings, KnowledgeBase(settings)))
    html = client.get("/", params={"q": "mishaps"}).text
    assert "two <mark>mishaps</mark> in one week. Each <mark>mishap</mark> began" in html
    [hit] = client.get("/api/search", params={"q": "mishaps"}).json()
    assert hit["terms"] == ["mishaps"] and "Each mishap began" in hit["snippet"]
    more = "Two contractors reported the delays; the vendor's slip delayed delivery."
    corpus = {"a/b.md": markdown_doc("Supplier findings", sections={"Lesson": more})}
    settings = build_index(tmp_path / "more", corpus, max_k=20)
    client = TestClient(create_app(settings, KnowledgeBase(settings)))
    html = client.get("/", params={"q": "contractor vendors delay"}).text
    for word in ("contractors", "delays", "vendor", "delayed"):
        assert f"<mark>{word}</mark>" in html, word
