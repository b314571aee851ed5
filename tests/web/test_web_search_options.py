"""Search modes, the new filters, sorting and "best matches from other departments"."""

from __future__ import annotations

import re

import pytest

from kb.search import Filters, SearchRequest

NOWHERE = "zebra quasar"  # no document uses these words


def api(client, **params) -> list[dict]:
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def page_json(client, **params) -> dict:
    response = client.get("/", params={**params, "format": "json"})
    assert response.status_code == 200, response.text
    return response.json()


def assert_422_naming(response, name: str) -> None:
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", name]


def test_search_mode_keyword_finds_nothing_for_unknown_words_but_semantic_does(rich_client):
    assert api(rich_client, q=NOWHERE, mode="keyword") == []
    assert len(api(rich_client, q=NOWHERE, mode="semantic")) > 0
    keyword = page_json(rich_client, q=NOWHERE, mode="keyword")
    semantic = page_json(rich_client, q=NOWHERE, mode="semantic")
    assert (keyword["mode"], keyword["total"], keyword["hits"]) == ("keyword", 0, [])
    assert semantic["mode"] == "semantic" and semantic["hits"]
    assert all(hit["matched_by"] == ["meaning"] for hit in semantic["hits"])


def test_search_mode_defaults_to_hybrid_and_matches_the_knowledge_base(rich_client, rich_kb):
    data = page_json(rich_client, q="vendor", k=5)
    assert data["mode"] == "hybrid"
    for mode in ("hybrid", "keyword", "semantic"):
        expected = rich_kb.run_search(SearchRequest("vendor", 5, mode=mode, matches_only=True)).hits
        assert api(rich_client, q="vendor", k=5, mode=mode) == [h.to_dict() for h in expected]


def test_search_mode_is_chosen_on_the_page(rich_client):
    html = rich_client.get("/", params={"q": "vendor", "mode": "keyword"}).text
    assert '<input type="radio" name="mode" value="keyword" checked>' in html
    assert "by words only" in html
    assert "matching exact words" in html


def test_search_mode_invalid_gives_422_naming_mode(rich_client):
    assert_422_naming(rich_client.get("/api/search", params={"q": "x", "mode": "fuzzy"}), "mode")
    twin = rich_client.get("/", params={"q": "x", "mode": "fuzzy", "format": "json"})
    assert_422_naming(twin, "mode")
    page = rich_client.get("/", params={"q": "x", "mode": "fuzzy"})
    assert page.status_code == 422 and "mode:" in page.text


@pytest.mark.parametrize("name", ["date_from", "date_to"])
def test_search_invalid_date_gives_422_naming_the_parameter(rich_client, name):
    for url in ("/api/search", "/"):
        response = rich_client.get(
            url, params={"q": "vendor", name: "2024-13-45", "format": "json"}
        )
        assert_422_naming(response, name)
        assert "YYYY-MM-DD" in response.json()["detail"][0]["msg"]
    page = rich_client.get("/", params={"q": "vendor", name: "yesterday"})
    assert page.status_code == 422
    assert f"{name}: expected YYYY-MM-DD" in page.text


def test_search_closest_sentences_is_checked_on_the_page_as_by_the_api(rich_client):
    for url in ("/api/search", "/"):
        response = rich_client.get(url, params={"q": "vendor", "closest_sentences": "maybe"})
        assert response.status_code == 422
    twin = rich_client.get("/", params={"q": "x", "closest_sentences": "maybe", "format": "json"})
    assert_422_naming(twin, "closest_sentences")
    page = rich_client.get("/", params={"q": "x", "closest_sentences": "maybe"})
    assert "closest_sentences: Input should be a valid boolean" in page.text


@pytest.mark.parametrize("url", ["/", "/formats", "/kickoff", "/glossary", "/api/search"])
def test_search_format_other_than_html_or_json_is_a_422_everywhere(rich_client, url):
    response = rich_client.get(url, params={"q": "vendor", "format": "xml"})
    if url.startswith("/api/"):
        assert_422_naming(response, "format")
    else:
        assert response.status_code == 422
        assert (
            response.text.count("<li>format: Input should be &#39;html&#39; or &#39;json&#39;</li>")
            == 1
        )


def test_search_invalid_year_sort_and_section_give_422_naming_them(rich_client):
    for name, value in (("year", "24"), ("sort", "title"), ("section", "nonsense")):
        response = rich_client.get("/api/search", params={"q": "vendor", name: value})
        assert_422_naming(response, name)


def test_search_sort_date_orders_hits_newest_first(rich_client):
    hits = api(rich_client, q="vendor", k=50, sort="date")
    dates = [hit["date"] for hit in hits]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)
    assert [
        h["date"] for h in page_json(rich_client, q="vendor", k=50, sort="date")["hits"]
    ] == dates


def test_search_date_range_keeps_documents_inside_it(rich_client):
    hits = api(rich_client, q="vendor", k=50, date_from="2023-01-01", date_to="2023-12-31")
    assert hits and all("2023-01-01" <= hit["date"] <= "2023-12-31" for hit in hits)


def test_search_section_filter_matches_only_in_that_section(rich_client):
    hits = api(rich_client, q="vendor", k=50, section="recommendation")
    assert len(hits) >= 3
    assert {hit["section_key"] for hit in hits} == {"recommendation"}
    html = rich_client.get("/", params={"q": "vendor", "section": "recommendation"}).text
    assert '<label for="section">Search only in</label>' in html
    assert re.search(
        r'<option value="recommendation" selected>Recommendation \(\d+\)</option>', html
    )
    assert "Only in: Recommendation" in html


def test_search_project_tag_status_and_year_filters(rich_client, rich_kb):
    hits = api(rich_client, q="vendor", k=50, project="Atlas migration")
    assert hits and {hit["project"] for hit in hits} == {"Atlas migration"}
    hits = api(rich_client, q="vendor", k=50, tag="procurement")
    assert hits and all("procurement" in hit["tags"] for hit in hits)
    hits = api(rich_client, q="vendor", k=50, status="observation")
    assert hits and {rich_kb.document(h["id"]).document.status for h in hits} == {"observation"}
    hits = api(rich_client, q="vendor", k=50, year=["2022", "2024"])
    assert hits and {hit["date"][:4] for hit in hits} <= {"2022", "2024"}


def test_search_json_twin_reports_total_mode_and_active_filters(rich_client):
    data = page_json(rich_client, q="vendor", tag="vendor delays", year="2024", sort="date")
    assert data["filters"]["tags"] == ["vendor delays"]
    assert data["filters"]["years"] == ["2024"]
    assert data["sort"] == "date" and data["total"] == len(data["hits"])
    assert [chip["label"] for chip in data["active_filters"]] == [
        "Tag: vendor delays",
        "Year: 2024",
    ]


def test_search_other_departments_never_repeat_a_department_on_the_page(rich_client, rich_kb):
    seen_any = False
    for query in ("vendor", "shift handover", "late invoices", "payment outage"):
        for k in (1, 2, 3):
            data = page_json(rich_client, q=query, k=k)
            on_page = {hit["department"] for hit in data["hits"]}
            others = data["other_departments"]
            assert len(others) <= 3
            assert not on_page & {hit["department"] for hit in others}, (query, k)
            seen_any = seen_any or bool(others)
    assert seen_any
    data = page_json(rich_client, q="vendor", k=2)
    shown = tuple(dict.fromkeys(hit["department"] for hit in data["hits"]))
    request = SearchRequest("vendor", 3, filters=Filters(exclude_departments=shown))
    assert data["other_departments"] == [h.to_dict() for h in rich_kb.run_search(request).hits]


def test_search_other_departments_shown_beside_hits_and_skipped_with_a_department(rich_client):
    html = rich_client.get("/", params={"q": "vendor", "k": 2}).text
    assert "Best matches from other departments" in html
    filtered = page_json(rich_client, q="vendor", k=2, department="Finance")
    assert filtered["other_departments"] == []
    html = rich_client.get("/", params={"q": "vendor", "k": 2, "department": "Finance"}).text
    assert "Best matches from other departments" not in html


def test_search_meaning_snippet_is_labelled_and_not_highlighted(rich_client):
    data = page_json(rich_client, q=NOWHERE, mode="semantic")
    assert any(hit["snippet_reason"] == "meaning" for hit in data["hits"])
    html = rich_client.get("/", params={"q": NOWHERE, "mode": "semantic"}).text
    assert "Closest in meaning:" in html
    assert "by meaning only" in html
    assert "<mark>" not in html


def test_search_hit_says_how_it_matched(rich_client):
    html = rich_client.get("/", params={"q": "vendor"}).text
    assert "by words and meaning" in html
    assert "Matched in:" in html and "<mark>vendor</mark>" in html.lower()
