"""The formats guide, the OpenAPI docs, /api/info and /healthz."""

from __future__ import annotations

from kb.access import Viewer


def test_pages_formats_renders_the_guide(web_client):
    response = web_client.get("/formats")
    assert response.status_code == 200
    assert "<h1>Lessonbase document formats</h1>" in response.text
    assert "<table>" in response.text
    assert 'aria-current="page">Document formats</a>' in response.text


def test_pages_base_layout_has_nav_and_index_footer(web_client):
    html = web_client.get("/formats").text
    for link in ('href="/"', 'href="/formats"', 'href="/docs"'):
        assert link in html
    assert "Index: 3 documents" in html  # the three fixtures are public
    assert "/static/style.css" in html


def test_pages_static_stylesheet_is_served(web_client):
    response = web_client.get("/static/style.css")
    assert response.status_code == 200
    assert "max-width: 62rem" in response.text


def test_pages_docs_lists_the_api(web_client):
    docs = web_client.get("/docs")
    assert docs.status_code == 200
    # Swagger UI comes from this server, never from a CDN the machine cannot reach.
    assert "/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert "validator.swagger.io" not in docs.text
    bundle = web_client.get("/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "SwaggerUIBundle" in bundle.text
    assert web_client.get("/swagger-ui/swagger-ui.css").status_code == 200
    paths = web_client.get("/openapi.json").json()["paths"]
    assert {
        "/api/search",
        "/api/documents/{doc_id}",
        "/api/documents/{doc_id}/related",
        "/api/info",
        "/healthz",
    } <= set(paths)
    search = paths["/api/search"]["get"]
    assert search["summary"] == "Search documents"
    assert {p["name"] for p in search["parameters"]} == {
        *("q", "k", "mode", "sort", "department", "type", "project", "tag", "status"),
        *("section", "year", "date_from", "date_to", "closest_sentences", "page"),
        "include_archived",
    }
    q = next(p for p in search["parameters"] if p["name"] == "q")
    assert q["required"] is False  # empty with a filter: the documents passing it


def test_pages_api_info_returns_stats(web_client, web_kb):
    response = web_client.get("/api/info")
    assert response.status_code == 200
    assert response.json() == web_kb.stats(Viewer.anonymous())
    assert response.json()["generation"] == web_kb.stats()["generation"]
    assert response.json()["departments"] == {"Engineering": 1, "Finance": 1, "Operations": 1}


def test_pages_healthz_counts_documents(web_client):
    assert web_client.get("/healthz").json() == {"status": "ok", "documents": 3}


def test_pages_unknown_path_gives_404_page(web_client):
    response = web_client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is no page at /no/such/page." in response.text
